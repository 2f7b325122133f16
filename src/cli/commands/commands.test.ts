import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness, transactionsInQuickBooks } from '../../e2e/harness.test-support.ts';
import { listAudit } from '../../storage/index.ts';
import { cli } from '../cli.test-support.ts';

test('--help after the command name is the router’s; later it belongs to the command', async () => {
  const top = await cli(['setup', '--help'], {});
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Usage: qbd-connector setup <step>/);
  const step = await cli(['setup', 'options', '--help'], {});
  assert.equal(step.code, 0);
  assert.match(step.stdout, /Step 4\. --show prints/);
  const sim = await cli(['sim', 'webconnector', '--help'], {});
  assert.equal(sim.code, 0);
  assert.doesNotMatch(sim.stdout, /Simulators: quickbooks, webconnector, shopify\.\n/);
  for (const name of ['serve', 'sync', 'status', 'qwc', 'support']) {
    const help = await cli([name, '--help'], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`Usage: qbd-connector ${name}`));
  }
});

test('serve lists every configuration problem and exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-cli-'));
  try {
    const result = await cli(
      ['serve'],
      { PORT: 'eighty', PUBLIC_URL: 'http://example.com', LOG_LEVEL: 'loud', DATA_DIR: dir },
      { cwd: dir },
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /3 problems/);
    assert.match(result.stderr, /PORT \(--port\) must be a number/);
    assert.match(result.stderr, /PUBLIC_URL must be https/);
    assert.match(result.stderr, /LOG_LEVEL must be one of/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve: a real process answers /healthz, logs JSON lines and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-serve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const node = join(process.cwd(), 'node_modules/.bin/node');
  const child = spawn(node, [join(import.meta.dirname, '../main.ts'), 'serve'], {
    env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+) /.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const health = await fetch(`${url}/healthz`);
  assert.deepEqual(await health.json(), { ok: true, database: 'sqlite' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  assert.match(stdout, /Connector stopped\./);
  const lines = stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { message: string });
  assert.ok(lines.some((l) => l.message === 'connector listening'));
  assert.ok(lines.some((l) => l.message === 'stopped'));
});

test('the setup, sync, status, qwc and support commands against a running connector', async (t) => {
  const h = await startHarness(t, { orders: 20, seed: 'cli' });
  const env = { ...h.env, LOG_LEVEL: 'silent' };
  const run = (args: string[], options?: Parameters<typeof cli>[2]) => cli(args, env, { cwd: h.dir, ...options });
  const shop = ['--shop', h.shop.domain];

  const early = await run(['setup', 'sales-tax-check', ...shop]);
  assert.equal(early.code, 1);
  assert.match(early.stderr, /Finish “App token and Web Connector file”.*\[SETUP_STEP_OUT_OF_ORDER\]/);
  assert.equal((await run(['setup', 'register'])).code, 0, 'registering again is harmless');

  const token = await run(['setup', 'app-token', ...shop, '--qwc-out', 'shop.qwc']);
  assert.equal(token.code, 0, token.stderr);
  const appToken = /\n\n {2}(\S+)\n\n/.exec(token.stdout)?.[1];
  assert.ok(appToken, token.stdout);
  h.useToken(appToken, readFileSync(join(h.dir, 'shop.qwc'), 'utf8'));
  // The commands run on the real clock; the connector's (the test's) must not lag behind what they queued.
  const catchUp = () => {
    h.clock.now = new Date(Date.now() + 1000);
  };
  catchUp();
  assert.equal((await h.session()).outcome, 'completed');

  const tax = await run(['setup', 'sales-tax-check', ...shop]);
  assert.equal(tax.code, 0, tax.stderr);
  assert.match(tax.stdout, /Sales tax check passed/);
  const show = await run(['setup', 'options', ...shop, '--show']);
  assert.match(show.stdout, /productSales\s+Sales\n/);
  const bad = await run(['setup', 'options', ...shop, '--schedule', '25:00', '--start-date', 'soon']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /not saved:\n {2}- .*\n {2}- /);
  assert.equal((await run(['setup', 'options', ...shop, '--mode', 'sometimes'])).code, 2);
  const saved = await run([
    'setup',
    'options',
    ...shop,
    '--mode',
    'summary',
    '--schedule',
    '03:30',
    '--start-date',
    h.period().from,
  ]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, /daily at 03:30/);

  const started = await run(['setup', 'start', ...shop]);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /Sync 1 \(start\) delivering: \d+ new request\(s\) planned/);
  const twice = await run(['setup', 'start', ...shop]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /SETUP_ALREADY_STARTED/);

  const pending = await run(['status', ...shop]);
  assert.match(pending.stdout, /\[x\] 5\. Start integration/);
  assert.match(
    pending.stdout,
    /Documents: \d+ planned, \d+ sent, \d+ applied, 0 failed, 0 need attention; [1-9]\d* still to deliver/,
  );
  catchUp();
  await h.deliverAll();
  const status = await run(['status', ...shop, '--json']);
  assert.equal(status.code, 0, status.stderr);
  const parsed = JSON.parse(status.stdout) as {
    attention: unknown[];
    outbox: { applied: number; remaining: number };
    syncRuns: { state: string }[];
  };
  assert.deepEqual(parsed.attention, []);
  assert.equal(parsed.outbox.remaining, 0);
  assert.equal(parsed.syncRuns[0]!.state, 'completed');

  const sync = await run(['sync', ...shop, '--wait', '--poll-ms', '20']);
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /0 new request\(s\) planned, \d+ already planned by earlier syncs\./);
  assert.match(sync.stdout, /Nothing to deliver: every document is in QuickBooks\./);
  assert.doesNotMatch(sync.stdout, /0\/0/);
  assert.equal(
    (await run(['status', ...shop, 'retry', '--all'])).stdout,
    'Nothing needs attention: nothing to retry.\n',
  );
  assert.equal((await run(['status', ...shop, 'retry', '42'])).code, 1);

  const qwc = await run(['qwc', ...shop, '--out', 'again.qwc']);
  assert.equal(qwc.code, 0);
  assert.equal(readFileSync(join(h.dir, 'again.qwc'), 'utf8'), readFileSync(join(h.dir, 'shop.qwc'), 'utf8'));

  const noTty = await run(['support', 'reset-integration', ...shop]);
  assert.equal(noTty.code, 2);
  assert.match(noTty.stderr, /Refusing to reset without confirmation/);
  const declined = await run(['support', 'reset-integration', ...shop], { tty: true, stdin: 'no\n' });
  assert.equal(declined.code, 1);
  assert.match(declined.stdout, /This removes:[\s\S]*This keeps:[\s\S]*Nothing is deleted or changed in QuickBooks/);
  assert.match(declined.stdout, /Not reset/);
  const declinedStatus = await h.app.setup.status(h.shop.domain);
  assert.equal(declinedStatus.ok && declinedStatus.value.integration.state, 'started', 'declined: nothing changed');
  const inQuickBooks = h.withCompany(transactionsInQuickBooks);
  assert.ok(inQuickBooks.size > 0, 'the sync posted to QuickBooks');
  const reset = await run(['support', 'reset-integration', ...shop, '--reason', 'wrong mapping', '--operator', 'ada'], {
    tty: true,
    stdin: `${h.shop.domain}\n`,
  });
  assert.equal(reset.code, 0, reset.stderr);
  const after = await h.app.setup.status(h.shop.domain);
  assert.ok(after.ok);
  assert.equal(after.value.integration.state, 'paired');
  const audit = await listAudit(h.app.storage, { shopId: h.shop.id });
  const record = audit.find((a) => a.action === 'integration.reset');
  assert.equal(record?.details.operator, 'ada');
  assert.equal(record?.details.reason, 'wrong mapping');
  // Asked the way a QuickBooks user would see it (qbXML queries), not from the simulator's tables.
  assert.deepEqual(h.withCompany(transactionsInQuickBooks), inQuickBooks, 'QuickBooks keeps everything posted');
});
