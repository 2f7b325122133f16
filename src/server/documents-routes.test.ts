import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../cli/cli.test-support.ts';
import type { DocumentPage } from '../documents/index.ts';
import { startHarness } from '../e2e/harness.test-support.ts';
import { progress } from '../outbox/index.ts';

test('GET /documents and `status --documents` list the same documents, paged and filtered; `status` shows the most recent and the warnings', async (t) => {
  const h = await startHarness(t, { orders: 30, seed: 'documents' });
  const path = `/api/shops/${h.shop.domain}/documents`;
  assert.equal((await h.api(path, { token: null })).status, 401);
  const early = (await (await h.api(path)).json()) as DocumentPage;
  assert.deepEqual(early, { documents: [], nextCursor: null, total: 0 }, 'nothing paired yet: no documents');

  await h.setupThroughOptions({ mode: 'detailed' });
  const started = await h.api(`/api/shops/${h.shop.domain}/setup/start`, { method: 'POST' });
  assert.equal(started.status, 201);
  for (let i = 0; i < 100 && (await h.app.sync.history(h.shop.id))[0]?.state === 'preparing'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await h.deliverAll();

  const bad = await h.api(`${path}?state=lost&limit=0`);
  assert.equal(bad.status, 400);
  const refusal = (await bad.json()) as { error: { code: string; message: string } };
  assert.equal(refusal.error.code, 'DOCUMENTS_QUERY_INVALID');
  assert.match(refusal.error.message, /state is one of .* limit is a whole number/);

  const companyFileId = await h.companyFileId();
  const counts = await progress(h.app.storage, companyFileId);
  const all = (await (await h.api(`${path}?limit=200`)).json()) as DocumentPage;
  const reads = counts.planned - all.total;
  assert.ok(reads > 0 && reads < 10, `only the setup's reads of QuickBooks are left out (${reads})`);
  const inQuickBooks = (await (await h.api(`${path}?state=in_quickbooks&limit=1`)).json()) as DocumentPage;
  assert.equal(inQuickBooks.total, counts.applied - reads);
  const sale = all.documents.find((d) => d.key.endsWith('/sale'))!;
  assert.equal(sale.kind, 'SalesReceiptAdd');
  assert.match(sale.shopifyOrder?.name ?? '', /^#\d+$/);
  assert.match(sale.shopifyOrder?.adminUrl ?? '', /^https:\/\/admin\.shopify\.com\/store\/[a-z0-9-]+\/orders\/\d+$/);
  assert.ok(sale.quickbooks?.id);
  assert.match(sale.amount ?? '', /^-?\d+\.\d{2}$/);

  // Pages: every document once, whatever the page size; filters narrow the same list.
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (await h.api(`${path}?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json()) as DocumentPage;
    keys.push(...page.documents.map((d) => d.key));
    cursor = page.nextCursor;
  } while (cursor);
  assert.deepEqual(
    keys,
    all.documents.map((d) => d.key),
  );
  const day = sale.date!;
  const ofDay = (await (await h.api(`${path}?from=${day}&to=${day}&kind=SalesReceiptAdd`)).json()) as DocumentPage;
  assert.ok(ofDay.total >= 1);
  assert.ok(ofDay.documents.every((d) => d.date === day && d.kind === 'SalesReceiptAdd'));

  const env = { ...h.env, LOG_LEVEL: 'silent' };
  const shop = ['--shop', h.shop.domain];
  const status = await cli(['status', ...shop], env, { cwd: h.dir });
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stdout,
    /Most recent documents \(10 of \d+; all of them: npx qbd-connector status --shop \S+ --documents\):/,
  );
  assert.match(status.stdout, /Id +Date +Document +Shopify order +QuickBooks ref +Amount USD +State/);
  assert.match(status.stdout, /In QuickBooks/);
  const run = (await h.app.sync.history(h.shop.id))[0]!;
  if ((run.summary?.notes.length ?? 0) > 0) assert.match(status.stdout, new RegExp(`Warnings from sync ${run.id} \\(`));
  assert.doesNotMatch(status.stdout, /UNIT_COST_MISSING/, 'warnings are in words, not codes');

  const page = await cli(['status', ...shop, '--documents', '--limit', '3', '--state', 'in_quickbooks'], env, {
    cwd: h.dir,
  });
  assert.equal(page.code, 0, page.stderr);
  assert.match(page.stdout, new RegExp(`3 of ${inQuickBooks.total} document\\(s\\)\\.`));
  const next = /--cursor (\S+)/.exec(page.stdout)?.[1];
  assert.ok(next, page.stdout);
  assert.match(
    page.stdout,
    /Next page: npx qbd-connector status --shop \S+ --documents --state in_quickbooks --limit 3 --cursor/,
  );
  const json = await cli(
    ['status', ...shop, '--documents', '--limit', '3', '--state', 'in_quickbooks', '--json'],
    env,
    {
      cwd: h.dir,
    },
  );
  const viaCli = JSON.parse(json.stdout) as DocumentPage;
  const viaApi = (await (await h.api(`${path}?limit=3&state=in_quickbooks`)).json()) as DocumentPage;
  assert.deepEqual(viaCli, viaApi, 'the CLI prints the API’s data');
  assert.equal((await cli(['status', ...shop, '--kind', 'DepositAdd'], env, { cwd: h.dir })).code, 2);
  assert.equal((await cli(['status', ...shop, '--documents', '--from', 'yesterday'], env, { cwd: h.dir })).code, 2);
});
