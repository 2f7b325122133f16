/** Posted-document reconciliation: what this sync adds, adjusts, replaces or takes back in QuickBooks. */

import { documentHash, loadPostedDocuments, type PostedDocument, serializeDocument } from '../integration/index.ts';
import { cancelEntry, type EnqueueInput, getEntryByKey } from '../outbox/index.ts';
import { removalInput } from '../plan/index.ts';
import { findMappingBySource, type Queryable } from '../storage/index.ts';
import { editAdjustments, replacedSalesOrderKey, type TransactionDocument } from '../transform/index.ts';

/** The content hash of a document the connector took back: never considered again. */
const REMOVED = 'removed';

interface PostedChanges {
  toPlan: TransactionDocument[];
  toSave: { document: TransactionDocument; serialized: string; contentHash: string; editSequence: number }[];
  extra: EnqueueInput[];
  notes: { code: string; message: string }[];
  /** Invoice key → the sales order it converts (planRequests links them). */
  salesOrderOf: Map<string, string>;
}

/**
 * Compares the documents of this sync with the versions planned before. New ones are planned as they are; an
 * unchanged one adds nothing; a changed one (an order edited or fulfilled after it was posted) posts only the
 * difference, dated today (`editAdjustments`: posted + differences = current, so nothing is counted twice). A
 * sales order replaced by the order's invoice is linked from it when the invoice sells just its lines, else it is
 * closed like one replaced by a receipt (it posted nothing; left open it would still show as an open order), and a
 * deposit taken while the order was open is taken back once the final document
 * carries the payment; either is cancelled instead if it was never sent. Payments are replaced, not adjusted.
 */
