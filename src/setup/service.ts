import { ok, type Result } from '../errors/index.ts';
import { createSourceRecordReader, type ExtractProgressListener } from '../extract/index.ts';
import type { Integration, IntegrationOptions } from '../integration/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import type { NewShop, Shop, Storage } from '../storage/index.ts';
import type { ListCounts, Modes } from '../transform/index.ts';
import { type IssuedToken, issueAppToken, qwcFile } from './app-token-step.ts';
import { refreshCompanyLists } from './company-lists.ts';
import type { SetupContext } from './context.ts';
import { createShopifyCountCache, type ListProjectionAnswer, listProjection } from './list-projection.ts';
import { type OptionsInput, type OptionsProposal, proposeOptions, saveOptions } from './options-step.ts';
import type { SalesTaxCheck } from './sales-tax-check.ts';
import { createZeroRateTaxItem, runSalesTaxCheck } from './sales-tax-step.ts';
import {
  changeSettings,
  type SettingsAfterStart,
  type SettingsChange,
  settingsAfterStart,
} from './settings-after-start.ts';
import { registerShop, shopOf } from './shop.ts';
import { describeReset, resetIntegration, startIntegration } from './start-and-reset.ts';
import { countHistory, type StartDateCounts } from './start-date.ts';
import { type SetupStatus, statusOf } from './status.ts';

export type { IssuedToken } from './app-token-step.ts';
export { type ListProjectionAnswer, parseModes } from './list-projection.ts';
export type { ModeChoice, OptionsInput, OptionsProposal } from './options-step.ts';
export type { SettingsAfterStart, SettingsChange } from './settings-after-start.ts';
export { countsText, historyText, type StartDateCounts, startDateLines } from './start-date.ts';
export type { SetupStatus, StepStatus } from './status.ts';
export { SETUP_STEPS, type SetupStep } from './steps.ts';
export { STOCKY_SHUT_DOWN_ON, type StockyOffer } from './stocky-offer.ts';

/** Told of the history read's progress (the CLI shows it): the pull's events. */
export interface HistoryWatch {
  onProgress?: ExtractProgressListener;
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
  /**
   * What Shopify holds for the 14,500 rule (customers, variants, suppliers…), counted from the source records the
   * extract keeps; null when nothing has been read. The list projection caches it per extract run.
   */
  shopifyCounts?: (shop: Shop) => Promise<Result<ListCounts['shopify'] | null>>;
  /**
   * Reads the shop's history from Shopify into source records (the first time all of it, later what changed), so
   * the options step can show what a start date includes. The first sync then only reads what changed since.
   */
  readHistory?: (shop: Shop, watch?: HistoryWatch) => Promise<Result<void>>;
  /**
   * Whether Shopify answers for this shop with the connector's credentials, asked before the start: a start whose
   * first sync cannot even reach Shopify is refused and changes nothing.
   */
  checkShopify?: (shop: Shop) => Promise<Result<void>>;
}

export function createSetupService(options: SetupServiceOptions) {
  const ctx: SetupContext = {
    options,
    storage: options.storage,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? (() => new Date()),
    qwcOptions: (shop: Shop) => ({
      publicUrl: options.publicUrl,
      soapPath: options.soapPath ?? '/qbwc',
      appName: `Shopify ${shop.name}`,
    }),
  };

  const shopifyCounts = createShopifyCountCache();

  return {
    /** Registers a shop (from Shopify's shop record). Registering it again is the expected failure SHOP_ALREADY_EXISTS. */
    async registerShop(input: NewShop): Promise<Result<Shop>> {
      return registerShop(ctx, input);
    },

    async status(domain: string): Promise<Result<SetupStatus>> {
      return statusOf(ctx, domain);
    },

    /**
     * Step 1: the app token (shown once) and the .qwc file. Issuing again before the start replaces the token
     * (the old one stops working); the company file binding is kept.
     */
    async issueAppToken(domain: string, input: { userName?: string } = {}): Promise<Result<IssuedToken>> {
      return issueAppToken(ctx, domain, input);
    },

    /** The .qwc file again (it holds no secret). */
    async qwcFile(domain: string): Promise<Result<string>> {
      return qwcFile(ctx, domain);
    },

    /** Asks QuickBooks for a fresh copy of its lists at the next Web Connector session. */
    async refreshCompanyLists(domain: string): Promise<Result<void>> {
      return refreshCompanyLists(ctx, domain);
    },

    /** Step 3: the sales tax check, from what the Web Connector read. */
    async checkSalesTax(domain: string): Promise<Result<SalesTaxCheck>> {
      return runSalesTaxCheck(ctx, domain);
    },

    /**
     * Offered by the sales tax check: creates the 0 % sales tax item in QuickBooks at the next session (and
     * reads the lists again). Choosing it as "most common" stays with the merchant: qbXML cannot set preferences.
     */
    async createZeroRateTaxItem(domain: string): Promise<Result<{ name: string }>> {
      return createZeroRateTaxItem(ctx, domain);
    },

    /** What step 4 offers: the accounts, the default mapping, payment methods and classes in the file. */
    async proposeOptions(domain: string, watch: HistoryWatch = {}): Promise<Result<OptionsProposal>> {
      return proposeOptions(ctx, domain, watch);
    },

    /**
     * The saved start date (or null) with what it includes, from the Shopify history read so far (read first when
     * nothing has been read yet).
     */
    async startDateCounts(domain: string, watch: HistoryWatch = {}): Promise<Result<StartDateCounts>> {
      const found = await shopOf(ctx, domain);
      if (!found.ok) return found;
      const { shop, integration } = found.value;
      if (options.readHistory && (await createSourceRecordReader(ctx.storage).lastRunId(shop.id)) === null) {
        const read = await options.readHistory(shop, watch);
        if (!read.ok) return read;
      }
      return ok(await countHistory(ctx.storage, shop, integration.options?.startDate ?? null));
    },

    /**
     * Step 4, before saving: for Customers, Inventory and Vendors, what Detailed would create and whether the
     * 14,500 rule allows it, with the other lists as chosen (`modes`); from what was read, nothing fetched.
     */
    async listProjection(domain: string, modes: Modes): Promise<Result<ListProjectionAnswer>> {
      return listProjection(ctx, shopifyCounts, domain, modes);
    },

    /** Step 4: validates every option at once and saves them. Saving again before the start replaces them. */
    async saveOptions(domain: string, input: OptionsInput): Promise<Result<IntegrationOptions>> {
      return saveOptions(ctx, domain, input);
    },

    /** Step 5: starts the integration, once. The caller then runs the first sync (trigger `start`). */
    async start(domain: string): Promise<Result<Integration>> {
      return startIntegration(ctx, domain);
    },

    /** After the start: the settings that may still change (mapping, schedule) and those locked. */
    async settingsAfterStart(domain: string): Promise<Result<SettingsAfterStart>> {
      return settingsAfterStart(ctx, domain);
    },

    /** After the start: changes the mapping (for documents not yet planned) or the schedule; nothing else. */
    async changeSettings(
      domain: string,
      change: SettingsChange & Record<string, unknown>,
    ): Promise<Result<SettingsAfterStart>> {
      return changeSettings(ctx, domain, change);
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
      return describeReset(ctx, domain);
    },

    async resetIntegration(
      domain: string,
      input: { operator: string; reason?: string },
    ): Promise<Result<{ cancelled: number }>> {
      return resetIntegration(ctx, domain, input);
    },
  };
}

export type SetupService = ReturnType<typeof createSetupService>;
