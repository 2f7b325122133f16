import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../cli/index.ts';
import { silentLogger } from '../../logger/index.ts';
import { buildQwcFile, parseQwcFile } from '../../qbwc/qwc/index.ts';
import { startWebConnectorServer } from '../../qbwc/soap/index.ts';
import { createReferenceBackend } from '../../qbwc/soap/reference-backend.test-support.ts';
import { openCompany } from '../quickbooks/index.ts';
import {
  countResponses,
  createRandomFaultPlan,
  dropResponses,
  parseFaultOption,
  seededRandom,
} from './random-faults.ts';
import { reopeningProcessor } from './reopening.ts';
import { runWebConnectorSchedule } from './session.ts';

const PASSWORD = 'token-456';
const customerAdds = (names: string[]) =>
  `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">${names
    .map(
      (name, i) =>
        `<CustomerAddRq requestID="${i + 1}"><CustomerAdd><Name>${name}</Name></CustomerAdd></CustomerAddRq>`,
    )
    .join('')}</QBXMLMsgsRq></QBXML>`;

test('the generator replays from its seed and differs between seeds', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const first = Array.from({ length: 20 }, a);
  assert.deepEqual(first, Array.from({ length: 20 }, b));
  assert.notDeepEqual(first, Array.from({ length: 20 }, c));
  assert.ok(first.every((x) => x >= 0 && x < 1));
});

test('--fault is parsed as kind:probability pairs; every mistake is named', () => {
  assert.deepEqual(parseFaultOption('lost-response:0.1, timeout:1,garbage:0'), {
    ok: true,
    value: { 'lost-response': 0.1, timeout: 1, garbage: 0 },
  });
  const unknown = parseFaultOption('lost:0.1');
  assert.ok(
    !unknown.ok &&
      /"lost" is not a fault kind; use lost-response, partial-response, garbage, timeout, open-failure/.test(
        unknown.error,
      ),
  );
  const tooLikely = parseFaultOption('garbage:1.5');
  assert.ok(!tooLikely.ok && /must be from 0 to 1, not 1.5/.test(tooLikely.error));
  const shape = parseFaultOption('garbage=0.5');
  assert.ok(!shape.ok && /is not kind:probability/.test(shape.error));
  assert.ok(!parseFaultOption('').ok);
});

test('a partial response keeps whole responses from the start, or cuts the text', () => {
  const xml = `<?xml version="1.0"?><QBXML><QBXMLMsgsRs><CustomerAddRs requestID="1" statusCode="0"><CustomerRet><Name>A</Name></CustomerRet></CustomerAddRs><CustomerAddRs requestID="2" statusCode="0"/><CustomerAddRs requestID="3" statusCode="0"><CustomerRet><Name>C</Name></CustomerRet></CustomerAddRs></QBXMLMsgsRs></QBXML>`;
  assert.equal(countResponses(xml), 3);
  const one = dropResponses(xml, 1);
  assert.equal(countResponses(one), 1);
  assert.match(one, /requestID="1"/);
  assert.doesNotMatch(one, /requestID="[23]"/);
  assert.match(one, /<\/QBXMLMsgsRs><\/QBXML>$/);
  // Every receiveResponseXML is shortened when the probability is 1; the result is never the whole response.
  const plan = createRandomFaultPlan(5, { 'partial-response': 1 });
  for (let i = 0; i < 20; i++) {
    const decision = plan.next('receiveResponseXML');
    assert.equal(decision?.kind, 'partial-response');
    assert.ok(decision.shorten!(xml).length < xml.length);
  }
  assert.equal(plan.next('sendRequestXML'), null, 'only a response can be partial');
  assert.equal(plan.injected['partial-response'], 20);
});

