/**
 * The settings step in a real browser (Debian's Chromium through playwright-core). For a shop too large for
 * Detailed customers on QuickBooks Premier: the 14,500 projection shows in numbers, live, before anything is
 * saved — in English and in Swedish, numbers through Intl — and choosing Detailed for Customers is refused beside
 * the field, with those numbers, while nothing is sent; Detailed inventory fits; a store with no Stocky data is
 * not offered Stocky. For a store whose Stocky data the connector is pointed at: Stocky offered, its shutdown
 * explained and its key asked for, in Swedish, and Stocky's answer to the saved key shown. Checked with axe-core
 * and photographed into test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import { startStockySimulator } from '../simulators/stocky/index.ts';
import { en, sv } from '../web/index.ts';
import { fill } from './admin-app.test-support.ts';
import { assertAccessible, openBrowser, screenshot } from './browser.test-support.ts';
import { type Harness, startHarness } from './harness.test-support.ts';
import { withManyCustomers } from './many-customers.test-support.ts';

type Messages = typeof en | typeof sv;

interface Verdict {
  creates: number;
  projected: number;
  projectedNames: number | null;
  limit: number | null;
  listLimit: number | null;
  allowed: boolean;
}
type Projection = { lists: Record<'customers' | 'inventory' | 'vendors', Verdict> };

/** What the page must say for a list, worded by the catalogue and formatted by Intl as the merchant reads it. */
function expected(m: Messages, tag: string, list: 'customers' | 'inventory' | 'vendors', v: Verdict) {
  const n = (value: number) => new Intl.NumberFormat(tag).format(value);
  const created = fill(
    m[`settings.projection.${list}`],
    { creates: v.creates, projected: v.projected, names: v.projectedNames ?? 0 },
    tag === 'sv-SE' ? 'sv' : 'en',
  );
  const limit =
    v.listLimit !== null
      ? fill(m['settings.projection.namesLimit'], {
          edition: m['settings.edition.premier'],
          limit: n(v.limit!),
          listLimit: n(v.listLimit),
        })
      : fill(m['settings.projection.itemsLimit'], { edition: m['settings.edition.premier'], limit: n(v.limit!) });
  const refused = fill(m['settings.projection.refused'], { list: m[`settings.listName.${list}`] });
  return { created, limit, refused };
}

/**
 * A list's Summary/Detailed field: the combobox of that name offering Detailed (the account mapping above has an
 * Inventory category of its own).
 */
function modeField(page: Page, m: Messages, list: 'customers' | 'inventory' | 'vendors'): Locator {
  return page
    .getByRole('combobox', { name: m[`settings.mode.${list}`], exact: true })
    .filter({ has: page.getByRole('option', { name: m['settings.mode.detailed'], exact: true }) });
}

/** The text a control's aria-describedby points at: what a screen reader reads with the field. */
async function description(page: Page, field: Locator): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  const texts: string[] = [];
  for (const id of ids.split(/\s+/).filter(Boolean))
    texts.push((await page.locator(`[id="${id}"]`).textContent()) ?? '');
  return texts.join(' ');
}

async function checkScreen(page: Page, h: Harness, m: Messages, tag: string, name: string): Promise<void> {
  // The screen asks once the settings step has read the shop's history from Shopify; then so does the test.
  await page.getByText(m['settings.projection.customers'].split('{')[0]!.trim()).first().waitFor();
  const answer = await h.api(`/api/shops/${h.shop.domain}/setup/list-projection`);
  const text = await answer.text();
  assert.equal(answer.status, 200, text);
  const projection = JSON.parse(text) as Projection;
  const customers = expected(m, tag, 'customers', projection.lists.customers);
  const inventory = expected(m, tag, 'inventory', projection.lists.inventory);
  assert.equal(projection.lists.customers.allowed, false, 'the shop is too large for Detailed customers');
  assert.equal(projection.lists.inventory.allowed, true);

  // Before any choice: the numbers of each list, and for Customers that Detailed would not fit.
  await page.getByText(customers.created, { exact: true }).waitFor();
  await page.getByText(`${customers.limit} ${customers.refused}`, { exact: true }).waitFor();
  await page.getByText(inventory.created, { exact: true }).waitFor();
  await page.getByText(`${inventory.limit} ${m['settings.projection.allowed']}`, { exact: true }).waitFor();
  // No Stocky data the connector knows of: only Shopify purchase orders, and no Stocky key field.
  assert.equal(await page.getByText(m['settings.poStocky']).count(), 0, 'Stocky is not offered');
  assert.equal(await page.getByLabel(m['settings.stockyKey']).count(), 0);
  await page.getByText(m['settings.poShopify'], { exact: true }).waitFor();

  // Detailed for Customers: refused beside the field, before saving; the field's description says why.
  await modeField(page, m, 'customers').selectOption('detailed');
  const refusal = `${customers.created} ${customers.limit} ${customers.refused}`;
  await page.getByText(refusal, { exact: true }).waitFor();
  assert.ok(
    (await description(page, modeField(page, m, 'customers'))).includes(refusal),
    'the field says why, with the numbers',
  );
  // Detailed for Inventory fits: no error on its field.
  await modeField(page, m, 'inventory').selectOption('detailed');
  await page.getByText(inventory.created, { exact: true }).waitFor();
  assert.ok(!(await description(page, modeField(page, m, 'inventory'))).includes(inventory.refused));
  await assertAccessible(page, `${name}: settings with Detailed refused`);
  await screenshot(page, `${name}-settings-detailed-refused`);
}

