/**
 * The admin app by keyboard alone, in a real browser (Debian's Chromium through playwright-core), against the
 * simulators: no mouse, only Tab, Shift+Tab, the arrow keys, Enter, Space, Escape and typing. Sign in, connect,
 * sales tax, every setting (the mapping table, the schedule, Summary/Detailed, the start date), the start's
 * confirmation, then the dashboard (Sync now, Retry and Retry all), the documents' filters, the reconciliation and
 * the settings after the start.
 * A control Tab cannot reach fails the test, and so does a focus lost to the page when a dialog closes or a
 * button goes away.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { en } from '../web/index.ts';
import {
  chooseWithArrows,
  fill,
  focused,
  hasFocus,
  prefix,
  runWebConnector,
  type SelectElement,
  setAccountActive,
  tabTo,
  typeDate,
} from './admin-app.test-support.ts';
import { assertAccessible, eventually, openBrowser, screenshot } from './browser.test-support.ts';
import { ADMIN_TOKEN, type Harness, startHarness } from './harness.test-support.ts';

const m = en;
const INACTIVE = ['Shipping Income', 'Sales'];

test.before(async () => {
  await buildWeb({ quiet: true });
});

/** The focus comes to rest inside `within` (not lost to the page's body): the app moves it as the outcome shows. */
async function assertFocusWithin(page: Page, within: Locator, what: string): Promise<void> {
  const inside = () => within.evaluate((el) => el.contains(el.ownerDocument.activeElement));
  await eventually(inside, `${what}: the focus inside`, 10_000).catch(() => undefined);
  assert.ok(await inside(), `${what}: the focus is on ${await focused(page)}`);
}

async function signInAndConnect(page: Page, h: Harness): Promise<void> {
  await page.goto(`${h.app.url}/app/`);
  await page.getByRole('heading', { name: m['signIn.title'] }).waitFor();
  await tabTo(page, page.getByRole('textbox', { name: m['signIn.token'] }), 'the sign-in token field');
  await page.keyboard.type(ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: m['setup.title'] }).waitFor();

  await tabTo(page, page.getByRole('button', { name: m['connect.generate'] }), 'Generate app token');
  await page.keyboard.press('Enter');
  const tokenField = page.getByLabel(m['connect.token']);
  await tokenField.waitFor();
  const appToken = await tokenField.inputValue();
  // Generate is gone: the token took the focus, selected for copying.
  await eventually(() => hasFocus(tokenField), 'the focus on the new app token');
  await tabTo(page, page.getByRole('button', { name: m['connect.download'] }), 'Download the .qwc file');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  h.useToken(appToken, readFileSync((await download.path())!, 'utf8'));
  assert.equal((await h.session()).outcome, 'completed');
  const connected = page.getByText(/Books \(QuickBooks/).first();
  await connected.waitFor();
  // The controls the focus was on went with the connection: the news has it now.
  await assertFocusWithin(page, page.locator('p').filter({ has: connected }), 'after the connection');

  await tabTo(page, page.getByRole('button', { name: m['tax.check'] }), 'Check sales tax');
  await page.keyboard.press('Space');
  await page.getByText(prefix(m['tax.pass'])).first().waitFor();
  // The check's button is gone once it passes: the result holds the focus.
  await assertFocusWithin(
    page,
    page
      .getByRole('status')
      .filter({ hasText: prefix(m['tax.pass']) })
      .last(),
    'after the check',
  );
  await screenshot(page, 'keyboard-3-sales-tax');
}

