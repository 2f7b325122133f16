/**
 * `qbd-connector status` and GET /api/shops/:shop/attention tell the truth when things go wrong: a failed sync and
 * a Web Connector lockout make the status exit 1 with the reason and what to do, and the JSON API lists the same
 * items; once they are over the status says "Nothing needs your attention." and exits 0.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { PassThrough, Writable } from 'node:stream';
import { test } from 'node:test';
import type { AttentionItem } from '../attention/index.ts';
import type { CliIo } from '../cli/index.ts';
import { main } from '../cli/index.ts';
import { parseQwcFile } from '../qbwc/qwc/index.ts';
import { runWebConnectorSession } from '../simulators/webconnector/index.ts';
import { startHarness } from './harness.test-support.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function cli(args: string[], env: Record<string, string>) {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env, cwd: tmpdir() };
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('status exits 1 with the reason and what to do for a failed sync and a lockout, and 0 once they are over', async (t) => {
  const h = await startHarness(t, { orders: 12, seed: 'status-truth' });
  const env = { ...h.env, LOG_LEVEL: 'silent' };
  const shop = ['--shop', h.shop.domain];
  // The commands read the real clock; the connector's follows it.
  const catchUp = () => {
    h.clock.now = new Date(Date.now() + 1000);
  };
  catchUp();
  await h.setupThroughOptions();
  const started = await h.app.setup.start(h.shop.domain);
  assert.ok(started.ok);
  const first = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(first.ok);
  await h.deliverAll();
  catchUp();
  const clean = await cli(['status', ...shop], env);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /Nothing needs your attention\./);

  // A sync Shopify refuses (a revoked access token) fails, and says so until a sync succeeds.
  const failedSync = await cli(['sync', ...shop], { ...env, SHOPIFY_ACCESS_TOKEN: 'shpat_revoked0000000000' });
  assert.equal(failedSync.code, 1, failedSync.stdout + failedSync.stderr);
  const afterFailure = await cli(['status', ...shop], env);
  assert.equal(afterFailure.code, 1);
  assert.match(afterFailure.stdout, /1 item\(s\) need your attention:/);
  assert.match(afterFailure.stdout, /\[sync-run:\d+\] sync \d+\n {8}The last sync failed: /);
  assert.match(afterFailure.stdout, /What to do: .*start a sync again/i);
  const json = JSON.parse((await cli(['status', ...shop, '--json'], env)).stdout) as { attention: AttentionItem[] };
  assert.deepEqual(
    json.attention.map((item) => [item.type, item.state, item.retryable]),
    [['sync', 'failed', true]],
  );
  const api = (await (await h.api(`/api/shops/${h.shop.domain}/attention`)).json()) as AttentionItem[];
  assert.deepEqual(
    api.map((item) => item.id),
    json.attention.map((item) => item.id),
    'the API and the CLI list the same',
  );
  const retried = await cli(['status', ...shop, 'retry', String(json.attention[0]!.id)], env);
  assert.equal(retried.code, 0, retried.stdout + retried.stderr);
  assert.match(retried.stdout, /Sync \d+ \(manual\) delivering/);
  assert.equal((await cli(['status', ...shop], env)).code, 0, 'a sync that succeeded clears it');

  // Five wrong passwords lock the Web Connector out for 15 minutes: the status says how long and what to do.
  const qwcText = await h.app.setup.qwcFile(h.shop.domain);
  assert.ok(qwcText.ok);
  const qwc = parseQwcFile(qwcText.value);
  assert.ok(qwc.ok);
  catchUp();
  for (let attempt = 0; attempt < 5; attempt++) {
    const refused = await runWebConnectorSession({
      qwc: qwc.value,
      password: 'not-the-app-token',
      processor: {
        open: () => ({ ok: false, hresult: '0x80040408', message: 'not reached' }),
        ensureFileId: () => {},
        hostCompanyPreferences: () => '',
        processRequest: () => ({ ok: false, hresult: '0x80040408', message: 'not reached' }),
        close: () => {},
      },
      timeScale: 0.001,
    });
    assert.equal(refused.outcome, 'invalid-user');
  }
  const beforeStatus = Date.now();
  const locked = await cli(['status', ...shop], env);
  assert.equal(locked.code, 1, locked.stdout);
  // The connector's clock runs up to a second ahead of the command's (catchUp), so a fresh lockout can read 16.
  const lockout = /locked out after 5 wrong passwords in a row: until (\S+) \((\d+) more minutes\)/.exec(locked.stdout);
  assert.ok(lockout, locked.stdout);
  const until = new Date(lockout[1]!).getTime();
  assert.ok(Math.abs(until - (h.clock.now.getTime() + 15 * 60_000)) < 60_000, 'locked out for 15 minutes');
  const minutesLeft = Number(lockout[2]);
  assert.ok(
    minutesLeft >= Math.ceil((until - Date.now()) / 60_000) &&
      minutesLeft <= Math.ceil((until - beforeStatus) / 60_000),
    `the minutes left, rounded up: ${minutesLeft}`,
  );
  assert.match(locked.stdout, /What to do: Wait until then\..*app token/);
  const lockedApi = (await (await h.api(`/api/shops/${h.shop.domain}/attention`)).json()) as AttentionItem[];
  assert.deepEqual(
    lockedApi.map((item) => [item.type, item.code, item.retryable]),
    [['connection', 'QBWC_LOCKED_OUT', false]],
  );
  const retryLocked = await h.api(`/api/shops/${h.shop.domain}/attention/${lockedApi[0]!.id}/retry`, {
    method: 'POST',
  });
  assert.equal(retryLocked.status, 409, 'a lockout is not something a retry fixes');
  const notRetryable = await cli(['status', ...shop, 'retry', '--all'], env);
  assert.equal(notRetryable.code, 1);
  assert.match(notRetryable.stdout, /Nothing to retry, but 1 item\(s\) need something else/);
});
