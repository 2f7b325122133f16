import { readCompanySnapshot } from '../apply/index.ts';
import type { Config } from '../config/index.ts';
import { ok, type Result } from '../errors/index.ts';
import { createExtractor, documentText, type Extractor, lastRunId } from '../extract/index.ts';
import { getIntegration, type Integration } from '../integration/index.ts';
import type { Logger } from '../logger/index.ts';
import { createSetupService, type HistoryWatch, type SetupService } from '../setup/index.ts';
import {
  type AdminGraphqlClient,
  createShopifyAuth,
  createShopifyClientForShop,
  createTokenStore,
  decryptSecret,
  type ShopifyAuth,
} from '../shopify/index.ts';
import { createStockyClient } from '../stocky/index.ts';
import { getCompanyFile, type Shop, type Storage } from '../storage/index.ts';
import {
  checkModesFit,
  createSyncService,
  loadTransformSources,
  type SyncService,
  shopifyListCounts,
} from '../sync/index.ts';

/** Where the Web Connector posts its SOAP calls; the .qwc file the setup writes points here. */
export const SOAP_PATH = '/qbwc';

export interface ConnectorServices {
  auth: ShopifyAuth | null;
  tokens: ReturnType<typeof createTokenStore>;
  setup: SetupService;
  sync: SyncService;
  /** Whether Shopify answers for a shop now, with one quick retry (for a person waiting on the answer). */
  checkShopify(shop: Shop): Promise<Result<void>>;
}

/**
 * The setup and sync services on an open database, wired from the configuration exactly as the server wires
 * them, so the CLI (`qbd-connector setup|sync|status`) runs the same code as the JSON API.
 */
export function createConnectorServices(
  config: Config,
  storage: Storage,
  options: {
    logger: Logger;
    clock?: () => Date;
    shopifyClientFor?: (shop: Shop) => Promise<Result<AdminGraphqlClient>>;
  },
): ConnectorServices {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const auth: ShopifyAuth | null =
    config.shopify.apiKey && config.shopify.apiSecret
      ? createShopifyAuth({
          apiKey: config.shopify.apiKey,
          apiSecret: config.shopify.apiSecret,
          endpoint: config.shopify.apiBaseUrl,
          logger,
          clock,
        })
      : null;
  const tokens = createTokenStore({ storage, encryptionKey: config.encryptionKey, auth });

  const defaultShopifyClient = (shop: Shop) =>
    createShopifyClientForShop({ shopDomain: shop.domain, shopify: config.shopify, tokens, logger });
  const shopifyClientFor = options.shopifyClientFor ?? defaultShopifyClient;

  /** A person waits for the answer: one quick retry, not the patient backoff of scheduled work. */
  const INTERACTIVE = { maxTransientRetries: 1, backoffMs: 300 };

  async function extractorFor(
    shop: Shop,
    integration: Integration,
    use: { interactive?: boolean } = {},
  ): Promise<Result<Extractor>> {
    const client =
      use.interactive && !options.shopifyClientFor
        ? await createShopifyClientForShop({
            shopDomain: shop.domain,
            shopify: config.shopify,
            tokens,
            logger,
            client: INTERACTIVE,
          })
        : await shopifyClientFor(shop);
    if (!client.ok) return client;
    const source = integration.options?.purchaseOrderSource ?? { kind: 'shopify' as const };
    if (source.kind === 'stocky') {
      const apiKey = decryptSecret(source.encryptedApiKey, config.encryptionKey);
      if (!apiKey.ok) return apiKey;
      const stocky = createStockyClient({
        storeName: source.storeName,
        apiKey: apiKey.value,
        ...(config.stockyApiBaseUrl ? { baseUrl: config.stockyApiBaseUrl } : {}),
        logger,
      });
      return ok(
        serialised(
          shop,
          createExtractor({ storage, client: client.value, logger, clock, purchaseOrderSource: 'stocky', stocky }),
        ),
      );
    }
    return ok(serialised(shop, createExtractor({ storage, client: client.value, logger, clock })));
  }

  // One pull per shop at a time in this process: the options step's history read and a sync must not import the
  // same bulk export twice side by side. (Across instances the sync's own one-preparing-run rule applies.)
  const pulls = new Map<string, Promise<unknown>>();
  function serialised(shop: Shop, extractor: Extractor): Extractor {
    return {
      pull(request) {
        const previous = pulls.get(shop.id) ?? Promise.resolve();
        const mine = previous.then(() => extractor.pull(request));
        const settled = mine.catch(() => {});
        pulls.set(shop.id, settled);
        void settled.then(() => {
          if (pulls.get(shop.id) === settled) pulls.delete(shop.id);
        });
        return mine;
      },
    };
  }

  /** Reads the shop's history: all of it the first time (bulk), what changed since afterwards. */
  async function readHistory(shop: Shop, watch: HistoryWatch = {}): Promise<Result<void>> {
    const integration = await getIntegration(storage, shop.id);
    if (!integration) return ok(undefined);
    // Someone waits for this read: an unreachable Shopify is said at once, not after the sync's patient retries.
    const reachable = await checkShopify(shop);
    if (!reachable.ok) return reachable;
    const extractor = await extractorFor(shop, integration, { interactive: true });
    if (!extractor.ok) return extractor;
    const mode = (await lastRunId(storage, shop.id)) === null ? 'backfill' : 'incremental';
    const pulled = await extractor.value.pull({
      shopId: shop.id,
      mode,
      ...(watch.onProgress ? { onProgress: watch.onProgress } : {}),
    });
    return pulled.ok ? ok(undefined) : pulled;
  }

  async function checkShopify(shop: Shop): Promise<Result<void>> {
    // Someone is waiting for the answer: one quick retry, not the sync's patient backoff.
    const client = options.shopifyClientFor
      ? await options.shopifyClientFor(shop)
      : await createShopifyClientForShop({
          shopDomain: shop.domain,
          shopify: config.shopify,
          tokens,
          logger,
          client: INTERACTIVE,
        });
    if (!client.ok) return client;
    const answer = await client.value.request<{ shop: { id: string } }>(documentText('Shop'));
    return answer.ok ? ok(undefined) : answer;
  }

  const sync = createSyncService({ storage, extractorFor, logger, clock });
  const setup = createSetupService({
    storage,
    publicUrl: config.publicUrl,
    soapPath: SOAP_PATH,
    encryptionKey: config.encryptionKey,
    logger,
    clock,
    ...(config.stockyApiBaseUrl ? { stockyBaseUrl: config.stockyApiBaseUrl } : {}),
    // Detailed mode on Pro/Premier: pull the shop first so the projection uses exact counts, not estimates.
    checkModes: async (shop, modes) => {
      const integration = await getIntegration(storage, shop.id);
      if (!integration?.companyFileId) return null;
      const read = await readHistory(shop);
      if (!read.ok) return read;
      const sources = await loadTransformSources(storage, shop.id);
      if (!sources.ok) return sources;
      const companyFile = await getCompanyFile(storage, integration.companyFileId);
      if (!companyFile?.boundCompany) return null;
      const snapshot = await readCompanySnapshot(storage, companyFile.id);
      return checkModesFit(companyFile.boundCompany.edition, snapshot, sources.value, modes);
    },
    shopifyCounts: async (shop) => {
      const sources = await loadTransformSources(storage, shop.id);
      if (!sources.ok) return sources.error.code === 'SYNC_NO_SHOP_RECORD' ? ok(null) : sources;
      return ok(shopifyListCounts(sources.value));
    },
    readHistory,
    checkShopify,
  });
  return { auth, tokens, setup, sync, checkShopify };
}
