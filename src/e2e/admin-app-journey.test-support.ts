/**
 * The merchant's whole journey through the admin app, shared by the standalone and the embedded browser tests:
 * connect (the Web Connector simulator runs when the test says), sales tax, settings, start, the sync's progress,
 * an item that needs attention retried after the fix, Sync now, documents, the reconciliation and the settings
 * after the start. Every screen is checked with axe-core and photographed into test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { sv, swedish } from '../web/index.ts';
import { fill, type Messages, prefix, runWebConnector, setAccountActive } from './admin-app.test-support.ts';
import { assertAccessible, eventually, screenshot } from './browser.test-support.ts';
import { ADMIN_TOKEN, type Harness } from './harness.test-support.ts';

export async function journey(
  h: Harness,
  page: Page,
  app: Page | Frame,
  m: Messages,
  name: string,
  options: { standalone: boolean },
): Promise<void> {
  const shot = async (screen: string) => {
    await assertAccessible(app, `${name}: ${screen}`);
    await screenshot(page, `${name}-${screen}`);
  };

  // Connect QuickBooks: the token shown once, the .qwc downloaded, then waiting for the Web Connector.
  await app.getByRole('heading', { name: m['setup.title'] }).waitFor();
  await shot('1-setup');
  await app.getByRole('button', { name: m['connect.generate'] }).click();
  const tokenField = app.getByLabel(m['connect.token']);
  await tokenField.waitFor();
  const appToken = await tokenField.inputValue();
  assert.match(appToken, /\S{8,}/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    app.getByRole('button', { name: m['connect.download'] }).click(),
  ]);
  const qwc = readFileSync((await download.path())!, 'utf8');
  assert.match(qwc, /<QBWCXML>/);
  h.useToken(appToken, qwc);
  await app.getByText(m['connect.waiting'], { exact: true }).first().waitFor();
  if (options.standalone) {
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie',
    );
    assert.ok(!stored.includes(appToken) && !stored.includes(ADMIN_TOKEN), 'no token in storage or readable cookies');
    assert.ok(!page.url().includes(ADMIN_TOKEN) && !page.url().includes(appToken), 'no token in the URL');
  }
  await shot('2-connect-waiting');

  const connected = await h.session();
  assert.equal(connected.outcome, 'completed');
  await app.getByText(prefix(m['connect.connected']).split(' ')[0]!, { exact: false }).first().waitFor();
  await app
    .getByText(/Books \(QuickBooks/)
    .first()
    .waitFor();

  // Sales tax.
  await app.getByRole('button', { name: m['tax.check'] }).click();
  await app.getByText(prefix(m['tax.pass'])).first().waitFor();
  await shot('3-sales-tax');

  // Settings: defaults, history from the first day of the data.
  await app.getByLabel(m['settings.startDate']).fill(h.period().from);
  // What that date includes, counted from the history the options step read.
  const proposal = (await (await h.api(`/api/shops/${h.shop.domain}/setup/options`)).json()) as {
    startDate: { byDate: { date: string; orders: number; refunds: number; payouts: number }[] };
  };
  const included = proposal.startDate.byDate.filter((d) => d.date >= h.period().from);
  const sum = (field: 'orders' | 'refunds' | 'payouts') => included.reduce((n, d) => n + d[field], 0);
  assert.ok(sum('orders') > 0, 'the period holds orders');
  await app
    .getByText(
      fill(m['settings.startDateIncludes'], {
        orders: sum('orders'),
        refunds: sum('refunds'),
        payouts: sum('payouts'),
      }),
    )
    .first()
    .waitFor();
  await app.getByRole('button', { name: m['settings.save'] }).click();
  await app.getByText(m['settings.saved']).first().waitFor();
  await shot('4-settings');

  // The merchant makes a mapped account inactive in QuickBooks before the first delivery.
  setAccountActive(h, 'Shipping Income', false);

  // Start, behind its confirmation.
  await app.getByRole('button', { name: m['start.button'] }).click();
  await app.getByText(m['start.confirmBody']).first().waitFor();
  await shot('5-start-confirm');
  await app.getByRole('button', { name: m['start.confirm'] }).click();
  await app.getByRole('tab', { name: m['nav.dashboard'] }).waitFor();

  // The sync prepares in the background; the progress bar follows it.
  await eventually(
    async () =>
      (await app
        .getByText(new RegExp(fill(m['dashboard.appliedOf'], { applied: '\\d+', planned: '[1-9]\\d*' })))
        .count()) > 0,
    'the planned sync on the dashboard',
  );
  await shot('6-dashboard-planned');
  await runWebConnector(h);

  // What needs attention, in plain words, retried after the fix.
  await app
    .getByText(/inactive/)
    .first()
    .waitFor();
  if (m === sv) {
    // The server speaks English; a Swedish merchant reads the catalogue's words for the item's code, with the
    // server's own words (which name the account) beneath.
    const items = (await (await h.api(`/api/shops/${h.shop.domain}/attention`)).json()) as { code: string | null }[];
    const code = items.map((item) => item.code).find((c) => c !== null && swedish[c] !== undefined);
    assert.ok(code, `an attention item with a Swedish catalogue entry: ${JSON.stringify(items)}`);
    await app.getByText(swedish[code]!, { exact: true }).first().waitFor();
    await app.getByText(prefix(sv['attention.todo.needs_attention']).slice(0, 30)).first().waitFor();
  }
  await shot('7-attention');
  setAccountActive(h, 'Shipping Income', true);
  const retryAll = app.getByRole('button', { name: m['attention.retryAll'] });
  if ((await retryAll.count()) > 0) await retryAll.click();
  else
    await app
      .getByRole('button', { name: new RegExp(`^${m['attention.retry']}`) })
      .first()
      .click();
  await app.getByText(m['attention.retried']).first().waitFor();
  await runWebConnector(h);
  await app.getByText(m['attention.none']).first().waitFor();
  await eventually(async () => {
    const text = (await app.locator('#sync-progress-label').textContent()) ?? '';
    const numbers =
      text
        .match(/[\d\s,.]+/g)
        ?.map((n) => n.replace(/\D/g, ''))
        .filter(Boolean) ?? [];
    return numbers.length >= 2 && numbers[0] === numbers[1];
  }, 'every planned request in QuickBooks');
  await shot('8-dashboard-delivered');

  // Sync now: a new run, started by hand, appears in the recent syncs with its outcome.
  await app.getByRole('button', { name: m['dashboard.syncNow'] }).click();
  await app.getByRole('cell', { name: m['trigger.manual'], exact: true }).first().waitFor();

  // Documents and reconciliation: the operator's and the QuickBooks-reading slices' endpoints.
  await app.getByRole('tab', { name: m['nav.documents'] }).click();
  await app.getByRole('heading', { name: m['documents.title'] }).waitFor();
  const documentsRoute = await h.api(`/api/shops/${h.shop.domain}/documents`);
  if (documentsRoute.status === 404) {
    // Not built yet on this branch: the screen says so instead of showing nothing.
    await app.getByText(m['app.error.title']).first().waitFor();
  } else {
    const { total, documents } = (await documentsRoute.json()) as {
      total: number;
      documents: { kind: string; name: string | null; date: string | null; quickbooks: { id: string } | null }[];
    };
    assert.ok(total > 0, 'documents were posted');
    await app
      .getByText(fill(m['documents.total'], { shown: Math.min(50, total), total }))
      .first()
      .waitFor();
    // List records by their QuickBooks names, kinds in the merchant's words, never a ListID.
    const table = (await app.locator('table').first().textContent()) ?? '';
    for (const listed of documents.filter((d) => d.date === null && d.quickbooks)) {
      assert.ok(listed.name, `a list record has a name: ${JSON.stringify(listed)}`);
      assert.ok(table.includes(listed.name), `the name ${listed.name} is shown`);
      assert.ok(!table.includes(listed.quickbooks!.id), `the ListID ${listed.quickbooks!.id} is not shown`);
    }
    for (const kind of new Set(documents.map((d) => d.kind))) {
      const key = `kind.${kind}` as keyof Messages;
      assert.ok(key in m, `the catalogue names ${kind}`);
      assert.ok(table.includes(m[key]), `the kind ${kind} reads as “${m[key]}”`);
    }
    // Filtered by state and kind: the count the API gives for the same filter.
    const receipts = (await (
      await h.api(`/api/shops/${h.shop.domain}/documents?state=in_quickbooks&kind=SalesReceiptAdd`)
    ).json()) as { total: number };
    assert.ok(receipts.total > 0 && receipts.total < total, 'the filter narrows the list');
    await app.getByLabel(m['documents.state']).selectOption('in_quickbooks');
    await app.getByLabel(m['documents.kind']).selectOption('SalesReceiptAdd');
    await app.getByRole('button', { name: m['documents.apply'] }).click();
    await app
      .getByText(fill(m['documents.total'], { shown: receipts.total, total: receipts.total }))
      .first()
      .waitFor();
  }
  await shot('9-documents');

  await app.getByRole('tab', { name: m['nav.reconciliation'] }).click();
  await app.getByLabel(m['reconciliation.from']).fill(h.period().from);
  await app.getByLabel(m['reconciliation.to']).fill(h.period().to);
  await app.getByRole('button', { name: m['reconciliation.show'] }).click();
  const reconciliationRoute = await h.api(
    `/api/shops/${h.shop.domain}/reconciliation?from=${h.period().from}&to=${h.period().to}`,
  );
  if (reconciliationRoute.status === 404) {
    await app.getByText(m['app.error.title']).first().waitFor();
  } else {
    // QuickBooks answers the report queries at the next Web Connector session.
    await runWebConnector(h);
    await app.getByText(m['reconciliation.noDifference']).first().waitFor();
    // Payments per gateway in words (`cash` → Cash / Kontant), not Shopify's gateway ids.
    const report = (await (
      await h.api(`/api/shops/${h.shop.domain}/reconciliation?from=${h.period().from}&to=${h.period().to}`)
    ).json()) as { shopify: Record<string, unknown> };
    const gateways = Object.keys((report.shopify.payments ?? {}) as Record<string, string>);
    assert.ok(gateways.length > 0, 'the period has payments');
    for (const gateway of gateways) {
      const key = `gateway.${gateway}` as keyof Messages;
      assert.ok(key in m, `the catalogue names the gateway ${gateway}`);
      await app
        .getByText(fill(m['reconciliation.payments'], { gateway: m[key] }), { exact: true })
        .first()
        .waitFor();
    }
  }
  await shot('10-reconciliation');

  // Settings after the start: the schedule changes, the rest is locked.
  await app.getByRole('tab', { name: m['nav.settings'] }).click();
  await app.getByText(m['afterStart.locked'], { exact: true }).first().waitFor();
  // The accounts the start created are QuickBooks' own now: nothing shows as still to create.
  const after = (await (await h.api(`/api/shops/${h.shop.domain}/settings`)).json()) as {
    accountsToCreate: unknown[];
    accounts: { fullName: string }[];
    mapping: Record<string, string>;
  };
  assert.deepEqual(after.accountsToCreate, []);
  for (const account of Object.values(after.mapping)) {
    assert.ok(
      after.accounts.some((a) => a.fullName === account),
      `${account} is one of the company file's accounts`,
    );
  }
  // By keyboard: the radio button takes focus and Space selects it.
  await app.getByLabel(m['settings.scheduleDaily']).focus();
  await page.keyboard.press('Space');
  await app.getByLabel(fill(m['settings.scheduleTime'], { timeZone: h.shop.timeZone })).fill('02:30');
  await app.getByRole('button', { name: m['settings.save'] }).click();
  await app.getByText(m['settings.saved']).first().waitFor();
  await shot('11-settings-after-start');
  const saved = await h.app.setup.status(h.shop.domain);
  assert.ok(saved.ok);
  assert.deepEqual(saved.value.integration.options?.schedule, { kind: 'daily', localTime: '02:30' });
}
