import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCompanySnapshot } from '../../apply/index.ts';
import { getEntryByKey, progress } from '../../outbox/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { findMappingBySource, getCompanyFile, listAudit } from '../../storage/index.ts';
import { customerEntry, itemEntry, queryCompany, receiptEntry, startConnector } from './delivery.test-support.ts';
import { closingMessage } from './delivery-session-end.ts';

forEachEngine('delivery through the Web Connector', (engine) => {
  test('a full session empties a small outbox into the company, in dependency order', async (t) => {
    const connector = await startConnector(t, engine);
    const company = connector.company();
    await connector.enqueue([receiptEntry('R1001'), receiptEntry('R1002'), customerEntry(), itemEntry()]);

    const log = await connector.session(company);
    assert.equal(log.outcome, 'completed', log.message);
    assert.match(log.message, /recorded 4 documents in QuickBooks/);

    const books = connector.company();
    assert.equal(queryCompany(books, 'CustomerQuery', { FullName: ['Ada Lovelace'] }).rets.length, 1);
    const receipts = queryCompany(books, 'SalesReceiptQuery', {});
    assert.deepEqual(receipts.rets.map((r) => r.RefNumber).sort(), ['R1001', 'R1002']);

    const counts = await progress(connector.storage, connector.file.id);
    assert.equal(counts.applied, 4);
    assert.equal(counts.remaining, 0);
    const receipt = await getEntryByKey(connector.storage, connector.file.id, 'receipt:R1001');
    const mapping = await findMappingBySource(connector.storage, connector.file.id, 'sales-receipt', 'receipt:R1001');
    assert.equal(mapping?.quickbooksId, receipt?.quickbooksId);
    assert.equal(mapping?.quickbooksKind, 'transaction');

    // The first session bound the company file and kept what QuickBooks told about itself.
    const file = await getCompanyFile(connector.storage, connector.file.id);
    assert.equal(file?.boundCompany?.companyName, 'Test Company');
    assert.match(file?.boundCompany?.edition ?? '', /QuickBooks/);
    const snapshot = await readCompanySnapshot(connector.storage, connector.file.id);
    assert.equal(snapshot.company?.CompanyName, 'Test Company');
    assert.ok(snapshot.host?.ProductName);

    // Two dependency levels, batched: customer+item together, then both receipts together.
    const sends = log.calls.filter((c) => c.method === 'sendRequestXML');
    assert.equal(sends.length, 2);
    const audit = await listAudit(connector.storage, { companyFileId: connector.file.id });
    assert.ok(audit.some((a) => a.action === 'web-connector.session-closed'));
  });

  test('a session that only read lists says so, not that it recorded them', async (t) => {
    const connector = await startConnector(t, engine);
    const company = connector.company();
    await connector.enqueue(
      ['AccountQuery', 'ClassQuery', 'ItemQuery'].map((type) => ({
        key: `setup/read/1/${type}`,
        kind: 'read',
        request: { type, body: { ActiveStatus: 'All' } },
        priority: 1000,
      })),
    );
    const log = await connector.session(company);
    assert.equal(log.outcome, 'completed', log.message);
    assert.equal(log.message, 'Complete: read 3 lists from QuickBooks; nothing to record.');

    await connector.enqueue([customerEntry(), itemEntry()]);
    const second = await connector.session(connector.company());
    assert.equal(second.message, 'Complete: recorded 2 documents in QuickBooks.');
  });

  test("'none' when there is no work: QuickBooks is not opened", async (t) => {
    const connector = await startConnector(t, engine);
    const company = connector.company();
    const log = await connector.session(company);
    assert.equal(log.outcome, 'no-work');
    assert.equal(log.requestsProcessed, 0);
    assert.ok(!log.calls.some((c) => c.method === 'sendRequestXML'));
  });
});

test('the closing message counts what was recorded apart from what was only read', () => {
  const summary = { entriesApplied: 0, documentsRecorded: 0, reportsRead: 0, entriesFailed: 0 };
  assert.equal(closingMessage(summary), 'Complete: nothing to record.');
  assert.equal(
    closingMessage({ ...summary, entriesApplied: 8, documentsRecorded: 1, reportsRead: 2 }),
    'Complete: read 5 lists and 2 reports from QuickBooks; recorded 1 document in QuickBooks.',
  );
  assert.equal(
    closingMessage({ ...summary, entriesApplied: 1, reportsRead: 1, entriesFailed: 1 }),
    'Complete: read 1 report from QuickBooks; nothing recorded in QuickBooks, 1 document needs a look in the connector.',
  );
  assert.equal(
    closingMessage({ ...summary, entriesApplied: 3, documentsRecorded: 3, entriesFailed: 2 }),
    'Complete: recorded 3 documents in QuickBooks, 2 documents need a look in the connector.',
  );
});
