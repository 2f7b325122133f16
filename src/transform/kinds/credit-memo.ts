/**
 * Credit Memo: goods or money given back without money moving (a return credited to the customer, a cancelled
 * unpaid order). Credits accounts receivable with the total; each (positive) line debits its category.
 */
import { type Money, sumMoney } from '../../domain/index.ts';
import type { CreditMemoAdd } from '../../qbxml/index.ts';
import type { CreditMemoDocument, InvoiceDocument } from '../documents.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentKind, Planned } from './kind.ts';
import { negated, salesDocuments, salesLine } from './sales-document.ts';

function total(document: CreditMemoDocument): Money {
  return sumMoney(document.lines.map((l) => l.amount));
}

export const creditMemo: DocumentKind<CreditMemoDocument> = {
  priority: 30,
  documents: (input) =>
    salesDocuments(input, 'credit', ({ base, lines }): CreditMemoDocument | InvoiceDocument => {
      // An exchange that added more than it took back, with no money moving, leaves the customer owing.
      if (sumMoney(lines.map((l) => l.amount)) > 0n) return { kind: 'invoice', ...base, lines };
      return { kind: 'creditMemo', ...base, lines: negated(lines) };
    }),
  plan(document, ctx) {
    ctx.need(document.customer);
    ctx.need(document.classKey);
    const add: CreditMemoAdd<Planned> = { CustomerRef: ctx.ref(document.customer) };
    if (document.classKey) add.ClassRef = ctx.ref(document.classKey);
    add.ARAccountRef = ctx.account('accountsReceivable');
    ctx.needAccount('accountsReceivable');
    add.TxnDate = document.date;
    add.RefNumber = document.refNumber;
    add.Memo = document.memo;
    add.ExternalGUID = ctx.guid;
    add.CreditMemoLineAdd = document.lines.map((line) => salesLine(line, ctx, 'CreditMemoLineAdd', true));
    return { message: 'CreditMemoAdd', body: { CreditMemoAdd: add } };
  },
  ledger(document, post) {
    post('accountsReceivable', -total(document));
    for (const line of document.lines) post(line.category, line.amount);
  },
  total,
  reversal: (posted, key, date) => ({
    ...posted,
    kind: 'invoice',
    key,
    date,
    memo: `Reverses ${posted.memo}`,
    refNumber: refNumberFor(`${posted.refNumber}-V`, key),
  }),
};
