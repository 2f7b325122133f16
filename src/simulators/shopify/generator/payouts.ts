/**
 * Shopify Payments money movement: one balance transaction per successful Shopify Payments charge or refund, and one
 * payout per day with activity, issued two days later. The ledger keeps only per-day totals, so it stays small
 * however many orders pass through it.
 */
import type {
  Money,
  Order,
  PayoutStatus,
  ShopifyPaymentsBalanceTransaction,
  ShopifyPaymentsPayout,
} from '../../../domain/index.ts';
import { formatMoney, parseMoney } from '../../../domain/index.ts';
import { gid, ID_BASE, isoFromMs, legacyId } from './catalog.ts';

const DAY = 86_400_000;

interface PayoutTotals {
  chargesGross: Money;
  chargesFee: Money;
  refundsGross: Money;
  net: Money;
}

export class PaymentsLedger {
  readonly #currency: string;
  readonly #endMs: number;
  readonly #days = new Map<number, PayoutTotals>();

  /** `endMs`: the generated shop's "now" — payouts issued after it are still on their way. */
  constructor(currency: string, endMs: number) {
    this.#currency = currency;
    this.#endMs = endMs;
  }

  /** The balance transactions of one order (charges and refunds), recording them against their payouts. */
  add(order: Order): ShopifyPaymentsBalanceTransaction[] {
    if (order.test) return []; // Test-mode payments never reach a payout.
    const out: ShopifyPaymentsBalanceTransaction[] = [];
    for (const transaction of order.transactions) {
      if (transaction.gateway !== 'shopify_payments' || transaction.status !== 'SUCCESS') continue;
      const isCharge = transaction.kind === 'SALE' || transaction.kind === 'CAPTURE';
      if (!isCharge && transaction.kind !== 'REFUND') continue;
      const amount = parseMoney(transaction.amountSet.shopMoney.amount) * (isCharge ? 1n : -1n);
      const fee = transaction.fees.reduce((sum, f) => sum + parseMoney(f.amount.amount), 0n);
      const net = amount - fee;
      const date = transaction.processedAt ?? transaction.createdAt;
      const day = Math.floor(Date.parse(date) / DAY);
      const totals = this.#days.get(day) ?? { chargesGross: 0n, chargesFee: 0n, refundsGross: 0n, net: 0n };
      if (isCharge) {
        totals.chargesGross += amount;
        totals.chargesFee += fee;
      } else {
        totals.refundsGross += amount;
      }
      totals.net += net;
      this.#days.set(day, totals);
      const status = this.#status(day);
      out.push({
        id: gid('ShopifyPaymentsBalanceTransaction', legacyId(transaction.id)),
        type: isCharge ? 'CHARGE' : 'REFUND',
        transactionDate: date,
        test: false,
        amount: this.#money(amount),
        fee: this.#money(fee),
        net: this.#money(net),
        sourceOrderTransactionId: String(legacyId(transaction.id)),
        associatedOrder: { id: order.id, name: order.name },
        associatedPayout: { id: this.#payoutId(day), status },
      });
    }
    return out;
  }

  /** Every payout so far, by issue date. */
  payouts(): ShopifyPaymentsPayout[] {
    const days = [...this.#days.keys()].sort((a, b) => a - b);
    return days.map((day) => {
      const t = this.#days.get(day)!;
      const zero = this.#money(0n);
      return {
        id: this.#payoutId(day),
        issuedAt: isoFromMs(this.#issuedMs(day)),
        status: this.#status(day),
        // A day whose refunds outweigh its charges is taken back from the bank: a withdrawal of the difference.
        transactionType: t.net >= 0n ? 'DEPOSIT' : 'WITHDRAWAL',
        net: this.#money(t.net >= 0n ? t.net : -t.net),
        summary: {
          chargesGross: this.#money(t.chargesGross),
          chargesFee: this.#money(t.chargesFee),
          refundsFeeGross: this.#money(t.refundsGross),
          refundsFee: zero,
          adjustmentsGross: zero,
          adjustmentsFee: zero,
          reservedFundsGross: zero,
          reservedFundsFee: zero,
          retriedPayoutsGross: zero,
          retriedPayoutsFee: zero,
        },
      };
    });
  }

  #issuedMs(day: number): number {
    return (day + 2) * DAY + 9 * 3_600_000;
  }

  #status(day: number): PayoutStatus {
    const issued = this.#issuedMs(day);
    if (issued <= this.#endMs) return 'PAID';
    return issued - this.#endMs <= DAY ? 'IN_TRANSIT' : 'SCHEDULED';
  }

  #payoutId(day: number): string {
    return gid('ShopifyPaymentsPayout', ID_BASE.payout + day);
  }

  #money(cents: Money): { amount: string; currencyCode: string } {
    return { amount: formatMoney(cents), currencyCode: this.#currency };
  }
}
