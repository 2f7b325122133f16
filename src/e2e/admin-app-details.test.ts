/**
 * The admin app's finer states in a real browser, against the simulators, each checked in the place the
 * merchant would check it: the copied app token is what the clipboard holds; the 0 % sales tax item the app
 * creates is in the QuickBooks company file afterwards and the step turns done; a mapping the server refuses
 * shows its problem beside its row in the server's words; and books changed by hand in QuickBooks show as a
 * highlighted difference in the reconciliation's table and chart. axe-core checks every state.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { openCompany } from '../simulators/quickbooks/index.ts';
import { en, sv } from '../web/index.ts';
import { fill, prefix, runWebConnector } from './admin-app.test-support.ts';
import { assertAccessible, eventually, openBrowser, screenshot } from './browser.test-support.ts';
import { ADMIN_TOKEN, type Harness, qbRequest, startHarness } from './harness.test-support.ts';

const m = en;
const ZERO_RATE_ITEM = 'Shopify Tax 0%';

test.before(async () => {
  await buildWeb({ quiet: true });
});

async function signIn(page: Page, h: Harness): Promise<void> {
  await page.goto(`${h.app.url}/app/`);
  await page.getByLabel(m['signIn.token']).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: m['signIn.submit'] }).click();
}

async function shot(page: Page, name: string): Promise<void> {
  await assertAccessible(page, name);
  await screenshot(page, `details-${name}`);
}

/** A setup step's card, found by its heading. */
function stepCard(page: Page, title: string): Locator {
  return page.locator('.Polaris-ShadowBevel').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

test('setup: the token copied, the 0 % sales tax item created in QuickBooks, a mapping problem beside its row', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-details' });
  // The merchant's company file charges 8.875 % through its most common sales tax item and has no 0 % item.
  openCompany(h.companyPath, {
    edition: 'premier',
    companyName: `${h.data.shop.name} Books`,
    salesTax: { ratePercent: '8.875' },
  }).close();
  const { context, page } = await openBrowser(t, { locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.app.url });
  await signIn(page, h);

  // The token, copied: the clipboard holds exactly what the page shows once.
  await page.getByRole('button', { name: m['connect.generate'] }).click();
  const tokenField = page.getByLabel(m['connect.token']);
  await tokenField.waitFor();
  const appToken = await tokenField.inputValue();
  await page.getByRole('button', { name: m['connect.copy'] }).click();
  await page.getByRole('button', { name: m['connect.copied'] }).waitFor();
  assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), appToken);
  await shot(page, '1-token-copied');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: m['connect.download'] }).click(),
  ]);
  h.useToken(appToken, readFileSync((await download.path())!, 'utf8'));
  assert.equal((await h.session()).outcome, 'completed');
  await page
    .getByText(/Books \(QuickBooks/)
    .first()
    .waitFor();

  // Sales tax: what is wrong, in plain words, and the offer to create the 0 % item.
  const taxCard = stepCard(page, m['tax.title']);
  await page.getByRole('button', { name: m['tax.check'] }).click();
  await page.getByText(m['tax.fix']).first().waitFor();
  await taxCard.getByText(prefix(m['tax.problem.DEFAULT_TAX_ITEM_NOT_ZERO'])).first().waitFor();
  await taxCard.getByText(m['setup.status.current'], { exact: true }).waitFor();
  await shot(page, '2-sales-tax-to-fix');
  await page.getByRole('button', { name: fill(m['tax.create'], { item: ZERO_RATE_ITEM }) }).click();
  await page
    .getByText(fill(m['tax.created'], { item: ZERO_RATE_ITEM }))
    .first()
    .waitFor();
  await shot(page, '3-zero-rate-item-asked-for');

  // The next Web Connector session creates it in the company file.
  await runWebConnector(h);
  const item = h.withCompany((company) => {
    const found = qbRequest(
      company,
      `<ItemSalesTaxQueryRq requestID="1"><FullName>${ZERO_RATE_ITEM}</FullName></ItemSalesTaxQueryRq>`,
    );
    assert.ok(found.ok);
    return found.value.responses[0]!.rets[0];
  });
  assert.ok(item, `QuickBooks holds the sales tax item ${ZERO_RATE_ITEM}`);
  assert.equal(Number(item.TaxRate), 0, `its rate is 0 %: ${JSON.stringify(item)}`);
  // The merchant chooses it as the most common sales tax item in QuickBooks' preferences (qbXML cannot) and checks
  // again: the connector reads the company file again at the next Web Connector session, the check follows by
  // itself and passes, and the step is done.
  h.withCompany((company) => company.setMostCommonSalesTaxItem(ZERO_RATE_ITEM));
  await page.getByRole('button', { name: m['tax.checkAgain'] }).click();
  await page.getByText(m['tax.rereading']).waitFor();
  await shot(page, '4-sales-tax-reading-again');
  await runWebConnector(h);
  await page
    .getByText(fill(m['tax.pass'], { item: ZERO_RATE_ITEM }))
    .first()
    .waitFor();
  await taxCard.getByText(m['setup.status.done'], { exact: true }).waitFor();
  await shot(page, '5-sales-tax-done');

  // The mapping: Shipping income on the account Product sales uses, which the reconciliation could not tell apart.
  const productSales = await page.getByRole('combobox', { name: m['mapping.productSales'], exact: true }).inputValue();
  const shipping = page.getByRole('combobox', { name: m['mapping.shippingIncome'], exact: true });
  await shipping.selectOption(productSales);
  await page.getByLabel(m['settings.startDate']).fill(h.period().from);
  await page.getByRole('button', { name: m['settings.save'] }).click();
  // What the server says about that mapping, asked directly.
  const refused = await h.api(`/api/shops/${h.shop.domain}/setup/options`, {
    method: 'PUT',
    body: { mapping: { productSales, shippingIncome: productSales }, startDate: h.period().from },
  });
  assert.equal(refused.status >= 400, true, `the server refuses the shared account (${refused.status})`);
  const { error } = (await refused.json()) as {
    error: { details: { mappingProblems: { category: string; text: string }[] } };
  };
  const problem = error.details.mappingProblems.find((p) => p.category === 'shippingIncome');
  assert.ok(problem, JSON.stringify(error.details));
  // Beside its row: the row's picker is invalid and described by the server's own words, and has the focus.
  const row = page.getByRole('row').filter({ has: shipping });
  await row.getByText(problem.text, { exact: true }).waitFor();
  assert.equal(await shipping.getAttribute('aria-invalid'), 'true');
  const describedBy = (await shipping.getAttribute('aria-describedby')) ?? '';
  const descriptions = await Promise.all(
    describedBy
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  assert.ok(
    descriptions.some((text) => text?.includes(problem.text)),
    `the picker is described by the problem: ${descriptions.join(' | ')}`,
  );
  await eventually(() => shipping.evaluate((el) => el.matches(':focus')), 'the focus on the row with the problem');
  // Only that row: the others show no problem.
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 1);
  await shot(page, '6-mapping-problem');

  // Fixed: the problem goes and the settings are saved.
  await shipping.selectOption('Shipping Income');
  await page.getByRole('button', { name: m['settings.save'] }).click();
  await page.getByText(m['settings.saved']).first().waitFor();
  assert.equal(await row.getByText(problem.text, { exact: true }).count(), 0);

  // A Swedish merchant reads the same problem in Swedish, naming the same rows and account.
  await page.goto(`${h.app.url}/app/?locale=sv`);
  const svShipping = page.getByRole('combobox', { name: sv['mapping.shippingIncome'], exact: true });
  await svShipping.selectOption(productSales);
  await page.getByRole('button', { name: sv['settings.save'] }).click();
  const swedishProblem = fill(sv['mapping.problem.shared-account'], {
    category: sv['mapping.shippingIncome'],
    other: sv['mapping.productSales'],
    account: productSales,
  });
  await page.getByRole('row').filter({ has: svShipping }).getByText(swedishProblem, { exact: true }).waitFor();
  await shot(page, '7-mapping-problem-sv');
  await context.close();
});

