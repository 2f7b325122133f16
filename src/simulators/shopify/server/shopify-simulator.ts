/**
 * The Shopify simulator: the Admin GraphQL API over real HTTP, built from Shopify's own schema, with access-token
 * checks, the cost model and its leaky bucket, bulk operations, the token-exchange endpoint and signed webhooks.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentNode, FragmentDefinitionNode, GraphQLError, OperationDefinitionNode } from 'graphql';
import { execute, Kind, parse, validate } from 'graphql';
import type { Order, Refund, ShopDataFile } from '../../../domain/index.ts';
import type { Logger } from '../../../logger/index.ts';
import { createLogger } from '../../../logger/index.ts';
import { type BulkSpeed, createBulkRunner } from './bulk.ts';
import { actualCost, CostBucket, requestedCost } from './cost.ts';
import type { BulkOperationRecord, ResolverContext } from './resolvers.ts';
import { fieldResolver, typeResolver } from './resolvers.ts';
import { loadShopifySchemas } from './schema.ts';
import type { DataChange } from './store.ts';
import { ShopStore } from './store.ts';

export const API_VERSION = '2026-10';
const MAX_BODY_BYTES = 1_000_000;

export interface ShopifySimulatorOptions {
  data: ShopDataFile;
  /** 0 (default) picks a free port on 127.0.0.1. */
  port?: number;
  host?: string;
  apiVersion?: string;
  /** Admin API access tokens accepted as they are (the single-store path: a token in configuration). */
  accessTokens?: string[];
  /** The app's client id (API key) and secret: session tokens, token exchange and webhook signatures use them. */
  clientId?: string;
  appSecret?: string;
  /** Scopes granted to tokens. */
  scopes?: string;
  /** The leaky bucket: Shopify's standard plan is 2000 points restoring 100/s. Tests use a tiny one. */
  throttle?: { maximumAvailable: number; restoreRate: number };
  /** How long bulk operations take (see the model in bulk.ts). */
  bulkSpeed?: BulkSpeed;
  /** Bulk queries that may run at a time (default 5, as from API 2026-01). */
  bulkConcurrency?: number;
  /** Shopify refuses single queries above 1000 points. */
  maxQueryCost?: number;
  /** Where webhooks go (every topic), and the delays between delivery attempts after a non-2xx answer. */
  webhookUrl?: string | null;
  webhookRetryDelaysMs?: number[];
  schemaDir?: string;
  now?: () => number;
  logger?: Logger;
}

export interface WebhookDelivery {
  topic: string;
  eventId: string;
  attempts: number;
  status: number | null;
  delivered: boolean;
}

export interface ShopifySimulator {
  url: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:PORT/admin/api/2026-10/graphql.json */
  graphqlUrl: string;
  shopDomain: string;
  accessToken: string;
  clientId: string;
  appSecret: string;
  store: ShopStore;
  /** Test hooks: change data as a merchant would, then Shopify's webhooks go out. */
  editOrder(id: string, edit: (order: Order) => void): Promise<void>;
  addRefund(orderId: string, refund: Refund): Promise<void>;
  addOrder(order: Order): Promise<void>;
  cancelOrder(id: string, reason?: string): Promise<void>;
  sendWebhook(topic: string, payload: Record<string, unknown>): Promise<WebhookDelivery>;
  /** Resolves when every webhook delivery (with its retries) has finished. */
  webhooksSettled(): Promise<void>;
  deliveries: WebhookDelivery[];
  bulkOperations: BulkOperationRecord[];
  close(): Promise<void>;
}

interface IssuedToken {
  expiresAtMs: number | null;
}

const defaultLog = createLogger({ base: { component: 'shopify-simulator' } });

