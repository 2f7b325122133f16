/**
 * The admin app's standalone sign-in over real HTTP: the API token is taken once and answered with an HttpOnly,
 * SameSite=Strict cookie; the cookie reads, but changes need the session's CSRF token too; sign-out ends the
 * session; a one-time link signs in once; wrong tokens are refused and, repeated, slowed down.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, type Harness, startHarness } from '../e2e/harness.test-support.ts';

async function signIn(h: Harness, token: string, contentType = 'application/json') {
  return fetch(`${h.app.url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: JSON.stringify({ token }),
    redirect: 'manual',
  });
}

function cookieOf(response: Response): string {
  const header = response.headers.get('set-cookie');
  assert.ok(header, 'a cookie was set');
  return header.split(';')[0]!;
}

async function csrfOf(h: Harness, cookie: string): Promise<string> {
  const session = await fetch(`${h.app.url}/auth/session`, { headers: { cookie } });
  assert.equal(session.status, 200);
  const body = (await session.json()) as { signedIn: boolean; csrfToken: string };
  assert.equal(body.signedIn, true);
  return body.csrfToken;
}

test('sign-in sets an HttpOnly SameSite=Strict cookie that never carries the token; reads need only the cookie', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'cookie-session' });
  const response = await signIn(h, ADMIN_TOKEN);
  assert.equal(response.status, 200);
  const header = response.headers.get('set-cookie')!;
  assert.match(header, /^qbd_session=[A-Za-z0-9_-]{43}; /);
  assert.match(header, /; HttpOnly/);
  assert.match(header, /; SameSite=Strict/);
  assert.match(header, /; Path=\//);
  assert.ok(!header.includes(ADMIN_TOKEN), 'the token is not the cookie');
  assert.ok(!(await response.text()).includes(ADMIN_TOKEN), 'the token is not echoed');
  const cookie = cookieOf(response);

  const setup = await fetch(`${h.app.url}/api/shops/${h.shop.domain}/setup`, { headers: { cookie } });
  assert.equal(setup.status, 200);
  const shops = (await (await fetch(`${h.app.url}/api/shops`, { headers: { cookie } })).json()) as {
    domain: string;
  }[];
  assert.deepEqual(
    shops.map((s) => s.domain),
    [h.shop.domain],
  );

  // Only a hash of the session id is stored.
  const rows = await h.app.storage.db.selectFrom('admin_sessions').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0]!.id_hash, cookie.split('=')[1]);
  assert.equal(rows[0]!.kind, 'session');
});

test('a change with the cookie but without the CSRF token is refused (403) and changes nothing', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'csrf' });
  const cookie = cookieOf(await signIn(h, ADMIN_TOKEN));
  const base = `${h.app.url}/api/shops/${h.shop.domain}`;

  const without = await fetch(`${base}/setup/app-token`, { method: 'POST', headers: { cookie } });
  assert.equal(without.status, 403);
  assert.equal(((await without.json()) as { error: { code: string } }).error.code, 'API_CSRF_REFUSED');
  const wrong = await fetch(`${base}/setup/app-token`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': 'A'.repeat(43) },
  });
  assert.equal(wrong.status, 403);
  const status = (await (await fetch(`${base}/setup`, { headers: { cookie } })).json()) as {
    companyFile: unknown;
  };
  assert.equal(status.companyFile, null, 'no app token was issued by a refused request');

  const csrf = await csrfOf(h, cookie);
  const issued = await fetch(`${base}/setup/app-token`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(issued.status, 201);

  // Another session's CSRF token does not fit this cookie.
  const other = cookieOf(await signIn(h, ADMIN_TOKEN));
  const otherCsrf = await csrfOf(h, other);
  assert.notEqual(otherCsrf, csrf);
  const crossed = await fetch(`${base}/setup/refresh-company-lists`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': otherCsrf },
  });
  assert.equal(crossed.status, 403);
});

test('wrong tokens are refused, a form post is refused, and repeated failures are slowed down', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'wrong-token' });
  const wrong = await signIn(h, 'not-the-token');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'AUTH_TOKEN_WRONG');

  const form = await signIn(h, ADMIN_TOKEN, 'application/x-www-form-urlencoded');
  assert.equal(form.status, 415, 'a cross-site form cannot sign anyone in');

  for (let i = 0; i < 9; i++) assert.equal((await signIn(h, `wrong-${i}`)).status, 401);
  const limited = await signIn(h, ADMIN_TOKEN);
  assert.equal(limited.status, 429, 'even the right token waits after ten failures');
  h.clock.now = new Date(h.clock.now.getTime() + 16 * 60_000);
  assert.equal((await signIn(h, ADMIN_TOKEN)).status, 200);
});

test('sign-out ends the session; an expired session is refused', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'sign-out' });
  const cookie = cookieOf(await signIn(h, ADMIN_TOKEN));
  const csrf = await csrfOf(h, cookie);
  assert.equal((await fetch(`${h.app.url}/auth/sign-out`, { method: 'POST', headers: { cookie } })).status, 403);
  const out = await fetch(`${h.app.url}/auth/sign-out`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie')!, /^qbd_session=; .*Max-Age=0/);
  assert.equal((await fetch(`${h.app.url}/auth/session`, { headers: { cookie } })).status, 401);
  assert.equal((await fetch(`${h.app.url}/api/shops/${h.shop.domain}/setup`, { headers: { cookie } })).status, 401);

  const later = cookieOf(await signIn(h, ADMIN_TOKEN));
  h.clock.now = new Date(h.clock.now.getTime() + 13 * 3_600_000);
  assert.equal((await fetch(`${h.app.url}/auth/session`, { headers: { cookie: later } })).status, 401);
});

test('a one-time sign-in link signs in once, then is spent', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'link' });
  const link = await h.app.adminSessions.createSignInLink();
  assert.match(link, /^\/auth\/link\?code=[A-Za-z0-9_-]{43}$/);
  const first = await fetch(`${h.app.url}${link}`, { redirect: 'manual' });
  assert.equal(first.status, 303);
  assert.equal(first.headers.get('location'), '/app/');
  const cookie = cookieOf(first);
  assert.equal((await fetch(`${h.app.url}/auth/session`, { headers: { cookie } })).status, 200);

  const again = await fetch(`${h.app.url}${link}`, { redirect: 'manual' });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), '/app/?signin=expired');
  assert.equal(again.headers.get('set-cookie'), null);
  // A link's code is not a session cookie.
  const code = link.split('=')[1]!;
  assert.equal((await fetch(`${h.app.url}/auth/session`, { headers: { cookie: `qbd_session=${code}` } })).status, 401);
});
