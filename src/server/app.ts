import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { listAttention, markEnteredInQuickBooks, retryAttention } from '../attention/index.ts';
import type { Config } from '../config/index.ts';
import { ConnectorError, err, ok, type Result, toConnectorError } from '../errors/index.ts';
import { createShopifyWebhookHandler } from '../extract/index.ts';
import { isPreparing } from '../integration/index.ts';
import type { Logger } from '../logger/index.ts';
import { createDeliveryBackend } from '../qbwc/delivery/index.ts';
import { createWebConnectorService } from '../qbwc/soap/index.ts';
import { createReconciliationService, parsePeriod } from '../reconcile/index.ts';
import { createScheduler, type Scheduler } from '../scheduler/index.ts';
import { createConnectorServices, SOAP_PATH } from '../services/index.ts';
import { parseModes, type SetupService } from '../setup/index.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import { getShopByDomain, openDatabase, type Shop, type Storage } from '../storage/index.ts';
import type { SyncService } from '../sync/index.ts';
import { type AdminSessions, createAdminSessions } from './admin-sessions.ts';
import { documentsRoute } from './documents-routes.ts';
import {
  applyServerTimeouts,
  BadUrlError,
  BodyTooLargeError,
  createRouter,
  readBody,
  requestUrl,
  sendError,
  sendJson,
  sendText,
} from './http.ts';
import { createStaticApp } from './static-files.ts';
import { addWebRoutes, type Caller, isAppPath } from './web-routes.ts';

export { SOAP_PATH };
export const WEBHOOK_PATH = '/webhooks/shopify';
/** Where `npm run build:web` puts the admin app. */
export const DEFAULT_WEB_DIR = join(import.meta.dirname, '..', '..', 'dist', 'web');

export interface ConnectorApp {
  readonly config: Config;
  readonly storage: Storage;
  readonly setup: SetupService;
  readonly sync: SyncService;
  readonly scheduler: Scheduler;
  /** The admin app's cookie sessions (the demo makes its one-time sign-in link here). */
  readonly adminSessions: AdminSessions;
  readonly server: Server;
  /** Where the server listens (http://127.0.0.1:PORT). */
  readonly url: string;
  close(): Promise<void>;
}

export interface ConnectorAppOptions {
  logger: Logger;
  clock?: () => Date;
  /** Override how a shop's Shopify client is made (tests); default: from the configuration. */
  shopifyClientFor?: (shop: Shop) => Promise<Result<AdminGraphqlClient>>;
  /** Start the scheduler's timer (default true). Tests call `scheduler.tick()` themselves. */
  startScheduler?: boolean;
  /** The built admin app served under /app (default `dist/web/`). */
  webDir?: string;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Stored secrets the services hand around internally (the company file's app-token hash, the encrypted Stocky
 * key) stay on the server: the JSON API serves a shop's setup and integration records, never these fields. A hash
 * or a ciphertext in the browser is one leak (a log, an extension, a screenshot) away from an offline attack.
 */
const STORED_SECRET_FIELDS = new Set(['appTokenHash', 'encryptedApiKey']);

export function withoutStoredSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || depth > 16) return value;
  if (Array.isArray(value)) return value.map((item) => withoutStoredSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!STORED_SECRET_FIELDS.has(key)) out[key] = withoutStoredSecrets(item, depth + 1);
  }
  return out;
}

/**
 * The composition root: configuration in, a running connector out — storage (migrated), the Web Connector SOAP
 * endpoint on the delivery backend, Shopify webhooks, the JSON API the admin UI and scripts use, and the scheduler.
 */
