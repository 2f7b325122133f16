/** How `status` shows documents and warnings: a table a person reads, the same data the JSON API gives. */
import type { DocumentPage, DocumentView } from '../../documents/index.ts';
import type { SyncRun } from '../../integration/index.ts';

/** What a day's summary document sums up (the last part of its key). */
const SUMMARY_WHAT: Record<string, string> = {
  sales: 'daily sales',
  refunds: 'daily refunds',
  cogs: 'daily cost of goods sold',
  invoices: 'daily invoices',
  credits: 'daily credits',
  payments: 'daily payments',
  deposits: 'daily deposits',
  'sales-orders': 'daily open orders',
};

/** Where a document comes from, in two or three words (the Shopify order column says which order). */
function origin(key: string): string {
  const summary = /^summary\/[^/]+\/\d{4}-\d{2}-\d{2}\/([a-z-]+)/.exec(key);
  if (summary) return SUMMARY_WHAT[summary[1]!] ?? 'daily summary';
  if (key.startsWith('payout/')) return 'Shopify payout';
  if (key.startsWith('refund/')) return 'refund';
  if (key.startsWith('return/')) return 'exchange';
  if (/^order\/\d+\/(payment|deposit)\//.test(key)) return 'payment';
  if (/^order\/\d+\/cancel/.test(key)) return 'cancellation';
  if (/\/edit\/\d+/.test(key)) return 'change after posting';
  if (key.startsWith('purchase-order/') || key.startsWith('stocky-po/')) return 'purchase order';
  if (key.startsWith('receipt/')) return 'goods received';
  return '';
}

function cell(document: DocumentView): string[] {
  const from = origin(document.key);
  return [
    document.date ?? '',
    from ? `${document.label} (${from})` : document.label,
    document.shopifyOrder?.name ?? '',
    document.quickbooks ? (document.quickbooks.refNumber ?? document.quickbooks.id) : '',
    document.amount ?? '',
    document.stateLabel,
  ];
}

/** The documents as aligned columns; amounts right-aligned; the id first, for `status retry ID`. */
export function documentsTable(documents: readonly DocumentView[], currency: string): string[] {
  const header = ['Id', 'Date', 'Document', 'Shopify order', 'QuickBooks ref', `Amount ${currency}`, 'State'];
  const rows = documents.map((d) => [String(d.id), ...cell(d)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((value, i) => (i === 5 ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `status --documents` pages: the table, what the filter matched, and the command for the next page. */
export function documentPageLines(
  page: DocumentPage,
  currency: string,
  nextCommand: (cursor: string) => string,
): string[] {
  if (page.documents.length === 0) return [page.total === 0 ? 'No documents match.' : 'No more documents.'];
  const lines = documentsTable(page.documents, currency).map((l) => `  ${l}`);
  lines.push(`${page.documents.length} of ${page.total} document(s).`);
  for (const d of page.documents) {
    if (d.attention) lines.push(`  [${d.id}] ${d.attention.reason} [${d.attention.code}] ${d.attention.whatToDo}`);
  }
  if (page.nextCursor) lines.push(`Next page: ${nextCommand(page.nextCursor)}`);
  return lines;
}

/** Plain titles of the warnings a sync can leave (each message says the rest). */
const WARNING_TITLES: Record<string, string> = {
  UNIT_COST_MISSING: 'Products without a unit cost in Shopify: no cost of goods sold was posted for them',
  NEGATIVE_PAYMENT: 'Money sent back outside a refund: QuickBooks cannot record it, enter it by hand',
  RECEIVED_ITEM_NOT_ON_PO: 'Received items that are not on their purchase order: not posted',
  POSTED_DOCUMENT_CHANGED: 'Documents changed in Shopify after they were posted: correct them in QuickBooks',
  DOCUMENT_NO_LONGER_PRODUCED: 'Documents Shopify no longer produces: what was posted stays in QuickBooks',
};

/** The products named in "no unit cost" messages, with how often each was met; null if one does not parse. */
function productsWithoutCost(messages: readonly string[]): Map<string, number> | null {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const name = /"([^"]+)" has no unit cost/.exec(message)?.[1];
    if (name === undefined) return null;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** A sync's notes grouped by what they mean, a few examples each. The message's document key is dropped. */
export function warningLines(run: SyncRun, perKind = 3): string[] {
  const notes = run.summary?.notes ?? [];
  if (notes.length === 0) return [];
  const byCode = new Map<string, string[]>();
  for (const note of notes) {
    const list = byCode.get(note.code) ?? [];
    list.push(note.message.replace(/^[a-z-]+\/[^\s:]*: (?=[A-Z])/, ''));
    byCode.set(note.code, list);
  }
  const lines = [`Warnings from sync ${run.id} (${notes.length}):`];
  for (const [code, messages] of byCode) {
    const products = code === 'UNIT_COST_MISSING' ? productsWithoutCost(messages) : null;
    if (products) {
      lines.push(`  ${WARNING_TITLES[code]} — ${messages.length}:`);
      const list = [...products].map(([name, n]) => `“${name}” (${n} time${n === 1 ? '' : 's'})`);
      lines.push(`    ${list.slice(0, 8).join(', ')}${list.length > 8 ? `, and ${list.length - 8} more` : ''}.`);
      lines.push('    Add the cost to these products in Shopify to have it counted from then on.');
      continue;
    }
    lines.push(`  ${WARNING_TITLES[code] ?? code} — ${messages.length}:`);
    for (const message of messages.slice(0, perKind)) lines.push(`    ${message}`);
    if (messages.length > perKind)
      lines.push(`    … and ${messages.length - perKind} more (status --json lists them all).`);
  }
  return lines;
}
