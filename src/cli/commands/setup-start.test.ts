import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { startHarness } from '../../e2e/harness.test-support.ts';
import { getIntegration } from '../../integration/index.ts';
import { cli } from '../cli.test-support.ts';

/** A port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('the token given at registration is used from then on; the start needs a chosen start date and a reachable Shopify, and a refused start changes nothing', async (t) => {
  const h = await startHarness(t, { orders: 30, seed: 'start-date' });
  const shop = ['--shop', h.shop.domain];
  const registered = await cli(['setup', 'register'], h.env, { cwd: h.dir });
  assert.equal(registered.code, 0, registered.stderr);
  assert.match(registered.stdout, /stored encrypted/);

  // From here on the environment has no Shopify token: the stored one is used.
  const { SHOPIFY_ACCESS_TOKEN: _token, ...env } = h.env;
  const run = (args: string[], extra: Record<string, string> = {}) => cli(args, { ...env, ...extra }, { cwd: h.dir });
  await h.issueToken();
  h.clock.now = new Date(Date.now() + 1000);
  assert.equal((await h.session()).outcome, 'completed');
  assert.equal((await run(['setup', 'sales-tax-check', ...shop])).code, 0);

  const orders = h.data.orders.filter((o) => !o.test).length;
  const refunds = h.data.orders.filter((o) => !o.test).reduce((n, o) => n + o.refunds.length, 0);
  const show = await run(['setup', 'options', ...shop, '--show']);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /Start date: not chosen yet/);
  assert.match(
    show.stdout,
    new RegExp(
      `Your Shopify history holds ${orders} orders, ${refunds} refunds and \\d+ payouts from ${h.period().from}`,
    ),
  );
  assert.match(
    show.stdout,
    new RegExp(`--start-date ${h.period().from} {2}\\(the first day of the history\\) includes ${orders} orders`),
  );
  assert.match(show.stdout, /\(today\) includes 0 orders, 0 refunds and 0 payouts/);

  const saved = await run(['setup', 'options', ...shop, '--mode', 'summary']);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, /Next: choose the start date: npx qbd-connector setup options/);

  const undated = await run(['setup', 'start', ...shop]);
  assert.equal(undated.code, 1);
  assert.match(undated.stderr, /Choose the start date/);
  assert.match(undated.stderr, new RegExp(`${orders} orders, ${refunds} refunds`));
  assert.match(undated.stderr, /\[SETUP_START_DATE_NOT_CHOSEN\]\nChoose it with: npx qbd-connector setup options/);
  assert.equal((await getIntegration(h.app.storage, h.shop.id))?.state, 'configured', 'nothing changed');

  const dated = await run(['setup', 'options', ...shop, '--start-date', h.period().from]);
  assert.equal(dated.code, 0, dated.stderr);
  assert.match(
    dated.stdout,
    new RegExp(`Start date: ${h.period().from} — includes ${orders} orders, ${refunds} refunds`),
  );

  const port = await closedPort();
  const unreachable = await run(['setup', 'start', ...shop], { SHOPIFY_API_BASE_URL: `http://127.0.0.1:${port}` });
  assert.equal(unreachable.code, 1);
  assert.match(
    unreachable.stderr,
    new RegExp(
      `not started \\(nothing changed\\): Shopify could not be reached at http://127\\.0\\.0\\.1:${port}: the connection was refused`,
    ),
  );
  assert.doesNotMatch(unreachable.stderr, /Nothing was lost|"level"/);
  assert.equal((await getIntegration(h.app.storage, h.shop.id))?.state, 'configured', 'nothing changed');
  assert.deepEqual(await h.app.sync.history(h.shop.id), [], 'no sync was run');

  const started = await run(['setup', 'start', ...shop]);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /Read \d+ orders from Shopify/);
  assert.match(started.stdout, /Queued (\d+) new request\(s\) for the Web Connector/);
  const queued = Number(/Queued (\d+) new request/.exec(started.stdout)![1]);
  assert.match(started.stdout, new RegExp(`Sync 1 \\(start\\) delivering: ${queued} new request\\(s\\) planned\\.`));

  // Nothing delivered yet: a second sync plans nothing new, and --wait follows the documents the first one queued.
  const waiting = run(['sync', ...shop, '--wait', '--poll-ms', '20', '--timeout', '120']);
  for (let i = 0; i < 200 && (await h.app.sync.history(h.shop.id)).length < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (let i = 0; i < 400 && (await h.app.sync.history(h.shop.id))[0]?.state === 'preparing'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  h.clock.now = new Date(Date.now() + 1000);
  await h.deliverAll();
  const waited = await waiting;
  assert.equal(waited.code, 0, waited.stdout + waited.stderr);
  assert.match(
    waited.stdout,
    new RegExp(
      `Sync 2 \\(manual\\) delivering: 0 new request\\(s\\) planned, ${queued} already planned by earlier syncs\\.`,
    ),
  );
  assert.match(
    waited.stdout,
    new RegExp(
      `To deliver: ${queued} request\\(s\\) waiting for the Web Connector \\(0 from this sync, ${queued} from earlier ones\\)\\.`,
    ),
  );
  assert.match(
    waited.stdout,
    new RegExp(
      `Delivered ${queued} of ${queued}: ${queued} in QuickBooks · 0 need attention · 0 failed; 0 still to deliver\\.`,
    ),
  );
  assert.doesNotMatch(waited.stdout, /\b0\/0\b/);
  const status = await run(['status', ...shop]);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.match(
    status.stdout,
    new RegExp(
      `Documents: ${queued} planned, ${queued} sent, ${queued} applied, 0 failed, 0 need attention; 0 still to deliver\\.`,
    ),
    'the same numbers everywhere',
  );
});