test('reconciliation: books changed by hand in QuickBooks show as a highlighted difference, in the table and the chart', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-difference' });
  await h.setupThroughOptions();
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  assert.ok((await h.app.sync.run(h.shop.id, 'start')).ok);
  await h.deliverAll();

  // A QuickBooks user moves 12.34 out of the sales account by hand, on a day of the period.
  const status = await h.app.setup.status(h.shop.domain);
  assert.ok(status.ok);
  const sales = status.value.integration.options!.mapping.productSales;
  const period = h.period();
  const day = period.from;
  const entry = h.withCompany((company) =>
    qbRequest(
      company,
      `<JournalEntryAddRq><JournalEntryAdd><TxnDate>${day}</TxnDate><RefNumber>BYHAND</RefNumber>` +
        `<JournalDebitLine><AccountRef><FullName>${sales}</FullName></AccountRef><Amount>12.34</Amount></JournalDebitLine>` +
        '<JournalCreditLine><AccountRef><FullName>Checking</FullName></AccountRef><Amount>12.34</Amount></JournalCreditLine>' +
        '</JournalEntryAdd></JournalEntryAddRq>',
    ),
  );
  assert.ok(entry.ok && entry.value.responses[0]!.statusCode === 0);

  const { context, page } = await openBrowser(t, { locale: 'en-US' });
  await signIn(page, h);
  await page.getByRole('tab', { name: m['nav.reconciliation'] }).click();
  await page.getByLabel(m['reconciliation.from'], { exact: true }).fill(period.from);
  await page.getByLabel(m['reconciliation.to'], { exact: true }).fill(period.to);
  await page.getByRole('button', { name: m['reconciliation.show'] }).click();
  await page.getByText(m['reconciliation.waiting']).first().waitFor();
  await runWebConnector(h);

  await page
    .getByText(fill(m['reconciliation.differences'], { count: 2 }))
    .first()
    .waitFor();
  // Gross sales and net sales are 12.34 short; each row stands out: its category in the critical tone and its
  // difference in a critical badge. The other rows are plain.
  const table = page.getByRole('table').first();
  for (const category of [m['category.grossSales'], m['category.netSales']]) {
    const row = table.getByRole('row').filter({ hasText: category });
    const badge = row.locator('.Polaris-Badge--toneCritical');
    await badge.waitFor();
    assert.match((await badge.textContent()) ?? '', /\$12\.34/, category);
    assert.equal(await row.locator('.Polaris-Text--critical').filter({ hasText: category }).count(), 1, category);
  }
  assert.equal(await table.locator('.Polaris-Badge--toneCritical').count(), 2);
  assert.equal(await table.locator('.Polaris-Text--critical').count(), 2);
  // The day it happened, in the per-day table, and only that day.
  const days = page.getByRole('table').last();
  const differing = days.getByRole('row').filter({ hasText: fill(m['reconciliation.dayDiffers'], { count: 2 }) });
  await differing.waitFor();
  const dayRows = (await days.getByRole('row').count()) - 1;
  assert.equal(await days.getByText(m['reconciliation.dayMatches'], { exact: true }).count(), dayRows - 1);

  // The chart: under Gross sales and Net sales, what they are apart; their Shopify and QuickBooks bars are the
  // table's figures and of different heights, while an equal category's two bars are the same height.
  const chart = page.locator('figure');
  const labels = chart.locator('svg title');
  await labels.first().waitFor({ state: 'attached' });
  const titles = await labels.allTextContents();
  for (const category of [m['category.grossSales'], m['category.netSales']]) {
    const apart = fill(m['reconciliation.chartDiffers'], { category, difference: '$12.34' });
    assert.ok(titles.includes(apart), `the chart says “${apart}”: ${titles.join(', ')}`);
  }
  assert.ok(titles.includes(m['category.discounts']), 'an equal category is named plainly');
  const bars = (group: number) =>
    chart
      .locator(`g[data-type="BarGroup"][data-index="${group}"] path[data-type="Bar"]`)
      // The bars' shapes, as drawn (they sit in an SVG mask, which has no layout box of its own).
      .evaluateAll((paths) =>
        paths.map((path) => (path as unknown as { getBBox(): { height: number } }).getBBox().height),
      );
  const grossRow = table.getByRole('row').filter({ hasText: m['category.grossSales'] });
  const [shopifyGross, quickbooksGross] = (await grossRow.getByRole('cell').allTextContents()).slice(0, 2);
  await chart
    .getByRole('listitem', { name: `${m['reconciliation.shopify']} ${shopifyGross}`, includeHidden: true })
    .waitFor({ state: 'attached' });
  await chart
    .getByRole('listitem', { name: `${m['reconciliation.quickbooks']} ${quickbooksGross}`, includeHidden: true })
    .waitFor({ state: 'attached' });
  const [grossShopify, grossQuickbooks] = await bars(0);
  assert.ok(
    grossShopify! > grossQuickbooks!,
    `Gross sales: Shopify's bar (${grossShopify}) above QuickBooks' (${grossQuickbooks})`,
  );
  const [discountsShopify, discountsQuickbooks] = await bars(1);
  assert.equal(discountsShopify, discountsQuickbooks, 'Discounts: two bars of one height');
  await shot(page, '6-reconciliation-difference');
  await context.close();
});
