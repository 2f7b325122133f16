/** Step 4: proposing and saving the account mapping and the other options. */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  type IntegrationOptions,
  type PurchaseOrderSource,
  parseSchedule,
  type SyncSchedule,
  updateIntegration,
} from '../integration/index.ts';
import { encryptSecret } from '../shopify/index.ts';
import { verifyStockyKey } from '../stocky/index.ts';
import { appendAudit, type Shop } from '../storage/index.ts';
import {
  type AccountMapping,
  type AccountProposal,
  type AccountType,
  CATEGORIES,
  CATEGORY_RULES,
  type Category,
  type Modes,
  proposeAccountMapping,
  type QuickBooksAccount,
  validateAccountMapping,
} from '../transform/index.ts';
import { accountsFrom, companyListCounts } from './company-lists.ts';
import { nameOf, type SetupContext } from './context.ts';
import type { HistoryWatch } from './service.ts';
import { countHistory, isCalendarDate, type StartDateCounts } from './start-date.ts';
import { atOptionsStep } from './status.ts';
import { STOCKY_NOT_OFFERED, type StockyOffer, stockyOffer } from './stocky-offer.ts';

export type ModeChoice = 'summary' | 'detailed';

export interface OptionsInput {
  /** Category → QuickBooks account full name. Missing categories take the proposed default. */
  mapping?: Partial<Record<Category, string>>;
  /** Create the accounts the default mapping proposes (when the merchant's file lacks them). Default true. */
  createMissingAccounts?: boolean;
  schedule?: string | SyncSchedule;
  modes?: Partial<Modes>;
  purchaseOrderSource?: { kind: 'shopify' } | { kind: 'stocky'; apiKey: string };
  /**
   * YYYY-MM-DD in the shop's time zone: history before it is not posted. Absent: the date saved before, or none
   * (the start then asks for one). There is no silent default: today would skip the whole history.
   */
  startDate?: string;
  useClasses?: boolean;
}

export interface OptionsProposal {
  accounts: QuickBooksAccount[];
  mapping: AccountMapping;
  accountsToCreate: AccountProposal[];
  paymentMethods: string[];
  classes: string[];
  /** The company file's lists as the setup read them (names: customers and vendors together). */
  listCounts: { names: number; customers: number; vendors: number; items: number } | null;
  /** The saved start date (or null) and what it includes, against the Shopify history read just now. */
  startDate: StartDateCounts;
  /** Each category's allowed QuickBooks account types (the first is a new account's), for a mapping picker. */
  categories: { category: Category; types: readonly AccountType[] }[];
  /** Whether Stocky is offered as the purchase-order source (only to stores that still hold Stocky data), and why. */
  stocky: StockyOffer;
}

/**
 * Reads the shop's history from Shopify (the first time: all of it) so the start date can be shown with what it
 * includes. Without a reader (tests of the QuickBooks side only) the counts are those of what was read before.
 */
async function readHistory(ctx: SetupContext, shop: Shop, watch: HistoryWatch): Promise<Result<void>> {
  return ctx.options.readHistory ? ctx.options.readHistory(shop, watch) : ok(undefined);
}

export async function proposeOptions(
  ctx: SetupContext,
  domain: string,
  watch: HistoryWatch = {},
): Promise<Result<OptionsProposal>> {
  const at = await atOptionsStep(ctx, domain);
  if (!at.ok) return at;
  const { shop, integration, part } = at.value;
  const accounts = accountsFrom(part('AccountQuery') ?? []);
  const proposal = proposeAccountMapping(accounts);
  const read = await readHistory(ctx, shop, watch);
  // A Stocky that no longer answers (shut down, the key refused) must not lock the merchant out of the settings
  // where they switch to Shopify purchase orders: the Stocky offer below says what Stocky answered.
  if (!read.ok && !read.error.code.startsWith('STOCKY_')) return read;
  const startDate = await countHistory(ctx.storage, shop, integration.options?.startDate ?? null);
  return ok({
    accounts,
    mapping: proposal.mapping,
    accountsToCreate: proposal.toCreate,
    paymentMethods: (part('PaymentMethodQuery') ?? []).map(nameOf).filter((n): n is string => n !== null),
    classes: (part('ClassQuery') ?? []).map(nameOf).filter((n): n is string => n !== null),
    listCounts: companyListCounts(part),
    startDate,
    categories: CATEGORIES.map((category) => ({ category, types: CATEGORY_RULES[category].types })),
    stocky: await stockyOffer(ctx, shop, integration),
  });
}

