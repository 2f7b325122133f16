import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCompanySnapshot } from '../../apply/index.ts';
import { getEntryByKey } from '../../outbox/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { addToCompany, startConnector } from './delivery.test-support.ts';

forEachEngine('delivery: queries and the company snapshot', (engine) => {
  test('setup queries are answered into the snapshot; a paged query is followed to its last page', async (t) => {
    const connector = await startConnector(t, engine, { queryPageSize: 2 });
    for (const name of ['Bolt', 'Nut', 'Screw', 'Washer', 'Rivet']) {
      addToCompany(connector.company(), 'ItemNonInventoryAdd', {
        Name: name,
        SalesOrPurchase: { Price: '1.00', AccountRef: { FullName: 'Sales' } },
      });
    }
    await connector.enqueue([
      { key: 'setup:accounts', kind: 'query', request: { type: 'AccountQuery', body: {} } },
      { key: 'setup:payment-methods', kind: 'query', request: { type: 'PaymentMethodQuery', body: {} } },
      { key: 'setup:items', kind: 'query', request: { type: 'ItemQuery', body: {} } },
    ]);
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    const sends = log.calls.filter((c) => c.method === 'sendRequestXML').length;
    assert.ok(sends >= 3, `the item query took several pages (${sends} sends)`);

    const snapshot = await readCompanySnapshot(connector.storage, connector.file.id);
    const accounts = snapshot.parts.AccountQuery!.rets.map((r) => r.Name);
    assert.ok(accounts.includes('Undeposited Funds'));
    assert.ok(snapshot.parts.PaymentMethodQuery!.rets.some((r) => r.Name === 'Visa'));
    const items = snapshot.parts.ItemQuery!.rets.map((r) => r.Name as string).filter((n) => n !== undefined);
    for (const name of ['Bolt', 'Nut', 'Screw', 'Washer', 'Rivet']) assert.ok(items.includes(name), name);
    assert.equal(new Set(items).size, items.length, 'no page read twice');
    assert.equal(snapshot.parts.ItemQuery!.retNames.length, snapshot.parts.ItemQuery!.rets.length);
    assert.equal(snapshot.company?.CompanyName, 'Test Company');
    assert.equal((await getEntryByKey(connector.storage, connector.file.id, 'setup:items'))?.state, 'applied');
  });

  test('NoOp while a sync run is still planning, then the planned work goes out in the same session', async (t) => {
    let planning = true;
    let connectorRef: Awaited<ReturnType<typeof startConnector>> | null = null;
    let asked = 0;
    const connector = await startConnector(t, engine, {
      isPreparingWork: async () => {
        asked++;
        // The planner finishes while the Web Connector waits: its entries appear, planning ends.
        if (planning && asked >= 3 && connectorRef) {
          planning = false;
          await connectorRef.enqueue([
            { key: 'setup:accounts', kind: 'query', request: { type: 'AccountQuery', body: {} } },
          ]);
          return true;
        }
        return planning;
      },
    });
    connectorRef = connector;
    const log = await connector.session(connector.company());
    assert.equal(log.outcome, 'completed', log.message);
    assert.ok(log.calls.some((c) => c.method === 'sendRequestXML' && c.answer === 'NoOp'));
    assert.equal((await getEntryByKey(connector.storage, connector.file.id, 'setup:accounts'))?.state, 'applied');
  });
});
