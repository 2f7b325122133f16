/**
 * `qbd-connector status` run as its own process, as the merchant runs it, read from what it prints and its exit
 * code: every unhappy path exits 1 and says what is wrong and what to do — documents whose answer never came back
 * (stalled), documents QuickBooks has not confirmed (unknown, or "OK" without an id), a failed sync and a Web
 * Connector lockout — and once each is over it says "Nothing needs your attention." and exits 0.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AttentionItem } from '../attention/index.ts';
import { parseQwcFile, type QwcFile } from '../qbwc/qwc/index.ts';
import { openCompany } from '../simulators/quickbooks/index.ts';
import { dropResponses, reopeningProcessor, runWebConnectorSession } from '../simulators/webconnector/index.ts';
import { ChaosClock, runCommand } from './chaos-processes.test-support.ts';
import { type Harness, startHarness } from './harness.test-support.ts';

const MINUTE = 60_000;

async function started(t: Parameters<typeof startHarness>[0], seed: string) {
  const h = await startHarness(t, { orders: 8, seed });
  const issue = h.issueToken.bind(h);
  let token: { appToken: string; qwc: QwcFile } | null = null;
  h.issueToken = async () => {
    token = await issue();
    return token;
  };
  await h.setupThroughOptions();
  const start = await h.app.setup.start(h.shop.domain);
  assert.ok(start.ok);
  const run = await h.app.sync.run(h.shop.id, 'start');
  assert.ok(run.ok && run.value.state === 'delivering');
  // The status process reads the harness's clock, not the real one.
  const clock = new ChaosClock(join(h.dir, 'clock'));
  const status = async () => {
    await clock.advance(h.clock.now.getTime() - Date.now() - clock.offsetMs);
    return runCommand(['status', '--shop', h.shop.domain], { ...h.env, PATH: process.env.PATH ?? '' }, clock);
  };
  return { h, token: token!, status };
}

function attentionList(stdout: string): string {
  const at = stdout.search(/\d+ item\(s\) need your attention:|Nothing needs your attention\./);
  return at < 0 ? stdout : stdout.slice(at);
}

async function assertClean(status: () => ReturnType<typeof runCommand>, when: string) {
  const clean = await status();
  assert.equal(clean.code, 0, `${when}: ${clean.stdout}${clean.stderr}`);
  assert.match(clean.stdout, /Nothing needs your attention\./);
}

test('status process: documents sent by a Web Connector session that stopped are listed until found in QuickBooks', async (t) => {
  const { h, status } = await started(t, 'status-process-stalled');

  // The answer to the first message set is lost (QuickBooks applied it) and the Web Connector stops.
  const lost = await h.session([{ method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 1 }]);
  assert.equal(lost.outcome, 'transport-failed');
  h.clock.now = new Date(h.clock.now.getTime() + MINUTE + 1000);
  const stalled = await status();
  assert.equal(stalled.code, 1, stalled.stdout);
  const stalledList = attentionList(stalled.stdout);
  assert.match(stalledList, /^\d+ item\(s\) need your attention:/);
  assert.match(
    stalledList,
    /Sent to QuickBooks by a Web Connector session that stopped before QuickBooks’ answer came back\./,
  );
  assert.match(stalledList, /What to do: Run the Web Connector again \(Update Selected\)/);
  // The JSON API lists the same items, each of them in what the command printed.
  const listed = (await (await h.api(`/api/shops/${h.shop.domain}/attention`)).json()) as AttentionItem[];
  assert.ok(listed.length > 0 && listed.every((item) => item.state === 'sent' || item.state === 'leased'));
  for (const item of listed) assert.ok(stalledList.includes(`[${item.id}]`), `${item.id} is printed`);
  assert.match(stalledList, new RegExp(`^${listed.length} item\\(s\\) need your attention:`));
  await h.deliverAll();
  await assertClean(status, 'after the next session found them in QuickBooks');
});

test('status process: documents QuickBooks has not confirmed (a short answer), then "OK" without an id', async (t) => {
  const { h, token, status } = await started(t, 'status-process-unconfirmed');
  // QuickBooks' answer to the first message set that adds anything reaches the connector with none of its responses.
  let shortened = false;
  const company = reopeningProcessor(() => openCompany(h.companyPath, { edition: 'premier' }));
  const partial = {
    ...company,
    processRequest(xml: string) {
      const result = company.processRequest(xml);
      if (!result.ok || shortened || !/Add(Rq|>)/.test(xml)) return result;
      shortened = true;
      return { ok: true as const, responseXml: dropResponses(result.responseXml, 0) };
    },
  };
  const answeredNothing = await runWebConnectorSession({
    qwc: token.qwc,
    password: token.appToken,
    processor: partial,
    openCompanyFile: h.companyPath,
    timeScale: 0.001,
    // The Web Connector stops right after delivering that answer: nobody is left to settle it in this session.
    randomFaults: {
      seed: 0,
      probabilities: {},
      injected: { 'lost-response': 0, 'partial-response': 0, garbage: 0, timeout: 0, 'open-failure': 0 },
      random: () => 0,
      nextOpen: () => false,
      next: (method) =>
        shortened && method !== 'receiveResponseXML' ? { kind: 'garbage', transport: 'drop-connection' } : null,
    },
  });
  assert.ok(shortened, `a message set was sent (${answeredNothing.outcome}: ${answeredNothing.message})`);
  const unconfirmed = await status();
  assert.equal(unconfirmed.code, 1, unconfirmed.stdout);
  assert.match(
    attentionList(unconfirmed.stdout),
    /QuickBooks’ answer never reached the connector, so it is not yet confirmed that it was recorded\./,
  );
  await h.deliverAll();
  await assertClean(status, 'after the identity queries confirmed them');

  // "OK" with no id recorded as applied (an older version did that): nothing proves it is there once.
  await h.app.storage.db
    .updateTable('outbox_entries')
    .set({ quickbooks_id: null })
    .where('request_type', '=', 'SalesReceiptAdd')
    .execute();
  const noId = await status();
  assert.equal(noId.code, 1, noId.stdout);
  assert.match(attentionList(noId.stdout), /did not say under which id/);
  assert.match(attentionList(noId.stdout), /What to do: Look for it in QuickBooks/);
});

test('status process: a failed sync and a Web Connector lockout exit 1 with the reason and the remedy', async (t) => {
  const { h, status } = await started(t, 'status-process-sync');
  await h.deliverAll();
  await assertClean(status, 'after a clean delivery');

  const env = { ...h.env, PATH: process.env.PATH ?? '' };
  const clock = new ChaosClock(join(h.dir, 'clock-sync'));
  await clock.advance(h.clock.now.getTime() - Date.now());
  const sync = await runCommand(
    ['sync', '--shop', h.shop.domain],
    { ...env, SHOPIFY_ACCESS_TOKEN: 'shpat_revoked0000000000' },
    clock,
  );
  assert.equal(sync.code, 1, sync.stdout + sync.stderr);
  const failed = await status();
  assert.equal(failed.code, 1, failed.stdout);
  assert.match(attentionList(failed.stdout), /\[sync-run:\d+\] sync \d+\n {8}The last sync failed: /);
  assert.match(attentionList(failed.stdout), /What to do: .*start a sync again/i);
  const fixed = await h.app.sync.run(h.shop.id, 'manual');
  assert.ok(fixed.ok);
  await assertClean(status, 'after a sync that succeeded');

  await lockOut(h);
  const locked = await status();
  assert.equal(locked.code, 1, locked.stdout);
  assert.match(
    attentionList(locked.stdout),
    /locked out after 5 wrong passwords in a row: until \S+ \(15 more minutes\) even the right app token is refused/,
  );
  assert.match(attentionList(locked.stdout), /What to do: Wait until then\..*app token/);
  h.clock.now = new Date(h.clock.now.getTime() + 15 * MINUTE + 1000);
  await assertClean(status, 'once the lockout is over');
});

async function lockOut(h: Harness): Promise<void> {
  const qwcText = await h.app.setup.qwcFile(h.shop.domain);
  assert.ok(qwcText.ok);
  const qwc = parseQwcFile(qwcText.value);
  assert.ok(qwc.ok);
  for (let attempt = 0; attempt < 5; attempt++) {
    const refused = await runWebConnectorSession({
      qwc: qwc.value,
      password: 'not-the-app-token',
      processor: {
        open: () => ({ ok: false, hresult: '0x80040408', message: 'not reached' }),
        ensureFileId: () => {},
        hostCompanyPreferences: () => '',
        processRequest: () => ({ ok: false, hresult: '0x80040408', message: 'not reached' }),
        close: () => {},
      },
      timeScale: 0.001,
    });
    assert.equal(refused.outcome, 'invalid-user');
  }
}
