/**
 * Proves the service and clients generated from WSDLs speak the same envelopes: the `soap` package (what other
 * Node Web Connector servers use) builds a client from Intuit's QBWebConnectorSvc.wsdl (../shared) and from the
 * WSDL this service serves, and calls every method through real HTTP.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { type Client, createClientAsync } from 'soap';
import { silentLogger } from '../../logger/index.ts';
import { createReferenceBackend, type ReferenceBackend } from './reference-backend.test-support.ts';
import { type RunningWebConnectorServer, startWebConnectorServer } from './service.ts';

const INTUIT_WSDL = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'qbwc', 'QBWebConnectorSvc.wsdl');
const REQUEST =
  '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"><FullName>Ann &amp; Bob</FullName></CustomerQueryRq></QBXMLMsgsRq></QBXML>';
const RESPONSE =
  '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="1" statusCode="1" statusSeverity="Info" statusMessage="A query request did not find a matching object in QuickBooks" /></QBXMLMsgsRs></QBXML>';

let backend: ReferenceBackend;
let server: RunningWebConnectorServer;

beforeEach(async () => {
  backend = createReferenceBackend({
    userName: 'shop',
    password: 'token',
    requests: [REQUEST],
    clientVersionAnswer: 'W:A newer Web Connector is available.',
    companyFile: 'C:\\Books\\Shop.QBW',
  });
  server = await startWebConnectorServer(backend, { logger: silentLogger });
});
afterEach(() => server.close());

async function callEveryMethod(client: Client): Promise<void> {
  const [version] = await client.serverVersionAsync({});
  assert.equal(version.serverVersionResult, 'reference backend 1.0');
  const [client_] = await client.clientVersionAsync({ strVersion: '2.3.0.215' });
  assert.equal(client_.clientVersionResult, 'W:A newer Web Connector is available.');

  const [auth] = await client.authenticateAsync({ strUserName: 'shop', strPassword: 'token' });
  const slots: string[] = auth.authenticateResult.string;
  assert.equal(slots.length, 2);
  const ticket = slots[0]!;
  assert.equal(slots[1], 'C:\\Books\\Shop.QBW');

  const [send] = await client.sendRequestXMLAsync({
    ticket,
    strHCPResponse: '<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0" /></QBXMLMsgsRs></QBXML>',
    strCompanyFileName: 'C:\\Books\\Shop.QBW',
    qbXMLCountry: 'US',
    qbXMLMajorVers: 13,
    qbXMLMinorVers: 0,
  });
  assert.equal(send.sendRequestXMLResult, REQUEST.replace('<QBXMLMsgsRq ', '<QBXMLMsgsRq newMessageSetID="1" '));
  assert.equal(
    backend.sessions.get(ticket)!.hcpResponse,
    '<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0" /></QBXMLMsgsRs></QBXML>',
  );

  const [receive] = await client.receiveResponseXMLAsync({ ticket, response: RESPONSE, hresult: '', message: '' });
  assert.equal(Number(receive.receiveResponseXMLResult), 100);
  assert.equal(backend.queue[0]!.response, RESPONSE);

  const [last] = await client.getLastErrorAsync({ ticket });
  assert.equal(typeof last.getLastErrorResult, 'string');
  const [connection] = await client.connectionErrorAsync({
    ticket,
    hresult: '0x80040408',
    message: 'Could not start QuickBooks.',
  });
  assert.equal(connection.connectionErrorResult, 'done');
  const [close] = await client.closeConnectionAsync({ ticket });
  assert.equal(close.closeConnectionResult, 'OK');
}

test("a client generated from Intuit's WSDL calls every method and reads every answer", async () => {
  if (!existsSync(INTUIT_WSDL)) {
    assert.fail(
      `${INTUIT_WSDL} is missing: this test needs ../shared/qbwc/QBWebConnectorSvc.wsdl (Intuit's WSDL, not redistributed here).`,
    );
  }
  const client = await createClientAsync(INTUIT_WSDL, { endpoint: server.url });
  await callEveryMethod(client);
});

test('a client generated from the WSDL this service serves calls every method too', async () => {
  const client = await createClientAsync(`${server.url}?wsdl`);
  await callEveryMethod(client);
});