export async function saveOptions(
  ctx: SetupContext,
  domain: string,
  input: OptionsInput,
): Promise<Result<IntegrationOptions>> {
  const at = await atOptionsStep(ctx, domain);
  if (!at.ok) return at;
  const { shop, integration, part } = at.value;
  const accounts = accountsFrom(part('AccountQuery') ?? []);
  const proposal = proposeAccountMapping(accounts);
  const createMissing = input.createMissingAccounts ?? true;
  const mapping = { ...proposal.mapping, ...(input.mapping ?? {}) };
  const wanted = new Set(Object.values(mapping).map((n) => n.toLowerCase()));
  const accountsToCreate = createMissing ? proposal.toCreate.filter((p) => wanted.has(p.fullName.toLowerCase())) : [];
  const problems: string[] = [];
  const validMapping = validateAccountMapping(mapping, accounts, accountsToCreate);
  if (!validMapping.ok) problems.push(validMapping.error.merchantMessage);

  let schedule: SyncSchedule = { kind: 'manual' };
  if (input.schedule !== undefined) {
    const parsed = parseSchedule(input.schedule);
    if (parsed.ok) schedule = parsed.value;
    else problems.push(parsed.error.merchantMessage);
  }
  const modes: Modes = {
    customers: input.modes?.customers ?? 'summary',
    inventory: input.modes?.inventory ?? 'summary',
    vendors: input.modes?.vendors ?? 'summary',
  };
  for (const [entity, mode] of Object.entries(modes)) {
    if (mode !== 'summary' && mode !== 'detailed') {
      problems.push(`Choose Summary or Detailed for ${entity}, not "${String(mode)}".`);
    }
  }
  const startDate = input.startDate ?? integration.options?.startDate ?? null;
  if (startDate !== null && (typeof startDate !== 'string' || !isCalendarDate(startDate))) {
    problems.push(`The start date must be a date as YYYY-MM-DD, not "${String(startDate)}".`);
  }

  const detailed = Object.values(modes).includes('detailed');
  if (ctx.options.checkModes && detailed && problems.length === 0) {
    const fits = await ctx.options.checkModes(shop, modes);
    if (fits && !fits.ok) problems.push(fits.error.merchantMessage);
  }

  let purchaseOrderSource: PurchaseOrderSource = { kind: 'shopify' };
  const stockyWanted = input.purchaseOrderSource?.kind === 'stocky';
  const savedSource = integration.options?.purchaseOrderSource;
  if (stockyWanted && !(await stockyOffer(ctx, shop, integration, { ask: false })).offered) {
    problems.push(STOCKY_NOT_OFFERED);
  } else if (input.purchaseOrderSource?.kind === 'stocky') {
    const key = String(input.purchaseOrderSource.apiKey ?? '').trim();
    // Saving the other settings again keeps the saved key (it is never sent back to the browser to resend).
    if (!key && savedSource?.kind === 'stocky') purchaseOrderSource = savedSource;
    else if (!key) problems.push('Enter the Stocky API key (Stocky → Preferences → API access → Current key).');
    else {
      const verified = await verifyStockyKey({
        storeName: shop.domain,
        apiKey: key,
        ...(ctx.options.stockyBaseUrl ? { baseUrl: ctx.options.stockyBaseUrl } : {}),
        logger: ctx.logger,
      });
      if (!verified.ok) problems.push(verified.error.merchantMessage);
      else {
        purchaseOrderSource = {
          kind: 'stocky',
          storeName: verified.value.storeName,
          encryptedApiKey: encryptSecret(key, ctx.options.encryptionKey),
        };
      }
    }
  }

  if (problems.length > 0 || !validMapping.ok) {
    return err(
      new ConnectorError({
        code: 'SETUP_OPTIONS_INVALID',
        message: `Options for ${shop.domain} refused: ${problems.join(' | ')}`,
        merchantMessage: problems.join('\n'),
        merchantMustAct: true,
        // The mapping's problems per category, so a form can show each beside its row.
        details: { problems, mappingProblems: validMapping.ok ? [] : (validMapping.error.details?.problems ?? []) },
      }),
    );
  }
  const saved: IntegrationOptions = {
    mapping: validMapping.value,
    accountsToCreate,
    schedule,
    modes,
    purchaseOrderSource,
    startDate,
    useClasses: input.useClasses ?? true,
  };
  const updated = await updateIntegration(
    ctx.storage,
    integration,
    { options: saved, state: 'configured' },
    ctx.clock(),
  );
  if (!updated.ok) return updated;
  await appendAudit(ctx.storage, {
    actor: 'merchant',
    action: 'options.saved',
    shopId: shop.id,
    details: { modes, schedule, startDate, purchaseOrderSource: purchaseOrderSource.kind },
  });
  return ok(saved);
}
