/**
 * The first screen's data, asked for as soon as the script starts — before React, Polaris and the screens are
 * evaluated — instead of one call after another once React has rendered: the session check and the shops
 * together, then the first shop's setup as soon as the shops are known. The app's first GET of each path takes
 * the answer from here (once, and only a successful one: anything else is asked again), so a slow machine waits
 * for the network and the script at the same time rather than one after the other.
 *
 * Imported first by main.tsx, so it runs first in the bundle.
 */

const early = new Map<string, Promise<Response>>();
/** After this long an early answer is stale: the screens ask again. */
const FRESH_MS = 10_000;
const startedAt = Date.now();

const params = new URLSearchParams(window.location.search);
const embedded = params.get('embedded') === '1' && typeof window.shopify !== 'undefined';

/**
 * Standalone, the page preloads these paths itself (`<link rel="preload" as="fetch">`, see the server's
 * static-files.ts): a fetch with no headers of its own and the same credentials is answered from that preload.
 */
async function headers(): Promise<Record<string, string>> {
  return embedded ? { accept: 'application/json', authorization: `Bearer ${await window.shopify.idToken()}` } : {};
}

function ask(path: string): Promise<Response> {
  const response = headers().then((h) => fetch(path, { credentials: 'same-origin', headers: h }));
  // A failure here is the app's to report when it asks itself; never an unhandled rejection.
  response.catch(() => undefined);
  early.set(path, response);
  return response;
}

if (!embedded) ask('/auth/session');
void ask('/api/shops')
  .then(async (response) => {
    if (!response.ok) return;
    const shops = (await response.clone().json()) as { domain: string }[];
    const shop = (embedded ? (params.get('shop') ?? window.shopify.config.shop) : null) ?? shops[0]?.domain;
    if (shop) ask(`/api/shops/${encodeURIComponent(shop)}/setup`);
  })
  .catch(() => undefined);

/** The early answer for a GET of `path`, once, if it succeeded (or, for the session check, answered 401). */
export async function takeEarly(path: string, alsoAccept: number[] = []): Promise<Response | null> {
  const pending = early.get(path);
  if (!pending) return null;
  early.delete(path);
  if (Date.now() - startedAt > FRESH_MS) return null;
  try {
    const response = await pending;
    return response.ok || alsoAccept.includes(response.status) ? response : null;
  } catch {
    return null;
  }
}