async function settingsByKeyboard(page: Page, h: Harness): Promise<void> {
  // The mapping table: every row's picker is reached with Tab and changed with the arrow keys.
  const shipping = page.getByRole('combobox', { name: m['mapping.shippingIncome'], exact: true });
  await tabTo(page, shipping, 'the Shipping income account picker');
  const proposed = await shipping.inputValue();
  const choices = await shipping.evaluate((el) => [...(el as unknown as SelectElement).options].map((o) => o.value));
  const other = choices.find((c) => c !== proposed);
  assert.ok(other, `the Shipping income picker offers another account: ${choices.join(', ')}`);
  await chooseWithArrows(page, shipping, other, 'the Shipping income picker');
  await chooseWithArrows(page, shipping, proposed, 'the Shipping income picker');
  // Every row of the table can be reached: the last one too.
  await tabTo(
    page,
    page.getByRole('combobox', { name: m['mapping.inventoryAdjustments'], exact: true }),
    'the last row',
  );

  // The schedule: Tab reaches the chosen radio button, the arrow keys choose the other.
  const manual = page.getByRole('radio', { name: m['settings.scheduleManual'] });
  await tabTo(page, manual, 'the schedule');
  await page.keyboard.press('ArrowDown');
  const daily = page.getByRole('radio', { name: m['settings.scheduleDaily'] });
  await eventually(() => daily.isChecked(), 'Every day chosen from the keyboard');
  const time = page.getByLabel(fill(m['settings.scheduleTime'], { timeZone: h.shop.timeZone }));
  await tabTo(page, time, 'the time of the daily run');
  // en-US: hours, minutes, then AM/PM.
  await page.keyboard.type('0230A');
  assert.equal(await time.inputValue(), '02:30');

  // Summary or Detailed per list.
  const customers = page.getByRole('combobox', { name: m['settings.mode.customers'], exact: true });
  await tabTo(page, customers, 'Summary or Detailed for customers');
  await chooseWithArrows(page, customers, 'detailed', 'Customers');
  await chooseWithArrows(page, customers, 'summary', 'Customers');
  // Detailed: each order its own document, linked to Shopify in the documents browser.
  await chooseWithArrows(page, customers, 'detailed', 'Customers');
  await tabTo(page, page.getByRole('combobox', { name: m['settings.mode.vendors'], exact: true }), 'Vendors');

  // The start date, typed; what it includes follows.
  const startDate = page.getByLabel(m['settings.startDate']);
  await tabTo(page, startDate, 'the start date');
  await typeDate(page, startDate, h.period().from);
  await page.getByText(prefix(m['settings.startDateIncludes'])).first().waitFor();
  await tabTo(page, page.getByRole('checkbox', { name: m['settings.classes'] }), 'the classes checkbox');
  await tabTo(page, page.getByRole('button', { name: m['settings.save'] }), 'Save settings');
  await page.keyboard.press('Enter');
  await page.getByText(m['settings.saved']).first().waitFor();
  await screenshot(page, 'keyboard-4-settings');
  const saved = await h.app.setup.status(h.shop.domain);
  assert.ok(saved.ok);
  assert.deepEqual(saved.value.integration.options?.schedule, { kind: 'daily', localTime: '02:30' });
  assert.equal(saved.value.integration.options?.startDate, h.period().from);
  assert.equal(saved.value.integration.options?.modes.customers, 'detailed');
}

async function startByKeyboard(page: Page): Promise<void> {
  const start = page.getByRole('button', { name: m['start.button'] });
  await tabTo(page, start, 'Start integration');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: m['start.confirmTitle'] });
  await dialog.getByText(m['start.confirmBody']).waitFor();
  await eventually(
    async () => (await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))) === true,
    'the focus inside the confirmation',
  );
  await assertAccessible(page, 'keyboard: the start confirmation');
  await screenshot(page, 'keyboard-5-start-confirm');
  // Escape closes it and the focus is back on the button that opened it.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await eventually(() => hasFocus(start), `the focus back on Start integration (it is on ${'…'})`).catch(async () => {
    throw new Error(`After the confirmation closed, the focus is on ${await focused(page)}, not Start integration`);
  });
  // Cancel does the same.
  await page.keyboard.press('Enter');
  await tabTo(page, dialog.getByRole('button', { name: m['start.cancel'] }), 'Cancel in the confirmation');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await eventually(() => hasFocus(start), 'the focus back on Start integration after Cancel');
  // The focus stays inside the dialog while it is open: Tab from its last button comes round to its first.
  await page.keyboard.press('Enter');
  const confirm = dialog.getByRole('button', { name: m['start.confirm'] });
  await tabTo(page, confirm, 'Start now in the confirmation', { max: 10 });
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    await assertFocusWithin(page, dialog, `Tab ${i + 1} inside the open confirmation`);
  }
  await tabTo(page, confirm, 'Start now in the confirmation', { max: 10 });
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: m['nav.dashboard'] }).waitFor();
  // The setup is gone: the focus is on the screen that replaced it, not lost to the page.
  await eventually(
    async () => (await focused(page)) !== 'nothing (the page body)',
    'the focus on the dashboard after the start',
  ).catch(async () => {
    throw new Error(`After the start, the focus is on ${await focused(page)}`);
  });
}

