/**
 * The routes the admin app adds, over real HTTP on the simulators: which shops a credential sees, the Web
 * Connector's last contact and next expected run, and the settings that may change after the start (mapping and
 * schedule) while the rest stays locked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_KEY, APP_SECRET, qbRequest, startHarness } from '../e2e/harness.test-support.ts';
import { signSessionToken } from '../simulators/shopify/index.ts';

function sessionToken(shop: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signSessionToken(
    {
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: APP_KEY,
      sub: '1',
      exp: now + 60,
      nbf: now - 5,
      iat: now,
      jti: `${shop}-${now}`,
      sid: 'session',
    },
    APP_SECRET,
  );
}

async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

test('the shops list: the operator sees every shop, a session token only its own, nobody else anything', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'shops-list' });
  const registered = await h.app.setup.registerShop({
    domain: 'other-shop.myshopify.com',
    name: 'Other',
    currency: 'SEK',
    timeZone: 'Europe/Stockholm',
  });
  assert.ok(registered.ok);
  const all = await json<{ domain: string; currency: string; timeZone: string }[]>(await h.api('/api/shops'));
  assert.deepEqual(all.map((s) => s.domain).sort(), [h.shop.domain, 'other-shop.myshopify.com'].sort());
  assert.equal(all.find((s) => s.domain === 'other-shop.myshopify.com')?.currency, 'SEK');

  const own = await json<{ domain: string }[]>(await h.api('/api/shops', { token: sessionToken(h.shop.domain) }));
  assert.deepEqual(
    own.map((s) => s.domain),
    [h.shop.domain],
  );
  const crossed = await h.api('/api/shops/other-shop.myshopify.com/web-connector', {
    token: sessionToken(h.shop.domain),
  });
  assert.equal(crossed.status, 401);
  assert.equal((await h.api('/api/shops', { token: null })).status, 401);
  assert.equal((await h.api('/api/shops', { token: 'forged' })).status, 401);
});

test('Web Connector contact: none before the first session, then its time and the next expected run', async (t) => {
  const h = await startHarness(t, { orders: 3, seed: 'wc-contact' });
  const path = `/api/shops/${h.shop.domain}/web-connector`;
  const before = await json<{ lastContactAt: string | null; sessions: unknown[] }>(await h.api(path));
  assert.equal(before.lastContactAt, null);
  assert.deepEqual(before.sessions, []);

  await h.issueToken();
  const log = await h.session();
  assert.equal(log.outcome, 'completed');
  const after = await json<{
    lastContactAt: string;
    nextExpectedAt: string;
    intervalMinutes: number;
    lockedUntil: string | null;
    sessions: { state: string; applied: number; startedAt: string }[];
  }>(await h.api(path));
  assert.ok(after.lastContactAt);
  assert.equal(after.intervalMinutes, 15);
  assert.equal(after.sessions.length, 1);
  assert.equal(after.sessions[0]!.state, 'closed');
  assert.ok(after.sessions[0]!.applied > 0, 'the list reads were applied in that session');
  assert.equal(Date.parse(after.nextExpectedAt) - Date.parse(after.sessions[0]!.startedAt), 15 * 60_000);
  assert.equal(after.lockedUntil, null);
});

test('after the start: mapping and schedule change, locked settings are refused, bad input changes nothing', async (t) => {
  const h = await startHarness(t, { orders: 5, seed: 'settings-after' });
  const path = `/api/shops/${h.shop.domain}/settings`;
  const early = await h.api(path);
  assert.equal(early.status, 409, 'before the start these settings live in the setup');

  // An income account of the merchant's own that the default mapping does not take.
  const added = h.withCompany((company) =>
    qbRequest(
      company,
      '<AccountAddRq requestID="1"><AccountAdd><Name>Market Stall Income</Name><AccountType>Income</AccountType></AccountAdd></AccountAddRq>',
    ),
  );
  assert.ok(added.ok && added.value.responses[0]!.statusCode === 0, JSON.stringify(added));
  await h.setupThroughOptions();
  const started = await h.app.setup.start(h.shop.domain);
  assert.ok(started.ok);

  type Settings = {
    mapping: Record<string, string>;
    schedule: { kind: string; localTime?: string };
    nextScheduledRun: string | null;
    accounts: { fullName: string; type: string }[];
    changeable: string[];
    locked: { setting: string; value: unknown }[];
  };
  const settings = await json<Settings>(await h.api(path));
  assert.deepEqual(settings.changeable, ['mapping', 'schedule']);
  assert.deepEqual(
    settings.locked.map((l) => l.setting),
    ['modes', 'startDate', 'purchaseOrderSource', 'useClasses'],
  );
  assert.equal(settings.schedule.kind, 'manual');
  assert.equal(settings.nextScheduledRun, null);

  const daily = await json<Settings>(await h.api(path, { method: 'PUT', body: { schedule: 'daily@02:30' } }));
  assert.deepEqual(daily.schedule, { kind: 'daily', localTime: '02:30' });
  assert.ok(daily.nextScheduledRun && Date.parse(daily.nextScheduledRun) > h.clock.now.getTime());

  const income = settings.accounts.find(
    (a) => a.type === 'Income' && !Object.values(settings.mapping).includes(a.fullName),
  );
  assert.ok(income, 'the company file has a spare income account');
  const remapped = await json<Settings>(
    await h.api(path, { method: 'PUT', body: { mapping: { shippingIncome: income.fullName } } }),
  );
  assert.equal(remapped.mapping.shippingIncome, income.fullName);

  const locked = await h.api(path, { method: 'PUT', body: { startDate: '2020-01-01' } });
  const lockedBody = await json<{ error: { code: string; message: string } }>(locked, 409);
  assert.equal(lockedBody.error.code, 'SETTINGS_INVALID');
  assert.match(lockedBody.error.message, /startDate cannot change after the start/);

  const bank = settings.accounts.find((a) => a.type === 'Bank')!;
  const wrong = await h.api(path, { method: 'PUT', body: { mapping: { productSales: bank.fullName } } });
  const wrongBody = await json<{
    error: { code: string; details: { mappingProblems: { category: string; problem: string; text: string }[] } };
  }>(wrong, 409);
  assert.ok(
    wrongBody.error.details.mappingProblems.some((p) => p.category === 'productSales' && p.problem === 'wrong-type'),
    'the problem names its category, for the form to show it beside that row',
  );
  const unchanged = await json<Settings>(await h.api(path));
  assert.equal(unchanged.mapping.productSales, settings.mapping.productSales);
  assert.equal(unchanged.mapping.shippingIncome, income.fullName);
  assert.deepEqual(unchanged.schedule, { kind: 'daily', localTime: '02:30' });
});
