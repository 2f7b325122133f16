/**
 * The 14,500 rule in numbers before anything is saved: for Customers, Inventory and Vendors, what Detailed would
 * create in QuickBooks, where that takes the company file's lists, the limit, and whether Detailed is allowed.
 * Shopify's side is what the extract has read (the options step reads the history first); QuickBooks' side is the
 * lists the setup read through the Web Connector. Nothing is fetched (but the first history read, when none was
 * made yet): the screen asks again at every choice.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { createSourceRecordReader, lastRun } from '../extract/index.ts';
import type { Shop } from '../storage/index.ts';
import {
  checkListLimits,
  type DetailedVerdict,
  detailedVerdicts,
  editionOf,
  type ListCounts,
  type ListName,
  type ListProjection,
  type Modes,
  PRO_PREMIER_LIMITS,
  projectLists,
} from '../transform/index.ts';
import { companyListCounts } from './company-lists.ts';
import type { SetupContext } from './context.ts';
import { atOptionsStep } from './status.ts';

export interface ListProjectionAnswer {
  /** The company file's edition: only Pro and Premier have the limits. */
  edition: ListCounts['edition'];
  limits: typeof PRO_PREMIER_LIMITS | null;
  /** What the company file holds now (its lists as the setup read them). */
  quickbooks: ListCounts['quickbooks'];
  /** What Shopify holds, as the extract has read it. */
  shopify: ListCounts['shopify'];
  /** Per list: Detailed for it, the other lists as chosen. */
  lists: Record<ListName, DetailedVerdict>;
  /** The choices asked about, and what QuickBooks' lists would hold with them. */
  modes: Modes;
  projection: ListProjection;
  /** Whether saving these choices would pass the 14,500 rule. */
  fits: boolean;
}

const MODES_OF: readonly ListName[] = ['customers', 'inventory', 'vendors'];

/** `?customers=detailed&inventory=summary…` → modes (absent: Summary); a value other than the two is refused. */
export function parseModes(query: Record<string, string | undefined>): Result<Modes> {
  const modes: Modes = { customers: 'summary', inventory: 'summary', vendors: 'summary' };
  const wrong: string[] = [];
  for (const list of MODES_OF) {
    const value = query[list];
    if (value === undefined || value === '') continue;
    if (value === 'summary' || value === 'detailed') modes[list] = value;
    else wrong.push(`${list}=${value}`);
  }
  if (wrong.length === 0) return ok(modes);
  return err(
    new ConnectorError({
      code: 'API_BAD_MODES',
      message: `Modes must be summary or detailed: ${wrong.join(', ')}`,
      merchantMessage: `Choose Summary or Detailed (${wrong.join(', ')} is neither).`,
    }),
  );
}

/**
 * Shopify's counts need every order (the gateways) and product: read once per extract run, not at every choice
 * the merchant makes. A run still importing (the settings step's own history read, a sync) is counted afresh and
 * not kept: its records are not all there yet.
 */
export function createShopifyCountCache() {
  const cache = new Map<string, { runId: number; counts: ListCounts['shopify'] }>();
  return async function shopifyCounts(ctx: SetupContext, shop: Shop): Promise<Result<ListCounts['shopify'] | null>> {
    const run = await lastRun(ctx.storage, shop.id);
    if (run === null) return ok(null);
    const cached = cache.get(shop.id);
    if (cached && cached.runId === run.id && run.status !== 'running') return ok(cached.counts);
    if (!ctx.options.shopifyCounts) return ok(null);
    const read = await ctx.options.shopifyCounts(shop);
    if (!read.ok || read.value === null) return read;
    const counts = read.value;
    if (run.status === 'running') cache.delete(shop.id);
    else cache.set(shop.id, { runId: run.id, counts });
    return ok(counts);
  };
}

export type ShopifyCountCache = ReturnType<typeof createShopifyCountCache>;

function notYet(what: string): Result<never> {
  return err(
    new ConnectorError({
      code: 'SETUP_LIST_COUNTS_NOT_READ',
      message: `List projection unavailable: ${what}`,
      merchantMessage: `The connector cannot count the lists yet: ${what}`,
      merchantMustAct: true,
    }),
  );
}

export async function listProjection(
  ctx: SetupContext,
  counts: ShopifyCountCache,
  domain: string,
  modes: Modes,
): Promise<Result<ListProjectionAnswer>> {
  const at = await atOptionsStep(ctx, domain);
  if (!at.ok) return at;
  const { shop, companyFile, part } = at.value;
  const quickbooks = companyListCounts(part);
  if (!quickbooks || !companyFile.boundCompany) {
    return notYet('QuickBooks’ lists have not been read. Run the Web Connector once more.');
  }
  // The settings step reads the history before it asks; a caller that did not is not answered "zero".
  if (ctx.options.readHistory && (await createSourceRecordReader(ctx.storage).lastRunId(shop.id)) === null) {
    const read = await ctx.options.readHistory(shop);
    if (!read.ok) return read;
  }
  const shopify = await counts(ctx, shop);
  if (!shopify.ok) return shopify;
  if (!shopify.value) return notYet('nothing has been read from Shopify yet. Open the settings step again.');
  const listCounts: ListCounts = {
    edition: editionOf(companyFile.boundCompany.edition),
    quickbooks,
    shopify: shopify.value,
  };
  const lists = detailedVerdicts(listCounts, modes);
  return ok({
    edition: listCounts.edition,
    limits: listCounts.edition === 'enterprise' ? null : PRO_PREMIER_LIMITS,
    quickbooks,
    shopify: shopify.value,
    lists,
    modes,
    projection: projectLists(listCounts, modes),
    fits: checkListLimits(listCounts, modes).ok,
  });
}
