/**
 * What the admin app needs beyond the setup and sync routes: its page and files under /app, the standalone
 * sign-in (/auth/…), the shops a credential may open, the Web Connector's last contact, and the settings that
 * may change after the start.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { recentSessions } from '../qbwc/session/index.ts';
import type { SetupService } from '../setup/index.ts';
import { listShops, type Shop, type Storage } from '../storage/index.ts';
import type { AdminSessions } from './admin-sessions.ts';
import { type Router, readBody, sendJson } from './http.ts';
import type { StaticApp } from './static-files.ts';

/** Who is asking: the operator (every shop) or a Shopify session token (its own shop only). */
export type Caller = { kind: 'operator' } | { kind: 'shop'; shopDomain: string };

/** How often the Web Connector runs the app (the .qwc's RunEveryNMinutes, as the setup writes it). */
export const WEB_CONNECTOR_INTERVAL_MINUTES = 15;

export interface WebRoutesOptions {
  storage: Storage;
  setup: SetupService;
  sessions: AdminSessions;
  staticApp: StaticApp;
  clock: () => Date;
  caller(request: IncomingMessage): Promise<Result<Caller>>;
  authorise(request: IncomingMessage, shopDomain: string): Promise<Result<Shop>>;
  answer(response: ServerResponse, result: Result<unknown>, okStatus?: number): void;
}

export interface WebConnectorContact {
  /** When the Web Connector last called (any session), or null if it never has. */
  lastContactAt: string | null;
  /** When it is expected next: the last session's start plus the Auto-Run interval. */
  nextExpectedAt: string | null;
  intervalMinutes: number;
  /** The lockout after wrong passwords, if one is running. */
  lockedUntil: string | null;
  sessions: {
    startedAt: string;
    lastSeenAt: string;
    state: string;
    applied: number;
    failed: number;
    lastError: string | null;
  }[];
}

export async function webConnectorContact(
  storage: Storage,
  setup: SetupService,
  shop: Shop,
  now: Date,
): Promise<Result<WebConnectorContact>> {
  const status = await setup.status(shop.domain);
  if (!status.ok) return status;
  const companyFile = status.value.companyFile;
  if (!companyFile) {
    return ok({
      lastContactAt: null,
      nextExpectedAt: null,
      intervalMinutes: WEB_CONNECTOR_INTERVAL_MINUTES,
      lockedUntil: null,
      sessions: [],
    });
  }
  const sessions = await recentSessions(storage, companyFile.id, 5);
  const times = [
    ...sessions.map((s) => s.lastSeenAt.getTime()),
    ...(companyFile.lastLoginAt ? [companyFile.lastLoginAt.getTime()] : []),
  ];
  const last = times.length > 0 ? new Date(Math.max(...times)) : null;
  const latestStart = sessions[0]?.startedAt ?? null;
  return ok({
    lastContactAt: last?.toISOString() ?? null,
    nextExpectedAt: latestStart
      ? new Date(latestStart.getTime() + WEB_CONNECTOR_INTERVAL_MINUTES * 60_000).toISOString()
      : null,
    intervalMinutes: WEB_CONNECTOR_INTERVAL_MINUTES,
    lockedUntil:
      companyFile.lockedUntil && companyFile.lockedUntil.getTime() > now.getTime()
        ? companyFile.lockedUntil.toISOString()
        : null,
    sessions: sessions.map((s) => ({
      startedAt: s.startedAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      state: s.state,
      applied: s.entriesApplied,
      failed: s.entriesFailed,
      lastError: s.lastError && s.lastError !== 'NoOp' ? s.lastError : null,
    })),
  });
}

async function jsonObject(request: IncomingMessage): Promise<Result<Record<string, unknown>>> {
  const raw = await readBody(request, 256 * 1024);
  try {
    const parsed = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as unknown);
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

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'cache-control': 'no-store' });
  response.end();
}

export function addWebRoutes(router: Router, options: WebRoutesOptions): Router {
  const { storage, setup, sessions, answer } = options;
  const shopRoute =
    (handler: (shop: Shop, request: IncomingMessage) => Promise<Result<unknown>>) =>
    async (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => {
      const shop = await options.authorise(request, params.shop!);
      if (!shop.ok) return answer(response, shop);
      answer(response, await handler(shop.value, request));
    };

  return router
    .add('GET', '/', (_req, res, _params, url) => redirect(res, `/app/${url.search}`))
    .add('GET', '/auth', (_req, res, _params, url) => redirect(res, `/app/${url.search}`))
    .add('POST', '/auth/sign-in', (req, res) => sessions.signIn(req, res))
    .add('GET', '/auth/session', (req, res) => sessions.session(req, res))
    .add('POST', '/auth/sign-out', (req, res) => sessions.signOut(req, res))
    .add('GET', '/auth/link', (req, res, _params, url) => sessions.followLink(req, res, url))
    .add('GET', '/api/shops', async (req, res) => {
      const caller = await options.caller(req);
      if (!caller.ok) return answer(res, caller);
      const shops = await listShops(storage);
      const visible =
        caller.value.kind === 'operator'
          ? shops
          : shops.filter((s) => s.domain === (caller.value as { shopDomain: string }).shopDomain);
      sendJson(
        res,
        200,
        visible.map((s) => ({ domain: s.domain, name: s.name, currency: s.currency, timeZone: s.timeZone })),
      );
    })
    .add(
      'GET',
      '/api/shops/:shop/web-connector',
      shopRoute((shop) => webConnectorContact(storage, setup, shop, options.clock())),
    )
    .add(
      'GET',
      '/api/shops/:shop/settings',
      shopRoute((shop) => setup.settingsAfterStart(shop.domain)),
    )
    .add(
      'PUT',
      '/api/shops/:shop/settings',
      shopRoute(async (shop, request) => {
        const body = await jsonObject(request);
        if (!body.ok) return body;
        return setup.changeSettings(shop.domain, body.value);
      }),
    );
}

/** `/app` and everything under it: the admin app's page and files. */
export function isAppPath(pathname: string): boolean {
  return pathname === '/app' || pathname.startsWith('/app/');
}
