import { readCompanySnapshot } from '../apply/company-snapshot.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { cancelEntry, type EnqueueInput, enqueue, listEntries } from '../outbox/index.ts';
import { companyFileQwc } from '../qbwc/backend/qwc.ts';
import { pairCompanyFile, replaceAppToken } from '../qbwc/session/pairing.ts';
import { parseSchedule, type SyncSchedule } from '../scheduler/schedule.ts';
import { encryptSecret } from '../shopify/index.ts';
import { verifyStockyKey } from '../stocky/index.ts';
import {
  appendAudit,
  type CompanyFile,
  createShop,
  getCompanyFile,
  getShopByDomain,
  type NewShop,
  type Shop,
  type Storage,
} from '../storage/index.ts';
import { clearPostedDocuments, lastPostedDocumentDate } from '../sync/posted-documents.ts';
import {
  type AccountMapping,
  type AccountProposal,
  type AccountType,
  type Category,
  type Modes,
  proposeAccountMapping,
  type QuickBooksAccount,
  validateAccountMapping,
} from '../transform/index.ts';
import {
  ensureIntegration,
  getIntegration,
  type Integration,
  type IntegrationOptions,
  type PurchaseOrderSource,
  updateIntegration,
} from './integrations.ts';
import { checkSalesTax, type SalesTaxCheck, type SalesTaxFacts, ZERO_RATE_ITEM_NAME } from './sales-tax-check.ts';

/**
 * The integration setup, as the help page walks the merchant through it, in the order the Web Connector makes
 * possible: QuickBooks can only be read once the Web Connector has the app token, so the token comes first and
 * the sales tax check reads the company file through the first Web Connector session.
 *
 *   1. appToken   — generate the token (shown once) and the .qwc file
 *   2. connect    — the Web Connector authenticates; the company file is bound and its lists are read
 *   3. salesTax   — sales tax on, most common sales tax item at 0 % (or the merchant fixes it in QuickBooks)
 *   4. options    — account mapping, schedule, Summary/Detailed modes, purchase-order source, start date
 *   5. start      — once; a second start is refused (reset is a support operation)
 *
 * Every step checks the ones before it and answers with a plain message; a failed step changes nothing.
 */
