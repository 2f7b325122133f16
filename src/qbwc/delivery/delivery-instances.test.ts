import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../logger/index.ts';
import { progress } from '../../outbox/index.ts';
import { runWebConnectorSession, type SessionLog } from '../../simulators/webconnector/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import {
  customerEntry,
  itemEntry,
  queryCompany,
  qwcFor,
  receiptEntry,
  startConnector,
} from './delivery.test-support.ts';
import { createDeliveryBackend } from './delivery-backend.ts';

forEachEngine('delivery: several server instances on one database', (engine) => {
  test('two instances, two Web Connectors on one company file: busy for one, every document applied once', async (t) => {
    const connector = await startConnector(t, engine, { maxRequestsPerMessageSet: 3 });
    const second = await connector.startInstance(await connector.openAnother(), { maxRequestsPerMessageSet: 3 });
    const receipts = Array.from({ length: 12 }, (_, i) => receiptEntry(`R9${String(i).padStart(3, '0')}`));
    await connector.enqueue([customerEntry(), itemEntry(), ...receipts]);
    const connectors = [connector.qwc, qwcFor(connector.file, second.url)];

    const logs: SessionLog[] = [];
    for (let round = 0; round < 10; round++) {
      const counts = await progress(connector.storage, connector.file.id);
      if (counts.remaining === 0) break;
      const results = await Promise.all(
        connectors.map((qwc) =>
          runWebConnectorSession({
            qwc,
            password: connector.appToken,
            processor: connector.company(),
            timeScale: 0.001,
            callTimeoutMs: 20_000,
          }),
        ),
      );
      logs.push(...results);
    }
    assert.ok(
      logs.some((l) => l.outcome === 'busy'),
      `one Web Connector is told the file is busy (${logs.map((l) => l.outcome).join(', ')})`,
    );
    assert.ok(
      logs.every((l) => ['busy', 'completed', 'no-work'].includes(l.outcome)),
      logs.map((l) => l.message).join(' | '),
    );
    const counts = await progress(connector.storage, connector.file.id);
    assert.equal(counts.applied, 14);
    const refs = queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets.map((r) => r.RefNumber as string);
    assert.equal(refs.length, 12);
    assert.equal(new Set(refs).size, 12, 'no receipt twice');
  });

  test('two instances answering one session alternately: each request is sent once', async (t) => {
    const connector = await startConnector(t, engine, { maxRequestsPerMessageSet: 2 });
    const other = await connector.openAnother();
    const instances = [connector.storage, other].map((storage) =>
      createDeliveryBackend({ storage, logger: silentLogger, clock: connector.clock.now, maxRequestsPerMessageSet: 2 }),
    );
    await connector.enqueue([customerEntry(), itemEntry(), ...[1, 2, 3, 4, 5].map((n) => receiptEntry(`R60${n}`))]);
    const company = connector.company();
    const auth = await instances[0]!.authenticate(connector.file.webConnectorUserName, connector.appToken);
    assert.ok(company.open('').ok);
    company.ensureFileId(connector.qwc.ownerId, connector.qwc.fileId);
    const sentIds: string[] = [];
    let percent = 0;
    for (let call = 0; percent < 100 && call < 20; call++) {
      const backend = instances[call % 2]!;
      const xml = await backend.sendRequestXML({
        ticket: auth.ticket,
        hcpResponse: call === 0 ? company.hostCompanyPreferences(connector.qwc.ownerId) : '',
        companyFileName: company.path,
        country: 'US',
        majorVersion: 13,
        minorVersion: 0,
      });
      assert.ok(xml.startsWith('<?xml'), xml);
      sentIds.push(...[...xml.matchAll(/requestID="(\d+)"/g)].map((m) => m[1]!));
      const result = company.processRequest(xml);
      assert.ok(result.ok);
      percent = await instances[(call + 1) % 2]!.receiveResponseXML({
        ticket: auth.ticket,
        response: result.responseXml,
        hresult: '',
        message: '',
      });
      assert.ok(percent >= 0, `progress ${percent}`);
    }
    assert.equal(percent, 100);
    assert.equal(sentIds.length, 7);
    assert.equal(new Set(sentIds).size, 7, 'no request sent twice');
    company.close();
  });
});
