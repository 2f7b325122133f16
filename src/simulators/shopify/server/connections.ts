/**
 * Cursor pagination and the search syntax of list queries (`orders(query: "updated_at:>'2025-01-01T00:00:00Z'")`).
 * Cursors carry the sort value and id of the last item, so an item updated between two pages moves instead of
 * shifting every later item by one, as with Shopify's own opaque cursors.
 */
import { GraphQLError } from 'graphql';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  query?: string | null;
  sortKey?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 250;

type Item = Record<string, unknown> & { id?: string };

function legacyNumber(id: unknown): number {
  if (typeof id !== 'string') return 0;
  return Number(id.slice(id.lastIndexOf('/') + 1));
}

/** Which record field a sort key orders by (Shopify's `UPDATED_AT` → `updatedAt`). */
function sortField(sortKey: string): string {
  return sortKey.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

type SortValue = string | number;

function sortValueOf(item: Item, sortKey: string | null): SortValue {
  if (!sortKey || sortKey === 'ID') return legacyNumber(item.id);
  const field = sortField(sortKey);
  // Payouts and balance transactions sort by PROCESSED_AT by default; their date field has another name.
  const value = item[field] ?? (field === 'processedAt' ? (item.issuedAt ?? item.transactionDate) : undefined);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new GraphQLError(`The Shopify simulator cannot sort by ${sortKey}: the records have no ${field}.`, {
      extensions: { code: 'NOT_MODELLED' },
    });
  }
  return value;
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new GraphQLError(`Invalid cursor for pagination: ${cursor}`, { extensions: { code: 'BAD_REQUEST' } });
  }
}

function compare(a: [SortValue, number], b: [SortValue, number]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

type Keyed<T> = { key: [SortValue, number]; item: T }[];

/** Sorted, filtered views of the top-level collections, rebuilt only when the data changes (a new `version`). */
const sortedViews = new WeakMap<object, { version: number; views: Map<string, Keyed<unknown>> }>();

function sortedView<T extends Item>(items: readonly T[], args: ConnectionArgs, version: number): Keyed<T> {
  let cache = sortedViews.get(items);
  if (!cache || cache.version !== version) {
    cache = { version, views: new Map() };
    sortedViews.set(items, cache);
  }
  const cacheKey = JSON.stringify([args.query ?? null, args.sortKey ?? null, Boolean(args.reverse)]);
  const cached = cache.views.get(cacheKey);
  if (cached) return cached as Keyed<T>;
  const filter = compileSearch(args.query ?? null);
  const keyed: Keyed<T> = items
    .filter(filter)
    .map((item) => ({ key: [sortValueOf(item, args.sortKey ?? null), legacyNumber(item.id)], item }));
  keyed.sort((a, b) => compare(a.key, b.key));
  if (args.reverse) keyed.reverse();
  cache.views.set(cacheKey, keyed);
  return keyed;
}

/** First index in [0, length) whose key satisfies `test`, given that `test` is false then true along the list. */
function firstWhere<T>(keyed: Keyed<T>, test: (key: [SortValue, number]) => boolean): number {
  let low = 0;
  let high = keyed.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(keyed[middle]!.key)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Pages `items`. `all` (bulk operations) does not require first/last; `slice` then takes a window of the whole list.
 * Nested connections are not `sortable`: no sortKey or query, record order.
 */
export function paginate<T extends Item>(
  items: readonly T[],
  args: ConnectionArgs,
  options: { all?: boolean; sortable?: boolean; version?: number; slice?: { offset: number; limit: number } },
): Connection<T> {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (!options.all) {
    if (first === null && last === null) {
      throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
    }
    for (const size of [first, last]) {
      if (size !== null && (size < 0 || size > MAX_PAGE_SIZE)) {
        throw new GraphQLError(`The page size must be between 0 and ${MAX_PAGE_SIZE}, got ${size}.`, {
          extensions: { code: 'BAD_REQUEST' },
        });
      }
    }
  }
  const keyed: Keyed<T> = options.sortable
    ? sortedView(items, args, options.version ?? 0)
    : items.map((item, index) => ({ key: [index, index], item }));
  const direction = options.sortable && args.reverse ? -1 : 1;
  const afterKey = args.after ? (decodeCursor(args.after) as [SortValue, number]) : null;
  const beforeKey = args.before ? (decodeCursor(args.before) as [SortValue, number]) : null;
  const low = afterKey ? firstWhere(keyed, (key) => compare(key, afterKey) * direction > 0) : 0;
  const high = beforeKey ? firstWhere(keyed, (key) => compare(key, beforeKey) * direction >= 0) : keyed.length;
  let start = low;
  let end = Math.max(low, high);
  if (options.slice) {
    start = Math.min(end, low + options.slice.offset);
    end = Math.min(end, start + options.slice.limit);
  } else if (!options.all) {
    if (first !== null) end = Math.min(end, start + first);
    if (last !== null) start = Math.max(start, end - last);
  }
  const page = keyed.slice(start, end);
  const edges = page.map((k) => ({ cursor: encodeCursor(k.key), node: k.item }));
  return {
    edges,
    nodes: page.map((k) => k.item),
    pageInfo: {
      hasNextPage: end < Math.max(low, high),
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

const DATE_FIELDS: Record<string, string> = {
  updated_at: 'updatedAt',
  created_at: 'createdAt',
  processed_at: 'processedAt',
  issued_at: 'issuedAt',
  transaction_date: 'transactionDate',
};

/**
 * The subset of Shopify's search syntax the connector uses: space- or AND-separated terms `field:value`,
 * `field:>value`, `field:>=value`, `field:<value`, `field:<=value` on updated_at, created_at, processed_at (dates)
 * and id (legacy numeric id). Anything else is an error naming the filter — a filter silently ignored would make
 * an incremental pull look complete when it is not.
 */
export function compileSearch(query: string | null): (item: Item) => boolean {
  if (query === null || query.trim() === '') return () => true;
  const terms = query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const tests: ((item: Item) => boolean)[] = [];
  for (const term of terms) {
    if (term === 'AND') continue;
    if (term === 'OR' || term.startsWith('-') || term.startsWith('NOT')) {
      throw searchError(query, `the simulator does not model "${term}" in search queries`);
    }
    const match = /^([a-z_]+):(>=|<=|>|<)?(.*)$/.exec(term);
    if (!match) throw searchError(query, `cannot read "${term}"`);
    const [, name, operator = '=', rawValue] = match as unknown as [string, string, string | undefined, string];
    const value = rawValue.replace(/^["']|["']$/g, '');
    if (name === 'id') {
      const wanted = Number(value);
      if (!Number.isFinite(wanted)) throw searchError(query, `id needs a number, got "${value}"`);
      tests.push((item) => compareWith(legacyNumber(item.id), wanted, operator));
      continue;
    }
    const field = DATE_FIELDS[name];
    if (!field) throw searchError(query, `the simulator does not model the search filter "${name}"`);
    const wanted = Date.parse(value);
    if (Number.isNaN(wanted)) throw searchError(query, `"${value}" is not a date`);
    tests.push((item) => {
      const own = item[field];
      if (typeof own !== 'string') return false;
      return compareWith(Date.parse(own), wanted, operator);
    });
  }
  return (item) => tests.every((t) => t(item));
}

function compareWith(a: number, b: number, operator: string): boolean {
  switch (operator) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}

function searchError(query: string, reason: string): GraphQLError {
  return new GraphQLError(`Search query ${JSON.stringify(query)}: ${reason}.`, {
    extensions: { code: 'NOT_MODELLED' },
  });
}