export const SETUP_STEPS = ['appToken', 'connect', 'salesTax', 'options', 'start'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export interface StepStatus {
  step: SetupStep;
  title: string;
  done: boolean;
  detail: string;
}

export interface SetupStatus {
  shop: Shop;
  integration: Integration;
  companyFile: CompanyFile | null;
  steps: StepStatus[];
  /** The first step not done, or null once started. */
  next: SetupStep | null;
}

export interface IssuedToken {
  /** The app token: the Web Connector password. Shown this once; only its hash is kept. */
  appToken: string;
  userName: string;
  qwc: string;
}

export type ModeChoice = 'summary' | 'detailed';

export interface OptionsInput {
  /** Category → QuickBooks account full name. Missing categories take the proposed default. */
  mapping?: Partial<Record<Category, string>>;
  /** Create the accounts the default mapping proposes (when the merchant's file lacks them). Default true. */
  createMissingAccounts?: boolean;
  schedule?: string | SyncSchedule;
  modes?: Partial<Modes>;
  purchaseOrderSource?: { kind: 'shopify' } | { kind: 'stocky'; apiKey: string };
  /** YYYY-MM-DD in the shop's time zone. Default: today. */
  startDate?: string;
  useClasses?: boolean;
}

export interface OptionsProposal {
  accounts: QuickBooksAccount[];
  mapping: AccountMapping;
  accountsToCreate: AccountProposal[];
  paymentMethods: string[];
  classes: string[];
  listCounts: { customers: number; vendors: number; items: number } | null;
}

export interface SetupServiceOptions {
  storage: Storage;
  /** Base URL the Web Connector reaches; the SOAP endpoint is `${publicUrl}${soapPath}`. */
  publicUrl: string;
  soapPath?: string;
  encryptionKey: Buffer;
  logger?: Logger;
  clock?: () => Date;
  /** Stocky API base URL (a simulator in demos and tests). */
  stockyBaseUrl?: string;
  /**
   * The 14,500 rule (Pro/Premier list limits) for the chosen modes: reads Shopify's counts and projects them on
   * the lists QuickBooks holds (`checkModesFit`). Null when the counts cannot be known yet.
   */
  checkModes?: (shop: Shop, modes: Modes) => Promise<Result<Modes> | null>;
}

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
const READ_PRIORITY = 1000;

const TITLES: Record<SetupStep, string> = {
  appToken: 'App token and Web Connector file',
  connect: 'Connect the QuickBooks company file',
  salesTax: 'Sales tax settings',
  options: 'Account mapping and options',
  start: 'Start integration',
};

function refuse(code: string, message: string): Result<never> {
  return err(new ConnectorError({ code, message, merchantMessage: message, merchantMustAct: true }));
}

function outOfOrder(step: SetupStep, needed: SetupStep): Result<never> {
  return err(
    new ConnectorError({
      code: 'SETUP_STEP_OUT_OF_ORDER',
      message: `Setup step ${step} needs ${needed} first`,
      merchantMessage: `Finish “${TITLES[needed]}” before “${TITLES[step]}”.`,
      merchantMustAct: true,
      details: { step, needed },
    }),
  );
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function nameOf(ret: Record<string, unknown>): string | null {
  return str(ret.FullName) ?? str(ret.Name);
}

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

export function createSetupService(options: SetupServiceOptions) {
  const { storage } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const qwcOptions = (shop: Shop) => ({
    publicUrl: options.publicUrl,
    soapPath: options.soapPath ?? '/qbwc',
    appName: `Shopify ${shop.name}`,
  });

  async function shopOf(domain: string): Promise<Result<{ shop: Shop; integration: Integration }>> {
    const shop = await getShopByDomain(storage, domain.toLowerCase());
    if (!shop) return refuse('SETUP_SHOP_UNKNOWN', `The shop ${domain} is not registered with this connector.`);
    return ok({ shop, integration: await ensureIntegration(storage, shop.id, clock()) });
  }

  async function companyFileOf(integration: Integration): Promise<CompanyFile | null> {
    return integration.companyFileId ? getCompanyFile(storage, integration.companyFileId) : null;
  }

  async function snapshotFacts(companyFileId: string) {
    const snapshot = await readCompanySnapshot(storage, companyFileId);
    const part = (type: string) => snapshot.parts[type]?.rets ?? null;
    return { snapshot, part };
  }

  function accountsFrom(rets: Record<string, unknown>[]): QuickBooksAccount[] {
    const accounts: QuickBooksAccount[] = [];
    for (const ret of rets) {
      const fullName = nameOf(ret);
      const type = str(ret.AccountType) as AccountType | null;
      if (fullName && type && ACCOUNT_TYPES.includes(type)) accounts.push({ fullName, type });
    }
    return accounts;
  }

  async function requestCompanyRead(integration: Integration, companyFileId: string): Promise<Result<Integration>> {
    const generation = integration.readGeneration + 1;
    const inputs: EnqueueInput[] = SETUP_READS.map((read) => ({
      companyFileId,
      key: `setup/read/${generation}/${read.type}`,
      kind: 'read',
      request: read,
      priority: READ_PRIORITY,
      source: { kind: 'setup', id: read.type },
    }));
    await enqueue(storage, inputs, clock());
    return updateIntegration(storage, integration, { readGeneration: generation }, clock());
  }

  async function computeStatus(shop: Shop, integration: Integration): Promise<SetupStatus> {
    const companyFile = await companyFileOf(integration);
    const bound = companyFile?.boundCompany ?? null;
    const readsDone = companyFile ? await readsComplete(companyFile.id, integration.readGeneration) : false;
    const steps: StepStatus[] = [
      {
        step: 'appToken',
        title: TITLES.appToken,
        done: companyFile !== null,
        detail: companyFile
          ? `Web Connector user name ${companyFile.webConnectorUserName}. Add the .qwc file to the Web Connector and type the app token as its password.`
          : 'Generate the app token and download the .qwc file.',
      },
      {
        step: 'connect',
        title: TITLES.connect,
        done: bound !== null && readsDone,
        detail: bound
          ? `${bound.companyName} — ${bound.edition} ${bound.version}${readsDone ? '' : ' (reading its lists: run the Web Connector once more)'}`
          : 'Open QuickBooks with the company file, then press “Update Selected” in the Web Connector.',
      },
      {
        step: 'salesTax',
        title: TITLES.salesTax,
        done: integration.taxCheck?.result.status === 'pass',
        detail:
          integration.taxCheck === null
            ? 'Not checked yet.'
            : integration.taxCheck.result.status === 'pass'
              ? `Sales tax is on and the most common sales tax item is “${integration.taxCheck.result.mostCommonItem}” (0 %).`
              : integration.taxCheck.result.problems.map((p) => p.message).join(' '),
      },
      {
        step: 'options',
        title: TITLES.options,
        done: integration.state === 'configured' || integration.state === 'started',
        detail: integration.options
          ? `Customers ${integration.options.modes.customers}, inventory ${integration.options.modes.inventory}, vendors ${integration.options.modes.vendors}; sync ${integration.options.schedule.kind === 'daily' ? `daily at ${integration.options.schedule.localTime}` : 'manually'}; from ${integration.options.startDate}.`
          : 'Map Shopify categories to QuickBooks accounts and choose the options.',
      },
      {
        step: 'start',
        title: TITLES.start,
        done: integration.state === 'started',
        detail: integration.startedAt ? `Started ${integration.startedAt.toISOString()}.` : 'Not started.',
      },
    ];
    return { shop, integration, companyFile, steps, next: steps.find((s) => !s.done)?.step ?? null };
  }

  async function readsComplete(companyFileId: string, generation: number): Promise<boolean> {
    if (generation === 0) return false;
    const { part } = await snapshotFacts(companyFileId);
    const reads = await listEntries(storage, companyFileId, { kind: 'read' });
    const current = reads.filter((e) => e.key.startsWith(`setup/read/${generation}/`));
    return current.length > 0 && current.every((e) => e.state === 'applied') && part('AccountQuery') !== null;
  }

  /** Step gates: the first step not done among those `step` needs. */
  function gate(status: SetupStatus, step: SetupStep): Result<void> {
    const index = SETUP_STEPS.indexOf(step);
    for (const earlier of SETUP_STEPS.slice(0, index)) {
      const s = status.steps.find((x) => x.step === earlier)!;
      if (!s.done) return outOfOrder(step, earlier);
    }
    if (status.integration.state === 'started' && step !== 'start') {
      return refuse(
        'SETUP_ALREADY_STARTED',
        'The integration has started; its settings are locked so history is never posted twice. Support can reset it (qbd-connector support reset-integration).',
      );
    }
    return ok(undefined);
  }

  return {
    /** Registers a shop (from Shopify's shop record). Registering it again is the expected failure SHOP_ALREADY_EXISTS. */
    async registerShop(input: NewShop): Promise<Result<Shop>> {
      const created = await createShop(storage, { ...input, domain: input.domain.toLowerCase() }, clock());
      if (created.ok) {
        await ensureIntegration(storage, created.value.id, clock());
        await appendAudit(storage, {
          actor: 'merchant',
          action: 'shop.registered',
          shopId: created.value.id,
          details: {},
        });
      }
      return created;
    },

    async status(domain: string): Promise<Result<SetupStatus>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      return ok(await computeStatus(found.value.shop, found.value.integration));
    },

    /**
     * Step 1: the app token (shown once) and the .qwc file. Issuing again before the start replaces the token
     * (the old one stops working); the company file binding is kept.
     */
    async issueAppToken(domain: string, input: { userName?: string } = {}): Promise<Result<IssuedToken>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const { shop, integration } = found.value;
      if (integration.state === 'started') {
        return refuse(
          'SETUP_ALREADY_STARTED',
          'The integration has started. A new app token for a running integration is a support operation.',
        );
      }
      let companyFile = await companyFileOf(integration);
      let appToken: string;
      if (companyFile) {
        appToken = await replaceAppToken(storage, companyFile.id, { now: clock() });
      } else {
        const paired = await pairCompanyFile(storage, { shopId: shop.id, userName: input.userName, now: clock() });
        if (!paired.ok) return paired;
        appToken = paired.value.appToken;
        companyFile = await getCompanyFile(storage, paired.value.companyFileId);
        if (!companyFile) throw new Error('Company file vanished after pairing');
        const updated = await updateIntegration(
          storage,
          integration,
          { companyFileId: companyFile.id, state: 'paired' },
          clock(),
        );
        if (!updated.ok) return updated;
        // The first Web Connector session reads the lists the next steps need, so it has work to do.
        const read = await requestCompanyRead(updated.value, companyFile.id);
        if (!read.ok) return read;
      }
      const qwc = companyFileQwc(companyFile, qwcOptions(shop));
      if (!qwc.ok) return qwc;
      await appendAudit(storage, {
        actor: 'merchant',
        action: 'app-token.issued',
        shopId: shop.id,
        companyFileId: companyFile.id,
        details: { userName: companyFile.webConnectorUserName },
      });
      logger.info('app token issued', { shop: shop.domain, userName: companyFile.webConnectorUserName });
      return ok({ appToken, userName: companyFile.webConnectorUserName, qwc: qwc.value });
    },

    /** The .qwc file again (it holds no secret). */
    async qwcFile(domain: string): Promise<Result<string>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const companyFile = await companyFileOf(found.value.integration);
      if (!companyFile) return outOfOrder('connect', 'appToken');
      return companyFileQwc(companyFile, qwcOptions(found.value.shop));
    },

    /** Asks QuickBooks for a fresh copy of its lists at the next Web Connector session. */
    async refreshCompanyLists(domain: string): Promise<Result<void>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const companyFile = await companyFileOf(found.value.integration);
      if (!companyFile) return outOfOrder('connect', 'appToken');
      const read = await requestCompanyRead(found.value.integration, companyFile.id);
      return read.ok ? ok(undefined) : read;
    },

    /** Step 3: the sales tax check, from what the Web Connector read. */
    async checkSalesTax(domain: string): Promise<Result<SalesTaxCheck>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const status = await computeStatus(found.value.shop, found.value.integration);
      const gated = gate(status, 'salesTax');
      if (!gated.ok) return gated;
      const { snapshot, part } = await snapshotFacts(status.companyFile!.id);
      const preferences = snapshot.preferences as { SalesTaxPreferences?: Record<string, unknown> } | null;
      const taxPreferences = preferences?.SalesTaxPreferences ?? null;
      const items = (part('ItemSalesTaxQuery') ?? []).map((ret) => ({
        name: nameOf(ret) ?? '',
        ratePercent: str(ret.TaxRate),
        isActive: ret.IsActive !== false,
      }));
      const defaultName = nameOf((taxPreferences?.DefaultItemSalesTaxRef as Record<string, unknown> | undefined) ?? {});
      const facts: SalesTaxFacts = {
        salesTaxOn: taxPreferences !== null,
        mostCommonItem: defaultName
          ? {
              name: defaultName,
              ratePercent: items.find((i) => i.name.toLowerCase() === defaultName.toLowerCase())?.ratePercent ?? null,
            }
          : null,
        salesTaxItems: items,
      };
      const result = checkSalesTax(facts);
      const updated = await updateIntegration(
        storage,
        found.value.integration,
        { taxCheck: { result, checkedAt: clock().toISOString() } },
        clock(),
      );
      if (!updated.ok) return updated;
      return ok(result);
    },

    /**
     * Offered by the sales tax check: creates the 0 % sales tax item in QuickBooks at the next session (and
     * reads the lists again). Choosing it as "most common" stays with the merchant: qbXML cannot set preferences.
     */
    async createZeroRateTaxItem(domain: string): Promise<Result<{ name: string }>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const status = await computeStatus(found.value.shop, found.value.integration);
      const gated = gate(status, 'salesTax');
      if (!gated.ok) return gated;
      const companyFileId = status.companyFile!.id;
      await enqueue(
        storage,
        [
          {
            companyFileId,
            key: 'setup/zero-rate-sales-tax-item',
            kind: 'item',
            request: {
              type: 'ItemSalesTaxAdd',
              body: {
                ItemSalesTaxAdd: {
                  Name: ZERO_RATE_ITEM_NAME,
                  ItemDesc: 'Shopify posts its own tax amounts; QuickBooks adds none.',
                  TaxRate: '0',
                },
              },
            },
            priority: READ_PRIORITY + 1,
            source: { kind: 'setup', id: 'zero-rate-sales-tax-item' },
          },
        ],
        clock(),
      );
      const read = await requestCompanyRead(found.value.integration, companyFileId);
      if (!read.ok) return read;
      return ok({ name: ZERO_RATE_ITEM_NAME });
    },

    /** What step 4 offers: the accounts, the default mapping, payment methods and classes in the file. */
    async proposeOptions(domain: string): Promise<Result<OptionsProposal>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const status = await computeStatus(found.value.shop, found.value.integration);
      const gated = gate(status, 'options');
      if (!gated.ok) return gated;
      const { part } = await snapshotFacts(status.companyFile!.id);
      const accounts = accountsFrom(part('AccountQuery') ?? []);
      const proposal = proposeAccountMapping(accounts);
      const customers = part('CustomerQuery');
      const vendors = part('VendorQuery');
      const items = part('ItemQuery');
      return ok({
        accounts,
        mapping: proposal.mapping,
        accountsToCreate: proposal.toCreate,
        paymentMethods: (part('PaymentMethodQuery') ?? []).map(nameOf).filter((n): n is string => n !== null),
        classes: (part('ClassQuery') ?? []).map(nameOf).filter((n): n is string => n !== null),
        listCounts:
          customers && vendors && items
            ? { customers: customers.length, vendors: vendors.length, items: items.length }
            : null,
      });
    },

    /** Step 4: validates every option at once and saves them. Saving again before the start replaces them. */
    async saveOptions(domain: string, input: OptionsInput): Promise<Result<IntegrationOptions>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const { shop, integration } = found.value;
      const status = await computeStatus(shop, integration);
      const gated = gate(status, 'options');
      if (!gated.ok) return gated;
      const { part } = await snapshotFacts(status.companyFile!.id);
      const accounts = accountsFrom(part('AccountQuery') ?? []);
      const proposal = proposeAccountMapping(accounts);
      const createMissing = input.createMissingAccounts ?? true;
      const mapping = { ...proposal.mapping, ...(input.mapping ?? {}) };
      const wanted = new Set(Object.values(mapping).map((n) => n.toLowerCase()));
      const accountsToCreate = createMissing
        ? proposal.toCreate.filter((p) => wanted.has(p.fullName.toLowerCase()))
        : [];
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
      const startDate = input.startDate ?? clock().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate) || Number.isNaN(Date.parse(`${startDate}T00:00:00Z`))) {
        problems.push(`The start date must be a date as YYYY-MM-DD, not "${startDate}".`);
      }

      const detailed = Object.values(modes).includes('detailed');
      if (options.checkModes && detailed && problems.length === 0) {
        const fits = await options.checkModes(shop, modes);
        if (fits && !fits.ok) problems.push(fits.error.merchantMessage);
      }

      let purchaseOrderSource: PurchaseOrderSource = { kind: 'shopify' };
      if (input.purchaseOrderSource?.kind === 'stocky') {
        const key = input.purchaseOrderSource.apiKey.trim();
        if (!key) problems.push('Enter the Stocky API key (Stocky → Preferences → API access → Current key).');
        else {
          const verified = await verifyStockyKey({
            storeName: shop.domain,
            apiKey: key,
            ...(options.stockyBaseUrl ? { baseUrl: options.stockyBaseUrl } : {}),
            logger,
          });
          if (!verified.ok) problems.push(verified.error.merchantMessage);
          else {
            purchaseOrderSource = {
              kind: 'stocky',
              storeName: verified.value.storeName,
              encryptedApiKey: encryptSecret(key, options.encryptionKey),
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
            details: { problems },
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
      const updated = await updateIntegration(storage, integration, { options: saved, state: 'configured' }, clock());
      if (!updated.ok) return updated;
      await appendAudit(storage, {
        actor: 'merchant',
        action: 'options.saved',
        shopId: shop.id,
        details: { modes, schedule, startDate, purchaseOrderSource: purchaseOrderSource.kind },
      });
      return ok(saved);
    },

    /** Step 5: starts the integration, once. The caller then runs the first sync (trigger `start`). */
    async start(domain: string): Promise<Result<Integration>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const { shop, integration } = found.value;
      if (integration.state === 'started') {
        return refuse(
          'SETUP_ALREADY_STARTED',
          'The integration has already been started. Starting it again would post your history twice. If it really must be redone, support can reset it.',
        );
      }
      const status = await computeStatus(shop, integration);
      const gated = gate(status, 'start');
      if (!gated.ok) return gated;
      const started = await updateIntegration(storage, integration, { state: 'started', startedAt: clock() }, clock());
      if (!started.ok) {
        // Someone started it in between: report it as the refusal the second click deserves.
        const now = await getIntegration(storage, shop.id);
        if (now?.state === 'started')
          return refuse('SETUP_ALREADY_STARTED', 'The integration has already been started.');
        return started;
      }
      await appendAudit(storage, { actor: 'merchant', action: 'integration.started', shopId: shop.id, details: {} });
      logger.info('integration started', { shop: shop.domain });
      return started;
    },

    /**
     * Support: resets the integration so the setup can be done again. Removes the settings and the start, and
     * cancels requests not yet sent to QuickBooks. Keeps what is already in QuickBooks and the record of it (the
     * id map and applied requests), so a new start never re-posts those; never deletes anything from QuickBooks.
     */
    async describeReset(
      domain: string,
    ): Promise<
      Result<{ removes: string[]; keeps: string[]; warnings: string[]; pending: number; lastPostedDate: string | null }>
    > {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const companyFile = await companyFileOf(found.value.integration);
      const pending = companyFile
        ? (
            await listEntries(storage, companyFile.id, {
              states: ['pending', 'retry_wait', 'needs_attention', 'failed'],
            })
          ).length
        : 0;
      const lastPostedDate = companyFile ? await lastPostedDocumentDate(storage, companyFile.id) : null;
      return ok({
        removes: [
          'the account mapping, schedule, modes, purchase-order source and start date',
          'the “started” mark, so Start integration can be pressed again',
          `${pending} request(s) not yet sent to QuickBooks (cancelled, kept in the history)`,
          'the versions of posted documents kept to detect later edits (a new start compares from scratch)',
        ],
        keeps: [
          'everything already posted in QuickBooks (nothing is ever deleted there)',
          'the record of every request QuickBooks applied, so the same documents are never posted twice',
          'the app token and the company file pairing',
          'the Shopify data already read',
        ],
        warnings: lastPostedDate
          ? [
              `Documents up to ${lastPostedDate} are already in QuickBooks. Starting again with other Summary/Detailed modes makes different documents for those days, which would post them a second time: choose a start date after ${lastPostedDate}.`,
            ]
          : [],
        pending,
        lastPostedDate,
      });
    },

    async resetIntegration(
      domain: string,
      input: { operator: string; reason?: string },
    ): Promise<Result<{ cancelled: number }>> {
      const found = await shopOf(domain);
      if (!found.ok) return found;
      const { shop, integration } = found.value;
      const companyFile = await companyFileOf(integration);
      let cancelled = 0;
      if (companyFile) {
        const open = await listEntries(storage, companyFile.id, {
          states: ['pending', 'retry_wait', 'needs_attention', 'failed'],
        });
        for (const entry of open) {
          const result = await cancelEntry(storage, entry.id, { actor: 'support', shopId: shop.id, now: clock() });
          if (result.ok) cancelled++;
        }
      }
      // Forgetting the posted versions matters: with other modes, yesterday's documents would otherwise look
      // withdrawn and be taken back from QuickBooks. Applied requests stay in the outbox, so the same keys never
      // post again.
      if (companyFile) await clearPostedDocuments(storage, companyFile.id);
      const reset = await updateIntegration(
        storage,
        integration,
        {
          state: companyFile ? 'paired' : 'new',
          options: null,
          taxCheck: null,
          startedAt: null,
          lastScheduledDate: null,
        },
        clock(),
      );
      if (!reset.ok) return reset;
      await appendAudit(storage, {
        actor: 'support',
        action: 'integration.reset',
        shopId: shop.id,
        details: {
          operator: input.operator,
          cancelled,
          reason: input.reason ?? null,
          previousOptions: integration.options,
        },
      });
      logger.warn('integration reset', { shop: shop.domain, operator: input.operator, cancelled });
      return ok({ cancelled });
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
