/**
 * Invoice: a sale posted before it was paid (payments follow as Receive Payments), or an exchange that added more
 * than it took back with no money moving. Debits accounts receivable with the total; each line credits its category.
 */
import { type Money, sumMoney } from '../../domain/index.ts';
import type { InvoiceAdd } from '../../qbxml/index.ts';
import type { InvoiceDocument } from '../documents.ts';
import { refNumberFor } from '../names.ts';
import type { DocumentKind, Planned } from './kind.ts';
import { salesDocuments, salesLine } from './sales-document.ts';

function total(document: InvoiceDocument): Money {
  return sumMoney(document.lines.map((l) => l.amount));
}

export const invoice: DocumentKind<InvoiceDocument> = {
  priority: 40,
  documents: (input) => salesDocuments(input, 'invoice', ({ base, lines }) => ({ kind: 'invoice', ...base, lines })),
  plan(document, ctx) {
    ctx.need(document.customer);
    ctx.need(document.classKey);
    const add: InvoiceAdd<Planned> = { CustomerRef: ctx.ref(document.customer) };
    if (document.classKey) add.ClassRef = ctx.ref(document.classKey);
    add.ARAccountRef = ctx.account('accountsReceivable');
    ctx.needAccount('accountsReceivable');
    add.TxnDate = document.date;
    add.RefNumber = document.refNumber;
    add.Memo = document.memo;
    add.ExternalGUID = ctx.guid;
    // Either the link or the lines, never both: QuickBooks brings a linked sales order's open lines into the
    // invoice (and marks them invoiced), so lines sent as well would sell everything twice. The plan is told of a
    // sales order only when the invoice sells exactly its lines.
    const salesOrder = ctx.salesOrderOf(document.key);
    if (salesOrder) add.LinkToTxnID = [ctx.linkTo(salesOrder)];
    else add.InvoiceLineAdd = document.lines.map((line) => salesLine(line, ctx, 'InvoiceLineAdd', true));
    return { message: 'InvoiceAdd', body: { InvoiceAdd: add } };
  },
  ledger(document, post) {
    post('accountsReceivable', total(document));
    for (const line of document.lines) post(line.category, -line.amount);
  },
  total,
  reversal: (posted, key, date) => ({
    ...posted,
    kind: 'creditMemo',
    key,
    date,
    memo: `Reverses ${posted.memo}`,
    refNumber: refNumberFor(`${posted.refNumber}-V`, key),
  }),
};
