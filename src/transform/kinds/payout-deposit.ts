/**
 * Shopify Payments payouts: Shopify keeps its fees and pays the rest. A payout is a deposit — the clearing account
 * is emptied by the gross, the bank gets the net, the fees go to their expense account; a withdrawal (Shopify took
 * money back) is a journal entry from the bank to the clearing account.
 */
import { localDate, parseMoney, sumMoney } from '../../domain/index.ts';
import { numericId } from '../amounts.ts';
import type { DepositLine, TransactionDocument } from '../documents.ts';
import { compare } from '../input.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentRule } from './kind.ts';

export const payoutDeposits: DocumentRule = {
  documents(input) {
    const out: TransactionDocument[] = [];
    const payouts = [...(input.sources.shopifyPaymentsAccount?.payouts ?? [])].sort((a, b) => compare(a.id, b.id));
    for (const payout of payouts) {
      if (payout.status !== 'PAID') continue;
      const date = localDate(payout.issuedAt, input.timeZone);
      const s = payout.summary;
      const fees = sumMoney(
        [s.chargesFee, s.refundsFee, s.adjustmentsFee, s.reservedFundsFee, s.retriedPayoutsFee].map((m) =>
          parseMoney(m.amount),
        ),
      );
      const net = parseMoney(payout.net.amount);
      const key = `payout/${numericId(payout.id)}`;
      if (payout.transactionType === 'WITHDRAWAL' || net < 0n) {
        const amount = net < 0n ? -net : net;
        out.push({
          kind: 'journalEntry',
          key,
          date,
          refNumber: refNumberFor(numericId(payout.id), key),
          purpose: 'payoutWithdrawal',
          memo: `Shopify Payments withdrawal ${numericId(payout.id)}`,
          lines: [
            {
              category: 'shopifyPaymentsClearing',
              side: 'debit',
              amount,
              memo: 'Shopify Payments withdrawal',
              classKey: null,
            },
            { category: 'payoutBank', side: 'credit', amount, memo: 'Shopify Payments withdrawal', classKey: null },
          ],
        });
        continue;
      }
      const lines: DepositLine[] = [
        { category: 'shopifyPaymentsClearing', amount: net + fees, memo: 'Shopify Payments payout (gross)' },
      ];
      if (fees !== 0n) lines.push({ category: 'paymentProcessingFees', amount: -fees, memo: 'Shopify Payments fees' });
      out.push({
        kind: 'deposit',
        key,
        date,
        depositTo: 'payoutBank',
        memo: `Shopify Payments payout ${numericId(payout.id)}`,
        lines,
      });
    }
    return out;
  },
};
