import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { ConnectorError } from '../../errors/index.ts';
import { createLogger } from '../../logger/index.ts';
import { parseXml } from '../../xml/index.ts';
import { parseSoapAnswer, writeSoapCall, writeSoapResponse } from './envelope.ts';
import { createReferenceBackend, type ReferenceBackend } from './reference-backend.test-support.ts';
import { type RunningWebConnectorServer, startWebConnectorServer } from './service.ts';

const PASSWORD = 'S3cret-app-token-value';
const REQUEST =
  '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"><FullName>A &amp; B</FullName></CustomerQueryRq></QBXMLMsgsRq></QBXML>';

const logLines: string[] = [];
let backend: ReferenceBackend;
let server: RunningWebConnectorServer;

before(async () => {
  backend = createReferenceBackend({ userName: 'shop', password: PASSWORD, requests: [REQUEST, REQUEST] });
  server = await startWebConnectorServer(backend, {
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    maxBodyBytes: 64 * 1024,
  });
});
after(() => server.close());

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', ...headers },
    body,
  });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

function envelope(inner: string, prefix = 'soap', ns = 'http://schemas.xmlsoap.org/soap/envelope/') {
  return `<?xml version="1.0" encoding="utf-8"?><${prefix}:Envelope xmlns:${prefix}="${ns}"><${prefix}:Body>${inner}</${prefix}:Body></${prefix}:Envelope>`;
}

async function authenticate(): Promise<string> {
  const reply = await post(writeSoapCall('authenticate', { strUserName: 'shop', strPassword: PASSWORD }), {
    soapaction: '"http://developer.intuit.com/authenticate"',
  });
  const answer = parseSoapAnswer('authenticate', reply.text);
  assert.ok(answer.ok);
  return (answer.result as string[])[0]!;
}

test('answers QBWC-shaped calls with methodResponse/methodResult in the Intuit namespace, as text/xml', async () => {
  const reply = await post(writeSoapCall('serverVersion', {}), {
    soapaction: '"http://developer.intuit.com/serverVersion"',
  });
  assert.equal(reply.status, 200);
  assert.equal(reply.contentType, 'text/xml; charset=utf-8');
  const parsed = parseXml(reply.text);
  assert.ok(parsed.ok);
  const response = parsed.root.children[0]!.children[0]!;
  assert.equal(response.localName, 'serverVersionResponse');
  assert.equal(response.namespace, 'http://developer.intuit.com/');
  assert.equal(response.children[0]!.localName, 'serverVersionResult');
  assert.equal(response.children[0]!.text, 'reference backend 1.0');
});

test('authenticate answers an ArrayOfString; nvu on a wrong password', async () => {
  const good = await post(writeSoapCall('authenticate', { strUserName: 'shop', strPassword: PASSWORD }));
  const goodAnswer = parseSoapAnswer('authenticate', good.text);
  assert.ok(goodAnswer.ok);
  assert.equal((goodAnswer.result as string[]).length, 2);
  assert.match((goodAnswer.result as string[])[0]!, /^[0-9a-f-]{36}$/);
  assert.equal((goodAnswer.result as string[])[1], '');
  assert.match(
    good.text,
    /<authenticateResult><string>[0-9a-f-]{36}<\/string><string><\/string><\/authenticateResult>/,
  );

  const bad = await post(writeSoapCall('authenticate', { strUserName: 'shop', strPassword: 'wrong' }));
  assert.deepEqual(parseSoapAnswer('authenticate', bad.text), { ok: true, result: ['', 'nvu'] });
});

test('accepts any envelope prefix, SOAP-ENV, unquoted or missing SOAPAction, and SOAP 1.2', async () => {
  const inner =
    '<clientVersion xmlns="http://developer.intuit.com/"><strVersion>2.3.0.215</strVersion></clientVersion>';
  const variants: Array<{ body: string; headers: Record<string, string> }> = [
    { body: envelope(inner, 'SOAP-ENV'), headers: { soapaction: 'http://developer.intuit.com/clientVersion' } },
    { body: envelope(inner, 's'), headers: {} },
    {
      body: envelope(
        '<q1:clientVersion xmlns:q1="http://developer.intuit.com/"><q1:strVersion>2.3.0.215</q1:strVersion></q1:clientVersion>',
        'x',
      ),
      headers: { soapaction: '"http://developer.intuit.com/clientVersion"' },
    },
    {
      // RPC style (QWC <Style>RPC</Style>): unqualified parameters.
      body: envelope(
        '<q1:clientVersion xmlns:q1="http://developer.intuit.com/"><strVersion>2.3.0.215</strVersion></q1:clientVersion>',
      ),
      headers: {},
    },
  ];
  for (const variant of variants) {
    const before = backend.calls.length;
    const reply = await post(variant.body, variant.headers);
    assert.equal(reply.status, 200, variant.body);
    assert.deepEqual(parseSoapAnswer('clientVersion', reply.text), { ok: true, result: '' });
    assert.deepEqual(backend.calls[before], { method: 'clientVersion', detail: { version: '2.3.0.215' } });
  }

  const soap12 = await post(envelope(inner, 'env', 'http://www.w3.org/2003/05/soap-envelope'), {
    'content-type': 'application/soap+xml; charset=utf-8; action="http://developer.intuit.com/clientVersion"',
  });
  assert.equal(soap12.status, 200);
  assert.equal(soap12.contentType, 'application/soap+xml; charset=utf-8');
  assert.match(soap12.text, /http:\/\/www\.w3\.org\/2003\/05\/soap-envelope/);
  assert.deepEqual(parseSoapAnswer('clientVersion', soap12.text), { ok: true, result: '' });
});