async function faultySchedule(seed: number) {
  const dir = await mkdtemp(join(tmpdir(), 'wc-faults-'));
  const names = Array.from({ length: 12 }, (_, i) => `Customer ${i + 1}`);
  const backend = createReferenceBackend({
    userName: 'shop',
    password: PASSWORD,
    requests: [0, 3, 6, 9].map((start) => customerAdds(names.slice(start, start + 3))),
  });
  const server = await startWebConnectorServer(backend, { logger: silentLogger });
  const qwcText = buildQwcFile({
    appName: 'Connector',
    appUrl: server.url,
    appDescription: 'Test',
    appSupport: new URL('/support', server.url).href,
    userName: 'shop',
    ownerId: '{11111111-2222-4333-8444-555555555555}',
    fileId: '{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}',
  });
  assert.ok(qwcText.ok);
  const qwc = parseQwcFile(qwcText.value);
  assert.ok(qwc.ok);
  const path = join(dir, 'shop.qbw');
  const randomFaults = createRandomFaultPlan(seed, {
    'lost-response': 0.2,
    'partial-response': 0.2,
    garbage: 0.1,
    timeout: 0.1,
  });
  try {
    const logs = await runWebConnectorSchedule({
      qwc: qwc.value,
      password: PASSWORD,
      processor: reopeningProcessor(() => openCompany(path)),
      openCompanyFile: path,
      timeScale: 0,
      runs: 6,
      randomFaults,
    });
    return {
      trace: logs.flatMap((log) =>
        log.calls.map((call) => `${call.method}${call.injected ? `!${call.injected}` : ''}`),
      ),
      injected: { ...randomFaults.injected },
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a seed replays the same faults call for call against a service; another seed gives another schedule', async () => {
  const first = await faultySchedule(7);
  const again = await faultySchedule(7);
  assert.deepEqual(again, first);
  const total = Object.values(first.injected).reduce((a, b) => a + b, 0);
  assert.ok(total > 0, 'faults were injected');
  assert.equal(first.trace.filter((call) => call.includes('!')).length, total, 'each injected fault is in the log');
  assert.notDeepEqual((await faultySchedule(8)).trace, first.trace);
});

test('CLI: --fault and --seed inject faults, mark them in the log and count them; bad values exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wc-faults-cli-'));
  const backend = createReferenceBackend({ userName: 'shop', password: PASSWORD, requests: [customerAdds(['Fay'])] });
  const server = await startWebConnectorServer(backend, { logger: silentLogger });
  try {
    const qwcText = buildQwcFile({
      appName: 'Connector',
      appUrl: server.url,
      appDescription: 'Test',
      appSupport: new URL('/support', server.url).href,
      userName: 'shop',
      ownerId: '{11111111-2222-4333-8444-555555555555}',
      fileId: '{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}',
    });
    assert.ok(qwcText.ok);
    await writeFile(join(dir, 'connector.qwc'), qwcText.value);
    const run = async (extra: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (chunk) => {
        out += chunk;
      });
      stderr.on('data', (chunk) => {
        out += chunk;
      });
      const code = await main(
        ['sim', 'webconnector', '--qwc', 'connector.qwc', '--company', 'books.qbw', '--once', ...extra],
        { stdout, stderr, stdin: new PassThrough(), env: { QBWC_PASSWORD: PASSWORD }, cwd: dir },
      );
      return { code, out };
    };
    const faulty = await run(['--fault', 'timeout:1', '--seed', '3']);
    assert.equal(faulty.code, 1, faulty.out);
    assert.match(faulty.out, /serverVersion\s+→ serverVersion timed out \(injected\).*\[injected: timeout\]/);
    assert.match(
      faulty.out,
      /Faults injected \(seed 3\): lost-response 0, partial-response 0, garbage 0, timeout 1, open-failure 0\./,
    );
    // QuickBooks cannot be started: the Web Connector reports it through connectionError and the session ends.
    const unopened = await run(['--fault', 'open-failure:1', '--seed', '3']);
    assert.equal(unopened.code, 1, unopened.out);
    assert.match(unopened.out, /Session 1: connection-failed — QuickBooks could not be opened \(0x80040408\)/);
    assert.match(unopened.out, /connectionError\s+→/);
    assert.match(unopened.out, /QuickBooks could not be started 1 time\(s\)\s+\[injected: open-failure\]/);
    assert.match(unopened.out, /timeout 0, open-failure 1\./);
    const bad = await run(['--fault', 'timeout:2']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--fault: The probability of timeout must be from 0 to 1, not 2\./);
    const seedAlone = await run(['--seed', '3']);
    assert.equal(seedAlone.code, 2);
    assert.match(seedAlone.out, /--seed only makes sense with --fault/);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
