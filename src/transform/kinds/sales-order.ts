/**
 * Sales Order: an order not yet fulfilled. Non-posting in QuickBooks (QuickBooks' open sales orders report shows
 * it); replaced by the order's invoice or sales receipt once the goods have gone.
 */
import { type Money, sumMoney } from '../../domain/index.ts';
import type { SalesOrderAdd } from '../../qbxml/index.ts';
import type { SalesOrderDocument } from '../documents.ts';
import type { DocumentKind, Planned } from './kind.ts';
import { salesDocuments, salesLine } from './sales-document.ts';

export const salesOrder: DocumentKind<SalesOrderDocument> = {
  priority: 50,
  documents: (input) =>
    salesDocuments(input, 'salesOrder', ({ base, lines }) => ({ kind: 'salesOrder', ...base, lines })),
  plan(document, ctx) {
    ctx.need(document.customer);
    ctx.need(document.classKey);
    const add: SalesOrderAdd<Planned> = { CustomerRef: ctx.ref(document.customer) };
    if (document.classKey) add.ClassRef = ctx.ref(document.classKey);
    add.TxnDate = document.date;
    add.RefNumber = document.refNumber;
    add.Memo = document.memo;
    add.ExternalGUID = ctx.guid;
    add.SalesOrderLineAdd = document.lines.map((line) => salesLine(line, ctx, 'SalesOrderLineAdd', false));
    return { message: 'SalesOrderAdd', body: { SalesOrderAdd: add } };
  },
  ledger() {},
  total: (document): Money => sumMoney(document.lines.map((l) => l.amount)),
  reversal: () => null,
};
