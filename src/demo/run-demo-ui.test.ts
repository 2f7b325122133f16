/**
 * `demo --ui`: the line "Admin app: <URL>" opens the app signed in (the link gives the browser its session cookie),
 * the token the app issues, typed into the demo's terminal, connects the simulated Web Connector, and the demo
 * runs until it is told to stop.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { generateShop } from '../simulators/shopify/index.ts';
import { runDemoUi } from './run-demo-ui.ts';

async function until<T>(get: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await get();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

test('demo --ui: the Admin app link signs in, the typed app token connects the Web Connector, Ctrl-C stops it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-demo-ui-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const input = new PassThrough();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const data = generateShop({ seed: 'demo-ui', orders: 6 });
  const running = runDemoUi({
    data,
    dir,
    edition: 'premier',
    say: (line) => lines.push(line),
    input,
    intervalSeconds: 1,
    stopped,
  });
  try {
    const link = await until(
      () => lines.map((l) => /^Admin app: (\S+)$/.exec(l)?.[1]).find(Boolean),
      'the Admin app line',
    );
    assert.ok(lines.some((l) => /its history runs from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: choose/.test(l)));
    const origin = new URL(link).origin;
    const signIn = await fetch(link, { redirect: 'manual' });
    assert.equal(signIn.status, 303, await signIn.text());
    assert.match(signIn.headers.get('location') ?? '', /^\/app\//);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const session = (await (await fetch(`${origin}/auth/session`, { headers: { cookie } })).json()) as {
      signedIn: boolean;
      csrfToken: string;
    };
    assert.equal(session.signedIn, true);
    // The link is spent: a second browser is not signed in by it.
    assert.notEqual((await fetch(link, { redirect: 'manual' })).headers.get('set-cookie')?.split(';')[0], cookie);

    const shopPath = `${origin}/api/shops/${data.shop.myshopifyDomain}/setup`;
    const issued = await fetch(`${shopPath}/app-token`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(issued.status, 201, await issued.clone().text());
    const { appToken } = (await issued.json()) as { appToken: string };
    input.write(`${appToken}\n`);
    await until(async () => {
      const status = (await (await fetch(shopPath, { headers: { cookie } })).json()) as {
        companyFile: { boundCompany: unknown } | null;
      };
      return status.companyFile?.boundCompany ? true : undefined;
    }, 'the simulated Web Connector to connect');
    // The demo says what the session did once it has ended.
    await until(() => lines.find((l) => /^Web Connector: completed/.test(l)), 'the session’s line');
  } finally {
    stop();
  }
  const result = await running;
  assert.ok(result.ok);
});
