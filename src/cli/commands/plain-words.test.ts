/** The small things a person trips on: broken pipes, steps out of order, bullets, gateway ids, the tax rate. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeSnapshotPart } from '../../apply/index.ts';
import { commonTaxRate } from '../../demo/index.ts';
import { startHarness } from '../../e2e/harness.test-support.ts';
import { gatewayLabel } from '../../reconcile/index.ts';
import { generateShop } from '../../simulators/shopify/index.ts';
import { cli } from '../cli.test-support.ts';
import { problemLines } from './setup-options.ts';

test('piping into a reader that stops early (| head) ends quietly, with no EPIPE stack trace', async () => {
  const node = join(process.cwd(), 'node_modules/.bin/node');
  const child = spawn(
    node,
    [join(import.meta.dirname, '../main.ts'), 'sim', 'shopify', 'generate', '--orders', '3000', '--seed', 'pipe'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // Read the first chunk, then hang up, as `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|at .*\.ts:\d+/);
});

test('a problem with its own list reads as one list, not “- •”', () => {
  assert.deepEqual(
    problemLines(
      'Before the integration can start, fix the account mapping:\n• payoutBank: no account “Bank”\n• tips: an income account\nThe start date must be a date as YYYY-MM-DD, not "soon".',
    ),
    [
      '  - Before the integration can start, fix the account mapping:',
      '      - payoutBank: no account “Bank”',
      '      - tips: an income account',
      '  - The start date must be a date as YYYY-MM-DD, not "soon".',
    ],
  );
});

test('gateways in words, and the rate a shop charges most', () => {
  assert.equal(gatewayLabel('cash_on_delivery_(cod)'), 'Cash on delivery (COD)');
  assert.equal(gatewayLabel('shopify_payments'), 'Shopify Payments');
  assert.equal(gatewayLabel('some_new_gateway'), 'Some new gateway');
  assert.equal(commonTaxRate(generateShop({ seed: 'rate', orders: 40, profile: 'us' })), '8.875 %');
});

test('a step out of order names the command that does it; another edition of the bound company is said', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'words' });
  const env = { ...h.env, LOG_LEVEL: 'silent' };
  const early = await cli(['setup', 'sales-tax-check', '--shop', h.shop.domain], env, { cwd: h.dir });
  assert.equal(early.code, 1);
  assert.match(
    early.stderr,
    new RegExp(
      `\\[SETUP_STEP_OUT_OF_ORDER\\]\\nDo it with: npx qbd-connector setup app-token --shop ${h.shop.domain} --qwc-out shop\\.qwc\\n$`,
    ),
  );
  const start = await cli(['setup', 'start', '--shop', h.shop.domain], env, { cwd: h.dir });
  assert.equal(start.code, 1);
  assert.match(
    start.stderr,
    /Finish “App token and Web Connector file” before “Start integration”\. \[SETUP_STEP_OUT_OF_ORDER\]\nDo it with: npx qbd-connector setup app-token /,
  );
  const sync = await cli(['sync', '--shop', h.shop.domain], env, { cwd: h.dir });
  assert.equal(sync.code, 1);
  assert.match(
    sync.stderr,
    /\[SYNC_NOT_STARTED\]\nNext setup step: App token and Web Connector file\. Do it with: npx qbd-connector setup app-token /,
  );
  await h.issueToken();
  assert.equal((await h.session()).outcome, 'completed');
  const plain = await cli(['setup', 'status', '--shop', h.shop.domain], env, { cwd: h.dir });
  assert.doesNotMatch(plain.stdout, /Warning/);
  // The next session reports another product for the same company name (a copy opened in QuickBooks Pro).
  const fileId = await h.companyFileId();
  await writeSnapshotPart(
    h.app.storage,
    fileId,
    'HostQuery',
    { rets: [{ ProductName: 'QuickBooks Pro 2023', MajorVersion: '33' }], retNames: ['HostRet'] },
    new Date(),
  );
  const warned = await cli(['setup', 'status', '--shop', h.shop.domain], env, { cwd: h.dir });
  assert.match(
    warned.stdout,
    /Warning: The Web Connector last connected to “.+” in QuickBooks Pro 2023, but it was set up with QuickBooks Premier/,
  );
});