async function dashboardByKeyboard(page: Page, h: Harness): Promise<void> {
  await runWebConnector(h);
  const attention = page.getByRole('region', { name: m['attention.title'] });
  const retryOne = page.getByRole('button', { name: new RegExp(`^${m['attention.retry']}: `) });
  await retryOne.first().waitFor();
  const items = await retryOne.count();
  assert.ok(
    items >= 3,
    `several documents need attention (one retried alone, the rest all at once): ${items} ${await (await h.api(`/api/shops/${h.shop.domain}/attention`)).text()}`,
  );
  await screenshot(page, 'keyboard-6-attention');
  for (const account of INACTIVE) setAccountActive(h, account, true);

  await tabTo(page, retryOne.first(), 'Retry on the first item');
  await page.keyboard.press('Enter');
  await page.getByText(m['attention.retried']).first().waitFor();
  await eventually(async () => (await retryOne.count()) === items - 1, 'the retried item off the list');
  // The button pressed is gone; the focus is not lost with it.
  await assertFocusWithin(page, attention, 'after Retry');

  const retryAll = page.getByRole('button', { name: m['attention.retryAll'] });
  await tabTo(page, retryAll, 'Retry all', { backwards: true });
  await page.keyboard.press('Enter');
  await eventually(async () => (await retryOne.count()) === 0, 'every item retried');
  await assertFocusWithin(page, attention, 'after Retry all');
  await runWebConnector(h);
  await page.getByText(m['attention.none']).first().waitFor();
  await assertAccessible(page, 'keyboard: the dashboard after Retry all');

  await tabTo(page, page.getByRole('button', { name: m['dashboard.syncNow'] }), 'Sync now', { backwards: true });
  await page.keyboard.press('Enter');
  await page.getByRole('cell', { name: m['trigger.manual'], exact: true }).first().waitFor();
  await screenshot(page, 'keyboard-7-dashboard');
}

/**
 * Tabs as ARIA has them: Tab reaches the chosen tab (the others are not tab stops), the arrow keys move between
 * tabs and Enter opens one.
 */
async function openTab(page: Page, name: string): Promise<void> {
  await tabTo(page, page.getByRole('tab', { selected: true }), 'the tabs', { backwards: true });
  const tab = page.getByRole('tab', { name, exact: true });
  for (let i = 0; i < 4 && !(await hasFocus(tab)); i++) await page.keyboard.press('ArrowRight');
  assert.ok(await hasFocus(tab), `the arrow keys reach the ${name} tab (the focus is on ${await focused(page)})`);
  await page.keyboard.press('Enter');
  await eventually(async () => (await tab.getAttribute('aria-selected')) === 'true', `the ${name} tab open`);
}

