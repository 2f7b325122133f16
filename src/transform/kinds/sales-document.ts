/**
 * What the four sales kinds (sales receipt, invoice, credit memo, sales order) share: their documents are cut from
 * sales fragments (one per fragment in Detailed mode, one per day, location and group in Summary mode), and their
 * lines are written the same way.
 */
import type { Money } from '../../domain/index.ts';
import type { InvoiceLineAdd, SalesOrderLineAdd } from '../../qbxml/index.ts';
import type { SalesLine, TransactionDocument } from '../documents.ts';
import { type SalesFragment, type SalesFragmentKind, SERVICE_ITEMS } from '../fragments.ts';
import type { TransformInput } from '../input.ts';
import { refNumberFor } from '../names.ts';
import type { PlanContext, Planned } from './kind.ts';

/** The fields every sales document has, as the fragments give them. */
export interface SalesDraft {
  base: { key: string; date: string; refNumber: string; customer: string; classKey: string | null; memo: string };
  lines: SalesLine[];
  fragments: readonly SalesFragment[];
}

type Groups = ReadonlyMap<SalesFragmentKind, ReadonlyMap<string, SalesFragment[]>>;

/** The fragments of each document, by fragment kind and document key (a document's fragments share a kind). */
function salesGroups(input: TransformInput): Groups {
  const summary = input.settings.modes.customers === 'summary';
  const groups = new Map<SalesFragmentKind, Map<string, SalesFragment[]>>();
  for (const fragment of input.sales) {
    const key = summary ? `summary/${fragment.locationKey}/${fragment.date}/${fragment.group}` : fragment.key;
    let byKey = groups.get(fragment.kind);
    if (!byKey) {
      byKey = new Map();
      groups.set(fragment.kind, byKey);
    }
    const group = byKey.get(key);
    if (group) group.push(fragment);
    else byKey.set(key, [fragment]);
  }
  return groups;
}

const SUMMARY_PREFIX = { sales: 'S', refunds: 'R', invoices: 'I', credits: 'C', 'sales-orders': 'O' } as const;

/**
 * The documents made from the fragments of one kind. QuickBooks needs at least one line: a day whose sales and
 * refunds cancel line by line posts nothing.
 */
export function salesDocuments(
  input: TransformInput,
  kind: SalesFragmentKind,
  assemble: (draft: SalesDraft) => TransactionDocument & { lines: readonly unknown[] },
): TransactionDocument[] {
  const summary = input.settings.modes.customers === 'summary';
  const out: TransactionDocument[] = [];
  for (const [key, group] of input.derived(salesGroups).get(kind) ?? []) {
    const first = group[0]!;
    let lines: SalesLine[] = group.flatMap((f) => f.lines);
    if (summary) lines = mergeLines(lines);
    const refNumber = summary
      ? refNumberFor(`${SUMMARY_PREFIX[first.group]}${first.date.slice(2).replace(/-/g, '')}`, key)
      : refNumberFor(first.refText, key);
    const memo = summary
      ? `Shopify ${first.group} ${first.date}: ${group.length} order(s) — ${group.map((f) => f.refText).join(', ')}`.slice(
          0,
          4000,
        )
      : first.memo;
    const base = { key, date: first.date, refNumber, customer: first.customer, classKey: first.classKey, memo };
    const document = assemble({ base, lines, fragments: group });
    if (document.lines.length > 0) out.push(document);
  }
  return out;
}

/** Money by gateway over fragments (positive = received). */
export function moneyOf(fragments: readonly SalesFragment[]): Map<string, Money> {
  const money = new Map<string, Money>();
  for (const fragment of fragments) for (const [g, m] of fragment.money) money.set(g, (money.get(g) ?? 0n) + m);
  return money;
}

/** Lines with the opposite sign: what a credit memo carries for a credit fragment, or a reversal. */
export function negated(lines: readonly SalesLine[]): SalesLine[] {
  return lines.map((l) => ({ ...l, amount: -l.amount, quantity: l.quantity === null ? null : -l.quantity }));
}

/** Summary lines: one per item, account and class; quantities and amounts added up. */
function mergeLines(lines: SalesLine[]): SalesLine[] {
  const merged = new Map<string, SalesLine>();
  for (const line of lines) {
    const id = `${line.item}|${line.category}|${line.classKey ?? ''}|${line.item === SERVICE_ITEMS.salesTax ? line.description : ''}|${Math.sign(Number(line.amount))}`;
    const existing = merged.get(id);
    if (!existing) {
      merged.set(id, { ...line, description: summaryDescription(line) });
      continue;
    }
    existing.amount += line.amount;
    existing.quantity = existing.quantity === null || line.quantity === null ? null : existing.quantity + line.quantity;
  }
  return [...merged.values()].filter((l) => l.amount !== 0n || (l.quantity ?? 0) !== 0);
}

function summaryDescription(line: SalesLine): string {
  if (line.item === SERVICE_ITEMS.salesTax) return line.description;
  if (line.category === 'returns') return 'Returned goods';
  if (line.item === SERVICE_ITEMS.discount) return 'Discounts';
  if (line.item === SERVICE_ITEMS.shipping) return line.amount < 0n ? 'Shipping refunded' : 'Shipping';
  if (line.item === SERVICE_ITEMS.tip) return 'Tips';
  if (line.item === SERVICE_ITEMS.giftCard) return line.amount < 0n ? 'Gift cards refunded' : 'Gift cards sold';
  if (line.item === SERVICE_ITEMS.overShort) return 'Cash rounding / over-short';
  if (line.item === SERVICE_ITEMS.duties) return line.amount < 0n ? 'Duties refunded' : 'Duties';
  if (line.item === SERVICE_ITEMS.additionalFee) return 'Additional fees';
  return line.description.startsWith('Returned')
    ? 'Returned goods'
    : line.item.startsWith('item/variant/')
      ? line.description
      : 'Sales';
}

/**
 * A sales line's body: the fields every sales line type has (SalesOrderLineAdd has no account override), plus the
 * override where the line posts to another account than its item's (returned goods post to returns).
 */
export type SalesLineBody = Pick<SalesOrderLineAdd<Planned>, 'ItemRef' | 'Desc' | 'Quantity' | 'ClassRef' | 'Amount'> &
  Pick<InvoiceLineAdd<Planned>, 'OverrideItemAccountRef'>;

/** Writes a sales line; `element` names the line type in the error when it cannot carry an override. */
export function salesLine(line: SalesLine, ctx: PlanContext, element: string, mayOverride: boolean): SalesLineBody {
  ctx.need(line.item);
  ctx.need(line.classKey);
  ctx.needAccount(line.category);
  const item = ctx.record(line.item);
  const itemCategory = item?.kind === 'item' ? item.category : line.category;
  const needsOverride = line.category !== itemCategory;
  if (needsOverride && !mayOverride) ctx.fail(`${ctx.key}: ${element} cannot override the item's account`);
  const body: SalesLineBody = { ItemRef: ctx.ref(line.item), Desc: line.description };
  if (line.quantity !== null) body.Quantity = line.quantity;
  if (line.classKey) body.ClassRef = ctx.ref(line.classKey);
  body.Amount = line.amount;
  if (needsOverride) body.OverrideItemAccountRef = ctx.account(line.category);
  return body;
}