test('unescapes qbXML inside the request, escapes it inside the answer, and reads empty hresult/message', async () => {
  const ticket = await authenticate();
  const send = await post(
    writeSoapCall('sendRequestXML', {
      ticket,
      strHCPResponse: '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0"/></QBXMLMsgsRs></QBXML>',
      strCompanyFileName: 'C:\\Company Files\\Shop & Co.QBW',
      qbXMLCountry: 'US',
      qbXMLMajorVers: 13,
      qbXMLMinorVers: 0,
    }),
  );
  assert.ok(send.text.includes('&lt;CustomerQueryRq requestID=&quot;1&quot;&gt;&lt;FullName&gt;A &amp;amp; B'));
  const sent = parseSoapAnswer('sendRequestXML', send.text);
  assert.ok(sent.ok);
  assert.ok((sent.result as string).includes('<FullName>A &amp; B</FullName>'));
  assert.equal(backend.sessions.get(ticket)!.hcpResponse!.includes('<HostQueryRs statusCode="0"/>'), true);

  const response =
    '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="0"/></QBXMLMsgsRs></QBXML>';
  const body = envelope(
    `<receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>${ticket}</ticket><response>${response.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</response><hresult /><message /></receiveResponseXML>`,
  );
  const received = await post(body, { soapaction: '"http://developer.intuit.com/receiveResponseXML"' });
  assert.deepEqual(parseSoapAnswer('receiveResponseXML', received.text), { ok: true, result: '50' });
  assert.equal(backend.queue[0]!.response, response);
});

test('answers SOAP faults for malformed envelopes, DOCTYPEs, unknown methods and a mismatched SOAPAction', async () => {
  const cases: Array<{ body: string; headers?: Record<string, string>; reason: RegExp }> = [
    { body: '<soap:Envelope', reason: /not well-formed/ },
    {
      body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;">]>${envelope('<serverVersion xmlns="http://developer.intuit.com/">&lol1;</serverVersion>')}`,
      reason: /DOCTYPE/,
    },
    { body: '<Envelope xmlns="urn:other"><Body/></Envelope>', reason: /not SOAP 1\.1 or 1\.2/ },
    { body: envelope(''), reason: /Body is missing or empty/ },
    {
      body: envelope('<getInteractiveURL xmlns="http://developer.intuit.com/"/>'),
      reason: /Unknown Web Connector method/,
    },
    { body: envelope('<serverVersion xmlns="urn:elsewhere"/>'), reason: /not in the Web Connector namespace/ },
    {
      body: writeSoapCall('serverVersion', {}),
      headers: { soapaction: '"http://developer.intuit.com/closeConnection"' },
      reason: /SOAPAction names "closeConnection"/,
    },
    {
      body: writeSoapCall('sendRequestXML', { ticket: 't', qbXMLMajorVers: 'thirteen', qbXMLMinorVers: 0 }),
      reason: /qbXMLMajorVers must be an integer/,
    },
  ];
  for (const { body, headers, reason } of cases) {
    const callsBefore = backend.calls.length;
    const reply = await post(body, headers);
    assert.equal(reply.status, 500, body);
    const answer = parseSoapAnswer('serverVersion', reply.text);
    assert.equal(answer.ok, false);
    assert.ok(!answer.ok && answer.kind === 'fault');
    assert.equal(answer.faultCode, 'soap:Client');
    assert.match(answer.reason, reason);
    assert.equal(backend.calls.length, callsBefore, 'the backend is never called for a refused request');
  }
});

