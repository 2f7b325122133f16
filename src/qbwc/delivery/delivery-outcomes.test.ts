/**
 * Every request sent reaches exactly one final outcome: a response that leaves requests out, names a request that
 * was never sent, says OK without the record, or never finishes being applied (the process dies inside
 * receiveResponseXML) is settled from QuickBooks by identity — never left `unknown`, never sent twice.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { createLogger, silentLogger } from '../../logger/index.ts';
import { getEntryByKey, listEntries, progress } from '../../outbox/index.ts';
import type { QuickBooksRequestProcessor } from '../../simulators/webconnector/index.ts';
import { runWebConnectorSession } from '../../simulators/webconnector/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { startWebConnectorServer } from '../soap/index.ts';
import {
  answerNewerMessageSet,
  crashingStorage,
  customerEntry,
  itemEntry,
  queryCompany,
  qwcFor,
  receiptEntry,
  startConnector,
} from './delivery.test-support.ts';
import { createDeliveryBackend } from './delivery-backend.ts';

const MINUTE = 60_000;

/** QuickBooks as it is, except that the answer to the `n`th document (1 = the first) is rewritten on its way back. */
function rewriting(
  company: QuickBooksRequestProcessor & { path: string },
  rewrite: (responseXml: string, document: number) => string,
): QuickBooksRequestProcessor & { path: string; documents: () => number } {
  let documents = 0;
  return {
    path: company.path,
    open: (file) => company.open(file),
    ensureFileId: (owner, file) => company.ensureFileId(owner, file),
    hostCompanyPreferences: (owner) => company.hostCompanyPreferences(owner),
    close: () => company.close(),
    processRequest(xml) {
      const result = company.processRequest(xml);
      documents++;
      return result.ok ? { ok: true, responseXml: rewrite(result.responseXml, documents) } : result;
    },
    documents: () => documents,
  };
}

/** The response document without the `<type>` response element (QuickBooks' answer cut short of one request). */
function without(responseXml: string, type: string): string {
  const cut = responseXml.replace(new RegExp(`<${type}\\b[^>]*>[\\s\\S]*?</${type}>`), '');
  assert.notEqual(cut, responseXml, `the response holds a ${type}`);
  return cut;
}

function sumByState(counts: Awaited<ReturnType<typeof progress>>) {
  return { applied: counts.applied, unknown: counts.byState.unknown, remaining: counts.remaining };
}

forEachEngine('delivery: every sent request reaches one outcome', (engine) => {
  test('a response that leaves a request out: it is looked up in the same session, found, and not added again', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R7001')]);
    const company = rewriting(connector.company(), (xml, n) => (n === 1 ? without(xml, 'ItemNonInventoryAddRs') : xml));
    const log = await connector.session(company);
    assert.equal(log.outcome, 'completed', log.message);
    const books = connector.company();
    const items = queryCompany(books, 'ItemQuery', { FullName: ['Widget'] }).rets;
    assert.equal(items.length, 1, 'the item QuickBooks added once');
    assert.equal(queryCompany(books, 'SalesReceiptQuery', {}).rets.length, 1, 'the receipt waiting on it went out');
    assert.deepEqual(sumByState(await progress(connector.storage, connector.file.id)), {
      applied: 3,
      unknown: 0,
      remaining: 0,
    });
    const item = await getEntryByKey(connector.storage, connector.file.id, 'item:Widget');
    assert.equal(item?.quickbooksId, items[0]!.ListID);
  });

  test('a response naming a request that was never sent is logged and ignored', async (t) => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const connector = await startConnector(t, engine, { logger });
    await connector.enqueue([customerEntry()]);
    const stranger =
      '<CustomerAddRs requestID="424242" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CustomerRet><ListID>80000999-1</ListID><EditSequence>1</EditSequence><Name>Nobody</Name><FullName>Nobody</FullName></CustomerRet></CustomerAddRs>';
    const company = rewriting(connector.company(), (xml, n) =>
      n === 1 ? xml.replace('</QBXMLMsgsRs>', `${stranger}</QBXMLMsgsRs>`) : xml,
    );
    const log = await connector.session(company);
    assert.equal(log.outcome, 'completed', log.message);
    const entry = await getEntryByKey(connector.storage, connector.file.id, 'customer:Ada Lovelace');
    assert.equal(entry?.state, 'applied');
    assert.notEqual(entry?.quickbooksId, '80000999-1');
    const warned = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.requestId === '424242');
    assert.ok(warned, `a warning names the unexpected request ID: ${lines.join('\n')}`);
    assert.equal(warned.level, 'warn');
  });

  test('"OK" without the record: the add is looked up by identity and recorded with its id', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R7101')]);
    const company = rewriting(connector.company(), (xml, n) =>
      n === 2 ? xml.replace(/<SalesReceiptRet>[\s\S]*?<\/SalesReceiptRet>/, '') : xml,
    );
    const log = await connector.session(company);
    assert.equal(log.outcome, 'completed', log.message);
    const receipts = queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets;
    assert.equal(receipts.length, 1, 'not added again');
    const entry = await getEntryByKey(connector.storage, connector.file.id, 'receipt:R7101');
    assert.equal(entry?.state, 'applied');
    assert.equal(entry?.quickbooksId, receipts[0]!.TxnID, 'the TxnID QuickBooks holds, found by identity');
  });

  test('QuickBooks busy while answering an identity query: the document waits, it is never sent blindly again', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R7201')]);
    const first = await connector.session(connector.company(), {
      faults: [{ method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 2 }],
    });
    assert.equal(first.outcome, 'transport-failed');
    // A newer message set reached QuickBooks since, so the lost one can only be settled by looking it up.
    await answerNewerMessageSet(connector);
    connector.clock.advance(11 * MINUTE);
    const busy = rewriting(connector.company(), (xml) =>
      xml.replace(
        /<SalesReceiptQueryRs requestID="(F\d+)"[^>]*>[\s\S]*?<\/SalesReceiptQueryRs>/,
        '<SalesReceiptQueryRs requestID="$1" statusCode="3175" statusSeverity="Error" statusMessage="There was an error when starting a transaction. The object is in use."/>',
      ),
    );
    await connector.session(busy);
    assert.equal(queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets.length, 1);
    const waiting = await getEntryByKey(connector.storage, connector.file.id, 'receipt:R7201');
    assert.equal(waiting?.state, 'unknown', 'still to be confirmed: not pending, not failed');

    connector.clock.advance(60 * MINUTE);
    const later = await connector.session(connector.company());
    assert.equal(later.outcome, 'completed', later.message);
    const receipts = queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets;
    assert.equal(receipts.length, 1, 'never posted twice');
    const settled = await getEntryByKey(connector.storage, connector.file.id, 'receipt:R7201');
    assert.equal(settled?.state, 'applied');
    assert.equal(settled?.quickbooksId, receipts[0]!.TxnID);
  });
});