test.before(async () => {
  await buildWeb({ quiet: true });
});

test('the 14,500 projection shows live in numbers and Detailed customers is refused before saving', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-projection', prepareData: withManyCustomers });
  await h.issueToken();
  assert.equal((await h.session()).outcome, 'completed');
  const tax = await h.app.setup.checkSalesTax(h.shop.domain);
  assert.ok(tax.ok && tax.value.status === 'pass');

  const { context, page } = await openBrowser(t, { locale: 'en-US' });
  const saves: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().includes('/setup/options')) saves.push(request.url());
  });
  await page.goto(`${h.app.url}${await h.app.adminSessions.createSignInLink()}`);
  await page.getByRole('heading', { name: en['setup.title'] }).waitFor();
  await checkScreen(page, h, en, 'en-US', 'projection-en');

  // The same screen in Swedish (Shopify's locale): Swedish words, Swedish number formatting.
  await page.goto(`${h.app.url}/app/?locale=sv`);
  await page.getByRole('heading', { name: sv['setup.title'] }).waitFor();
  await checkScreen(page, h, sv, 'sv-SE', 'projection-sv');

  // Nothing was sent while choosing, and nothing is saved.
  assert.deepEqual(saves, []);
  const before = await h.app.setup.status(h.shop.domain);
  assert.ok(before.ok);
  assert.equal(before.value.integration.options, null);

  // Customers back to Summary: the error goes, and saving keeps Detailed inventory.
  await modeField(page, sv, 'customers').selectOption('summary');
  await page.getByLabel(sv['settings.startDate']).fill(h.period().from);
  await page.getByRole('button', { name: sv['settings.save'] }).click();
  await page.getByText(sv['settings.saved']).first().waitFor();
  const after = await h.app.setup.status(h.shop.domain);
  assert.ok(after.ok);
  assert.deepEqual(after.value.integration.options?.modes, {
    customers: 'summary',
    inventory: 'detailed',
    vendors: 'summary',
  });
  assert.equal(saves.length, 1);
  // The browser goes first: its idle keep-alive connections would hold the connector's close for their time-out.
  await context.close();
});

test('Stocky for a store that still holds Stocky data: offered with its shutdown explained, in Swedish', async (t) => {
  // The same seed makes the same shop: Stocky's simulator serves the store the harness registers.
  const stocky = await startStockySimulator({ data: generateShop({ seed: 'ui-stocky', orders: 6 }) });
  t.after(() => stocky.close());
  const h = await startHarness(t, { orders: 6, seed: 'ui-stocky', env: { STOCKY_API_BASE_URL: stocky.url } });
  await h.issueToken();
  assert.equal((await h.session()).outcome, 'completed');
  const tax = await h.app.setup.checkSalesTax(h.shop.domain);
  assert.ok(tax.ok && tax.value.status === 'pass');

  const { context, page } = await openBrowser(t, { locale: 'sv-SE' });
  await page.goto(`${h.app.url}${await h.app.adminSessions.createSignInLink()}`);
  await page.goto(`${h.app.url}/app/?locale=sv`);
  const shutdown = fill(sv['settings.stockyShutdown'], {
    date: new Intl.DateTimeFormat('sv-SE', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date('2026-08-31T00:00:00Z'),
    ),
  });
  // Offered, and why; the shutdown explained beside the choice.
  const choice = page.getByRole('radio', { name: sv['settings.poStocky'] });
  await choice.waitFor();
  await page.getByText(sv['settings.stockyWhy.address-configured'], { exact: true }).waitFor();
  await page.getByText(shutdown, { exact: true }).waitFor();
  assert.equal(await page.getByLabel(sv['settings.stockyKey']).count(), 0, 'no key field until Stocky is chosen');
  // Polaris draws its own radio over the input: chosen as a keyboard user does, focus and Space.
  await choice.focus();
  await page.keyboard.press('Space');
  const key = page.getByLabel(sv['settings.stockyKey']);
  await key.fill(stocky.apiKey);
  await page.getByText(sv['settings.stockyKeyHelp'], { exact: true }).waitFor();
  await page.getByLabel(sv['settings.startDate']).fill(h.period().from);
  await page.getByRole('button', { name: sv['settings.save'] }).click();
  await page.getByText(sv['settings.saved']).first().waitFor();
  const saved = await h.app.setup.status(h.shop.domain);
  assert.ok(saved.ok);
  assert.equal(saved.value.integration.options?.purchaseOrderSource.kind, 'stocky');

  // Open again: Stocky asked with the saved key, which an empty field keeps.
  await page.reload();
  await page.getByText(sv['settings.stockyAnswers'], { exact: true }).waitFor();
  await page.getByText(sv['settings.stockyWhy.key-saved'], { exact: true }).waitFor();
  await page.getByText(`${sv['settings.stockyKeyHelp']} ${sv['settings.stockyKeyKept']}`, { exact: true }).waitFor();
  await assertAccessible(page, 'settings with Stocky offered (sv)');
  await screenshot(page, 'settings-stocky-sv');
  await context.close();
});