test('refuses a body over the limit with 413, declared or streamed', async () => {
  const big = writeSoapCall('getLastError', { ticket: 'x'.repeat(70 * 1024) });
  const declared = await post(big);
  assert.equal(declared.status, 413);

  const streamed = await new Promise<number>((resolve, reject) => {
    const req = request(server.url, { method: 'POST', headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
    req.end();
  });
  assert.equal(streamed, 413);
});

test('serves a WSDL on GET ?wsdl, text on plain GET, 405 and 415 otherwise', async () => {
  const wsdl = await fetch(`${server.url}?wsdl`);
  assert.equal(wsdl.status, 200);
  const text = await wsdl.text();
  const parsed = parseXml(text);
  assert.ok(parsed.ok);
  assert.ok(text.includes(`location="${server.url}"`));
  for (const method of [
    'serverVersion',
    'clientVersion',
    'authenticate',
    'sendRequestXML',
    'receiveResponseXML',
    'connectionError',
    'getLastError',
    'closeConnection',
  ]) {
    assert.ok(text.includes(`soapAction="http://developer.intuit.com/${method}"`), method);
  }
  assert.equal((await fetch(server.url)).status, 200);
  assert.equal((await fetch(server.url, { method: 'PUT', body: 'x' })).status, 405);
  assert.equal((await post('{}', { 'content-type': 'application/json' })).status, 415);
  assert.equal((await fetch(server.url.replace('/qbwc', '/other'))).status, 404);
});

test('a backend exception becomes the method error answer, and getLastError explains it', async () => {
  const failing = createReferenceBackend({
    userName: 'shop',
    password: PASSWORD,
    requests: [REQUEST],
    throwIn: {
      sendRequestXML: new ConnectorError({
        code: 'OUTBOX_UNAVAILABLE',
        message: 'database connection refused',
        merchantMessage: 'The connector database is not reachable; the next run will retry.',
      }),
      receiveResponseXML: new Error('boom'),
      connectionError: new Error('boom'),
    },
  });
  const lines: string[] = [];
  const failingServer = await startWebConnectorServer(failing, {
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
  });
  try {
    const call = async (method: Parameters<typeof writeSoapCall>[0], params: Record<string, string | number>) => {
      const response = await fetch(failingServer.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://developer.intuit.com/${method}"` },
        body: writeSoapCall(method, params),
      });
      assert.equal(response.status, 200);
      return parseSoapAnswer(method, await response.text());
    };
    const auth = await call('authenticate', { strUserName: 'shop', strPassword: PASSWORD });
    assert.ok(auth.ok);
    const ticket = (auth.result as string[])[0]!;
    assert.deepEqual(await call('sendRequestXML', { ticket, qbXMLMajorVers: 13, qbXMLMinorVers: 0 }), {
      ok: true,
      result: '',
    });
    assert.deepEqual(await call('getLastError', { ticket }), {
      ok: true,
      result: 'The connector database is not reachable; the next run will retry.',
    });
    assert.deepEqual(await call('receiveResponseXML', { ticket, response: '<QBXML/>' }), { ok: true, result: '-1' });
    const explained = await call('getLastError', { ticket });
    assert.ok(explained.ok);
    assert.match(explained.result as string, /Something went wrong inside the connector/);
    assert.deepEqual(await call('connectionError', { ticket, hresult: '0x80040408', message: 'x' }), {
      ok: true,
      result: 'done',
    });
    assert.deepEqual(
      failing.failures.map((f) => f.method),
      ['sendRequestXML', 'receiveResponseXML', 'connectionError'],
    );
    const failureLine = lines.map((l) => JSON.parse(l)).find((l) => l.message === 'Web Connector backend failed');
    assert.equal(failureLine.error.code, 'OUTBOX_UNAVAILABLE');
  } finally {
    await failingServer.close();
  }
});

test('authenticate that throws becomes a SOAP Server fault with the merchant message', async () => {
  const failing = createReferenceBackend({
    userName: 'shop',
    password: PASSWORD,
    throwIn: {
      authenticate: new ConnectorError({ code: 'X', message: 'dev', merchantMessage: 'Try again in a minute.' }),
    },
  });
  const failingServer = await startWebConnectorServer(failing, { logger: createLogger({ level: 'silent' }) });
  try {
    const response = await fetch(failingServer.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: writeSoapCall('authenticate', { strUserName: 'shop', strPassword: PASSWORD }),
    });
    assert.equal(response.status, 500);
    assert.deepEqual(parseSoapAnswer('authenticate', await response.text()), {
      ok: false,
      kind: 'fault',
      faultCode: 'soap:Server',
      reason: 'Try again in a minute.',
    });
  } finally {
    await failingServer.close();
  }
});

