/**
 * Whether the settings offer Stocky as the purchase-order source. Shopify shut Stocky down, API included, on
 * 2026-08-31 (https://help.shopify.com/en/manual/products/inventory/transitioning-from-stocky): purchase orders
 * live in Shopify now, so Stocky is offered only to a store that still holds Stocky data the connector can know
 * of — without a key Stocky's API answers nobody, so the facts are the connector's own:
 * - a Stocky key saved for the store (the merchant chose Stocky before);
 * - Stocky records already read for the store (kept through a reset of the integration);
 * - a Stocky address configured (`STOCKY_API_BASE_URL`): the operator points the connector at where the store's
 *   Stocky data is served now, since stocky.shopifyapps.com no longer answers.
 * With a saved key Stocky itself is asked, once, whether it still answers to it.
 */
import type { Result } from '../errors/index.ts';
import { createSourceRecordReader } from '../extract/index.ts';
import type { Integration } from '../integration/index.ts';
import { decryptSecret } from '../shopify/index.ts';
import { verifyStockyKey } from '../stocky/index.ts';
import type { Shop } from '../storage/index.ts';
import type { SetupContext } from './context.ts';

/** The day Stocky and its API stopped, as Shopify announced it. */
export const STOCKY_SHUT_DOWN_ON = '2026-08-31';

export type StockyReason = 'key-saved' | 'records-read' | 'address-configured';

export interface StockyOffer {
  /** Whether the settings show Stocky as a purchase-order source. */
  offered: boolean;
  /** The facts that make it offered (empty: not offered). */
  reasons: StockyReason[];
  shutDownOn: typeof STOCKY_SHUT_DOWN_ON;
  /**
   * Stocky's answer to the saved key, asked now (null without a saved key): `answers`; `refused` (the key),
   * `shut-down` (nothing answers, or the retirement page) or `unavailable` (busy, failing), each with the
   * explanation in the merchant's words.
   */
  answer:
    | { state: 'answers' }
    | { state: 'refused' | 'shut-down' | 'unavailable'; code: string; message: string }
    | null;
}

/** A person waits for the settings: Stocky gets a few seconds, not a sync's patience. */
const ASK_TIMEOUT_MS = 5_000;

export async function stockyOffer(
  ctx: SetupContext,
  shop: Shop,
  integration: Integration,
  options: { ask?: boolean } = {},
): Promise<StockyOffer> {
  const reasons: StockyReason[] = [];
  const source = integration.options?.purchaseOrderSource;
  if (source?.kind === 'stocky') reasons.push('key-saved');
  const reader = createSourceRecordReader(ctx.storage);
  for (const kind of ['stockySupplier', 'stockyPurchaseOrder', 'stockyStockAdjustment'] as const) {
    if ((await reader.latest(shop.id, kind, { limit: 1 })).length > 0) {
      reasons.push('records-read');
      break;
    }
  }
  if (ctx.options.stockyBaseUrl) reasons.push('address-configured');
  let answer: StockyOffer['answer'] = null;
  if (source?.kind === 'stocky' && (options.ask ?? true)) answer = await askStocky(ctx, source);
  return { offered: reasons.length > 0, reasons, shutDownOn: STOCKY_SHUT_DOWN_ON, answer };
}

async function askStocky(
  ctx: SetupContext,
  source: { storeName: string; encryptedApiKey: string },
): Promise<NonNullable<StockyOffer['answer']>> {
  const key = decryptSecret(source.encryptedApiKey, ctx.options.encryptionKey);
  if (!key.ok) return { state: 'refused', code: key.error.code, message: key.error.merchantMessage };
  const verified: Result<unknown> = await verifyStockyKey({
    storeName: source.storeName,
    apiKey: key.value,
    ...(ctx.options.stockyBaseUrl ? { baseUrl: ctx.options.stockyBaseUrl } : {}),
    logger: ctx.logger,
    timeoutMs: ASK_TIMEOUT_MS,
  });
  if (verified.ok) return { state: 'answers' };
  const code = verified.error.code;
  return {
    state: code === 'STOCKY_SHUT_DOWN' ? 'shut-down' : code === 'STOCKY_KEY_REFUSED' ? 'refused' : 'unavailable',
    code,
    message: verified.error.merchantMessage,
  };
}

/** Saving Stocky where it is not offered: said plainly, with what to choose instead. */
export const STOCKY_NOT_OFFERED =
  'Stocky shut down on 31 August 2026, and the connector knows of no Stocky data for this store (no Stocky key saved, no Stocky records read, no Stocky address configured). Choose Shopify purchase orders (Products > Purchase orders in Shopify admin).';
