/**
 * Receive Payment: money received against accounts receivable — a later payment for an invoiced order, or a
 * deposit taken on an open order (left as the customer's credit until the order's invoice takes it). Debits
 * `depositTo`, credits accounts receivable.
 */
import { sumMoney } from '../../domain/index.ts';
import { clearingCategoryFor } from '../accounts.ts';
import type { ReceivePaymentDocument, TransactionDocument } from '../documents.ts';
import { type PaymentFragment, paymentMethodKey } from '../fragments.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentKind } from './kind.ts';

export const receivePayment: DocumentKind<ReceivePaymentDocument> = {
  priority: 20,
  documents(input) {
    const summary = input.settings.modes.customers === 'summary';
    const groups = new Map<string, PaymentFragment[]>();
    for (const payment of input.payments) {
      const key = summary
        ? `summary/${payment.locationKey}/${payment.date}/${payment.apply === 'auto' ? 'payments' : 'deposits'}/${payment.gateway}`
        : payment.key;
      const group = groups.get(key);
      if (group) group.push(payment);
      else groups.set(key, [payment]);
    }
    const out: TransactionDocument[] = [];
    for (const [key, group] of groups) {
      const first = group[0]!;
      out.push({
        kind: 'receivePayment',
        key,
        date: first.date,
        refNumber: summary
          ? refNumberFor(`P${first.date.slice(2).replace(/-/g, '')}`, key)
          : refNumberFor(first.refText, key),
        customer: first.customer,
        amount: sumMoney(group.map((p) => p.amount)),
        depositTo: clearingCategoryFor(first.gateway),
        paymentMethod: paymentMethodKey(first.gateway),
        apply: first.apply,
        memo: summary
          ? `${first.apply === 'auto' ? 'Payments' : 'Deposits on open orders'} by ${first.gateway}, ${group.length} Shopify order(s)`
          : first.memo,
      });
    }
    return out;
  },
  plan(document, ctx) {
    ctx.need(document.customer);
    ctx.need(document.paymentMethod);
    ctx.needAccount('accountsReceivable');
    ctx.needAccount(document.depositTo);
    return {
      message: 'ReceivePaymentAdd',
      body: {
        ReceivePaymentAdd: {
          CustomerRef: ctx.ref(document.customer),
          ARAccountRef: ctx.account('accountsReceivable'),
          TxnDate: document.date,
          RefNumber: document.refNumber.slice(0, 20),
          TotalAmount: document.amount,
          PaymentMethodRef: ctx.ref(document.paymentMethod),
          Memo: document.memo,
          DepositToAccountRef: ctx.account(document.depositTo),
          ExternalGUID: ctx.guid,
          // Auto-apply: QuickBooks applies the payment to the customer's oldest open invoices, which needs no
          // TxnID of an invoice that may not exist yet when this request is planned.
          IsAutoApply: document.apply === 'auto',
        },
      },
    };
  },
  ledger(document, post) {
    post(document.depositTo, document.amount);
    post('accountsReceivable', -document.amount);
  },
  total: (document) => document.amount,
  reversal(posted, key, date) {
    const memo = `Reverses ${posted.memo}`;
    // QuickBooks takes no negative payment: a journal entry puts the money back on the customer's balance.
    return {
      kind: 'journalEntry',
      key,
      date,
      memo,
      refNumber: refNumberFor(`${posted.refNumber}-V`, key),
      purpose: 'reversal',
      lines: [
        {
          category: 'accountsReceivable',
          entity: posted.customer,
          side: 'debit',
          amount: posted.amount,
          memo,
          classKey: null,
        },
        { category: posted.depositTo, side: 'credit', amount: posted.amount, memo, classKey: null },
      ],
    };
  },
};
