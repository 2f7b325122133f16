import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ConnectorError } from '../errors/index.ts';

/**
 * Small HTTP plumbing shared by every route: size-limited body reading, JSON answers, a method+path router.
 * No framework: the server has a handful of routes and the SOAP endpoint must see the raw bytes.
 */

export class BodyTooLargeError extends ConnectorError {
  constructor(limit: number) {
    super({
      code: 'HTTP_BODY_TOO_LARGE',
      message: `Request body exceeds ${limit} bytes`,
      merchantMessage: 'A request to the connector was larger than it accepts and was refused.',
    });
  }
}

/** Reads the whole body, refusing (and draining no further) once it passes `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.destroy();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request target that is not a valid URL path (a malformed % escape, an unparseable authority). */
export class BadUrlError extends ConnectorError {
  constructor(target: string) {
    super({
      code: 'HTTP_BAD_URL',
      message: `Malformed request target ${JSON.stringify(target.slice(0, 200))}`,
      merchantMessage: 'The address asked for is not valid (a malformed % escape?).',
    });
  }
}

/** The request's URL, or BadUrlError: `new URL` and `decodeURIComponent` throw on input any client may send. */
export function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    throw new BadUrlError(request.url ?? '');
  }
}

function decodeSegment(segment: string, target: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadUrlError(target);
  }
}

/**
 * Time limits every server of the connector applies. QBWC's .NET client keeps an idle connection for up to 100 s
 * and reuses it (ServicePointManager.MaxServicePointIdleTime), and QuickBooks may take longer than Node's default
 * 5 s keep-alive between two calls: a server that closes first races the client's next request on that socket,
 * which then fails as a dropped call. So keep-alive outlasts the client's 100 s; headers and whole requests are
 * still bounded, so a client that sends slowly (or not at all) cannot hold a connection for ever.
 */
export const SERVER_TIMEOUTS = { keepAliveMs: 125_000, headersMs: 30_000, requestMs: 300_000 } as const;

export function applyServerTimeouts(
  server: Server,
  timeouts: { keepAliveMs: number; headersMs: number; requestMs: number } = SERVER_TIMEOUTS,
): Server {
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  return server;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}

export function sendText(
  response: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
}

/** An error answer for the JSON API: the merchant message for people, the code for programs. */
export function sendError(response: ServerResponse, status: number, error: ConnectorError): void {
  sendJson(response, status, {
    error: {
      code: error.code,
      message: error.merchantMessage,
      merchantMustAct: error.merchantMustAct,
      details: error.details,
    },
  });
}

export type RouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  params: Record<string, string>,
  url: URL,
) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export interface Router {
  add(method: string, path: string, handler: RouteHandler): Router;
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

/** Paths like `/api/shops/:shop/sync`; a `:name` segment matches one URL segment, decoded. */
export function createRouter(): Router {
  const routes: Route[] = [];
  const router: Router = {
    add(method, path, handler) {
      const names: string[] = [];
      const source = path
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
      return router;
    },
    async handle(request, response) {
      const url = requestUrl(request);
      let pathMatched = false;
      for (const route of routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        pathMatched = true;
        if (route.method !== request.method) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = decodeSegment(match[i + 1]!, request.url ?? '');
        });
        await route.handler(request, response, params, url);
        return true;
      }
      if (pathMatched) {
        sendJson(response, 405, { error: { code: 'HTTP_METHOD_NOT_ALLOWED', message: 'Method not allowed.' } });
        return true;
      }
      return false;
    },
  };
  return router;
}