/**
 * The process dies at every point of applying a response: the crashing storage runs the first `k` queries of
 * receiveResponseXML and then fails every query, as a process killed there would have run them and no more.
 * Another instance takes the session over a minute later and settles everything exactly once.
 */
forEachEngine('delivery: the process dies inside receiveResponseXML', (engine) => {
  const documents = () => [
    customerEntry(),
    customerEntry('Grace Hopper'),
    itemEntry(),
    itemEntry('Gadget'),
    receiptEntry('R8001'),
    receiptEntry('R8002', { customer: 'Grace Hopper', item: 'Gadget' }),
  ];

  async function crashAt(t: TestContext, k: number) {
    const connector = await startConnector(t, engine, { maxRequestsPerMessageSet: 4 });
    const crashing = crashingStorage(await connector.openAnother());
    const dying = createDeliveryBackend({
      storage: crashing.storage,
      logger: silentLogger,
      clock: connector.clock.now,
    });
    let receives = 0;
    let firstReceiveQueries = 0;
    const armed = {
      ...dying,
      async receiveResponseXML(input: Parameters<typeof dying.receiveResponseXML>[0]) {
        const first = receives++ === 0;
        if (first) crashing.arm(k);
        try {
          return await dying.receiveResponseXML(input);
        } finally {
          if (first) firstReceiveQueries = crashing.queries();
        }
      },
    };
    const server = await startWebConnectorServer(armed, { logger: silentLogger });
    t.after(() => server.close());
    await connector.enqueue(documents());
    const session = await runWebConnectorSession({
      qwc: qwcFor(connector.file, server.url),
      password: connector.appToken,
      processor: connector.company(),
      timeScale: 0.001,
      callTimeoutMs: 20_000,
    });
    return { connector, session, firstReceiveQueries };
  }

  test('wherever it dies, the next session a minute later settles every document once', async (t) => {
    // How many queries applying the first response takes when nothing goes wrong.
    const clean = await crashAt(t, Number.POSITIVE_INFINITY);
    assert.equal(clean.session.outcome, 'completed', clean.session.message);
    const queries = clean.firstReceiveQueries;
    assert.ok(queries > 10, `receiveResponseXML ran ${queries} queries`);
    const points =
      engine === 'sqlite'
        ? range(0, queries, Math.max(1, Math.floor(queries / 12)))
        : [0, 3, queries >> 1, queries - 2];
    for (const k of points) {
      const { connector, session } = await crashAt(t, k);
      assert.notEqual(session.outcome, 'completed', `died after ${k} queries`);
      connector.clock.advance(MINUTE + 1000);
      const after = await connector.session(connector.company());
      assert.equal(after.outcome, 'completed', `died after ${k} of ${queries} queries: ${after.message}`);
      const books = connector.company();
      assert.equal(queryCompany(books, 'CustomerQuery', {}).rets.length, 2, `customers, died after ${k}`);
      const items = queryCompany(books, 'ItemQuery', { FullName: ['Widget', 'Gadget'] }).rets;
      assert.equal(items.length, 2, `items, died after ${k}`);
      assert.equal(queryCompany(books, 'SalesReceiptQuery', {}).rets.length, 2, `receipts, died after ${k}`);
      const left = await listEntries(connector.storage, connector.file.id, {
        states: ['pending', 'leased', 'sent', 'unknown', 'retry_wait', 'failed', 'needs_attention'],
      });
      assert.deepEqual(
        left.map((e) => `${e.key} ${e.state}`),
        [],
        `died after ${k} queries`,
      );
    }
  });
});

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let k = from; k < to; k += step) out.push(k);
  return out;
}
