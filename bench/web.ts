/**
 * The admin app's first screen: its size as served (gzip, what the page loads before it is interactive: the
 * page, its script and its stylesheet; lazy chunks such as the charts excluded) and the time from navigation to
 * an interactive setup screen in Debian's Chromium against a connector on this machine (median of 5 loads, each
 * in a fresh profile, so nothing is cached). Goal: under 300 KB gzip and under 1 s.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildWeb, WEB_BUILD_DIR } from '../scripts/build-web.ts';
import { ADMIN_TOKEN, startHarness } from '../src/e2e/harness.test-support.ts';

await buildWeb({ quiet: true });
const page = readFileSync(join(WEB_BUILD_DIR, 'index.html'), 'utf8');
const firstScreen = ['index.html', ...[...page.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+)"/g)].map((m) => m[1]!)];
let gzipBytes = 0;
for (const file of firstScreen) gzipBytes += gzipSync(readFileSync(join(WEB_BUILD_DIR, file)), { level: 9 }).length;
console.log(`first screen: ${firstScreen.length} files, ${(gzipBytes / 1024).toFixed(1)} KB gzip (goal < 300 KB)`);

const cleanups: (() => Promise<void> | void)[] = [];
const h = await startHarness({ after: (fn: () => Promise<void> | void) => cleanups.push(fn) } as never, {
  orders: 3,
  seed: 'bench-web',
});
const times: number[] = [];
try {
  for (let run = 0; run < 5; run++) {
    const profile = mkdtempSync(join(tmpdir(), 'qbd-bench-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const tab = context.pages()[0] ?? (await context.newPage());
      // Signed in first, so the measured load is the setup screen itself.
      const signIn = await fetch(`${h.app.url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: ADMIN_TOKEN }),
      });
      const [name, value] = signIn.headers.get('set-cookie')!.split(';')[0]!.split('=');
      await context.addCookies([{ name: name!, value: value!, url: h.app.url }]);
      const started = performance.now();
      await tab.goto(`${h.app.url}/app/`);
      await tab.getByRole('button', { name: 'Generate app token' }).waitFor({ state: 'visible' });
      times.push(performance.now() - started);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
times.sort((a, b) => a - b);
console.log(
  `navigation → interactive setup screen: median ${times[2]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[4]!.toFixed(0)}; goal < 1000 ms)`,
);
