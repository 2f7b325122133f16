/**
 * The Web Connector simulator against the SOAP service (with the reference test backend) through real HTTP.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, silentLogger } from '../../logger/index.ts';
import { buildQwcFile, parseQwcFile, type QwcFile } from '../../qbwc/qwc/index.ts';
import { startWebConnectorServer } from '../../qbwc/soap/index.ts';
import {
  createReferenceBackend,
  type ReferenceBackendOptions,
} from '../../qbwc/soap/reference-backend.test-support.ts';
import { createFakeProcessor, type FakeProcessorOptions } from './fake-processor.test-support.ts';
import { runWebConnectorSchedule, runWebConnectorSession, type WebConnectorSessionOptions } from './session.ts';

const PASSWORD = 'app-token-9f8e7d';
const OWNER = '{11111111-2222-4333-8444-555555555555}';
const FILE = '{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE}';

function requestDocument(n: number): string {
  return `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="${n}"><CustomerAdd><Name>Customer ${n} &amp; Co</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>`;
}

function qwcFor(url: string): QwcFile {
  const support = new URL('/support', url).href;
  const built = buildQwcFile({
    appName: 'Shopify connector',
    appUrl: url,
    appDescription: 'Test',
    appSupport: support,
    userName: 'shop',
    ownerId: OWNER,
    fileId: FILE,
  });
  assert.ok(built.ok);
  const parsed = parseQwcFile(built.value);
  assert.ok(parsed.ok);
  return parsed.value;
}

async function setUp(
  backendOptions: Partial<ReferenceBackendOptions> = {},
  processorOptions: FakeProcessorOptions = {},
  logLines?: string[],
) {
  const backend = createReferenceBackend({ userName: 'shop', password: PASSWORD, ...backendOptions });
  const logger = logLines ? createLogger({ level: 'debug', write: (line) => logLines.push(line) }) : silentLogger;
  const server = await startWebConnectorServer(backend, { logger });
  const processor = createFakeProcessor(processorOptions);
  const options: WebConnectorSessionOptions = {
    qwc: qwcFor(server.url),
    password: PASSWORD,
    processor,
    openCompanyFile: 'C:\\Users\\Public\\Shop.QBW',
    timeScale: 0.001,
    callTimeoutMs: 10_000,
  };
  return { backend, server, processor, options };
}

const methods = (log: { calls: Array<{ method: string }> }) => log.calls.map((c) => c.method);

test('a full session: QBWC order, HCP response on the first call only, real progress, FileID stored', async () => {
  const lines: string[] = [];
  const { backend, server, processor, options } = await setUp({ requests: [1, 2, 3].map(requestDocument) }, {}, lines);
  try {
    const log = await runWebConnectorSession(options);
    assert.equal(log.outcome, 'completed');
    assert.equal(log.message, 'OK');
    assert.deepEqual(methods(log), [
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    assert.deepEqual(
      log.calls.filter((c) => c.method === 'receiveResponseXML').map((c) => c.answer),
      [33, 66, 100],
    );
    const hcpSizes = log.calls.filter((c) => c.method === 'sendRequestXML').map((c) => c.sent.hcpResponseBytes);
    assert.ok((hcpSizes[0] as number) > 0);
    assert.deepEqual(hcpSizes.slice(1), [0, 0]);
    const sessionState = [...backend.sessions.values()][0]!;
    assert.match(
      sessionState.hcpResponse!,
      new RegExp(`<DataExtValue>${FILE.replace(/[{}]/g, '\\$&')}</DataExtValue>`),
    );
    assert.equal(processor.fileIds.get(OWNER), FILE);
    assert.equal(processor.applied.length, 3);
    assert.ok(processor.applied[0]!.includes('<Name>Customer 1 &amp; Co</Name>'));
    assert.deepEqual(processor.opened, ['']);
    assert.equal(log.companyFile, 'C:\\Users\\Public\\Shop.QBW');
    assert.equal(processor.closes, 1);
    assert.ok(backend.queue.every((q) => q.state === 'applied'));
    assert.ok(lines.length >= 10);
    assert.ok(
      lines.every((line) => !line.includes(PASSWORD)),
      'the password never reaches a log line',
    );
  } finally {
    await server.close();
  }
});

test('authenticate answers none, nvu and busy stop before QuickBooks is opened', async () => {
  const cases: Array<[Partial<ReferenceBackendOptions>, string, string]> = [
    [{}, PASSWORD, 'no-work'],
    [{ requests: [requestDocument(1)] }, 'wrong password', 'invalid-user'],
    [{ requests: [requestDocument(1)], busy: true }, PASSWORD, 'busy'],
  ];
  for (const [backendOptions, password, outcome] of cases) {
    const { server, processor, options } = await setUp(backendOptions);
    try {
      const log = await runWebConnectorSession({ ...options, password });
      assert.equal(log.outcome, outcome);
      assert.deepEqual(methods(log), ['serverVersion', 'clientVersion', 'authenticate', 'closeConnection']);
      assert.deepEqual(processor.opened, []);
    } finally {
      await server.close();
    }
  }
});

test('a company path from authenticate is the file QuickBooks opens; postpone and minimum interval are read', async () => {
  const { server, processor, options } = await setUp({
    requests: [requestDocument(1)],
    companyFile: 'D:\\Books\\Other.QBW',
    postponeSeconds: 30,
    minimumRunEverySeconds: 900,
  });
  try {
    const log = await runWebConnectorSession(options);
    assert.equal(log.outcome, 'completed');
    assert.deepEqual(processor.opened, ['D:\\Books\\Other.QBW']);
    assert.equal(log.companyFile, 'D:\\Books\\Other.QBW');
    assert.equal(log.postponeSeconds, 30);
    assert.equal(log.minimumRunEverySeconds, 900);
  } finally {
    await server.close();
  }
});

test('clientVersion: W: continues (or cancels when the merchant says so), E: and O: stop', async () => {
  const cases: Array<[string, 'continue' | 'cancel', string]> = [
    ['W:Please update the Web Connector.', 'continue', 'completed'],
    ['W:Please update the Web Connector.', 'cancel', 'version-cancelled'],
    ['E:This Web Connector is too old.', 'continue', 'version-refused'],
    ['O:2.3.0.215', 'continue', 'version-refused'],
  ];
  for (const [answer, choice, outcome] of cases) {
    const { server, options } = await setUp({ requests: [requestDocument(1)], clientVersionAnswer: answer });
    try {
      const log = await runWebConnectorSession({ ...options, onVersionWarning: choice });
      assert.equal(log.outcome, outcome, answer);
      if (outcome === 'version-refused') assert.deepEqual(methods(log), ['serverVersion', 'clientVersion']);
    } finally {
      await server.close();
    }
  }
});

test('NoOp: getLastError says NoOp, the Web Connector waits and asks again', async () => {
  const { server, processor, options } = await setUp({ requests: [requestDocument(1)], noOpsPerSession: 2 });
  try {
    const log = await runWebConnectorSession(options);
    assert.equal(log.outcome, 'completed');
    assert.deepEqual(methods(log).slice(3), [
      'sendRequestXML',
      'getLastError',
      'sendRequestXML',
      'getLastError',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    assert.deepEqual(
      log.calls.filter((c) => c.method === 'getLastError').map((c) => c.answer),
      ['NoOp', 'NoOp'],
    );
    assert.equal(processor.applied.length, 1);
  } finally {
    await server.close();
  }
});

test('an HRESULT from QuickBooks goes to receiveResponseXML; negative progress → getLastError → closeConnection', async () => {
  const { server, backend, options } = await setUp(
    { requests: [requestDocument(1), requestDocument(2)] },
    {
      failRequests: {
        1: {
          ok: false,
          hresult: '0x80040400',
          message: 'QuickBooks found an error when parsing the provided XML text stream.',
        },
      },
    },
  );
  try {
    const log = await runWebConnectorSession(options);
    assert.equal(log.outcome, 'stopped-by-service');
    assert.deepEqual(methods(log).slice(3), [
      'sendRequestXML',
      'receiveResponseXML',
      'getLastError',
      'closeConnection',
    ]);
    const receive = log.calls.find((c) => c.method === 'receiveResponseXML')!;
    assert.equal(receive.answer, -1);
    assert.equal(receive.sent.hresult, '0x80040400');
    assert.match(log.message, /0x80040400.*parsing the provided XML/);
    assert.deepEqual(backend.calls.find((c) => c.method === 'receiveResponseXML')!.detail, { hresult: '0x80040400' });
  } finally {
    await server.close();
  }
});

test('an empty sendRequestXML ends the session with getLastError’s explanation', async () => {
  const { server, backend, options } = await setUp({ requests: [requestDocument(1)] });
  try {
    // Everything was applied between authenticate and sendRequestXML (another session finished it).
    const original = backend.sendRequestXML.bind(backend);
    backend.sendRequestXML = (input) => {
      for (const q of backend.queue) q.state = 'applied';
      return original(input);
    };
    const log = await runWebConnectorSession(options);
    assert.equal(log.outcome, 'stopped-by-service');
    assert.equal(log.message, 'Nothing left to send.');
    assert.deepEqual(methods(log).slice(3), ['sendRequestXML', 'getLastError', 'closeConnection']);
  } finally {
    await server.close();
  }
});

test('QuickBooks cannot open: connectionError with the HRESULT; a path answer retries, done stops, at most two retries', async () => {
  const failure = { ok: false as const, hresult: '0x80040408', message: 'Could not start QuickBooks.' };
  {
    const { server, processor, options } = await setUp(
      { requests: [requestDocument(1)], connectionErrorAnswers: ['C:\\Retry.QBW'] },
      { openFailures: [failure] },
    );
    try {
      const log = await runWebConnectorSession(options);
      assert.equal(log.outcome, 'completed');
      assert.deepEqual(methods(log).slice(3, 5), ['connectionError', 'sendRequestXML']);
      assert.equal(log.calls[3]!.sent.hresult, '0x80040408');
      assert.deepEqual(processor.opened, ['C:\\Retry.QBW']);
    } finally {
      await server.close();
    }
  }
  {
    const { server, options } = await setUp({ requests: [requestDocument(1)] }, { openFailures: [failure] });
    try {
      const log = await runWebConnectorSession(options);
      assert.equal(log.outcome, 'connection-failed');
      assert.deepEqual(methods(log).slice(3), ['connectionError', 'closeConnection']);
      assert.match(log.message, /0x80040408/);
    } finally {
      await server.close();
    }
  }
  {
    const { server, processor, options } = await setUp(
      { requests: [requestDocument(1)], connectionErrorAnswers: ['', '', '', ''] },
      { openFailures: [failure, failure, failure, failure] },
    );
    try {
      const log = await runWebConnectorSession(options);
      assert.equal(log.outcome, 'connection-failed');
      assert.deepEqual(methods(log).slice(3), [
        'connectionError',
        'connectionError',
        'connectionError',
        'closeConnection',
      ]);
      assert.deepEqual(processor.opened, []);
    } finally {
      await server.close();
    }
  }
});

test('a response lost after QuickBooks applied it: the next session recovers without applying twice', async () => {
  const { server, backend, processor, options } = await setUp({ requests: [1, 2, 3].map(requestDocument) });
  try {
    const first = await runWebConnectorSession({
      ...options,
      faults: [{ method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 2 }],
    });
    assert.equal(first.outcome, 'transport-failed');
    assert.match(first.message, /connection dropped while sending receiveResponseXML/);
    assert.equal(processor.applied.length, 2, 'QuickBooks applied the second document');
    assert.deepEqual(
      backend.queue.map((q) => q.state),
      ['applied', 'sent', 'pending'],
    );
    assert.equal(backend.calls.filter((c) => c.method === 'receiveResponseXML').length, 1, 'the server never saw it');

    const second = await runWebConnectorSession(options);
    assert.equal(second.outcome, 'completed');
    assert.equal(processor.replayed.length, 1, 'the lost document was replayed from QuickBooks, not applied again');
    assert.match(processor.replayed[0]!, /oldMessageSetID="2"/);
    assert.equal(processor.applied.length, 3);
    assert.ok(backend.queue.every((q) => q.state === 'applied'));
  } finally {
    await server.close();
  }
});

test('a timed-out call the server did complete, and garbage on the wire', async () => {
  {
    const { server, backend, processor, options } = await setUp({ requests: [requestDocument(1)] });
    try {
      const log = await runWebConnectorSession({
        ...options,
        faults: [{ method: 'receiveResponseXML', kind: 'time-out' }],
      });
      assert.equal(log.outcome, 'transport-failed');
      assert.match(log.message, /timed out/);
      assert.equal(backend.queue[0]!.state, 'applied', 'the server applied the response the Web Connector gave up on');
      const next = await runWebConnectorSession(options);
      assert.equal(next.outcome, 'no-work');
      assert.equal(processor.applied.length, 1);
    } finally {
      await server.close();
    }
  }
  {
    const { server, backend, options } = await setUp({ requests: [requestDocument(1)] });
    try {
      const log = await runWebConnectorSession({ ...options, faults: [{ method: 'sendRequestXML', kind: 'garbage' }] });
      assert.equal(log.outcome, 'transport-failed');
      assert.match(log.message, /SOAP fault soap:Client: The request is not well-formed XML/);
      assert.equal(backend.calls.filter((c) => c.method === 'sendRequestXML').length, 0);
    } finally {
      await server.close();
    }
  }
});

test('refuses a plain-HTTP AppURL that is not localhost, as the Web Connector does', async () => {
  const { server, options } = await setUp({ requests: [requestDocument(1)] });
  try {
    const log = await runWebConnectorSession({
      ...options,
      qwc: { ...options.qwc, appUrl: 'http://connector.example.com/qbwc' },
    });
    assert.equal(log.outcome, 'url-refused');
    assert.deepEqual(log.calls, []);
  } finally {
    await server.close();
  }
});

test('Auto-Run: sessions repeat on the schedule; faults apply to the session they name', async () => {
  const { server, backend, processor, options } = await setUp({ requests: [requestDocument(1), requestDocument(2)] });
  try {
    const seen: string[] = [];
    const logs = await runWebConnectorSchedule({
      ...options,
      qwc: { ...options.qwc, runEveryNMinutes: 1 },
      timeScale: 0.0001,
      runs: 3,
      faults: [{ method: 'receiveResponseXML', kind: 'drop-connection', session: 1 }],
      onSession: (log, index) => seen.push(`${index}:${log.outcome}`),
    });
    assert.deepEqual(seen, ['1:transport-failed', '2:completed', '3:no-work']);
    assert.equal(logs.length, 3);
    assert.equal(processor.applied.length, 2);
    assert.equal(processor.replayed.length, 1);
    assert.ok(backend.queue.every((q) => q.state === 'applied'));
  } finally {
    await server.close();
  }
});