export async function startShopifySimulator(options: ShopifySimulatorOptions): Promise<ShopifySimulator> {
  const now = options.now ?? Date.now;
  const log = options.logger ?? defaultLog;
  const schemas = loadShopifySchemas(options.schemaDir);
  const store = new ShopStore(options.data, now);
  const apiVersion = options.apiVersion ?? API_VERSION;
  const clientId = options.clientId ?? 'simulated-client-id';
  const appSecret = options.appSecret ?? 'simulated-app-secret';
  const scopes =
    options.scopes ??
    'read_orders,read_all_orders,read_customers,read_products,read_inventory,read_locations,read_shopify_payments_payouts,read_inventory_purchase_orders,read_inventory_transfers';
  const staticTokens = new Set(options.accessTokens ?? ['shpat_simulator']);
  const issuedTokens = new Map<string, IssuedToken>();
  const refreshTokens = new Map<string, true>();
  const bucket = new CostBucket(options.throttle?.maximumAvailable ?? 2000, options.throttle?.restoreRate ?? 100, now);
  const maxQueryCost = options.maxQueryCost ?? 1000;
  const bulkDir = await mkdtemp(join(tmpdir(), 'shopify-sim-bulk-'));
  const deliveries: WebhookDelivery[] = [];
  const pending = new Set<Promise<unknown>>();
  const retryDelays = options.webhookRetryDelaysMs ?? [1000, 5000, 30_000];
  const shopDomain = options.data.shop.myshopifyDomain;
  let baseUrl = '';
  let closed = false;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    promise.finally(() => pending.delete(promise)).catch(() => {});
    return promise;
  };

  async function sendWebhook(topic: string, payload: Record<string, unknown>): Promise<WebhookDelivery> {
    const delivery: WebhookDelivery = { topic, eventId: randomUUID(), attempts: 0, status: null, delivered: false };
    deliveries.push(delivery);
    const target = options.webhookUrl;
    if (!target) return delivery;
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', appSecret).update(body, 'utf8').digest('base64'),
      'x-shopify-shop-domain': shopDomain,
      'x-shopify-api-version': apiVersion,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': delivery.eventId,
      'x-shopify-triggered-at': new Date(now()).toISOString(),
    };
    const attempt = async (): Promise<void> => {
      for (let i = 0; i <= retryDelays.length && !closed; i++) {
        delivery.attempts++;
        try {
          // Shopify gives up on a delivery after 5 s.
          const response = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
          delivery.status = response.status;
          await response.arrayBuffer();
          if (response.ok) {
            delivery.delivered = true;
            return;
          }
        } catch {
          delivery.status = null;
        }
        if (i < retryDelays.length) await new Promise((resolve) => setTimeout(resolve, retryDelays[i]));
      }
    };
    await track(attempt());
    return delivery;
  }

  async function announce(change: DataChange): Promise<void> {
    for (const topic of change.topics) await sendWebhook(topic, change.payload);
  }

  function contextFor(bulk: ResolverContext['bulk']): ResolverContext {
    return { store, bulk, bulkOperations: bulkRunner.operations, runBulkQuery: bulkRunner.runQuery };
  }

  const bulkRunner = createBulkRunner({
    schemaFor: (query) => (usesPurchaseOrders(query) ? schemas.unstable : schemas.stable),
    contextFor,
    directory: bulkDir,
    ...(options.bulkSpeed ? { speed: options.bulkSpeed } : {}),
    ...(options.bulkConcurrency ? { concurrency: options.bulkConcurrency } : {}),
    now,
    log,
    baseUrl: () => baseUrl,
    closed: () => closed,
    track,
    finished: async (operation) => {
      await sendWebhook('bulk_operations/finish', {
        admin_graphql_api_id: operation.id,
        completed_at: operation.completedAt,
        created_at: operation.createdAt,
        error_code: operation.errorCode?.toLowerCase() ?? null,
        status: operation.status.toLowerCase(),
        type: 'query',
      });
    },
  });

  function authorised(req: IncomingMessage): boolean {
    const token = req.headers['x-shopify-access-token'];
    if (typeof token !== 'string') return false;
    if (staticTokens.has(token)) return true;
    const issued = issuedTokens.get(token);
    return issued !== undefined && (issued.expiresAtMs === null || issued.expiresAtMs > now());
  }

  async function handleGraphql(req: IncomingMessage, res: ServerResponse, version: string): Promise<void> {
    if (!authorised(req)) {
      // Shopify's exact answer to a missing or wrong token.
      return sendJson(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    const body = await readBody(req, res);
    if (body === null) return;
    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return sendJson(res, 400, { errors: 'Request body is not JSON.' });
    }
    if (typeof request.query !== 'string')
      return sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      return sendJson(res, 200, {
        errors: [{ message: (error as GraphQLError).message, extensions: { code: 'PARSE_ERROR' } }],
      });
    }
    const schema = version === 'unstable' || usesPurchaseOrders(request.query) ? schemas.unstable : schemas.stable;
    const validation = validate(schema, document);
    if (validation.length > 0) return sendJson(res, 200, { errors: validation.map((e) => e.toJSON()) });
    const variables = (request.variables ?? {}) as Record<string, unknown>;
    const operationName = typeof request.operationName === 'string' ? request.operationName : null;
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    if (!operation) return sendJson(res, 200, { errors: [{ message: 'No operation to run' }] });
    const fragments = document.definitions.filter(
      (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
    );
    const requested = requestedCost(schema, operation, fragments, variables);
    if (requested > maxQueryCost) {
      return sendJson(res, 200, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxQueryCost}).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: maxQueryCost },
          },
        ],
      });
    }
    if (!bucket.take(requested)) {
      return sendJson(res, 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
      });
    }
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: contextFor(null),
      fieldResolver,
      typeResolver,
    });
    const actual = Math.min(requested, actualCost(schema, operation, fragments, variables, result.data));
    bucket.giveBack(requested - actual);
    const payload: Record<string, unknown> = {};
    if (result.errors) payload.errors = result.errors.map((e) => e.toJSON());
    payload.data = result.data ?? null;
    payload.extensions = {
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() },
    };
    res.setHeader('x-shopify-api-version', version === 'unstable' ? 'unstable' : apiVersion);
    sendJson(res, 200, payload);
  }

  async function handleTokenRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, res);
    if (body === null) return;
    let params: Record<string, string>;
    try {
      params = (req.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(body) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(body));
    } catch {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'The body is neither JSON nor a form.',
      });
    }
    if (params.client_id !== clientId || !safeEqual(params.client_secret ?? '', appSecret)) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'Client credentials are invalid' });
    }
    const expiring = String(params.expiring ?? '0') === '1';
    if (params.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      const claims = verifySessionToken(params.subject_token ?? '', appSecret, clientId, now());
      if (typeof claims === 'string')
        return sendJson(res, 400, { error: 'invalid_subject_token', error_description: claims });
      if (claims.dest !== `https://${shopDomain}`) {
        return sendJson(res, 400, {
          error: 'invalid_subject_token',
          error_description: `The session token is for ${String(claims.dest)}, not ${shopDomain}`,
        });
      }
      const online = params.requested_token_type === 'urn:shopify:params:oauth:token-type:online-access-token';
      return sendJson(res, 200, issue(online ? 'online' : expiring ? 'expiring' : 'offline', claims.sub));
    }
    if (params.grant_type === 'refresh_token') {
      const presented = params.refresh_token ?? '';
      if (!refreshTokens.delete(presented)) {
        return sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'The refresh token is invalid, expired or already used.',
        });
      }
      return sendJson(res, 200, issue('expiring', undefined));
    }
    return sendJson(res, 400, {
      error: 'unsupported_grant_type',
      error_description: `Unsupported grant_type ${params.grant_type}`,
    });
  }

  function issue(kind: 'online' | 'offline' | 'expiring', user: unknown): Record<string, unknown> {
    const accessToken = `shpat_${randomBytes(16).toString('hex')}`;
    if (kind === 'offline') {
      issuedTokens.set(accessToken, { expiresAtMs: null });
      return { access_token: accessToken, scope: scopes };
    }
    if (kind === 'online') {
      issuedTokens.set(accessToken, { expiresAtMs: now() + 86_399_000 });
      return {
        access_token: accessToken,
        scope: scopes,
        expires_in: 86_399,
        associated_user_scope: scopes,
        associated_user: { id: Number(user ?? 1) },
      };
    }
    // Expiring offline tokens: one hour, with a refresh token that is replaced on every refresh.
    issuedTokens.set(accessToken, { expiresAtMs: now() + 3_600_000 });
    const refreshToken = `shprt_${randomBytes(16).toString('hex')}`;
    refreshTokens.set(refreshToken, true);
    return {
      access_token: accessToken,
      expires_in: 3600,
      refresh_token: refreshToken,
      refresh_token_expires_in: 7_776_000,
      scope: scopes,
    };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const graphql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    const handle = async () => {
      if (graphql && req.method === 'POST') {
        const version = graphql[1]!;
        if (version !== apiVersion && version !== 'unstable') {
          return sendJson(res, 404, {
            errors: `The Shopify simulator serves API version ${apiVersion} (and unstable), not ${version}.`,
          });
        }
        return handleGraphql(req, res, version);
      }
      if (url.pathname === '/admin/oauth/access_token' && req.method === 'POST') return handleTokenRequest(req, res);
      if (url.pathname.startsWith('/bulk-results/') && req.method === 'GET')
        return bulkRunner.serveFile(res, url.pathname.slice('/bulk-results/'.length));
      sendJson(res, 404, { errors: 'Not Found' });
    };
    handle().catch((error: unknown) => {
      log.error('simulator request failed', { path: url.pathname, error: (error as Error).message });
      if (!res.headersSent) sendJson(res, 500, { errors: 'Internal error in the Shopify simulator' });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const firstToken = [...staticTokens][0]!;

  return {
    url: baseUrl,
    graphqlUrl: `${baseUrl}/admin/api/${apiVersion}/graphql.json`,
    shopDomain,
    accessToken: firstToken,
    clientId,
    appSecret,
    store,
    deliveries,
    bulkOperations: bulkRunner.operations,
    editOrder: (id, edit) => announce(store.editOrder(id, edit)),
    addRefund: (orderId, refund) => announce(store.addRefund(orderId, refund)),
    addOrder: (order) => announce(store.addOrder(order)),
    cancelOrder: (id, reason) => announce(store.cancelOrder(id, reason)),
    sendWebhook,
    async webhooksSettled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
      await rm(bulkDir, { recursive: true, force: true });
    },
  };
}

function usesPurchaseOrders(query: string): boolean {
  return /\binventoryPurchaseOrders?\b/.test(query);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Verifies an App Bridge session token (JWT, HS256, signed with the app secret, aud = client id). */
export function verifySessionToken(
  token: string,
  secret: string,
  clientId: string,
  nowMs: number,
): Record<string, unknown> | string {
  const parts = token.split('.');
  if (parts.length !== 3) return 'The session token is not a JWT';
  const [head, body, signature] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'The session token is not a JWT';
  }
  if (header.alg !== 'HS256') return `The session token uses ${String(header.alg)}, not HS256`;
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  if (!safeEqual(signature, expected)) return 'The session token signature does not match the app secret';
  if (claims.aud !== clientId) return 'The session token was issued for another app (aud)';
  // shopify-api allows 10 s of clock skew on exp and nbf.
  const seconds = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + 10 < seconds) return 'The session token has expired';
  if (typeof claims.nbf === 'number' && claims.nbf - 10 > seconds) return 'The session token is not valid yet';
  return claims;
}

/** Signs a session token as App Bridge would (tests and the demo use it to drive token exchange). */
export function signSessionToken(claims: Record<string, unknown>, secret: string): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      sendJson(res, 413, { errors: `Request body larger than ${MAX_BODY_BYTES} bytes` });
      req.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
