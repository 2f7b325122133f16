/**
 * Issue 7, end to end over real HTTP: the setup steps through the JSON API in order (and out of order, refused
 * with nothing half-done), the first sync delivered by the Web Connector into the QuickBooks simulator,
 * reconciliation against QuickBooks' ledger in both modes on both databases, a second sync that posts nothing,
 * and the JSON API's authentication.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listSyncRuns } from '../integration/index.ts';
import { signSessionToken } from '../simulators/shopify/index.ts';
import { testEngines } from '../storage/engines.test-support.ts';
import { listAudit } from '../storage/index.ts';
import type { SyncProgress } from '../sync/index.ts';
import {
  APP_KEY,
  APP_SECRET,
  assertNoDuplicates,
  assertReconciles,
  type Harness,
  startHarness,
} from './harness.test-support.ts';

async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, `HTTP ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Polls the API until the run has left `preparing` (the API prepares it in the background). */
async function planned(harness: Harness, runId: string): Promise<SyncProgress> {
  // Generous: under a loaded CI machine, preparing a run can take seconds.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const progress = await json<SyncProgress>(
      await harness.api(`/api/shops/${harness.shop.domain}/sync-runs/${runId}`),
      200,
    );
    if (progress.run.state !== 'preparing') return progress;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Sync run ${runId} still preparing`);
}

for (const engine of testEngines()) {
  for (const mode of ['summary', 'detailed'] as const) {
    describe(`setup and sync over HTTP [${engine}, ${mode}]`, () => {
      test('steps in order, first sync delivered and reconciled, a second sync posts nothing', async (t) => {
        const h = await startHarness(t, { engine, orders: 25, seed: `e2e-${mode}` });
        const base = `/api/shops/${h.shop.domain}`;

        const token = await json<{ appToken: string; qwc: string; userName: string }>(
          await h.api(`${base}/setup/app-token`, { method: 'POST' }),
          201,
        );
        assert.match(token.qwc, /<QBWCXML>/);
        // The API's token and the harness's are the same step: issue through the service for the simulator's use.
        const issued = await h.issueToken();
        assert.notEqual(issued.appToken, token.appToken, 'issuing again replaces the token');
        const connect = await h.session();
        assert.equal(connect.outcome, 'completed');

        const status = await json<{ steps: { step: string; done: boolean; detail: string }[]; next: string }>(
          await h.api(`${base}/setup`),
          200,
        );
        assert.deepEqual(
          status.steps.map((s) => [s.step, s.done]),
          [
            ['appToken', true],
            ['connect', true],
            ['salesTax', false],
            ['options', false],
            ['start', false],
          ],
        );
        assert.match(status.steps[1]!.detail, /Books — QuickBooks Premier/);

        const tax = await json<{ status: string }>(
          await h.api(`${base}/setup/sales-tax-check`, { method: 'POST' }),
          200,
        );
        assert.equal(tax.status, 'pass');
        const proposal = await json<{ mapping: Record<string, string> }>(await h.api(`${base}/setup/options`), 200);
        assert.equal(proposal.mapping.productSales, 'Sales');
        await json(
          await h.api(`${base}/setup/options`, {
            method: 'PUT',
            body: {
              modes: { customers: mode, inventory: mode, vendors: mode },
              schedule: 'manual',
              startDate: h.period().from,
            },
          }),
          200,
        );
        const started = await json<{ syncRun: { id: string } }>(
          await h.api(`${base}/setup/start`, { method: 'POST' }),
          201,
        );
        const first = await planned(h, started.syncRun.id);
        assert.equal(first.run.state, 'delivering', JSON.stringify(first.run.error));
        assert.ok(first.run.summary!.planned > 20, `planned ${first.run.summary!.planned}`);

        const again = await h.api(`${base}/setup/start`, { method: 'POST' });
        assert.equal((await json<{ error: { code: string } }>(again, 409)).error.code, 'SETUP_ALREADY_STARTED');

        await h.deliverAll();
        const done = await json<SyncProgress>(await h.api(`${base}/sync-runs/${started.syncRun.id}`), 200);
        assert.equal(done.run.state, 'completed');
        assert.equal(done.outbox.applied, first.run.summary!.planned);
        assert.equal(done.outbox.failed + done.outbox.needsAttention, 0);
        assert.deepEqual(await json(await h.api(`${base}/attention`), 200), []);
        await assertReconciles(h);
        const before = await assertNoDuplicates(h);

        // Running the same sync again plans nothing new and QuickBooks gains nothing.
        const second = await json<{ id: string }>(await h.api(`${base}/sync`, { method: 'POST' }), 202);
        const rerun = await planned(h, second.id);
        assert.equal(rerun.run.summary!.planned, 0);
        assert.ok(rerun.run.summary!.alreadyPlanned > 0, 'the same documents are found already planned');
        const sessions = await h.deliverAll();
        assert.equal(sessions.length, 0, 'nothing left for the Web Connector');
        const log = await h.session();
        assert.equal(log.outcome, 'no-work');
        assert.deepEqual(await assertNoDuplicates(h), before);
        const history = await json<{ id: string; state: string }[]>(await h.api(`${base}/sync-runs`), 200);
        assert.deepEqual(
          history.map((r) => r.state),
          ['completed', 'completed'],
        );
      });
    });
  }
}

test('setup steps out of order are refused and leave nothing half-done', async (t) => {
  const h = await startHarness(t, { orders: 20, seed: 'e2e-order' });
  const base = `/api/shops/${h.shop.domain}`;
  const refused = async (method: string, path: string, body?: unknown) => {
    const answer = await json<{ error: { code: string; message: string } }>(
      await h.api(`${base}${path}`, { method, ...(body === undefined ? {} : { body }) }),
      409,
    );
    return answer.error;
  };
  const unchanged = async (state: string) => {
    const status = await h.app.setup.status(h.shop.domain);
    assert.ok(status.ok);
    assert.equal(status.value.integration.state, state);
    assert.equal(status.value.integration.options, null);
    assert.equal(status.value.integration.startedAt, null);
    assert.deepEqual(await listSyncRuns(h.app.storage, h.shop.id), []);
  };

  // Nothing done yet: every later step names the one missing.
  for (const [method, path, body] of [
    ['POST', '/setup/sales-tax-check', undefined],
    ['PUT', '/setup/options', { schedule: 'manual' }],
    ['POST', '/setup/start', undefined],
  ] as const) {
    const error = await refused(method, path, body);
    assert.equal(error.code, 'SETUP_STEP_OUT_OF_ORDER');
    assert.match(error.message, /Finish “App token and Web Connector file”/);
  }
  await unchanged('new');
  assert.equal(
    (await json<{ error: { code: string } }>(await h.api(`${base}/sync`, { method: 'POST' }), 409)).error.code,
    'SYNC_NOT_STARTED',
  );

  // Token issued but the Web Connector has not connected: the sales tax check cannot read QuickBooks yet.
  await h.issueToken();
  const error = await refused('POST', '/setup/sales-tax-check');
  assert.match(error.message, /Finish “Connect the QuickBooks company file”/);
  await unchanged('paired');

  // Connected and checked: options that are wrong are refused together, and nothing is saved.
  await h.session();
  await json(await h.api(`${base}/setup/sales-tax-check`, { method: 'POST' }), 200);
  const invalid = await json<{ error: { code: string; details: { problems: string[] } } }>(
    await h.api(`${base}/setup/options`, {
      method: 'PUT',
      body: { schedule: '25:99', startDate: 'yesterday', modes: { customers: 'everything' } },
    }),
    409,
  );
  assert.equal(invalid.error.code, 'SETUP_OPTIONS_INVALID');
  assert.equal(invalid.error.details.problems.length, 3, invalid.error.details.problems.join(' | '));
  assert.equal((await refused('POST', '/setup/start')).code, 'SETUP_STEP_OUT_OF_ORDER');
  await unchanged('paired');
  const audit = await listAudit(h.app.storage, { shopId: h.shop.id });
  assert.ok(!audit.some((entry) => entry.action === 'options.saved' || entry.action === 'integration.started'));
});

test('the JSON API: no token is 401; a session token for shop A cannot read shop B', async (t) => {
  const h = await startHarness(t, { orders: 20, seed: 'e2e-auth' });
  const other = await h.app.setup.registerShop({
    domain: 'other-shop.myshopify.com',
    name: 'Other',
    currency: 'USD',
    timeZone: 'America/New_York',
  });
  assert.ok(other.ok);
  const seconds = Math.floor(Date.now() / 1000);
  const sessionFor = (domain: string, secret = APP_SECRET) =>
    signSessionToken(
      {
        iss: `https://${domain}/admin`,
        dest: `https://${domain}`,
        aud: APP_KEY,
        sub: '1',
        exp: seconds + 60,
        nbf: seconds - 1,
        iat: seconds - 1,
        jti: `j-${domain}`,
        sid: 's',
      },
      secret,
    );
  const mine = `/api/shops/${h.shop.domain}/setup`;
  const theirs = '/api/shops/other-shop.myshopify.com/setup';

  assert.equal((await h.api(mine, { token: null })).status, 401);
  assert.equal((await h.api(mine, { token: 'not-the-admin-token-but-long-enough' })).status, 401);
  assert.equal((await h.api(mine, { token: sessionFor(h.shop.domain, 'another-apps-secret') })).status, 401);
  const own = await json<{ shop: { domain: string } }>(await h.api(mine, { token: sessionFor(h.shop.domain) }), 200);
  assert.equal(own.shop.domain, h.shop.domain);
  const denied = await h.api(theirs, { token: sessionFor(h.shop.domain) });
  assert.equal(denied.status, 401);
  assert.equal(
    (await h.api(`/api/shops/other-shop.myshopify.com/attention`, { token: sessionFor(h.shop.domain) })).status,
    401,
  );
  assert.equal((await h.api(theirs, { token: sessionFor('other-shop.myshopify.com') })).status, 200);
  // The operator's token reaches every shop.
  assert.equal((await h.api(theirs)).status, 200);
  assert.equal((await h.api('/healthz', { token: null })).status, 200);
});