test('authenticate writes postpone and minimum-run slots by position', async () => {
  const cases = [
    { options: { postponeSeconds: 60 }, expected: ['none', '60'] },
    { options: { minimumRunEverySeconds: 300 }, expected: ['none', '', '300'] },
    { options: { postponeSeconds: 5, minimumRunEverySeconds: 300 }, expected: ['none', '5', '300'] },
  ];
  for (const { options, expected } of cases) {
    const b = createReferenceBackend({ userName: 'u', password: 'p', ...options });
    const s = await startWebConnectorServer(b, { logger: createLogger({ level: 'silent' }) });
    try {
      const response = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body: writeSoapCall('authenticate', { strUserName: 'u', strPassword: 'p' }),
      });
      const answer = parseSoapAnswer('authenticate', await response.text());
      assert.ok(answer.ok);
      assert.deepEqual((answer.result as string[]).slice(1), expected);
    } finally {
      await s.close();
    }
  }
});

test('no log line holds the password or a whole ticket; calls are logged with method and sizes', async () => {
  const ticket = await authenticate();
  await post(writeSoapCall('closeConnection', { ticket }));
  assert.ok(logLines.length > 0);
  for (const line of logLines) {
    assert.ok(!line.includes(PASSWORD), line);
    assert.ok(!line.includes(ticket), line);
  }
  const records = logLines.map((l) => JSON.parse(l));
  const close = records.find((r) => r.message === 'Web Connector answer' && r.method === 'closeConnection');
  assert.equal(close.session, `${ticket.slice(0, 8)}…`);
  assert.equal(typeof close.requestBytes, 'number');
  assert.equal(typeof close.durationMs, 'number');
  const auth = records.find((r) => r.message === 'Web Connector answer' && r.method === 'authenticate');
  assert.equal(auth.outcome, 'open-file');
});

test('a message set of tens of KB goes out and comes back byte for byte (the byte paths), non-ASCII included', async () => {
  const records = Array.from(
    { length: 200 },
    (_, i) =>
      `<CustomerAddRq requestID="${i}"><CustomerAdd><Name>Café “${i}” &amp; Søn 𝄞</Name></CustomerAdd></CustomerAddRq>`,
  ).join('');
  const bigRequest = `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">${records}</QBXMLMsgsRq></QBXML>`;
  const big = createReferenceBackend({ userName: 'shop', password: PASSWORD, requests: [bigRequest] });
  const own = await startWebConnectorServer(big, { logger: createLogger({ level: 'silent' }) });
  try {
    const call = async (body: string, method: string) => {
      const response = await fetch(own.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://developer.intuit.com/${method}"` },
        body,
      });
      return Buffer.from(await response.arrayBuffer());
    };
    const auth = parseSoapAnswer(
      'authenticate',
      (
        await call(writeSoapCall('authenticate', { strUserName: 'shop', strPassword: PASSWORD }), 'authenticate')
      ).toString(),
    );
    assert.ok(auth.ok);
    const ticket = (auth.result as string[])[0]!;
    const sent = await call(
      writeSoapCall('sendRequestXML', { ticket, qbXMLCountry: 'US', qbXMLMajorVers: 13, qbXMLMinorVers: 0 }),
      'sendRequestXML',
    );
    // The reference backend marks the message set for error recovery; the rest is the document as queued.
    const expected = bigRequest.replace('<QBXMLMsgsRq ', '<QBXMLMsgsRq newMessageSetID="1" ');
    assert.ok(sent.length > 20_000);
    assert.deepEqual(sent, Buffer.from(writeSoapResponse('sendRequestXML', expected, '1.1'), 'utf8'));
    assert.deepEqual(parseSoapAnswer('sendRequestXML', sent.toString('utf8')), { ok: true, result: expected });

    const bigResponse = bigRequest.replaceAll('Rq', 'Rs');
    const received = await call(
      writeSoapCall('receiveResponseXML', { ticket, response: bigResponse, hresult: '', message: '' }),
      'receiveResponseXML',
    );
    assert.deepEqual(parseSoapAnswer('receiveResponseXML', received.toString('utf8')), { ok: true, result: '100' });
    assert.equal(big.queue[0]!.response, bigResponse);
  } finally {
    await own.close();
  }
});

test('a request target no URL parser accepts is a 400 and the server lives on; keep-alive outlasts QBWC’s reuse', async () => {
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () =>
      socket.end('GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 400/);
  const wsdl = await fetch(`${server.url}?wsdl`);
  assert.equal(wsdl.status, 200);
  assert.ok(server.server.keepAliveTimeout >= 120_000);
  assert.ok(server.server.headersTimeout > 0 && server.server.headersTimeout <= 60_000);
});
