/**
 * The Web Connector simulator with the real QuickBooks simulator behind it, against the SOAP service (reference
 * test backend) over real HTTP — and the CLI end to end.
 */
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
import { openCompany, type QuickBooksCompany } from '../quickbooks/index.ts';
import { reopeningProcessor } from './reopening.ts';
import { runWebConnectorSession } from './session.ts';

const PASSWORD = 'token-123';
const customerAdd = (name: string, id: number) =>
  `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="${id}"><CustomerAdd><Name>${name}</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>`;

function customersNamed(path: string, name: string): number {
  const company = openCompany(path);
  try {
    const result = company.processRequest(
      '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="q"/></QBXMLMsgsRq></QBXML>',
    );
    assert.ok(result.ok);
    return result.responseXml.split(`<Name>${name}</Name>`).length - 1;
  } finally {
    company.close();
  }
}

async function setUp(requests: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'wc-qb-'));
  const backend = createReferenceBackend({ userName: 'shop', password: PASSWORD, requests });
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
  const cleanUp = async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, backend, server, qwcText: qwcText.value, qwc: qwc.value, cleanUp };
}

test('a session executes the service’s qbXML on the QuickBooks simulator; the HCP response carries the FileID', async () => {
  const { dir, backend, qwc, cleanUp } = await setUp([customerAdd('Ann &amp; Bob', 1), customerAdd('Cy', 2)]);
  try {
    const path = join(dir, 'shop.qbw');
    const log = await runWebConnectorSession({
      qwc,
      password: PASSWORD,
      processor: reopeningProcessor(() => openCompany(path)),
      openCompanyFile: path,
      timeScale: 0.001,
    });
    assert.equal(log.outcome, 'completed', log.message);
    const hcp = [...backend.sessions.values()][0]!.hcpResponse!;
    assert.match(hcp, /<HostQueryRs[^>]*statusCode="0"/);
    assert.match(hcp, /<DataExtValue>\{AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE\}<\/DataExtValue>/);
    assert.match(backend.queue[0]!.response!, /<CustomerAddRs requestID="1" statusCode="0"/);
    assert.equal(customersNamed(path, 'Ann &amp; Bob'), 1);
    assert.equal(customersNamed(path, 'Cy'), 1);
  } finally {
    await cleanUp();
  }
});

test('QuickBooks applies a request but the response is lost: the next session replays it, no duplicate', async () => {
  const { dir, backend, qwc, cleanUp } = await setUp([customerAdd('Dee', 1)]);
  try {
    const path = join(dir, 'shop.qbw');
    // The fault is armed just before the first request document (arming it at open would make the simulator
    // spend it on the Host/Company/Preferences queries).
    let loseNext = true;
    const reopening = reopeningProcessor(() => {
      company = openCompany(path);
      return company;
    });
    let company: QuickBooksCompany | undefined;
    const processor = {
      ...reopening,
      processRequest(xml: string) {
        if (loseNext) company!.faults.loseNextResponse();
        loseNext = false;
        return reopening.processRequest(xml);
      },
    };
    const options = { qwc, password: PASSWORD, processor, openCompanyFile: path, timeScale: 0.001 };
    const first = await runWebConnectorSession(options);
    assert.equal(first.outcome, 'stopped-by-service');
    assert.equal(backend.queue[0]!.state, 'sent');
    assert.equal(customersNamed(path, 'Dee'), 1, 'QuickBooks applied it although the response was lost');
    const second = await runWebConnectorSession(options);
    assert.equal(second.outcome, 'completed', second.message);
    assert.match(backend.queue[0]!.response!, /<CustomerAddRs requestID="1" statusCode="0"/);
    assert.equal(customersNamed(path, 'Dee'), 1, 'the replay did not add a second customer');
  } finally {
    await cleanUp();
  }
});

test('CLI: sim webconnector --once runs a session against the .qwc AppURL and the company file', async () => {
  const { dir, qwcText, cleanUp } = await setUp([customerAdd('Eve', 1)]);
  try {
    await writeFile(join(dir, 'connector.qwc'), qwcText);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await main(['sim', 'webconnector', '--qwc', 'connector.qwc', '--company', 'books.qbw', '--once'], {
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: { QBWC_PASSWORD: PASSWORD },
      cwd: dir,
    });
    assert.equal(code, 0, out);
    assert.match(out, /Session 1: completed — OK/);
    assert.match(out, /authenticate\s+→ \["\(ticket\)",""\]/);
    assert.ok(!out.includes(PASSWORD));
    assert.equal(customersNamed(join(dir, 'books.qbw'), 'Eve'), 1);
  } finally {
    await cleanUp();
  }
});
