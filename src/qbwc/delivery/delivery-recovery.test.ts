import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../logger/index.ts';
import { progress } from '../../outbox/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { getCompanyFile, getMessageSet, listUnansweredMessageSets } from '../../storage/index.ts';
import {
  answerNewerMessageSet,
  customerEntry,
  itemEntry,
  queryCompany,
  qwcFor,
  receiptEntry,
  startConnector,
} from './delivery.test-support.ts';
import { createDeliveryBackend } from './delivery-backend.ts';

const MINUTE = 60_000;

forEachEngine('delivery: refusals and recovery', (engine) => {
  test('a wrong password is refused; five in a row lock the company file even against the right one', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const company = connector.company();
    for (let i = 0; i < 5; i++) {
      const log = await connector.session(company, { password: 'WRONG-TOKEN' });
      assert.equal(log.outcome, 'invalid-user');
    }
    const locked = await connector.session(connector.company(), {});
    assert.equal(locked.outcome, 'invalid-user', 'locked: even the right token is refused');
    connector.clock.advance(16 * MINUTE);
    const after = await connector.session(connector.company(), {});
    assert.equal(after.outcome, 'completed', after.message);
  });

  test('a different company file is refused with both names, and nothing is sent to it', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry('First Customer')]);
    assert.equal((await connector.session(connector.company('Books Of Record'))).outcome, 'completed');

    await connector.enqueue([customerEntry('Second Customer')]);
    const wrong = connector.company('Someone Else Inc');
    const log = await connector.session(wrong);
    assert.equal(log.outcome, 'stopped-by-service');
    assert.match(log.message, /Someone Else Inc/);
    assert.match(log.message, /Books Of Record/);
    assert.equal(queryCompany(connector.company('Someone Else Inc'), 'CustomerQuery', {}).rets.length, 0);
    const file = await getCompanyFile(connector.storage, connector.file.id);
    assert.equal(file?.boundCompany?.companyName, 'Books Of Record');

    // Back on the right file, the waiting customer goes through.
    assert.equal((await connector.session(connector.company('Books Of Record'))).outcome, 'completed');
    const names = queryCompany(connector.company('Books Of Record'), 'CustomerQuery', {}).rets.map((r) => r.Name);
    assert.deepEqual(names.sort(), ['First Customer', 'Second Customer']);
  });

  test('a response lost after QuickBooks applied it is recovered in the same session, with no duplicate', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R2001')]);
    // QuickBooks applies the first message set, then its response is lost on the way back (an HRESULT instead).
    const company = connector.company();
    let documents = 0;
    const lossy = {
      ...company,
      processRequest(xml: string) {
        const result = company.processRequest(xml);
        documents++;
        return documents === 1 && result.ok
          ? { ok: false as const, hresult: '0x80040402', message: 'Unexpected error: the response was lost.' }
          : result;
      },
    };
    const log = await connector.session(lossy);
    assert.equal(documents, 3, 'customer+item, the replay of that set (oldMessageSetID), then the receipt');
    assert.equal(log.outcome, 'completed', log.message);
    const books = connector.company();
    assert.equal(queryCompany(books, 'CustomerQuery', {}).rets.length, 1);
    assert.equal(queryCompany(books, 'SalesReceiptQuery', {}).rets.length, 1);
    assert.equal((await progress(connector.storage, connector.file.id)).applied, 3);
  });

  test('the connection drops while returning a response: the next session recovers it, no duplicate', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R3001')]);
    const first = await connector.session(connector.company(), {
      faults: [{ method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 2 }],
    });
    assert.equal(first.outcome, 'transport-failed');
    // QuickBooks applied the receipt; the connector never heard.
    assert.equal(queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets.length, 1);

    const busy = await connector.session(connector.company());
    assert.equal(busy.outcome, 'busy', 'the abandoned session may still be waiting for QuickBooks');
    connector.clock.advance(MINUTE - 1000);
    assert.equal((await connector.session(connector.company())).outcome, 'busy', 'quiet for 59 s: still its own');
    connector.clock.advance(2000);
    // Quiet for a minute: the new session takes the file over and recovers what the old one had in flight.
    const second = await connector.session(connector.company());
    assert.equal(second.outcome, 'completed', second.message);
    const books = connector.company();
    assert.equal(queryCompany(books, 'SalesReceiptQuery', {}).rets.length, 1, 'never posted twice');
    assert.equal(queryCompany(books, 'CustomerQuery', {}).rets.length, 1);
    assert.equal((await progress(connector.storage, connector.file.id)).applied, 3);
    assert.equal((await listUnansweredMessageSets(connector.storage, connector.file.id)).length, 0);
    const recovered = await connector.storage.db
      .selectFrom('message_sets')
      .select('state')
      .where('state', '=', 'recovered')
      .execute();
    assert.equal(recovered.length, 1, 'the lost set was answered from QuickBooks through oldMessageSetID');
  });

  test('an old lost message set QuickBooks cannot replay is settled by looking the documents up', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R4001'), receiptEntry('R4002')]);
    // Session 1 delivers the customer and item, then the response to the receipts is lost.
    const first = await connector.session(connector.company(), {
      faults: [{ method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 2 }],
    });
    assert.equal(first.outcome, 'transport-failed');
    // Meanwhile a newer message set reached QuickBooks (another document), so the lost one is no longer the last.
    connector.clock.advance(11 * MINUTE);
    await connector.enqueue([customerEntry('Grace Hopper')]);
    const unanswered = await listUnansweredMessageSets(connector.storage, connector.file.id);
    assert.equal(unanswered.length, 1);
    await answerNewerMessageSet(connector);
    const second = await connector.session(connector.company());
    assert.equal(second.outcome, 'completed', second.message);
    const books = connector.company();
    const receipts = queryCompany(books, 'SalesReceiptQuery', {}).rets.map((r) => r.RefNumber);
    assert.deepEqual(receipts.sort(), ['R4001', 'R4002'], 'adopted by identity, not added again');
    const settled = await getMessageSet(connector.storage, unanswered[0]!.id);
    assert.equal(settled?.state, 'abandoned', 'settled by lookups, not by oldMessageSetID');
    assert.equal((await progress(connector.storage, connector.file.id)).applied, 5);
  });

  test('the server restarts mid-session: another instance carries the session on, no duplicate', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R5001')]);
    const company = connector.company();
    const before = createDeliveryBackend({
      storage: connector.storage,
      logger: silentLogger,
      clock: connector.clock.now,
    });
    const auth = await before.authenticate(connector.file.webConnectorUserName, connector.appToken);
    assert.equal(auth.result, '');
    assert.ok(company.open('').ok);
    company.ensureFileId(connector.qwc.ownerId, connector.qwc.fileId);
    const hcp = company.hostCompanyPreferences(connector.qwc.ownerId);
    const request = await before.sendRequestXML({
      ticket: auth.ticket,
      hcpResponse: hcp,
      companyFileName: company.path,
      country: 'US',
      majorVersion: 13,
      minorVersion: 0,
    });
    assert.match(request, /CustomerAddRq/);
    const result = company.processRequest(request);
    assert.ok(result.ok);

    // The process dies here. A new process, with its own database connection, gets the response.
    const restarted = await connector.openAnother();
    const after = createDeliveryBackend({ storage: restarted, logger: silentLogger, clock: connector.clock.now });
    const percent = await after.receiveResponseXML({
      ticket: auth.ticket,
      response: result.responseXml,
      hresult: '',
      message: '',
    });
    assert.ok(percent > 0 && percent < 100, `progress ${percent}`);
    const next = await after.sendRequestXML({
      ticket: auth.ticket,
      hcpResponse: '',
      companyFileName: company.path,
      country: 'US',
      majorVersion: 13,
      minorVersion: 0,
    });
    assert.match(next, /SalesReceiptAddRq/);
    const second = company.processRequest(next);
    assert.ok(second.ok);
    assert.equal(
      await after.receiveResponseXML({ ticket: auth.ticket, response: second.responseXml, hresult: '', message: '' }),
      100,
    );
    assert.match(await after.closeConnection(auth.ticket), /recorded 3 documents/);
    company.close();
    assert.equal(queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets.length, 1);
  });

  test('connectionError ends the session cleanly and says why', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const company = connector.company();
    company.faults.refuseOpen('in-use');
    const log = await connector.session(company);
    assert.equal(log.outcome, 'connection-failed');
    const session = await connector.storage.db.selectFrom('qbwc_sessions').selectAll().executeTakeFirstOrThrow();
    assert.equal(session.state, 'closed');
    assert.match(session.last_error ?? '', /could not open the company file/);
    // The work is still there for next time.
    assert.equal((await progress(connector.storage, connector.file.id)).byState.pending, 1);
  });
});