async function documentsByKeyboard(page: Page, h: Harness): Promise<void> {
  await openTab(page, m['nav.documents']);
  await page.getByRole('heading', { name: m['documents.title'] }).waitFor();
  const state = page.getByRole('combobox', { name: m['documents.state'], exact: true });
  await tabTo(page, state, 'the state filter');
  await chooseWithArrows(page, state, 'in_quickbooks', 'the state filter');
  const kind = page.getByRole('combobox', { name: m['documents.kind'], exact: true });
  await tabTo(page, kind, 'the kind filter');
  await chooseWithArrows(page, kind, 'SalesReceiptAdd', 'the kind filter');
  const from = page.getByLabel(m['documents.from'], { exact: true });
  await tabTo(page, from, 'the From date filter');
  await typeDate(page, from, h.period().from);
  const to = page.getByLabel(m['documents.to'], { exact: true });
  await tabTo(page, to, 'the To date filter');
  await typeDate(page, to, h.period().to);
  await tabTo(page, page.getByRole('button', { name: m['documents.apply'] }), 'Filter');
  await page.keyboard.press('Enter');
  const receipts = (await (
    await h.api(
      `/api/shops/${h.shop.domain}/documents?state=in_quickbooks&kind=SalesReceiptAdd&from=${h.period().from}&to=${h.period().to}`,
    )
  ).json()) as { total: number };
  assert.ok(receipts.total > 0, 'the filter keeps some sales receipts');
  await page
    .getByText(fill(m['documents.total'], { shown: receipts.total, total: receipts.total }))
    .first()
    .waitFor();
  // The rows' links to Shopify are reachable too.
  const orderLink = page.getByRole('link').filter({ visible: true }).first();
  await orderLink.waitFor({ timeout: 5000 }).catch(async () => {
    throw new Error(
      `No order link shown: ${(await (await h.api(`/api/shops/${h.shop.domain}/documents?kind=SalesReceiptAdd`)).text()).slice(0, 600)}`,
    );
  });
  await tabTo(page, orderLink, 'the first row’s Shopify order');
  await screenshot(page, 'keyboard-8-documents');
}

async function reconciliationByKeyboard(page: Page, h: Harness): Promise<void> {
  await openTab(page, m['nav.reconciliation']);
  const from = page.getByLabel(m['reconciliation.from'], { exact: true });
  await tabTo(page, from, 'the reconciliation’s From date');
  await typeDate(page, from, h.period().from);
  const to = page.getByLabel(m['reconciliation.to'], { exact: true });
  await tabTo(page, to, 'the reconciliation’s To date');
  await typeDate(page, to, h.period().to);
  // Enter in the field submits the period, as in any form.
  await page.keyboard.press('Enter');
  await page.getByText(m['reconciliation.waiting']).first().waitFor();
  await runWebConnector(h);
  await page.getByText(m['reconciliation.noDifference']).first().waitFor();
  await assertAccessible(page, 'keyboard: the reconciliation');
  await screenshot(page, 'keyboard-9-reconciliation');
}

/** The settings after the start: the schedule changes back to manual, the mapping's pickers are reachable. */
async function settingsAfterStartByKeyboard(page: Page, h: Harness): Promise<void> {
  await openTab(page, m['nav.settings']);
  await page.getByText(m['afterStart.locked'], { exact: true }).first().waitFor();
  await tabTo(page, page.getByRole('combobox', { name: m['mapping.productSales'], exact: true }), 'a mapping picker');
  const daily = page.getByRole('radio', { name: m['settings.scheduleDaily'] });
  await tabTo(page, daily, 'the schedule');
  await page.keyboard.press('ArrowUp');
  await eventually(() => page.getByRole('radio', { name: m['settings.scheduleManual'] }).isChecked(), 'Manually');
  await tabTo(page, page.getByRole('button', { name: m['settings.save'] }), 'Save settings');
  await page.keyboard.press('Enter');
  await page.getByText(m['settings.saved']).first().waitFor();
  const saved = await h.app.setup.status(h.shop.domain);
  assert.ok(saved.ok);
  assert.deepEqual(saved.value.integration.options?.schedule, { kind: 'manual' });
  await assertAccessible(page, 'keyboard: the settings after the start');
  await screenshot(page, 'keyboard-10-settings-after-start');
}

test('by keyboard alone: sign in, connect, sales tax, settings, start, dashboard, documents, reconciliation, settings after the start', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-keyboard' });
  const { context, page } = await openBrowser(t, { locale: 'en-US' });
  await signInAndConnect(page, h);
  await settingsByKeyboard(page, h);
  // The merchant makes two mapped accounts inactive in QuickBooks before the first delivery: the items that post
  // to them need attention.
  for (const account of INACTIVE) setAccountActive(h, account, false);
  await startByKeyboard(page);
  await dashboardByKeyboard(page, h);
  await documentsByKeyboard(page, h);
  await reconciliationByKeyboard(page, h);
  await settingsAfterStartByKeyboard(page, h);
  // The browser goes first: its idle keep-alive connections would hold the connector's close for their time-out.
  await context.close();
});
