import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCompanySnapshot } from '../../apply/index.ts';
import { getEntryByKey, progress } from '../../outbox/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { findMappingBySource, getCompanyFile, listAudit } from '../../storage/index.ts';
import { customerEntry, itemEntry, queryCompany, receiptEntry, startConnector } from './delivery.test-support.ts';

forEachEngine('delivery through the Web Connector', (engine) => {
  test('a full session empties a small outbox into the company, in dependency order', async (t) => {
    const connector = await startConnector(t, engine);
    const company = connector.company();
    await connector.enqueue([receiptEntry('R1001'), receiptEntry('R1002'), customerEntry(), itemEntry()]);

    const log = await connector.session(company);
    assert.equal(log.outcome, 'completed', log.message);
    assert.match(log.message, /4 recorded in QuickBooks/);

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

  test("'none' when there is no work: QuickBooks is not opened", async (t) => {
    const connector = await startConnector(t, engine);
    const company = connector.company();
    const log = await connector.session(company);
    assert.equal(log.outcome, 'no-work');
    assert.equal(log.requestsProcessed, 0);
    assert.ok(!log.calls.some((c) => c.method === 'sendRequestXML'));
  });
});