export async function startConnector(config: Config, options: ConnectorAppOptions): Promise<ConnectorApp> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const storage = await openDatabase({
    ...(config.database.engine === 'postgres'
      ? { url: config.database.url }
      : { sqlitePath: config.database.sqlitePath }),
    logger,
  });
  const { auth, tokens, setup, sync } = createConnectorServices(config, storage, {
    logger,
    clock,
    ...(options.shopifyClientFor ? { shopifyClientFor: options.shopifyClientFor } : {}),
  });
  // Runs left preparing by a process that died are taken over by the scheduler once their lease lapses (on SQLite
  // too: a `qbd-connector sync` in another process may be preparing one right now).
  const scheduler = createScheduler({ storage, sync, logger, clock, tickMs: config.schedulerTickMs });
  const reconciliation = createReconciliationService({ storage, clock });
  const backend = createDeliveryBackend({
    storage,
    logger,
    clock,
    isPreparingWork: (companyFileId) => isPreparing(storage, companyFileId, clock()),
  });
  const soap = createWebConnectorService(backend, {
    logger,
    maxBodyBytes: config.maxBodyBytes,
    publicUrl: `${config.publicUrl}${SOAP_PATH}`,
  });
  const webhooks = config.shopify.apiSecret
    ? createShopifyWebhookHandler({
        storage,
        apiSecret: config.shopify.apiSecret,
        logger,
        clock,
        onUninstalled: async (domain) => tokens.remove(domain),
      })
    : null;

  const adminSessions = createAdminSessions({
    storage,
    adminApiToken: config.adminApiToken,
    secret: config.encryptionKey,
    secure: config.publicUrl.startsWith('https://'),
    logger,
    clock,
  });
  const staticApp = createStaticApp({ dir: options.webDir ?? DEFAULT_WEB_DIR, apiKey: config.shopify.apiKey });

  const denied = (why: string) =>
    err(
      new ConnectorError({
        code: 'API_UNAUTHORISED',
        message: why,
        merchantMessage: 'You are not signed in to this shop’s connector.',
        merchantMustAct: true,
      }),
    );

  /**
   * Who is asking: the operator (the API token as a bearer, or the admin app's session cookie with its CSRF
   * token) or a shop (a Shopify session token, verified).
   */
  async function caller(request: IncomingMessage): Promise<Result<Caller>> {
    const header = request.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (bearer && config.adminApiToken && safeEqual(bearer, config.adminApiToken)) return ok({ kind: 'operator' });
    if (bearer && auth) {
      const claims = await auth.verifySessionToken(bearer);
      if (claims.ok) return ok({ kind: 'shop', shopDomain: claims.value.shopDomain });
    }
    if (bearer) return denied('The bearer token is neither the API token nor a valid session token');
    const session = await adminSessions.check(request);
    if (!session.ok) return session;
    return ok({ kind: 'operator' });
  }

  /** Which shops a request may see: all (the operator) or the one in its Shopify session token. */
  async function authorise(request: IncomingMessage, shopDomain: string): Promise<Result<Shop>> {
    const who = await caller(request);
    if (!who.ok) return who;
    // One shop never sees another's data: the session token names its shop, and only that one is served.
    if (who.value.kind === 'shop' && who.value.shopDomain !== shopDomain.toLowerCase()) {
      return denied(`No valid credentials for ${shopDomain}`);
    }
    const shop = await getShopByDomain(storage, shopDomain.toLowerCase());
    if (!shop) {
      return err(
        new ConnectorError({
          code: 'SETUP_SHOP_UNKNOWN',
          message: `Unknown shop ${shopDomain}`,
          merchantMessage: 'This shop is not registered with the connector.',
          merchantMustAct: true,
        }),
      );
    }
    return ok(shop);
  }

  async function jsonBody(request: IncomingMessage): Promise<Result<Record<string, unknown>>> {
    const raw = await readBody(request, 1024 * 1024);
    if (raw.length === 0) return ok({});
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return ok(parsed as Record<string, unknown>);
    } catch {
      return err(
        new ConnectorError({
          code: 'API_BAD_JSON',
          message: 'Request body is not a JSON object',
          merchantMessage: 'The request could not be read.',
        }),
      );
    }
  }

  const answer = (response: ServerResponse, result: Result<unknown>, okStatus = 200) => {
    if (result.ok) sendJson(response, okStatus, withoutStoredSecrets(result.value));
    else
      sendError(
        response,
        result.error.code === 'API_UNAUTHORISED'
          ? 401
          : result.error.code === 'API_CSRF_REFUSED'
            ? 403
            : result.error.code.endsWith('_UNKNOWN')
              ? 404
              : 409,
        result.error,
      );
  };

  type ShopRoute = (shop: Shop, request: IncomingMessage, params: Record<string, string>) => Promise<Result<unknown>>;
  const shopRoute =
    (handler: ShopRoute, okStatus = 200) =>
    async (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => {
      const shop = await authorise(request, params.shop!);
      if (!shop.ok) return answer(response, shop);
      answer(response, await handler(shop.value, request, params), okStatus);
    };

  const router = createRouter()
    .add('GET', '/healthz', async (_req, res) => {
      await storage.db.selectFrom('shops').select('id').limit(1).execute();
      sendJson(res, 200, { ok: true, database: storage.engine });
    })
    .add('GET', '/support', (_req, res) =>
      sendText(
        res,
        200,
        'QuickBooks Desktop Connector for Shopify.\nSync status and anything that needs your attention are shown in the app inside Shopify admin, or with `qbd-connector status`.\n',
      ),
    )
    .add('POST', SOAP_PATH, (req, res) => soap(req, res))
    .add('GET', SOAP_PATH, (req, res) => soap(req, res))
    .add('POST', WEBHOOK_PATH, async (req, res) => {
      if (!webhooks) return sendText(res, 404, 'Webhooks are not configured (SHOPIFY_API_SECRET).');
      const raw = await readBody(req, 2 * 1024 * 1024);
      const result = await webhooks({ rawBody: raw, headers: req.headers });
      sendText(res, result.status, result.body);
    })
    .add(
      'GET',
      '/api/shops/:shop/setup',
      shopRoute((shop) => setup.status(shop.domain)),
    )
    .add(
      'POST',
      '/api/shops/:shop/setup/app-token',
      shopRoute((shop) => setup.issueAppToken(shop.domain), 201),
    )
    .add('GET', '/api/shops/:shop/setup/qwc', async (req, res, params) => {
      const shop = await authorise(req, params.shop!);
      if (!shop.ok) return answer(res, shop);
      const qwc = await setup.qwcFile(shop.value.domain);
      if (!qwc.ok) return answer(res, qwc);
      res.writeHead(200, {
        'content-type': 'application/xml; charset=utf-8',
        'content-disposition': `attachment; filename="${shop.value.domain.replace(/[^a-z0-9.-]/g, '')}.qwc"`,
      });
      res.end(qwc.value);
    })
    .add(
      'POST',
      '/api/shops/:shop/setup/refresh-company-lists',
      shopRoute((shop) => setup.refreshCompanyLists(shop.domain)),
    )
    .add(
      'POST',
      '/api/shops/:shop/setup/sales-tax-check',
      shopRoute((shop) => setup.checkSalesTax(shop.domain)),
    )
    .add(
      'POST',
      '/api/shops/:shop/setup/zero-rate-tax-item',
      shopRoute((shop) => setup.createZeroRateTaxItem(shop.domain)),
    )
    .add(
      'GET',
      '/api/shops/:shop/setup/options',
      shopRoute((shop) => setup.proposeOptions(shop.domain)),
    )
    .add('GET', '/api/shops/:shop/setup/list-projection', async (req, res, params, url) => {
      // The 14,500 rule in numbers for the choices on screen (?customers=detailed…), before they are saved.
      const shop = await authorise(req, params.shop!);
      if (!shop.ok) return answer(res, shop);
      const modes = parseModes(Object.fromEntries(url.searchParams.entries()));
      if (!modes.ok) return sendError(res, 400, modes.error);
      answer(res, await setup.listProjection(shop.value.domain, modes.value));
    })
    .add(
      'PUT',
      '/api/shops/:shop/setup/options',
      shopRoute(async (shop, request) => {
        const body = await jsonBody(request);
        if (!body.ok) return body;
        return setup.saveOptions(shop.domain, body.value);
      }),
    )
    .add(
      'POST',
      '/api/shops/:shop/setup/start',
      shopRoute(async (shop) => {
        const started = await setup.start(shop.domain);
        if (!started.ok) return started;
        const run = await sync.start(shop.id, 'start');
        if (!run.ok) return run;
        void sync.execute(run.value);
        return ok({ integration: started.value, syncRun: run.value });
      }, 201),
    )
    .add(
      'POST',
      '/api/shops/:shop/sync',
      shopRoute(async (shop) => {
        const run = await sync.start(shop.id, 'manual');
        if (!run.ok) return run;
        // Preparing runs in the background; the answer says where to follow it.
        void sync.execute(run.value);
        return ok(run.value);
      }, 202),
    )
    .add(
      'GET',
      '/api/shops/:shop/sync-runs',
      shopRoute(async (shop) => ok(await sync.history(shop.id))),
    )
    .add(
      'GET',
      '/api/shops/:shop/sync-runs/:run',
      shopRoute(async (shop, _req, params) => {
        const progress = await sync.progress(params.run!);
        if (!progress || progress.run.shopId !== shop.id) {
          return err(
            new ConnectorError({
              code: 'SYNC_RUN_UNKNOWN',
              message: 'No such sync run',
              merchantMessage: 'No such sync.',
            }),
          );
        }
        return ok(progress);
      }),
    )
    .add('GET', '/api/shops/:shop/reconciliation', async (req, res, params, url) => {
      const shop = await authorise(req, params.shop!);
      if (!shop.ok) return answer(res, shop);
      const period = parsePeriod(url.searchParams.get('from'), url.searchParams.get('to'));
      if (!period.ok) return sendError(res, 400, period.error);
      // QuickBooks is read through the Web Connector: until it has answered this is 202 with when it will be.
      const result = await reconciliation.reconcile(shop.value, period.value, {
        refresh: url.searchParams.get('refresh') === 'true',
      });
      if (!result.ok) return answer(res, result);
      sendJson(res, result.value.answer.state === 'ready' ? 200 : 202, result.value.answer);
    })
    .add('GET', '/api/shops/:shop/documents', documentsRoute({ storage, authorise, refuse: answer }))
    .add(
      'GET',
      '/api/shops/:shop/attention',
      shopRoute(async (shop) => {
        const status = await setup.status(shop.domain);
        if (!status.ok) return status;
        const companyFileId = status.value.companyFile?.id ?? null;
        return ok(await listAttention(storage, { shopId: shop.id, companyFileId, now: clock() }));
      }),
    )
    .add(
      'POST',
      '/api/shops/:shop/attention/:entry/retry',
      shopRoute(async (shop, _req, params) => {
        const status = await setup.status(shop.domain);
        if (!status.ok) return status;
        // Only an item listed for this shop now can be retried through its URL.
        const retried = await retryAttention(storage, {
          shopId: shop.id,
          companyFileId: status.value.companyFile?.id ?? null,
          now: clock(),
          id: params.entry!,
          actor: 'merchant',
          startSync: async () => {
            const run = await sync.start(shop.id, 'manual');
            if (run.ok) void sync.execute(run.value);
            return run;
          },
        });
        if (!retried.ok) return retried;
        return ok(retried.value.type === 'document' ? retried.value.entry : retried.value.run);
      }),
    )
    .add(
      'POST',
      '/api/shops/:shop/attention/:entry/entered-in-quickbooks',
      shopRoute(async (shop, req, params) => {
        const body = await jsonBody(req);
        if (!body.ok) return body;
        const status = await setup.status(shop.domain);
        if (!status.ok) return status;
        // The merchant entered it in QuickBooks by hand: recorded, never posted, no longer listed.
        return markEnteredInQuickBooks(storage, {
          shopId: shop.id,
          companyFileId: status.value.companyFile?.id ?? null,
          now: clock(),
          id: params.entry!,
          actor: 'merchant',
          enteredBy: body.value.enteredBy as string | null | undefined,
          note: body.value.note as string | null | undefined,
        });
      }),
    );
  addWebRoutes(router, { storage, setup, sessions: adminSessions, staticApp, clock, caller, authorise, answer });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const path = (request.url ?? '/').split('?')[0]!;
      if (isAppPath(path)) return staticApp.handle(request, response, requestUrl(request));
      const handled = await router.handle(request, response);
      if (!handled) sendJson(response, 404, { error: { code: 'NOT_FOUND', message: 'Not found.' } });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendError(response, 413, error);
      if (error instanceof BadUrlError) return sendError(response, 400, error);
      const wrapped = toConnectorError(error);
      logger.error('request failed', {
        method: request.method,
        path: request.url?.split('?')[0],
        error: wrapped.toJSON(),
      });
      if (!response.headersSent) sendError(response, 500, wrapped);
      else response.end();
    }
  }

  const server = applyServerTimeouts(
    config.tls
      ? createHttpsServer(
          { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) },
          (req, res) => {
            void handle(req, res);
          },
        )
      : createHttpServer((req, res) => {
          void handle(req, res);
        }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `${config.tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  if (options.startScheduler ?? true) scheduler.start();
  logger.info('connector listening', { url, database: storage.engine, location: storage.location });

  return {
    config,
    storage,
    setup,
    sync,
    scheduler,
    adminSessions,
    server,
    url,
    async close() {
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await storage.close();
    },
  };
}
