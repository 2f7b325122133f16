/**
 * Sales Receipt: a sale paid at the time of sale, or a refund or exchange in which money moved (negative lines).
 * Debits `depositTo` (the main tender's clearing account) with the total; each line credits its category.
 */
import { type Money, sumMoney } from '../../domain/index.ts';
import type { SalesReceiptAdd } from '../../qbxml/index.ts';
import { clearingCategoryFor } from '../accounts.ts';
import type { SalesReceiptDocument } from '../documents.ts';
import { paymentMethodKey, tenderItemKey } from '../fragments.ts';
import { compare } from '../input.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentKind, Planned } from './kind.ts';
import { moneyOf, negated, type SalesDraft, salesDocuments, salesLine } from './sales-document.ts';

function receiptOf({ base, lines, fragments }: SalesDraft): SalesReceiptDocument {
  const first = fragments[0]!;
  const tenders = [...moneyOf(fragments)]
    .filter(([, m]) => m !== 0n)
    .sort(([ga, a], [gb, b]) => {
      const aa = a < 0n ? -a : a;
      const bb = b < 0n ? -b : b;
      return aa === bb ? compare(ga, gb) : aa > bb ? -1 : 1;
    });
  const primary = tenders[0]?.[0] ?? 'manual';
  // Split tenders: the main tender is the receipt's "deposit to" account; each other tender is a line on its
  // own tender item that moves its share to its gateway's clearing account.
  for (const [gateway, amount] of tenders.slice(1)) {
    lines.push({
      item: tenderItemKey(gateway),
      description: amount > 0n ? `Paid by ${gateway}` : `Refunded to ${gateway}`,
      quantity: null,
      amount: -amount,
      category: clearingCategoryFor(gateway),
      classKey: first.classKey,
    });
  }
  return {
    kind: 'salesReceipt',
    ...base,
    lines,
    depositTo: clearingCategoryFor(primary),
    paymentMethod: tenders.length > 0 ? paymentMethodKey(primary) : null,
  };
}

function total(document: SalesReceiptDocument): Money {
  return sumMoney(document.lines.map((l) => l.amount));
}

export const salesReceipt: DocumentKind<SalesReceiptDocument> = {
  priority: 40,
  documents: (input) => salesDocuments(input, 'receipt', receiptOf),
  plan(document, ctx) {
    ctx.need(document.customer);
    ctx.need(document.classKey);
    const add: SalesReceiptAdd<Planned> = { CustomerRef: ctx.ref(document.customer) };
    if (document.classKey) add.ClassRef = ctx.ref(document.classKey);
    add.TxnDate = document.date;
    add.RefNumber = document.refNumber;
    add.Memo = document.memo;
    if (document.paymentMethod) {
      ctx.need(document.paymentMethod);
      add.PaymentMethodRef = ctx.ref(document.paymentMethod);
    }
    add.DepositToAccountRef = ctx.account(document.depositTo);
    ctx.needAccount(document.depositTo);
    add.ExternalGUID = ctx.guid;
    add.SalesReceiptLineAdd = document.lines.map((line) => salesLine(line, ctx, 'SalesReceiptLineAdd', true));
    return { message: 'SalesReceiptAdd', body: { SalesReceiptAdd: add } };
  },
  ledger(document, post) {
    post(document.depositTo, total(document));
    for (const line of document.lines) post(line.category, -line.amount);
  },
  total,
  reversal: (posted, key, date) => ({
    ...posted,
    key,
    date,
    memo: `Reverses ${posted.memo}`,
    refNumber: refNumberFor(`${posted.refNumber}-V`, key),
    lines: negated(posted.lines),
  }),
};
