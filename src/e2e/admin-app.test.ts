/**
 * The merchant's journey through the admin app in a real browser (Debian's Chromium through playwright-core),
 * against the simulators over real HTTP, standalone (signed in with the admin token): in English and in Swedish.
 * The journey itself is in admin-app-journey.test-support.ts; inside Shopify admin it runs in
 * admin-app-embedded.test.ts.
 */
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { en, sv } from '../web/index.ts';
import type { Messages } from './admin-app.test-support.ts';
import { journey } from './admin-app-journey.test-support.ts';
import { assertAccessible, openBrowser, screenshot } from './browser.test-support.ts';
import { ADMIN_TOKEN, type Harness, startHarness } from './harness.test-support.ts';

async function signInStandalone(page: Page, h: Harness, m: Messages, name: string, query = ''): Promise<void> {
  await page.goto(`${h.app.url}/app/${query}`);
  await page.getByRole('heading', { name: m['signIn.title'] }).waitFor();
  await assertAccessible(page, `${name}: sign-in`);
  await screenshot(page, `${name}-0-sign-in`);
  await page.getByLabel(m['signIn.token']).fill('not-the-token');
  await page.getByRole('button', { name: m['signIn.submit'] }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel(m['signIn.token']).fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: m['signIn.submit'] }).click();
}

test.before(async () => {
  await buildWeb({ quiet: true });
});

test('the whole journey in English, standalone (signed in with the admin token)', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-en' });
  const { page } = await openBrowser(t, { locale: 'en-US' });
  await signInStandalone(page, h, en, 'en');
  await journey(h, page, page, en, 'en', { standalone: true });
});

test('the whole journey in Swedish, from Shopify’s locale', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'ui-sv' });
  const { page } = await openBrowser(t, { locale: 'en-US' });
  await signInStandalone(page, h, sv, 'sv', '?locale=sv');
  await journey(h, page, page, sv, 'sv', { standalone: true });
});
