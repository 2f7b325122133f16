/** Reading the company file's lists through the Web Connector, and the facts the steps take from them. */
import { readCompanySnapshot } from '../apply/index.ts';
import { ok, type Result } from '../errors/index.ts';
import { type Integration, updateIntegration } from '../integration/index.ts';
import { type EnqueueInput, enqueue } from '../outbox/index.ts';
import type { AccountType, QuickBooksAccount } from '../transform/index.ts';
import { nameOf, type SetupContext, str } from './context.ts';
import { companyFileOf, shopOf } from './shop.ts';
import { outOfOrder } from './steps.ts';

/** The read queries the setup needs from QuickBooks; their answers land in the company snapshot. */
const SETUP_READS: { type: string; body: Record<string, unknown> }[] = [
  { type: 'AccountQuery', body: { ActiveStatus: 'All' } },
  { type: 'PaymentMethodQuery', body: { ActiveStatus: 'All' } },
  { type: 'ClassQuery', body: { ActiveStatus: 'All' } },
  { type: 'ItemSalesTaxQuery', body: { ActiveStatus: 'All' } },
  // Only the ids and names: enough to count the lists for the 14,500 rule without reading every record whole.
  { type: 'CustomerQuery', body: { ActiveStatus: 'All', IncludeRetElement: ['ListID', 'Name'] } },
  { type: 'VendorQuery', body: { ActiveStatus: 'All', IncludeRetElement: ['ListID', 'Name'] } },
  { type: 'ItemQuery', body: { ActiveStatus: 'All', IncludeRetElement: ['ListID', 'Name'] } },
];

/** Reads run before anything else in a session. */
export const READ_PRIORITY = 1000;

const ACCOUNT_TYPES: readonly AccountType[] = [
  'AccountsPayable',
  'AccountsReceivable',
  'Bank',
  'CostOfGoodsSold',
  'CreditCard',
  'Equity',
  'Expense',
  'FixedAsset',
  'Income',
  'LongTermLiability',
  'NonPosting',
  'OtherAsset',
  'OtherCurrentAsset',
  'OtherCurrentLiability',
  'OtherExpense',
  'OtherIncome',
] as AccountType[];

export async function snapshotFacts(ctx: SetupContext, companyFileId: string) {
  const snapshot = await readCompanySnapshot(ctx.storage, companyFileId);
  const part = (type: string) => snapshot.parts[type]?.rets ?? null;
  return { snapshot, part };
}

/**
 * What the company file's name and item lists hold, for the 14,500 rule: the lists the setup read (ids and names
 * only), before the connector added anything. Null until the reads have been answered. Customers and vendors
 * share QuickBooks' name limit, so the names are the two together.
 */
export function companyListCounts(part: (type: string) => Record<string, unknown>[] | null) {
  const customers = part('CustomerQuery')?.length;
  const vendors = part('VendorQuery')?.length;
  const items = part('ItemQuery')?.length;
  if (customers === undefined || vendors === undefined || items === undefined) return null;
  return { names: customers + vendors, customers, vendors, items };
}

export function accountsFrom(rets: Record<string, unknown>[]): QuickBooksAccount[] {
  const accounts: QuickBooksAccount[] = [];
  for (const ret of rets) {
    const fullName = nameOf(ret);
    const type = str(ret.AccountType) as AccountType | null;
    if (fullName && type && ACCOUNT_TYPES.includes(type)) accounts.push({ fullName, type });
  }
  return accounts;
}

export async function requestCompanyRead(
  ctx: SetupContext,
  integration: Integration,
  companyFileId: string,
): Promise<Result<Integration>> {
  const generation = integration.readGeneration + 1;
  const inputs: EnqueueInput[] = SETUP_READS.map((read) => ({
    companyFileId,
    key: `setup/read/${generation}/${read.type}`,
    kind: 'read',
    request: read,
    priority: READ_PRIORITY,
    source: { kind: 'setup', id: read.type },
  }));
  await enqueue(ctx.storage, inputs, ctx.clock());
  return updateIntegration(ctx.storage, integration, { readGeneration: generation }, ctx.clock());
}

export async function refreshCompanyLists(ctx: SetupContext, domain: string): Promise<Result<void>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const companyFile = await companyFileOf(ctx, found.value.integration);
  if (!companyFile) return outOfOrder('connect', 'appToken');
  const read = await requestCompanyRead(ctx, found.value.integration, companyFile.id);
  return read.ok ? ok(undefined) : read;
}
