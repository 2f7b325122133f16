/**
 * Orders edited after their document was posted. The choice: post the difference, never replace. QuickBooks keeps
 * what was posted (an accountant may already have reconciled or filed that period), and the change lands on the
 * date of the edit — as Shopify's Finance reports book order edits. Posted + adjustments always equals the current
 * document, so nothing is counted twice.
 *
 * Same document kind and same deposit account: one adjustment document with the changed lines only. Otherwise (an
 * invoice that became a sales receipt, a different main tender): a reversal of what was posted, then the current
 * document in full, both dated on the edit.
 */
import { sumMoney } from '../domain/index.ts';
import type { SalesLine, TransactionDocument } from './documents.ts';
import { documentKind } from './kinds/registry.ts';
import { refNumberFor } from './names.ts';

export interface EditContext {
  /** YYYY-MM-DD of the edit (the order's updatedAt in the shop's time zone). */
  date: string;
  /** 1 for the first edit of this document, 2 for the next… (the outbox counts them). */
  sequence: number;
}

type SalesDocument = Extract<TransactionDocument, { kind: 'salesReceipt' | 'invoice' | 'creditMemo' | 'salesOrder' }>;

function lineId(line: SalesLine): string {
  return `${line.item}|${line.category}|${line.classKey ?? ''}|${line.description}`;
}

function diffLines(posted: SalesLine[], current: SalesLine[]): SalesLine[] {
  const out = new Map<string, SalesLine>();
  for (const line of current) {
    const existing = out.get(lineId(line));
    if (existing) {
      existing.amount += line.amount;
      existing.quantity =
        existing.quantity === null || line.quantity === null ? null : existing.quantity + line.quantity;
    } else out.set(lineId(line), { ...line });
  }
  for (const line of posted) {
    const existing = out.get(lineId(line));
    const quantity = line.quantity === null ? null : -line.quantity;
    if (existing) {
      existing.amount -= line.amount;
      existing.quantity = existing.quantity === null || quantity === null ? null : existing.quantity + quantity;
    } else out.set(lineId(line), { ...line, amount: -line.amount, quantity });
  }
  return [...out.values()].filter((l) => l.amount !== 0n || (l.quantity ?? 0) !== 0);
}

function isSales(d: TransactionDocument): d is SalesDocument {
  return d.kind === 'salesReceipt' || d.kind === 'invoice' || d.kind === 'creditMemo' || d.kind === 'salesOrder';
}

/** The document that undoes `posted`, dated `date` (each kind says how; null when it posted nothing). */
export function reversalOf(posted: TransactionDocument, key: string, date: string): TransactionDocument | null {
  const kind = documentKind(posted);
  if (!kind.reversal) throw new Error(`Edits of ${posted.kind} documents are not posted as differences`);
  return kind.reversal(posted, key, date);
}

/**
 * The key of the sales order a sale document replaces: an order posted open (`order/<id>/sales-order`) and later
 * fulfilled becomes `order/<id>/sale` (an invoice, linked to the sales order so QuickBooks closes it, or a sales
 * receipt). Null for every other key; Summary documents group many orders, so a day's sales orders have no one
 * document that replaces them.
 */
export function replacedSalesOrderKey(saleKey: string): string | null {
  const match = /^order\/([^/]+)\/sale$/.exec(saleKey);
  return match ? `order/${match[1]}/sales-order` : null;
}

/**
 * The key of the document an adjustment corrects: `editAdjustments` keys what it posts `<key>/edit/<n>` (the
 * difference, or the document again in full) and `<key>/edit/<n>/reversal`, dated the day the change was seen while
 * `<key>` keeps its own day. Null for every other key. What the reconciliation uses to count an adjustment on the
 * day it corrects.
 */
export function correctedKey(key: string): string | null {
  const match = /^(.+)\/edit\/\d+(?:\/reversal)?$/.exec(key);
  return match ? match[1]! : null;
}

/**
 * The documents that take QuickBooks from `posted` to `current` (null: the source no longer makes a document).
 * Empty when nothing that posts has changed.
 */
export function editAdjustments(
  posted: TransactionDocument,
  current: TransactionDocument | null,
  edit: EditContext,
): TransactionDocument[] {
  if (current === null) {
    // The document no longer exists (every line removed): undo what was posted.
    const reversal = reversalOf(posted, `${posted.key}/edit/${edit.sequence}/reversal`, edit.date);
    return reversal ? [reversal] : [];
  }
  const base = `${current.key}/edit/${edit.sequence}`;
  if (
    isSales(posted) &&
    isSales(current) &&
    posted.kind === current.kind &&
    (posted.kind !== 'salesReceipt' || (current.kind === 'salesReceipt' && posted.depositTo === current.depositTo))
  ) {
    const lines = diffLines(posted.lines, current.lines);
    if (lines.length === 0) return [];
    const memo = `Change to ${current.memo} (edited in Shopify)`;
    const adjusted = {
      ...current,
      key: base,
      date: edit.date,
      memo,
      refNumber: refNumberFor(`${current.refNumber}-E${edit.sequence}`, base),
      lines,
    };
    if (current.kind === 'invoice' && sumMoney(lines.map((l) => l.amount)) < 0n) {
      // Less owed than invoiced: QuickBooks wants a credit memo, not a negative invoice.
      return [
        {
          ...adjusted,
          kind: 'creditMemo',
          lines: lines.map((l) => ({ ...l, amount: -l.amount, quantity: l.quantity === null ? null : -l.quantity })),
        },
      ];
    }
    return [adjusted as TransactionDocument];
  }
  const reversal = reversalOf(posted, `${base}/reversal`, edit.date);
  return [...(reversal ? [reversal] : []), { ...current, key: base, date: edit.date }];
}
