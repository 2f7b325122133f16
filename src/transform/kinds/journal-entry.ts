/**
 * Journal Entry: debits and credits named line by line. The connector's journal entries come from several rules —
 * cost of goods sold (`cogs-journal.ts`), stock adjustments (`inventory-adjustment.ts`), Shopify Payments
 * withdrawals (`payout-deposit.ts`) and the reversal of an edited payment — and are all written the same way.
 */
import { sumMoney } from '../../domain/index.ts';
import type { JournalDebitLine } from '../../qbxml/index.ts';
import type { JournalEntryDocument, JournalLine } from '../documents.ts';
import type { DocumentKind, PlanContext, Planned } from './kind.ts';

function lineBody(line: JournalLine, ctx: PlanContext): JournalDebitLine<Planned> {
  ctx.needAccount(line.category);
  ctx.need(line.classKey);
  ctx.need(line.entity);
  const body: JournalDebitLine<Planned> = {
    AccountRef: ctx.account(line.category),
    Amount: line.amount,
    Memo: line.memo,
  };
  // QuickBooks requires a name on accounts receivable and payable lines.
  if (line.entity) body.EntityRef = ctx.ref(line.entity);
  if (line.classKey) body.ClassRef = ctx.ref(line.classKey);
  return body;
}

export const journalEntry: DocumentKind<JournalEntryDocument> = {
  priority: 5,
  plan(document, ctx) {
    return {
      message: 'JournalEntryAdd',
      body: {
        JournalEntryAdd: {
          TxnDate: document.date,
          RefNumber: document.refNumber,
          Memo: document.memo,
          ExternalGUID: ctx.guid,
          JournalDebitLine: document.lines.filter((l) => l.side === 'debit').map((l) => lineBody(l, ctx)),
          JournalCreditLine: document.lines.filter((l) => l.side === 'credit').map((l) => lineBody(l, ctx)),
        },
      },
    };
  },
  ledger(document, post) {
    for (const line of document.lines) post(line.category, line.side === 'debit' ? line.amount : -line.amount);
  },
  total: (document) => sumMoney(document.lines.filter((l) => l.side === 'debit').map((l) => l.amount)),
  reversal: (posted, key, date) => ({
    ...posted,
    key,
    date,
    memo: `Reverses ${posted.memo}`,
    lines: posted.lines.map((l): JournalLine => ({ ...l, side: l.side === 'debit' ? 'credit' : 'debit' })),
  }),
};