export async function reconcilePosted(
  q: Queryable,
  companyFileId: string,
  documents: readonly TransactionDocument[],
  today: string,
): Promise<PostedChanges> {
  const before = await loadPostedDocuments(q, companyFileId);
  const changes: PostedChanges = { toPlan: [], toSave: [], extra: [], notes: [], salesOrderOf: new Map() };
  const seen = new Set<string>(documents.map((d) => d.key));
  const invoiced = new Set<string>();
  for (const document of documents) {
    const serialized = serializeDocument(document);
    const contentHash = documentHash(serialized);
    const previous = before.get(document.key);
    if (!previous) {
      const salesOrder = await linkableSalesOrder(q, companyFileId, document, before);
      if (salesOrder) {
        changes.salesOrderOf.set(document.key, salesOrder);
        invoiced.add(salesOrder);
      }
      changes.toPlan.push(document);
      changes.toSave.push({ document, serialized, contentHash, editSequence: 0 });
      continue;
    }
    if (previous.contentHash === contentHash) continue;
    const editSequence = previous.editSequence + 1;
    changes.toSave.push({ document, serialized, contentHash, editSequence });
    if (previous.contentHash === REMOVED) {
      // Taken back earlier and wanted again: post it in full under a new key.
      changes.toPlan.push({ ...document, key: `${document.key}/edit/${editSequence}` });
      continue;
    }
    if (previous.document.kind === 'receivePayment') {
      // A payment is replaced, not adjusted: QuickBooks has no negative payment to post a difference with.
      const removal = await removeFromQuickBooks(
        q,
        companyFileId,
        livePaymentKey(previous),
        'ReceivePayment',
        editSequence,
      );
      if (removal.input) changes.extra.push(removal.input);
      if (removal.note) {
        // The one to replace is still on its way to QuickBooks: posting the new one now would count the payment
        // twice. Both wait for the next sync, which replaces it once it has arrived.
        changes.notes.push(removal.note);
        changes.toSave.pop();
        continue;
      }
      changes.toPlan.push({ ...document, key: `${document.key}/edit/${editSequence}` });
      continue;
    }
    if (!canAdjust(previous.document.kind)) {
      // No reversal exists for these (QuickBooks has no negative deposit, item receipt or purchase order): the change is shown and
      // not saved, so it is shown again until someone deals with it — and the rest of the sync still goes out.
      changes.toSave.pop();
      changes.notes.push({
        code: 'POSTED_DOCUMENT_CHANGED',
        message: `${document.key}: this ${previous.document.kind} changed in Shopify after it was posted; the connector does not post changes to it. Correct it in QuickBooks.`,
      });
      continue;
    }
    changes.toPlan.push(...editAdjustments(previous.document, document, { date: today, sequence: editSequence }));
    if (previous.document.kind === 'salesOrder' && document.kind !== 'salesOrder') {
      // editAdjustments posts the current document in full under `<key>/edit/<n>` (a sales order has no reversal).
      await replaceSalesOrder(q, companyFileId, previous.document.key, previous.editSequence, changes);
    }
  }
  for (const [key, previous] of before) {
    if (seen.has(key) || previous.contentHash === REMOVED) continue;
    if (previous.document.kind === 'receivePayment') {
      const editSequence = previous.editSequence + 1;
      const removal = await removeFromQuickBooks(
        q,
        companyFileId,
        livePaymentKey(previous),
        'ReceivePayment',
        editSequence,
      );
      if (removal.input) changes.extra.push(removal.input);
      if (removal.note) {
        // Still on its way to QuickBooks: kept as posted, so the next sync takes it back once it has arrived.
        changes.notes.push(removal.note);
        continue;
      }
      changes.toSave.push({
        document: previous.document,
        serialized: serializeDocument(previous.document),
        contentHash: REMOVED,
        editSequence,
      });
      continue;
    }
    if (previous.document.kind === 'salesOrder' && invoiced.has(key)) {
      // Invoiced by the order's invoice, which links to it: QuickBooks marks it invoiced and no longer open.
      changes.toSave.push({
        document: previous.document,
        serialized: serializeDocument(previous.document),
        contentHash: REMOVED,
        editSequence: previous.editSequence + 1,
      });
      continue;
    }
    if (previous.document.kind === 'salesOrder') {
      // A sales order posts nothing, so taking it back cannot double anything; left, it shows as open for good (a
      // Summary day's sales order once every order of that day is fulfilled, or one whose sale is dated today).
      // Replaced by the order's sale, or gone with every order of a Summary day; one still on its way to QuickBooks
      // stays as posted, so the next sync takes it back once it has arrived.
      const editSequence = previous.editSequence + 1;
      if (!(await replaceSalesOrder(q, companyFileId, key, previous.editSequence, changes))) continue;
      changes.toSave.push({
        document: previous.document,
        serialized: serializeDocument(previous.document),
        contentHash: REMOVED,
        editSequence,
      });
      continue;
    }
    // Never reversed automatically: a document the data no longer yields is shown, not guessed at.
    changes.notes.push({
      code: 'DOCUMENT_NO_LONGER_PRODUCED',
      message: `${key}: Shopify's data no longer produces this document; what was posted stays in QuickBooks.`,
    });
  }
  return changes;
}

/**
 * Kinds whose change after posting `editAdjustments` can post (it has a reversal or a difference for them). A
 * purchase order has neither: editAdjustments would add the whole changed order again next to the first, which the
 * receipts (linked to the first) never close.
 */
function canAdjust(kind: TransactionDocument['kind']): boolean {
  return kind !== 'deposit' && kind !== 'itemReceipt' && kind !== 'bill' && kind !== 'purchaseOrder';
}

/**
 * The outbox key of the payment QuickBooks holds for a posted payment document: a payment is replaced whole, so
 * after edit n (or after it was taken back and wanted again at edit n) the one in QuickBooks is `<key>/edit/<n>`.
 */
function livePaymentKey(posted: PostedDocument): string {
  return posted.editSequence === 0 ? posted.key : `${posted.key}/edit/${posted.editSequence}`;
}

/**
 * The sales order an order's new invoice converts, when the invoice can link to it (InvoiceAdd LinkToTxnID): the
 * order was posted open as one sales order that QuickBooks has (no edits after it), and the invoice sells exactly
 * its lines to the same customer. QuickBooks then brings the order's lines into the invoice — the invoice sends
 * none of its own, which would count the sale twice — and marks the order invoiced. Anything else is not linked:
 * the invoice carries its lines and the sales order is closed (`replaceSalesOrder`).
 */
