/**
 * The admin app's first screen: its size as served (gzip, per file: the page, its script and stylesheet, and the
 * chunks it preloads; the chunks loaded later — other screens, the charts — listed apart) and the time from
 * navigation to an interactive setup screen in Debian's Chromium against a connector on this machine (median of
 * several loads, each in a fresh profile, so nothing is cached), with where that time goes: the page, its assets,
 * each API call in the order the app made them, and the first render. Goal: under 300 KB gzip and under 1 s.
 *
 *   node bench/web.ts [--runs N]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildWeb, WEB_BUILD_DIR } from '../scripts/build-web.ts';
import { ADMIN_TOKEN, startHarness } from '../src/e2e/harness.test-support.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;

await buildWeb({ quiet: true });
const html = readFileSync(join(WEB_BUILD_DIR, 'index.html'), 'utf8');
// The page and what it names: its entry, stylesheet and the chunks it preloads (the app's root among them).
const firstScreen = new Set([
  'index.html',
  ...[...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+)"/g)].map((m) => m[1]!),
]);
const gzipOf = (file: string) => gzipSync(readFileSync(join(WEB_BUILD_DIR, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
let firstBytes = 0;
console.log('first screen (loaded before the setup screen is interactive):');
for (const file of firstScreen) {
  const size = gzipOf(file);
  firstBytes += size;
  console.log(`  ${file.padEnd(44)} ${kb(size).padStart(9)} gzip`);
}
console.log(`  total: ${firstScreen.size} files, ${kb(firstBytes)} gzip (goal < 300 KB)`);
const later = readdirSync(join(WEB_BUILD_DIR, 'assets'))
  .map((name) => `assets/${name}`)
  .filter((file) => !firstScreen.has(file));
console.log('loaded later (other screens, charts):');
let laterBytes = 0;
for (const file of later) {
  const size = gzipOf(file);
  laterBytes += size;
  console.log(`  ${file.padEnd(44)} ${kb(size).padStart(9)} gzip`);
}
console.log(`  total: ${later.length} files, ${kb(laterBytes)} gzip`);

interface Run {
  /** Navigation start → the setup screen's first action in the page, measured in the page. */
  interactive: number;
  /** The same seen from here: goto → Playwright found the button (adds Playwright's polling). */
  seen: number;
  /** Milestones after navigation start, in ms. */
  marks: Record<string, number>;
}

const cleanups: (() => Promise<void> | void)[] = [];
const h = await startHarness({ after: (fn: () => Promise<void> | void) => cleanups.push(fn) } as never, {
  orders: 3,
  seed: 'bench-web',
});
const runs: Run[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
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
      // When the setup screen's first action is in the page (React has committed it, so it answers a click), seen
      // from inside the page: Playwright's own polling would add its latency to the figure.
      await context.addInitScript(`new MutationObserver((_, observer) => {
        for (const button of document.querySelectorAll('button')) {
          if (button.textContent.trim() === 'Generate app token') {
            window.__interactiveAt = performance.now();
            observer.disconnect();
            return;
          }
        }
      }).observe(document, { subtree: true, childList: true });`);
      // The renderer's main-thread time by kind (DevTools' Performance metrics): what the load cost in CPU,
      // which a loaded machine stretches less than the wall clock.
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Performance.enable');
      const started = performance.now();
      await tab.goto(`${h.app.url}/app/`);
      await tab.getByRole('button', { name: 'Generate app token' }).waitFor({ state: 'visible' });
      const seen = performance.now() - started;
      // In the page (the root tsconfig has no DOM types): when the page, each file and each API call finished.
      const marks = await tab.evaluate<Record<string, number>>(`(() => {
        const out = {};
        const nav = performance.getEntriesByType('navigation')[0];
        out['page received'] = nav.responseEnd;
        for (const entry of performance.getEntriesByType('resource')) {
          const path = new URL(entry.name).pathname;
          const label = path.startsWith('/app/assets/') ? path.replace(/-[\\w-]{8}\\./, '.').slice(5) : path;
          out[label + ' done'] = entry.responseEnd;
        }
        out['DOM content loaded'] = nav.domContentLoadedEventEnd;
        out['interactive (the button is in the page)'] = window.__interactiveAt;
        out['Playwright saw it'] = performance.now();
        return out;
      })()`);
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      marks['main thread: script (CPU)'] = metric('ScriptDuration');
      marks['main thread: style (CPU)'] = metric('RecalcStyleDuration');
      marks['main thread: layout (CPU)'] = metric('LayoutDuration');
      marks['main thread: all tasks (CPU)'] = metric('TaskDuration');
      runs.push({ interactive: marks['interactive (the button is in the page)']!, seen, marks });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const labels = [...new Set(runs.flatMap((r) => Object.keys(r.marks)))];
const rows = labels.map((label) => ({
  label,
  at: median(runs.map((r) => r.marks[label]).filter((v) => v !== undefined)),
}));
const cpu = rows.filter((row) => row.label.startsWith('main thread'));
console.log(`where the time goes (median over ${runs.length} loads, ms after navigation start):`);
for (const row of rows.filter((r) => !cpu.includes(r)).sort((a, b) => a.at - b.at)) {
  console.log(`  ${row.label.padEnd(44)} ${row.at.toFixed(0).padStart(6)}`);
}
console.log('the renderer main thread until interactive (median ms):');
for (const row of cpu)
  console.log(`  ${row.label.replace('main thread: ', '').padEnd(44)} ${row.at.toFixed(0).padStart(6)}`);
const seen = runs.map((r) => r.seen).sort((a, b) => a - b);
console.log(
  `goto → Playwright finds the button: median ${median(seen).toFixed(0)} ms (min ${seen[0]!.toFixed(0)}, max ${seen.at(-1)!.toFixed(0)})`,
);
const times = runs.map((r) => r.interactive).sort((a, b) => a - b);
console.log(
  `navigation → interactive setup screen: median ${median(times).toFixed(0)} ms over ${times.length} loads (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}; goal < 1000 ms)`,
);