test('qwc for a company file names the SOAP endpoint, the user and the GUIDs', async (t) => {
  const connector = await startConnector(t, 'sqlite');
  const qwc = qwcFor(connector.file, 'https://connector.example.com/qbwc');
  assert.equal(qwc.appUrl, 'https://connector.example.com/qbwc');
  assert.equal(qwc.appSupport, 'https://connector.example.com/support');
  assert.equal(qwc.userName, connector.file.webConnectorUserName);
  assert.equal(qwc.ownerId, connector.file.ownerId);
  assert.equal(qwc.fileId, connector.file.fileId);
  assert.equal(qwc.qbType, 'QBFS');
  assert.throws(() => qwcFor(connector.file, 'http://connector.example.com/qbwc'), /https|localhost|AppURL/i);
});

forEachEngine('delivery: unusable answers', (engine) => {
  test('an unreadable response gives negative progress, a plain reason, and is settled later without a duplicate', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const backend = createDeliveryBackend({
      storage: connector.storage,
      logger: silentLogger,
      clock: connector.clock.now,
    });
    const company = connector.company();
    const auth = await backend.authenticate(connector.file.webConnectorUserName, connector.appToken);
    assert.ok(company.open('').ok);
    company.ensureFileId(connector.qwc.ownerId, connector.qwc.fileId);
    const xml = await backend.sendRequestXML({
      ticket: auth.ticket,
      hcpResponse: company.hostCompanyPreferences(connector.qwc.ownerId),
      companyFileName: company.path,
      country: 'US',
      majorVersion: 13,
      minorVersion: 0,
    });
    const applied = company.processRequest(xml);
    assert.ok(applied.ok);
    const percent = await backend.receiveResponseXML({
      ticket: auth.ticket,
      response: '<QBXML><QBXMLMsgsRs><CustomerAddRs',
      hresult: '',
      message: '',
    });
    assert.ok(percent < 0);
    assert.match(await backend.getLastError(auth.ticket), /could not be read/i);
    await backend.closeConnection(auth.ticket);
    company.close();

    // The next session asks QuickBooks for the stored outcome instead of adding the customer again.
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    assert.equal(queryCompany(connector.company(), 'CustomerQuery', {}).rets.length, 1);
    assert.equal((await progress(connector.storage, connector.file.id)).applied, 1);
  });

  test('a document QuickBooks could not parse (0x80040400) fails its entries and says so', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const company = connector.company();
    const refusing = {
      ...company,
      processRequest: () => ({
        ok: false as const,
        hresult: '0x80040400',
        message: 'QuickBooks found an error when parsing the provided XML text stream.',
      }),
    };
    const log = await connector.session(refusing);
    assert.equal(log.outcome, 'stopped-by-service');
    assert.match(log.message, /could not read what the connector sent/);
    const counts = await progress(connector.storage, connector.file.id);
    assert.equal(counts.byState.failed, 1);
  });
});
