/**
 * Signing in to the admin app outside Shopify admin (a self-hosted connector opened in a browser tab): the
 * operator types ADMIN_API_TOKEN once into the sign-in page; the server answers with an HttpOnly, SameSite=Strict
 * session cookie and never hands the token back. Requests that change something also carry a CSRF token the page
 * reads from `GET /auth/session` (an HMAC of the session id, so it needs no storage and dies with the session).
 * Inside Shopify admin the app uses Shopify session tokens instead: a third-party iframe gets no SameSite cookie.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import type { Storage } from '../storage/index.ts';
import { readBody, sendError, sendJson } from './http.ts';

export interface AdminSessionRow {
  id_hash: string;
  /** 'session' (a signed-in browser) | 'link' (a one-time sign-in link, exchanged for a session). */
  kind: string;
  created_at: string;
  expires_at: string;
}

declare module '../storage/schema.ts' {
  interface Database {
    admin_sessions: AdminSessionRow;
  }
}

export const SESSION_LIFETIME_MS = 12 * 3_600_000;
export const SIGN_IN_LINK_LIFETIME_MS = 10 * 60_000;
export const CSRF_HEADER = 'x-csrf-token';
/** Failed sign-ins from one address within the window before it must wait. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AdminSessions {
  /** The cookie's name: `__Host-` prefixed (Secure, path /, no domain) when the connector is served over HTTPS. */
  readonly cookieName: string;
  /** Whether the request carries a live session cookie and, for a request that changes something, its CSRF token. */
  check(request: IncomingMessage): Promise<Result<{ csrfToken: string }>>;
  /** A one-time link that signs a browser in (the demo prints it); the path includes its code. */
  createSignInLink(): Promise<string>;
  /** POST /auth/sign-in, GET /auth/session, POST /auth/sign-out, GET /auth/link. */
  signIn(request: IncomingMessage, response: ServerResponse): Promise<void>;
  session(request: IncomingMessage, response: ServerResponse): Promise<void>;
  signOut(request: IncomingMessage, response: ServerResponse): Promise<void>;
  followLink(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function readCookie(request: IncomingMessage, name: string): string | null {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function refusal(code: string, message: string, merchantMessage: string): ConnectorError {
  return new ConnectorError({ code, message, merchantMessage, merchantMustAct: true });
}

export function createAdminSessions(options: {
  storage: Storage;
  /** ADMIN_API_TOKEN; null: the standalone sign-in is off (only Shopify session tokens get in). */
  adminApiToken: string | null;
  /** Keys the CSRF tokens (the server's encryption key). */
  secret: Buffer;
  /** Cookies are Secure when the connector's public URL is HTTPS. */
  secure: boolean;
  logger: Logger;
  clock: () => Date;
}): AdminSessions {
  const { storage, clock, logger } = options;
  const cookieName = options.secure ? '__Host-qbd_session' : 'qbd_session';
  const csrfKey = createHmac('sha256', options.secret).update('admin-app csrf').digest();
  const failures = new Map<string, number[]>();

  const csrfFor = (id: string) => createHmac('sha256', csrfKey).update(id).digest('base64url');

  function cookie(value: string, maxAgeSeconds: number): string {
    return [
      `${cookieName}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${maxAgeSeconds}`,
      ...(options.secure ? ['Secure'] : []),
    ].join('; ');
  }

  async function create(kind: 'session' | 'link', lifetimeMs: number): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const now = clock();
    // Expired rows go when new ones come: the table never holds more than the live sessions and a few stale ones.
    await storage.db.deleteFrom('admin_sessions').where('expires_at', '<', now.toISOString()).execute();
    await storage.db
      .insertInto('admin_sessions')
      .values({
        id_hash: hashId(id),
        kind,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
      })
      .execute();
    return id;
  }

  async function live(id: string | null, kind: 'session' | 'link'): Promise<AdminSessionRow | null> {
    if (!id || id.length > 128) return null;
    const row = await storage.db
      .selectFrom('admin_sessions')
      .selectAll()
      .where('id_hash', '=', hashId(id))
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row && row.expires_at > clock().toISOString() ? row : null;
  }

  async function startSession(response: ServerResponse, status: number, body: unknown, redirect?: string) {
    const id = await create('session', SESSION_LIFETIME_MS);
    const headers: Record<string, string | string[]> = {
      'set-cookie': cookie(id, SESSION_LIFETIME_MS / 1000),
      'cache-control': 'no-store',
    };
    if (redirect) {
      response.writeHead(303, { ...headers, location: redirect });
      response.end();
      return;
    }
    response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  function tooManyFailures(address: string): boolean {
    const now = clock().getTime();
    const recent = (failures.get(address) ?? []).filter((at) => now - at < FAILURE_WINDOW_MS);
    if (recent.length === 0) failures.delete(address);
    else failures.set(address, recent);
    return recent.length >= MAX_FAILURES;
  }

  async function check(request: IncomingMessage): Promise<Result<{ csrfToken: string }>> {
    const id = readCookie(request, cookieName);
    const row = await live(id, 'session');
    if (!row || !id) {
      return err(
        refusal('API_UNAUTHORISED', 'No live admin session cookie', 'You are not signed in to the connector.'),
      );
    }
    const csrfToken = csrfFor(id);
    if (UNSAFE_METHODS.has(request.method ?? 'GET')) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, csrfToken)) {
        return err(
          refusal(
            'API_CSRF_REFUSED',
            'Unsafe request without the session’s CSRF token',
            'The connector refused a change that did not come from its own page. Reload the page and try again.',
          ),
        );
      }
    }
    return ok({ csrfToken });
  }

  return {
    cookieName,
    check,

    async createSignInLink() {
      const code = await create('link', SIGN_IN_LINK_LIFETIME_MS);
      return `/auth/link?code=${code}`;
    },

    async signIn(request, response) {
      if (!options.adminApiToken) {
        return sendError(
          response,
          404,
          refusal(
            'AUTH_SIGN_IN_OFF',
            'ADMIN_API_TOKEN is not set',
            'Signing in outside Shopify admin is off: set ADMIN_API_TOKEN on the connector, or open the app in Shopify admin.',
          ),
        );
      }
      // A JSON body cannot be sent by a form on another site without a preflight this server never answers.
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendError(
          response,
          415,
          refusal('AUTH_BAD_REQUEST', 'Sign-in must be JSON', 'The sign-in request could not be read.'),
        );
      }
      const address = request.socket.remoteAddress ?? 'unknown';
      if (tooManyFailures(address)) {
        return sendError(
          response,
          429,
          refusal(
            'AUTH_TOO_MANY_ATTEMPTS',
            `Too many failed sign-ins from ${address}`,
            'Too many wrong tokens were typed. Wait 15 minutes and try again.',
          ),
        );
      }
      let token = '';
      try {
        const parsed = JSON.parse((await readBody(request, 4096)).toString('utf8')) as { token?: unknown };
        token = typeof parsed.token === 'string' ? parsed.token.trim() : '';
      } catch {
        token = '';
      }
      if (!token || !safeEqual(token, options.adminApiToken)) {
        failures.set(address, [...(failures.get(address) ?? []), clock().getTime()]);
        logger.warn('admin sign-in refused', { address });
        return sendError(
          response,
          401,
          refusal(
            'AUTH_TOKEN_WRONG',
            'Sign-in with a wrong token',
            'That is not the connector’s admin token. Check ADMIN_API_TOKEN and type it again.',
          ),
        );
      }
      failures.delete(address);
      logger.info('admin signed in', { address });
      await startSession(response, 200, { signedIn: true });
    },

    async session(request, response) {
      const id = readCookie(request, cookieName);
      const row = await live(id, 'session');
      if (!row || !id) {
        return sendError(
          response,
          401,
          refusal('API_UNAUTHORISED', 'No live admin session cookie', 'You are not signed in to the connector.'),
        );
      }
      sendJson(response, 200, { signedIn: true, csrfToken: csrfFor(id), expiresAt: row.expires_at });
    },

    async signOut(request, response) {
      const checked = await check(request);
      if (!checked.ok) return sendError(response, checked.error.code === 'API_CSRF_REFUSED' ? 403 : 401, checked.error);
      const id = readCookie(request, cookieName)!;
      await storage.db.deleteFrom('admin_sessions').where('id_hash', '=', hashId(id)).execute();
      response.writeHead(204, { 'set-cookie': cookie('', 0), 'cache-control': 'no-store' });
      response.end();
    },

    async followLink(_request, response, url) {
      const code = url.searchParams.get('code');
      const row = await live(code, 'link');
      if (!row || !code) {
        response.writeHead(303, { location: '/app/?signin=expired', 'cache-control': 'no-store' });
        response.end();
        return;
      }
      // One use: the link is gone before the session it starts exists.
      const deleted = await storage.db
        .deleteFrom('admin_sessions')
        .where('id_hash', '=', hashId(code))
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) {
        response.writeHead(303, { location: '/app/?signin=expired', 'cache-control': 'no-store' });
        response.end();
        return;
      }
      await startSession(response, 303, null, '/app/');
    },
  };
}
