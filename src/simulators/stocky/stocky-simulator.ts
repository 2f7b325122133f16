/**
 * A simulator of Stocky's v2 API (https://stocky.shopifyapps.com/api/docs/v2.html, research §5): read-only JSON
 * endpoints behind a `Store-Name` header and `Authorization: API KEY=<key>`, paged with limit / since_id /
 * updated_since. Stocky shut down on 2026-08-31; the `shut-down-*` modes answer as the retired service does, so
 * the Stocky source can be tested on telling the merchant so.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ShopDataFile } from '../../domain/index.ts';

export type StockyMode = 'live' | 'shut-down-refused' | 'shut-down-page';

export interface StockySimulatorOptions {
  data: ShopDataFile;
  /** The Stocky API key the merchant copied from Preferences → API access. */
  apiKey?: string;
  port?: number;
  host?: string;
  /**
   * live: the API as documented. shut-down-refused: nothing listens (connection refused). shut-down-page: every path
   * answers 404 with the retirement page.
   */
  mode?: StockyMode;
}

export interface StockySimulator {
  /** Base URL of the API, ending in /api/v2/ */
  url: string;
  apiKey: string;
  storeName: string;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 250;

type StockyRecord = { id: number; updated_at: string };

export async function startStockySimulator(options: StockySimulatorOptions): Promise<StockySimulator> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? 'stocky-simulator-key';
  const storeName = options.data.shop.myshopifyDomain;
  const mode = options.mode ?? 'live';
  if (mode === 'shut-down-refused') {
    // Take a free port and let it go again: connecting to it is refused, as stocky.shopifyapps.com is now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, host, resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return { url: `http://${host}:${port}/api/v2/`, apiKey, storeName, close: async () => {} };
  }
  const stocky = options.data.stocky ?? { suppliers: [], purchaseOrders: [], stockAdjustments: [] };
  const collections: Record<string, { plural: string; singular: string; records: StockyRecord[] }> = {
    suppliers: { plural: 'suppliers', singular: 'supplier', records: stocky.suppliers },
    purchase_orders: { plural: 'purchase_orders', singular: 'purchase_order', records: stocky.purchaseOrders },
    stock_adjustments: { plural: 'stock_adjustments', singular: 'stock_adjustment', records: stocky.stockAdjustments },
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (mode === 'shut-down-page') {
      return send(res, 404, 'text/html; charset=utf-8', RETIRED_PAGE);
    }
    const url = new URL(req.url ?? '/', 'http://stocky');
    if (req.method !== 'GET') return json(res, 405, { error: 'Method not allowed' });
    const authorization = req.headers.authorization ?? '';
    if (req.headers['store-name'] !== storeName || authorization !== `API KEY=${apiKey}`) {
      return json(res, 401, { error: 'Unauthorized: check the Store-Name header and the API key' });
    }
    const match = /^\/api\/v2\/([a-z_]+)(?:\/(\d+))?\.json$/.exec(url.pathname);
    const collection = match ? collections[match[1]!] : undefined;
    if (!match || !collection) return json(res, 404, { error: 'Not found' });
    if (match[2]) {
      const record = collection.records.find((r) => r.id === Number(match[2]));
      return record ? json(res, 200, { [collection.singular]: record }) : json(res, 404, { error: 'Not found' });
    }
    const limitParam = url.searchParams.get('limit');
    const limit = limitParam === null ? DEFAULT_LIMIT : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return json(res, 422, { error: `limit must be between 1 and ${MAX_LIMIT}` });
    }
    const sinceId = Number(url.searchParams.get('since_id') ?? 0);
    const updatedSince = url.searchParams.get('updated_since');
    const sinceMs = updatedSince === null ? null : Date.parse(updatedSince);
    if (sinceMs !== null && Number.isNaN(sinceMs)) return json(res, 422, { error: 'updated_since is not a date' });
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const page = [...collection.records]
      .sort((a, b) => a.id - b.id)
      .filter((r) => r.id > sinceId && (sinceMs === null || Date.parse(r.updated_at) >= sinceMs))
      .slice(offset, offset + limit);
    return json(res, 200, { [collection.plural]: page });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/api/v2/`,
    apiKey,
    storeName,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const RETIRED_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Stocky is no longer available</title></head>
<body><h1>Stocky is no longer available</h1>
<p>Stocky was retired on August 31, 2026. Purchase orders, suppliers and transfers are now managed in Shopify admin.</p>
</body></html>
`;

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
