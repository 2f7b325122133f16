import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalGuidFor } from '../../domain/index.ts';
import { getEntryByKey } from '../../outbox/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { findMappingBySource } from '../../storage/index.ts';
import {
  addToCompany,
  customerEntry,
  itemEntry,
  queryCompany,
  receiptEntry,
  startConnector,
} from './delivery.test-support.ts';

const MINUTE = 60_000;

forEachEngine('delivery: QuickBooks status codes', (engine) => {
  test('3100 with our ExternalGUID: the existing customer is adopted, not added again', async (t) => {
    const connector = await startConnector(t, engine);
    const existing = addToCompany(connector.company(), 'CustomerAdd', {
      Name: 'Ada Lovelace',
      ExternalGUID: externalGuidFor('customer:Ada Lovelace'),
    });
    assert.equal(existing.statusCode, 0);
    await connector.enqueue([customerEntry()]);
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const customers = queryCompany(connector.company(), 'CustomerQuery', {}).rets;
    assert.equal(customers.length, 1);
    const entry = await getEntryByKey(connector.storage, connector.file.id, 'customer:Ada Lovelace');
    assert.equal(entry?.state, 'applied');
    assert.equal(entry?.quickbooksId, existing.rets[0]!.ListID);
  });

  test('3100 with a name that is not ours: ours is added under a deterministic, disambiguated name', async (t) => {
    const connector = await startConnector(t, engine);
    addToCompany(connector.company(), 'CustomerAdd', { Name: 'Ada Lovelace' });
    await connector.enqueue([customerEntry()]);
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const names = queryCompany(connector.company(), 'CustomerQuery', {}).rets.map((r) => r.Name as string);
    assert.equal(names.length, 2);
    const ours = names.find((n) => n !== 'Ada Lovelace')!;
    assert.match(ours, /^Ada Lovelace \([0-9A-Z]{4}\)$/);
    const mapping = await findMappingBySource(
      connector.storage,
      connector.file.id,
      'customer',
      'customer:Ada Lovelace',
    );
    assert.equal(mapping?.name, ours, 'the id map records the name QuickBooks holds');
  });

  test('3200: a stale EditSequence is re-read and the change sent again', async (t) => {
    const connector = await startConnector(t, engine);
    const added = addToCompany(connector.company(), 'CustomerAdd', { Name: 'Grace Hopper' }).rets[0]!;
    // Someone edits the customer in QuickBooks: our EditSequence is now out of date.
    const edited = addToCompany(connector.company(), 'CustomerMod', {
      ListID: added.ListID,
      EditSequence: added.EditSequence,
      Phone: '555-0100',
    });
    assert.equal(edited.statusCode, 0);
    assert.notEqual(edited.rets[0]!.EditSequence, added.EditSequence);
    await connector.enqueue([
      {
        key: 'customer-mod:grace',
        kind: 'customer',
        request: {
          type: 'CustomerMod',
          body: { CustomerMod: { ListID: added.ListID, EditSequence: added.EditSequence, Email: 'grace@example.com' } },
        },
      },
    ]);
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const now = queryCompany(connector.company(), 'CustomerQuery', { ListID: [added.ListID] }).rets[0]!;
    assert.equal(now.Email, 'grace@example.com');
    assert.equal(now.Phone, '555-0100', 'the other edit is kept');
    assert.equal((await getEntryByKey(connector.storage, connector.file.id, 'customer-mod:grace'))?.state, 'applied');
  });

  test('3175: a record in use is retried later and then succeeds', async (t) => {
    const connector = await startConnector(t, engine);
    const added = addToCompany(connector.company(), 'CustomerAdd', { Name: 'Alan Turing' }).rets[0]!;
    await connector.enqueue([
      {
        key: 'customer-mod:alan',
        kind: 'customer',
        request: {
          type: 'CustomerMod',
          body: { CustomerMod: { ListID: added.ListID, EditSequence: added.EditSequence, Phone: '555-0199' } },
        },
      },
    ]);
    const company = connector.company();
    company.faults.lockRecord(added.ListID as string, 1, 3175);
    assert.equal((await connector.session(company)).outcome, 'completed');
    const waiting = await getEntryByKey(connector.storage, connector.file.id, 'customer-mod:alan');
    assert.equal(waiting?.state, 'retry_wait');
    assert.equal(waiting?.lastError?.qbStatusCode, 3175);

    assert.equal((await connector.session(connector.company())).outcome, 'no-work', 'not before the back-off');
    connector.clock.advance(5 * MINUTE);
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    assert.equal((await getEntryByKey(connector.storage, connector.file.id, 'customer-mod:alan'))?.state, 'applied');
    const now = queryCompany(connector.company(), 'CustomerQuery', { ListID: [added.ListID] }).rets[0]!;
    assert.equal(now.Phone, '555-0199');
  });

  test('3140 on a record the connector adds itself: wait for it, then succeed', async (t) => {
    const connector = await startConnector(t, engine);
    // The receipt forgot its dependency and outranks the customer, so it reaches QuickBooks first.
    addToCompany(connector.company(), 'ItemNonInventoryAdd', {
      Name: 'Widget',
      SalesOrPurchase: { Price: '10.00', AccountRef: { FullName: 'Sales' } },
    });
    await connector.enqueue([
      customerEntry('Bob Builder'),
      receiptEntry('R7001', { customer: 'Bob Builder', dependencies: [], priority: 200 }),
    ]);
    await connector.session(connector.company());
    const receipt = await getEntryByKey(connector.storage, connector.file.id, 'receipt:R7001');
    assert.equal(receipt?.state, 'retry_wait');
    assert.equal(receipt?.lastError?.qbStatusCode, 3140);
    assert.equal(receipt?.lastError?.merchantMustAct, false, 'the connector fixes this itself');
    connector.clock.advance(5 * MINUTE);
    await connector.session(connector.company());
    assert.equal((await getEntryByKey(connector.storage, connector.file.id, 'receipt:R7001'))?.state, 'applied');
    assert.equal(queryCompany(connector.company(), 'SalesReceiptQuery', {}).rets.length, 1);
  });

  test('3140 on something only the merchant can create: needs attention, in plain words', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([
      itemEntry(),
      receiptEntry('R8001', { customer: 'Nobody Known', dependencies: ['item:Widget'] }),
    ]);
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    assert.match(log.message, /1 document needs a look/);
    const receipt = await getEntryByKey(connector.storage, connector.file.id, 'receipt:R8001');
    assert.equal(receipt?.state, 'needs_attention');
    assert.equal(receipt?.lastError?.qbStatusCode, 3140);
    assert.equal(receipt?.lastError?.merchantMustAct, true);
    assert.match(receipt?.lastError?.merchantMessage ?? '', /Nobody Known/);
  });
});

test('a request the qbXML layer will not write (a name too long) is never sent and is shown to the merchant', async (t) => {
  const connector = await startConnector(t, 'sqlite');
  await connector.enqueue([customerEntry('N'.repeat(60)), customerEntry('Fine Name')]);
  const log = await connector.session(connector.company());
  assert.equal(log.outcome, 'completed', log.message);
  const names = queryCompany(connector.company(), 'CustomerQuery', {}).rets.map((r) => r.Name);
  assert.deepEqual(names, ['Fine Name']);
  const refused = await getEntryByKey(connector.storage, connector.file.id, `customer:${'N'.repeat(60)}`);
  assert.equal(refused?.state, 'needs_attention');
  assert.equal(refused?.lastError?.code, 'QBXML_VALUE_TOO_LONG');
  assert.match(refused?.lastError?.merchantMessage ?? '', /at most 41/);
});
