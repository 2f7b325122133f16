/**
 * The attention list's answer for what the connector cannot post: a refund whose amounts fit no reading of its
 * taxes has no Retry, but "I entered it in QuickBooks". In a real browser against the simulators, the merchant says
 * who entered it, the dialog closes, the item leaves the list, the outcome takes the focus, and the server has it
 * recorded with the name and note typed. axe-core checks each state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { overpay } from '../attention/misfit-refund.test-support.ts';
import { listHandEntries } from '../integration/index.ts';
import { numericId } from '../transform/index.ts';
import { en } from '../web/index.ts';
import { fill } from './admin-app.test-support.ts';
import { assertAccessible, eventually, openBrowser, screenshot, WAIT_MS } from './browser.test-support.ts';
import { ADMIN_TOKEN, type Harness, startHarness } from './harness.test-support.ts';

test.before(async () => {
  await buildWeb({ quiet: true });
});

async function signIn(page: Page, h: Harness, m: typeof en): Promise<void> {
  await page.goto(`${h.app.url}/app/`);
  await page.getByLabel(m['signIn.token']).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: m['signIn.submit'] }).click();
}

test('a refund the connector cannot post: "I entered it in QuickBooks" records who and when, and the item leaves the list', async (t) => {
  const h = await startHarness(t, { orders: 40, seed: 'e2e' });
  const order = h.data.orders.find((o) => o.name === '#1015')!;
  await h.shopify.editOrder(order.id, (o) => overpay(o, 1, 100n));
  const key = `refund/${numericId(order.refunds[1]!.id)}`;
  await h.setupThroughOptions({ mode: 'detailed' });
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  const run = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(run.ok);
  await h.deliverAll();

  const m = en;
  const { context, page } = await openBrowser(t, { locale: 'en-US' });
  await signIn(page, h, m);
  const answer = page.getByRole('button', { name: `${m['attention.enteredByHand']}: ${key}` });
  await answer.waitFor({ timeout: WAIT_MS });
  // Retrying cannot post it right: the item offers no Retry of its own.
  const region = page.getByRole('region', { name: m['attention.title'] });
  const row = region.getByRole('listitem').filter({ hasText: key });
  assert.equal(await row.getByRole('button', { name: `${m['attention.retry']}: ${key}` }).count(), 0);
  // What to do names the button, not the CLI the server's words are written for.
  await row.getByText(fill(m['attention.whatToDo'], { text: m['attention.todo.enteredByHand'] })).waitFor();
  await assertAccessible(page, 'attention-entered-by-hand');
  await screenshot(page, 'attention-entered-by-hand');

  // Cancel changes nothing and gives the focus back to the button.
  await answer.click();
  const dialog = page.getByRole('dialog', { name: fill(m['attention.enteredByHandTitle'], { key }) });
  await dialog.waitFor();
  await assertAccessible(page, 'attention-entered-by-hand-dialog');
  await screenshot(page, 'attention-entered-by-hand-dialog');
  await dialog.getByRole('button', { name: m['start.cancel'] }).click();
  await dialog.waitFor({ state: 'detached' });
  await eventually(() => answer.evaluate((el) => el.matches(':focus')), 'the focus back on the button');

  await answer.click();
  await dialog.getByLabel(m['attention.enteredBy']).fill('Dana');
  await dialog.getByLabel(m['attention.enteredByHandNote']).fill('Credit memo CM-1015');
  await dialog.getByRole('button', { name: m['attention.enteredByHandConfirm'] }).click();
  const recorded = page.getByText(m['attention.enteredByHandRecorded']);
  await recorded.waitFor();
  await answer.waitFor({ state: 'detached' });
  // The outcome takes the focus: the button pressed has gone with its item.
  await eventually(
    () =>
      page
        .locator('.Polaris-Banner')
        .filter({ hasText: m['attention.enteredByHandRecorded'] })
        .evaluate((el) => el.matches(':focus-within') || el.matches(':focus')),
    'the outcome banner holds the focus',
  );

  await screenshot(page, 'attention-entered-by-hand-recorded');

  const response = await h.api(`/api/shops/${h.shop.domain}/attention`);
  const items = (await response.json()) as { key: string }[];
  assert.deepEqual(
    items.filter((item) => item.key === key),
    [],
  );
  const entries = await listHandEntries(h.app.storage, h.shop.id);
  assert.deepEqual(
    entries.map((entry) => [entry.subject, entry.code, entry.enteredBy, entry.note, entry.actor]),
    [[key, 'REFUND_AMOUNTS_MISFIT', 'Dana', 'Credit memo CM-1015', 'merchant']],
  );
  // Closed before the harness stops: its server would otherwise wait out the browser's keep-alive connections.
  await context.close();
});
