/**
 * Browser test support: Debian's Chromium driven by playwright-core (Playwright's own browser download cannot be
 * reached here), a fresh profile per test, axe-core run in the page, and screenshots into test-output/ (git
 * ignores it). Chromium is told not to call Google's services: this network refuses them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** How long any one wait may take before the test fails. */
export const WAIT_MS = 90_000;
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function openBrowser(
  t: Pick<TestContext, 'after'>,
  options: { locale: string; timezoneId?: string; extraArgs?: string[] },
): Promise<{ context: BrowserContext; page: Page }> {
  assert.ok(
    existsSync(CHROMIUM),
    `The browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`,
  );
  const profile = mkdtempSync(join(tmpdir(), 'qbd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    locale: options.locale,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    viewport: { width: 1280, height: 900 },
    // Charts and transitions drawn at once: a screenshot shows the final state, not a frame of an animation.
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  t.after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Every wait is on a condition; the bound is generous because two cores shared with other work make a
  // Web Connector session or a first render take seconds, not because anything is expected to take that long.
  context.setDefaultTimeout(WAIT_MS);
  return { context, page };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/**
 * axe-core on the page (or frame) as it stands. Evaluated through the DevTools protocol, which the page's CSP
 * does not govern, so the page is checked with its real CSP in force. Serious and critical violations fail.
 */
export async function assertAccessible(target: Page | Frame, screen: string): Promise<void> {
  await target.evaluate(axeSource);
  const violations = await target.evaluate<AxeViolation[]>(
    "axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations)",
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.html)
          .slice(0, 3)
          .join(' | ')}`,
    ),
    [],
    `accessibility violations on ${screen}`,
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Polls `check` until it holds (the app updates itself from the server). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
