import type { StockyPurchaseOrder, StockyStockAdjustment, StockySupplier } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { retryAfterMs } from '../shopify/index.ts';

/**
 * Stocky's read-only v2 API (https://stocky.shopifyapps.com/api/docs/v2.html): `Store-Name: {shop}.myshopify.com`
 * and `Authorization: API KEY={key}` on every request; lists page with `since_id` (ids ascending) and `limit`
 * (max 250).
 *
 * Shopify shut Stocky down on 2026-08-31, its API included
 * (https://help.shopify.com/en/manual/products/inventory/transitioning-from-stocky). Stores may still hold a key
 * and point the connector at a copy of their data, so the source stays; but when the API does not answer, the
 * error says plainly that Stocky is gone and what to use instead, rather than "connection refused".
 */
export const STOCKY_API_URL = 'https://stocky.shopifyapps.com/api/v2/';

export interface StockyClientOptions {
  /** The shop's permanent domain, "example.myshopify.com". */
  storeName: string;
  apiKey: string;
  /** Default STOCKY_API_URL; a simulator URL in tests and demos. */
  baseUrl?: string;
  fetch?: typeof fetch;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Per request. Default 20 s. */
  timeoutMs?: number;
  /** Attempts on 429/5xx before giving up. Default 4. */
  maxRetries?: number;
  pageSize?: number;
}

export interface StockyClient {
  suppliers(): Promise<Result<StockySupplier[]>>;
  purchaseOrders(): Promise<Result<StockyPurchaseOrder[]>>;
  stockAdjustments(): Promise<Result<StockyStockAdjustment[]>>;
  /** Streams one list a page at a time (bounded memory for large archives). */
  pages<T extends { id: number }>(resource: StockyResource): AsyncGenerator<Result<T[]>>;
}

export type StockyResource = 'suppliers' | 'purchase_orders' | 'stock_adjustments';

export function stockyShutDownError(detail: string): ConnectorError {
  return new ConnectorError({
    code: 'STOCKY_SHUT_DOWN',
    message: `The Stocky API did not answer: ${detail}. Shopify shut Stocky and its API down on 2026-08-31.`,
    merchantMessage:
      'Stocky no longer answers: Shopify shut Stocky down, API included, on 31 August 2026. Purchase orders now live in Shopify itself (Products > Purchase orders). In the connector settings, change the purchase-order source from Stocky to Shopify purchase orders. Stocky purchase orders already sent to QuickBooks stay there.',
    merchantMustAct: true,
    retryable: false,
  });
}

function keyRefused(status: number): ConnectorError {
  return new ConnectorError({
    code: 'STOCKY_KEY_REFUSED',
    message: `Stocky refused the API key (HTTP ${status})`,
    merchantMessage:
      'Stocky did not accept the API key. In Stocky, open Preferences > API access and copy the current key into the connector settings.',
    merchantMustAct: true,
  });
}

export function createStockyClient(options: StockyClientOptions): StockyClient {
  const base = new URL(options.baseUrl ?? STOCKY_API_URL);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const fetchFn = options.fetch ?? fetch;
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxRetries = options.maxRetries ?? 4;
  const limit = Math.min(250, options.pageSize ?? 250);

  async function get(path: string, query: Record<string, string>): Promise<Result<Record<string, unknown>>> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchFn(url, {
          headers: {
            'Store-Name': options.storeName,
            Authorization: `API KEY=${options.apiKey}`,
            Accept: 'application/json',
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // DNS failure, refused connection, timeout: after 2026-08-31 this is what Stocky's address gives.
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        if (attempt < 1) {
          await sleep(500);
          continue;
        }
        return err(stockyShutDownError(`${url.host} unreachable (${cause})`));
      }
      if (response.status === 401 || response.status === 403) return err(keyRefused(response.status));
      if (response.status === 404 || response.status === 410) {
        return err(stockyShutDownError(`HTTP ${response.status} from ${url.pathname}`));
      }
      if (response.status === 429 || response.status >= 500) {
        if (attempt < maxRetries) {
          const delay = retryAfterMs(response.headers.get('retry-after')) ?? Math.min(10_000, 500 * 2 ** attempt);
          logger.info('Stocky asked to wait; retrying', { status: response.status, delayMs: delay });
          await sleep(delay);
          continue;
        }
        if (response.status >= 500)
          return err(stockyShutDownError(`HTTP ${response.status} after ${attempt + 1} attempts`));
        return err(
          new ConnectorError({
            code: 'STOCKY_BUSY',
            message: `Stocky kept answering 429 after ${attempt + 1} attempts`,
            merchantMessage: 'Stocky is busy. The connector will try again on the next sync.',
            retryable: true,
          }),
        );
      }
      if (!response.ok) {
        return err(
          new ConnectorError({
            code: 'STOCKY_REQUEST_FAILED',
            message: `Stocky answered HTTP ${response.status} for ${url.pathname}: ${(await response.text()).slice(0, 200)}`,
          }),
        );
      }
      const text = await response.text();
      try {
        return ok(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // An HTML page instead of JSON: the app's address now serves a notice, not the API.
        return err(stockyShutDownError(`non-JSON answer from ${url.pathname}`));
      }
    }
  }

  async function* pages<T extends { id: number }>(resource: StockyResource): AsyncGenerator<Result<T[]>> {
    let sinceId = 0;
    for (;;) {
      const answer = await get(`${resource}.json`, { limit: String(limit), since_id: String(sinceId) });
      if (!answer.ok) {
        yield answer;
        return;
      }
      const items = (answer.value[resource] as T[] | undefined) ?? [];
      if (items.length > 0) yield ok(items);
      if (items.length < limit) return;
      const last = Math.max(...items.map((item) => item.id));
      if (last <= sinceId) return;
      sinceId = last;
    }
  }

  async function all<T extends { id: number }>(resource: StockyResource): Promise<Result<T[]>> {
    const out: T[] = [];
    for await (const page of pages<T>(resource)) {
      if (!page.ok) return page;
      out.push(...page.value);
    }
    return ok(out);
  }

  return {
    suppliers: () => all<StockySupplier>('suppliers'),
    purchaseOrders: () => all<StockyPurchaseOrder>('purchase_orders'),
    stockAdjustments: () => all<StockyStockAdjustment>('stock_adjustments'),
    pages,
  };
}

/**
 * The setup step's check of a Stocky key: one small request. Ok when Stocky accepts the key; otherwise the error
 * says why (key refused, or Stocky shut down).
 */
export async function verifyStockyKey(options: StockyClientOptions): Promise<Result<{ storeName: string }>> {
  const client = createStockyClient({ ...options, pageSize: 1, maxRetries: Math.min(options.maxRetries ?? 1, 1) });
  for await (const page of client.pages('suppliers')) {
    if (!page.ok) return page;
    break;
  }
  return ok({ storeName: options.storeName });
}
