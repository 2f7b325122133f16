/**
 * The status must never say "nothing needs your attention" when something does. Each way work can stop or stay
 * unproven is produced for real (QuickBooks refusing, answers lost, the Web Connector vanishing, wrong passwords,
 * the wrong company file, a sync failing or dying) and must be listed with its reason and what to do — and must go
 * away once it is over.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectorError, ok } from '../errors/index.ts';
import { createSyncRun, type SyncRun, tryMoveSyncRun } from '../integration/index.ts';
import { cancelEntry, getEntryByKey, recordFailure } from '../outbox/index.ts';
import { customerEntry, itemEntry, receiptEntry, startConnector } from '../qbwc/delivery/delivery.test-support.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createShop } from '../storage/index.ts';
import { type AttentionItem, listAttention, retryAttention } from './index.ts';

const MINUTE = 60_000;

type Connector = Awaited<ReturnType<typeof startConnector>>;

function attention(connector: Connector) {
  return listAttention(connector.storage, {
    shopId: connector.file.shopId,
    companyFileId: connector.file.id,
    now: connector.clock.now(),
  });
}

function retry(connector: Connector, id: string, startSync = async () => ok(null as unknown as SyncRun)) {
  return retryAttention(connector.storage, {
    shopId: connector.file.shopId,
    companyFileId: connector.file.id,
    now: connector.clock.now(),
    id,
    actor: 'merchant',
    startSync,
  });
}

const brief = (items: AttentionItem[]) => items.map((i) => `${i.type} ${i.state} ${i.key}`);

forEachEngine('attention: what needs the merchant, and only that', (engine) => {
  test('after a clean delivery nothing is listed', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R1')]);
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    assert.deepEqual(await attention(connector), []);
  });

  test('a document QuickBooks refused is listed with the reason and what to do, and a retry takes it off', async (t) => {
    const connector = await startConnector(t, engine);
    // An item whose income account does not exist: QuickBooks answers 3140, which only the merchant can fix.
    const broken = itemEntry('Broken');
    (broken.request.body.ItemNonInventoryAdd.SalesOrPurchase as { AccountRef: unknown }).AccountRef = {
      FullName: 'No Such Account',
    };
    await connector.enqueue([broken]);
    await connector.session(connector.company());
    const [item, ...rest] = await attention(connector);
    assert.deepEqual(rest, []);
    assert.equal(item?.type, 'document');
    assert.equal(item?.state, 'needs_attention');
    assert.equal(item?.key, 'item:Broken');
    assert.equal(item?.quickbooksStatusCode, 3140);
    assert.match(item?.reason ?? '', /No Such Account/);
    assert.match(item?.whatToDo ?? '', /retry/i);
    assert.equal(item?.retryable, true);

    const retried = await retry(connector, String(item!.id));
    assert.ok(retried.ok);
    assert.deepEqual(await attention(connector), [], 'waiting to go again is not a problem');
  });

  test('a document that failed for good (not the merchant’s to fix) is listed too', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const entry = (await getEntryByKey(connector.storage, connector.file.id, 'customer:Ada Lovelace'))!;
    await connector.storage.db
      .updateTable('outbox_entries')
      .set({ state: 'leased' })
      .where('id', '=', entry.id)
      .execute();
    await recordFailure(
      connector.storage,
      entry.id,
      new ConnectorError({
        code: 'PLAN_REFERENCE_NOT_APPLIED',
        message: 'bug',
        merchantMessage: 'A link was missing.',
      }),
      { now: connector.clock.now() },
    );
    const items = await attention(connector);
    assert.deepEqual(brief(items), ['document failed customer:Ada Lovelace']);
    assert.match(items[0]!.whatToDo, /contact support with the code PLAN_REFERENCE_NOT_APPLIED/);
  });

  test('documents whose answer was lost are listed until QuickBooks confirms them; a retry cannot post them twice', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R2')]);
    const company = connector.company();
    const lossy = {
      ...company,
      path: company.path,
      processRequest(xml: string) {
        const result = company.processRequest(xml);
        // QuickBooks applies every document, and every answer is lost: the session gives up on the second loss.
        return result.ok ? { ok: false as const, hresult: '0x80040402', message: 'The response was lost.' } : result;
      },
    };
    await connector.session(lossy);
    const unknown = await attention(connector);
    assert.ok(unknown.length >= 2, brief(unknown).join(', '));
    for (const item of unknown) {
      assert.equal(item.state, 'unknown');
      assert.equal(item.retryable, false);
      assert.match(item.whatToDo, /Run the Web Connector/);
    }
    const refused = await retry(connector, String(unknown[0]!.id));
    assert.equal(refused.ok ? 'retried' : refused.error.code, 'ATTENTION_NOT_RETRYABLE');

    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    assert.deepEqual(await attention(connector), []);
  });

  test('documents sent by a Web Connector session that vanished are listed as stalled once it is quiet', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry()]);
    const gone = await connector.session(connector.company(), {
      faults: [{ method: 'receiveResponseXML', kind: 'drop-connection', occurrence: 1 }],
    });
    assert.equal(gone.outcome, 'transport-failed');
    assert.deepEqual(await attention(connector), [], 'a session that called a moment ago may still answer');
    connector.clock.advance(MINUTE + 1000);
    const stalled = await attention(connector);
    assert.deepEqual(brief(stalled), ['document sent customer:Ada Lovelace', 'document sent item:Widget']);
    assert.match(stalled[0]!.reason, /stopped before QuickBooks’ answer came back/);
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    assert.deepEqual(await attention(connector), []);
  });

  test('a lockout is listed with the time left and the remedy, and is gone when it ends', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    for (let i = 0; i < 5; i++) await connector.session(connector.company(), { password: 'WRONG' });
    const [locked, ...rest] = await attention(connector);
    assert.deepEqual(rest, []);
    assert.equal(locked?.type, 'connection');
    assert.equal(locked?.state, 'locked-out');
    assert.equal(locked?.code, 'QBWC_LOCKED_OUT');
    assert.match(locked?.reason ?? '', /5 wrong passwords/);
    assert.match(locked?.reason ?? '', /15 more minutes/);
    assert.match(locked?.whatToDo ?? '', /app token/);
    connector.clock.advance(10 * MINUTE);
    assert.match((await attention(connector))[0]?.reason ?? '', /5 more minutes/);
    connector.clock.advance(6 * MINUTE);
    assert.deepEqual(await attention(connector), []);
  });

  test('a session that met the wrong company file is listed until a session goes well', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry('First')]);
    assert.equal((await connector.session(connector.company('Books'))).outcome, 'completed');
    await connector.enqueue([customerEntry('Second')]);
    await connector.session(connector.company('Someone Else'));
    const [item, ...rest] = await attention(connector);
    assert.deepEqual(rest, []);
    assert.equal(item?.code, 'QBWC_COMPANY_FILE_REFUSED');
    assert.match(item?.reason ?? '', /Someone Else/);
    assert.equal((await connector.session(connector.company('Books'))).outcome, 'completed');
    assert.deepEqual(await attention(connector), []);
  });

  test('QuickBooks unable to open the company file is listed', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const company = connector.company();
    company.faults.refuseOpen('in-use');
    await connector.session(company);
    const [item] = await attention(connector);
    assert.equal(item?.code, 'QBWC_CONNECTION_ERROR');
    assert.match(item?.reason ?? '', /could not open the company file/);
  });

  test('a cancelled document others need is listed, and retrying it frees them', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry(), itemEntry(), receiptEntry('R3')]);
    const customer = (await getEntryByKey(connector.storage, connector.file.id, 'customer:Ada Lovelace'))!;
    assert.ok((await cancelEntry(connector.storage, customer.id, { actor: 'support' })).ok);
    const items = await attention(connector);
    assert.deepEqual(brief(items), ['document cancelled customer:Ada Lovelace']);
    assert.match(items[0]!.reason, /1 other document/);
    assert.ok((await retry(connector, String(customer.id))).ok);
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    assert.deepEqual(await attention(connector), []);
  });

  test('a document recorded as applied without the id QuickBooks gave it is listed as unconfirmed', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    await connector.storage.db.updateTable('outbox_entries').set({ quickbooks_id: null }).execute();
    const items = await attention(connector);
    assert.deepEqual(brief(items), ['document applied customer:Ada Lovelace']);
    assert.match(items[0]!.reason, /did not say under which id/);
  });

  test('ready work the Web Connector has not come for in a day is listed', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    connector.clock.advance(23 * 60 * MINUTE);
    assert.deepEqual(await attention(connector), []);
    connector.clock.advance(2 * 60 * MINUTE);
    const [absent] = await attention(connector);
    assert.equal(absent?.code, 'QBWC_NOT_CONNECTING');
    assert.match(absent?.reason ?? '', /has never connected/);
    assert.match(absent?.whatToDo ?? '', /Update Selected/);
    assert.equal((await connector.session(connector.company())).outcome, 'completed');
    assert.deepEqual(await attention(connector), []);
  });

  test('the last sync failed: listed with its reason, retryable; a later good run clears it', async (t) => {
    const connector = await startConnector(t, engine);
    const input = { shopId: connector.file.shopId, companyFileId: connector.file.id, trigger: 'manual' as const };
    const created = await createSyncRun(connector.storage, input, connector.clock.now());
    assert.ok(created.ok);
    const error = new ConnectorError({
      code: 'SHOPIFY_UNAUTHORISED',
      message: 'token revoked',
      merchantMessage: 'Shopify refused the connector’s access token.',
      merchantMustAct: true,
    });
    await tryMoveSyncRun(connector.storage, created.value, 'failed', { error: error.toJSON() }, connector.clock.now());
    const [failed, ...rest] = await attention(connector);
    assert.deepEqual(rest, []);
    assert.equal(failed?.type, 'sync');
    assert.equal(failed?.id, `sync-run:${created.value.id}`);
    assert.equal(failed?.code, 'SHOPIFY_UNAUTHORISED');
    assert.match(failed?.reason ?? '', /The last sync failed: Shopify refused/);
    assert.match(failed?.whatToDo ?? '', /Do what the message says, then start a sync again/);
    let started = 0;
    const retried = await retry(connector, failed!.id as string, async () => {
      started++;
      return ok(created.value);
    });
    assert.ok(retried.ok);
    assert.equal(started, 1);

    const next = await createSyncRun(connector.storage, input, connector.clock.now());
    assert.ok(next.ok);
    await tryMoveSyncRun(connector.storage, next.value, 'delivering', {}, connector.clock.now());
    assert.deepEqual(await attention(connector), []);
  });

  test('an order the last sync held back for damaged data is listed, naming it, until a sync posts it', async (t) => {
    const connector = await startConnector(t, engine);
    const input = { shopId: connector.file.shopId, companyFileId: connector.file.id, trigger: 'manual' as const };
    const summary = (notes: { code: string; message: string }[]) => ({
      extracted: {},
      documents: 1,
      planned: 1,
      alreadyPlanned: 0,
      notes,
    });
    const first = await createSyncRun(connector.storage, input, connector.clock.now());
    assert.ok(first.ok);
    const heldBack = {
      code: 'ORDER_AMOUNT_TOO_PRECISE',
      message:
        'order/1042: Order #1042 was not posted: total is 10.005, more than the two decimals QuickBooks Desktop keeps. Round the amount to two decimals in Shopify. The next sync posts it once it is corrected.',
    };
    const harmless = { code: 'UNIT_COST_MISSING', message: 'order/1043: no unit cost' };
    await tryMoveSyncRun(
      connector.storage,
      first.value,
      'delivering',
      { summary: summary([heldBack, harmless]) },
      connector.clock.now(),
    );
    const items = await attention(connector);
    assert.equal(items.length, 1, 'only the held-back order, not the warning');
    assert.equal(items[0]!.id, 'held-back:order/1042');
    assert.equal(items[0]!.state, 'held-back');
    assert.equal(items[0]!.code, 'ORDER_AMOUNT_TOO_PRECISE');
    assert.match(items[0]!.reason, /^Order #1042 was not posted: total is 10\.005/);
    assert.match(items[0]!.whatToDo, /Correct the order in Shopify/);
    assert.equal(items[0]!.retryable, false);

    // A sync still preparing has not checked the orders yet: the earlier finding stands meanwhile.
    const second = await createSyncRun(connector.storage, input, connector.clock.now());
    assert.ok(second.ok);
    assert.deepEqual(
      (await attention(connector)).map((i) => i.id),
      ['held-back:order/1042'],
    );
    await tryMoveSyncRun(
      connector.storage,
      second.value,
      'delivering',
      { summary: summary([harmless]) },
      connector.clock.now(),
    );
    assert.deepEqual(await attention(connector), [], 'the corrected order went through');
  });

  test('a sync whose server died while preparing is listed until it is taken over', async (t) => {
    const connector = await startConnector(t, engine);
    const input = { shopId: connector.file.shopId, companyFileId: connector.file.id, trigger: 'manual' as const };
    assert.ok((await createSyncRun(connector.storage, input, connector.clock.now())).ok);
    assert.deepEqual(await attention(connector), [], 'its holder renews the lease');
    connector.clock.advance(MINUTE);
    const [stopped] = await attention(connector);
    assert.equal(stopped?.state, 'interrupted');
    assert.equal(stopped?.retryable, false);
  });

  test('one shop cannot retry another shop’s document through its own list', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry()]);
    const entry = (await getEntryByKey(connector.storage, connector.file.id, 'customer:Ada Lovelace'))!;
    assert.ok((await cancelEntry(connector.storage, entry.id, { actor: 'support' })).ok);
    const other = await createShop(connector.storage, {
      domain: 'other.myshopify.com',
      name: 'O',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.ok(other.ok);
    const refused = await retryAttention(connector.storage, {
      shopId: other.value.id,
      companyFileId: null,
      now: connector.clock.now(),
      id: String(entry.id),
      actor: 'merchant',
      startSync: async () => ok(null as unknown as SyncRun),
    });
    assert.equal(refused.ok ? 'retried' : refused.error.code, 'ENTRY_UNKNOWN');
  });
});
