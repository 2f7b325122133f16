/**
 * 3200 end to end: a Mod sent with an EditSequence QuickBooks has moved past is re-read and sent again once, through
 * the delivery backend, the Web Connector simulator and the QuickBooks simulator; a record that changes again in
 * between goes to the merchant instead of round after round.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getEntryByKey } from '../outbox/index.ts';
import { queryCompany, startConnector } from '../qbwc/delivery/delivery.test-support.ts';

async function customerWithStaleEditSequence(t: Parameters<typeof startConnector>[0]) {
  const c = await startConnector(t, 'sqlite');
  const qb = c.company();
  qb.open('');
  const added = qb.processRequest(
    '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq><CustomerAdd><Name>Ada</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>',
  );
  assert.ok(added.ok);
  const [ada] = queryCompany(qb, 'CustomerQuery', { FullName: ['Ada'] }).rets as {
    ListID: string;
    EditSequence: string;
  }[];
  // The connector read it at this EditSequence; a QuickBooks user saves the customer before the Mod goes out.
  await c.enqueue([
    {
      key: 'customer/ada/edit/1',
      kind: 'customer',
      request: {
        type: 'CustomerMod',
        body: { CustomerMod: { ListID: ada!.ListID, EditSequence: ada!.EditSequence, Phone: '555-0100' } },
      },
    },
  ]);
  return { c, qb, ada: ada! };
}

test('3200: the Mod is re-read and sent again with the fresh EditSequence, once, and applied', async (t) => {
  const { c, qb, ada } = await customerWithStaleEditSequence(t);
  qb.faults.editConcurrently(ada.ListID, 1);
  const log = await c.session(qb);
  assert.equal(log.outcome, 'completed', log.message);
  const entry = await getEntryByKey(c.storage, c.file.id, 'customer/ada/edit/1');
  assert.equal(entry!.state, 'applied');
  const check = c.company();
  check.open('');
  const [now] = queryCompany(check, 'CustomerQuery', { FullName: ['Ada'] }).rets as { Phone: string }[];
  assert.equal(now!.Phone, '555-0100');
});

test('3200 again after the re-read: the merchant is told, no third round', async (t) => {
  const { c, qb, ada } = await customerWithStaleEditSequence(t);
  qb.faults.editConcurrently(ada.ListID, 2);
  await c.session(qb);
  const entry = await getEntryByKey(c.storage, c.file.id, 'customer/ada/edit/1');
  assert.equal(entry!.state, 'needs_attention');
  assert.equal(entry!.lastError?.qbStatusCode, 3200);
  assert.match(entry!.lastError!.merchantMessage, /keeps changing in QuickBooks/);
  assert.equal(entry!.attempts, 2);
});