async function linkableSalesOrder(
  q: Queryable,
  companyFileId: string,
  document: TransactionDocument,
  before: ReadonlyMap<string, PostedDocument>,
): Promise<string | null> {
  if (document.kind !== 'invoice') return null;
  const key = replacedSalesOrderKey(document.key);
  const posted = key === null ? undefined : before.get(key);
  if (!posted || posted.contentHash === REMOVED || posted.editSequence !== 0) return null;
  const order = posted.document;
  if (order.kind !== 'salesOrder' || order.customer !== document.customer || order.classKey !== document.classKey)
    return null;
  if (linesOf(order) !== linesOf(document)) return null;
  const entry = await getEntryByKey(q, companyFileId, order.key);
  return entry?.request.type === 'SalesOrderAdd' && entry.state === 'applied' && entry.quickbooksId ? order.key : null;
}

function linesOf(document: TransactionDocument & { lines: readonly unknown[] }): string {
  return JSON.stringify(document.lines, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/**
 * The sales order `salesOrderKey` is replaced by the order's final document without being linked to it (a sales
 * receipt, or an invoice whose lines differ from the order's): it is closed in QuickBooks (SalesOrderMod
 * IsManuallyClosed) — it posted nothing, and closed it no longer shows as open — or cancelled if it was never sent.
 */
async function replaceSalesOrder(
  q: Queryable,
  companyFileId: string,
  salesOrderKey: string,
  postedEdits: number,
  changes: PostedChanges,
): Promise<boolean> {
  const editSequence = postedEdits + 1;
  let settled = true;
  // An open order edited before it was fulfilled has a sales order per edit (`<key>/edit/<n>`, the changed lines):
  // they go with it, or each stays open in QuickBooks.
  const keys = [salesOrderKey];
  for (let n = 1; n <= postedEdits; n++) keys.push(`${salesOrderKey}/edit/${n}`);
  for (const key of keys) {
    const closing = await removeFromQuickBooks(q, companyFileId, key, 'SalesOrder', editSequence);
    if (closing.input) changes.extra.push(closing.input);
    if (closing.note) {
      changes.notes.push(closing.note);
      settled = false;
    }
  }
  return settled;
}

/**
 * Takes back a document the connector posted and the data no longer wants as it was: a sales order replaced by a
 * sales receipt, or a customer deposit (a payment taken on an open order) that the order's final document now
 * carries itself — left in place, the money would be counted twice. When QuickBooks has it (only the connector's
 * own documents, found by the TxnID it recorded) the sales order is closed and the payment deleted (TxnDel);
 * either is cancelled when it was never sent.
 */
async function removeFromQuickBooks(
  q: Queryable,
  companyFileId: string,
  key: string,
  txnDelType: 'SalesOrder' | 'ReceivePayment',
  editSequence: number,
): Promise<{ input?: EnqueueInput; note?: { code: string; message: string } }> {
  const entry = await getEntryByKey(q, companyFileId, key);
  // Only what was added as that kind: a TxnDel of another kind's TxnID would be answered "not found".
  if (entry?.request.type !== `${txnDelType}Add`) return {};
  if (entry.state === 'applied' && entry.quickbooksId) {
    // A sales order is closed with a Mod, which needs the EditSequence QuickBooks gave it last.
    const mapping = entry.source
      ? await findMappingBySource(q, companyFileId, entry.source.kind, entry.source.id)
      : null;
    const target = { type: txnDelType, txnId: entry.quickbooksId, editSequence: mapping?.editSequence ?? null };
    return { input: removalInput(companyFileId, key, target, editSequence) };
  }
  if (
    entry.state === 'pending' ||
    entry.state === 'retry_wait' ||
    entry.state === 'needs_attention' ||
    entry.state === 'failed'
  ) {
    await cancelEntry(q, entry.id, { actor: 'system', now: new Date() });
    return {};
  }
  // Cancelled (by the merchant, or by an earlier run that stopped before saving): it never reached QuickBooks.
  if (entry.state === 'cancelled') return {};
  return {
    note: {
      code: txnDelType === 'SalesOrder' ? 'SALES_ORDER_LEFT_OPEN' : 'DEPOSIT_LEFT_IN_PLACE',
      message:
        txnDelType === 'SalesOrder'
          ? `${key}: the sales order was being sent while the order was fulfilled; the next sync closes it once it has arrived in QuickBooks.`
          : `${key}: the payment was being sent while its order changed; the next sync takes it back (and posts the new one, if any) once it has arrived in QuickBooks.`,
    },
  };
}
