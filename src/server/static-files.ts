/**
 * The admin app's files (`dist/web/`, built by `scripts/build-web.ts`), served under `/app`. Files are read once
 * at start-up and kept in memory with their gzip form. Vite names every asset after a hash of its content, so
 * `/app/assets/*` may be cached for a year (`immutable`); the page itself is revalidated on every load so a new
 * build is picked up at once. Any other path under `/app` is the page too: the app routes in the browser.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const APP_PATH = '/app';
/** Shopify's App Bridge: loaded from Shopify's CDN only inside Shopify admin (Shopify requires this URL). */
export const APP_BRIDGE_URL = 'https://cdn.shopify.com/shopifycloud/app-bridge.js';
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
}

export interface StaticApp {
  /** False when the app was not built: `/app` then says how to build it. */
  readonly built: boolean;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): void;
}

function load(path: string): StaticFile {
  const body = readFileSync(path);
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const compressible = type.startsWith('text/') || type.includes('json') || type.includes('svg');
  const gzip = compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : null;
  return { body, gzip, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

/**
 * The page's Content-Security-Policy. Inside Shopify admin only the shop's own admin and admin.shopify.com may
 * frame it (https://shopify.dev/docs/apps/build/security/set-up-iframe-protection); opened on its own, nobody may.
 */
export function contentSecurityPolicy(shop: string | null): string {
  const ancestors = shop ? `https://${shop} https://admin.shopify.com` : "'none'";
  return [
    "default-src 'self'",
    `script-src 'self' https://cdn.shopify.com`,
    // Polaris and Polaris Viz set style attributes; no inline script is allowed.
    "style-src 'self' 'unsafe-inline' https://cdn.shopify.com",
    "img-src 'self' data: https://cdn.shopify.com",
    "font-src 'self' https://cdn.shopify.com",
    "connect-src 'self' https://*.shopify.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** The shop named by Shopify's launch parameters, when they look like a shop (anything else frames nothing). */
export function embeddingShop(url: URL): string | null {
  const shop = url.searchParams.get('shop')?.toLowerCase() ?? null;
  return shop && SHOP_DOMAIN.test(shop) && url.searchParams.get('embedded') === '1' ? shop : null;
}

/**
 * The page for one request: inside Shopify admin it gets the app's API key and App Bridge's script tag (which
 * Shopify requires first in <head>); standalone it loads nothing from outside.
 */
/**
 * What the standalone page asks for first, preloaded from the page itself so the answers travel while the script
 * downloads (the app's `prefetch.ts` takes them with the same request: same URL, credentials, no extra headers).
 */
export const PRELOADED_API_PATHS = ['/auth/session', '/api/shops'] as const;

export function renderPage(template: string, options: { embedded: boolean; apiKey: string | null }): string {
  if (!options.embedded) {
    const links = PRELOADED_API_PATHS.map(
      (path) => `\n    <link rel="preload" href="${path}" as="fetch" crossorigin="anonymous" />`,
    ).join('');
    return template.replace('<head>', `<head>${links}`);
  }
  if (!options.apiKey) return template;
  const key = options.apiKey.replace(/[^A-Za-z0-9_-]/g, '');
  return template.replace(
    '<head>',
    `<head>\n    <meta name="shopify-api-key" content="${key}" />\n    <script src="${APP_BRIDGE_URL}"></script>`,
  );
}

function send(request: IncomingMessage, response: ServerResponse, file: StaticFile, headers: Record<string, string>) {
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304, { etag: file.etag, ...headers });
    response.end();
    return;
  }
  const gzip = file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip ? file.gzip! : file.body;
  response.writeHead(200, {
    'content-type': file.type,
    'content-length': String(body.length),
    etag: file.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

export function createStaticApp(options: { dir: string; apiKey: string | null }): StaticApp {
  const files = new Map<string, StaticFile>();
  const built = existsSync(join(options.dir, 'index.html'));
  let template = '';
  if (built) {
    for (const path of filesUnder(options.dir)) {
      files.set(`${APP_PATH}/${relative(options.dir, path).split(sep).join('/')}`, load(path));
    }
    template = readFileSync(join(options.dir, 'index.html'), 'utf8');
  }
  const pages = new Map<string, StaticFile>();
  const page = (embedded: boolean) => {
    const key = embedded ? 'embedded' : 'standalone';
    let file = pages.get(key);
    if (!file) {
      const body = Buffer.from(renderPage(template, { embedded, apiKey: options.apiKey }));
      file = {
        body,
        gzip: gzipSync(body),
        type: TYPES['.html']!,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      };
      pages.set(key, file);
    }
    return file;
  };

  return {
    built,
    handle(request, response, url) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        response.end('Method not allowed.\n');
        return;
      }
      if (!built) {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        response.end('The admin app has not been built. Run `npm run build:web` (npm ci and npm test build it too).\n');
        return;
      }
      if (url.pathname.startsWith(`${APP_PATH}/assets/`)) {
        const file = files.get(url.pathname);
        if (!file) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
          response.end('Not found.\n');
          return;
        }
        send(request, response, file, { 'cache-control': 'public, max-age=31536000, immutable' });
        return;
      }
      const shop = embeddingShop(url);
      const other = url.pathname !== `${APP_PATH}/index.html` ? files.get(url.pathname) : undefined;
      if (other) {
        send(request, response, other, { 'cache-control': 'no-cache' });
        return;
      }
      send(request, response, page(shop !== null), {
        'cache-control': 'no-cache',
        'content-security-policy': contentSecurityPolicy(shop),
        'referrer-policy': 'strict-origin-when-cross-origin',
        ...(shop ? {} : { 'x-frame-options': 'DENY' }),
      });
    },
  };
}
