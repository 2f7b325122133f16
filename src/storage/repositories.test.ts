import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendAudit, listAudit } from './audit-log.ts';
import {
  bindCompany,
  createCompanyFile,
  getCompanyFile,
  getCompanyFileByUserName,
  isLockedOut,
  listCompanyFiles,
  recordFailedLogin,
  recordSuccessfulLogin,
  replaceAppTokenHash,
  unbindCompany,
} from './company-files.ts';
import { forEachEngine } from './engines.test-support.ts';
import {
  findMappingBySource,
  findMappingsByQuickBooksId,
  findMappingsBySources,
  listMappings,
  recordMapping,
  removeMapping,
  updateEditSequence,
} from './id-map.ts';
import {
  createMessageSet,
  getMessageSet,
  latestMessageSetOfEntry,
  listUnansweredMessageSets,
  moveMessageSet,
} from './message-sets.ts';
import type { Storage } from './open.ts';
import { createShop, deleteShop, getShop, getShopByDomain, listShops, updateShop } from './shops.ts';

const T0 = new Date('2026-03-01T12:00:00.000Z');

async function seed(storage: Storage) {
  const shop = await createShop(
    storage,
    { domain: 'Corner-Store.myshopify.com', name: 'Corner Store', currency: 'USD', timeZone: 'America/New_York' },
    T0,
  );
  assert.ok(shop.ok);
  const file = await createCompanyFile(
    storage,
    {
      shopId: shop.value.id,
      webConnectorUserName: 'corner-store',
      appTokenHash: 'scrypt$salt$hash',
      ownerId: '{6B063959-81B0-4E2A-8D39-9E8D1F4E53D1}',
      fileId: '{0B1D2C3E-1111-4222-8333-944455566677}',
    },
    T0,
  );
  assert.ok(file.ok);
  return { shop: shop.value, file: file.value };
}

forEachEngine('shops repository', (_engine, open) => {
  test('creates, finds (domain case-insensitively), updates and deletes a shop', async (t) => {
    const { storage } = await open(t);
    const { shop } = await seed(storage);
    assert.equal(shop.domain, 'corner-store.myshopify.com');
    assert.deepEqual(await getShop(storage, shop.id), shop);
    assert.deepEqual(await getShopByDomain(storage, 'CORNER-STORE.myshopify.com'), shop);
    const later = new Date(T0.getTime() + 60_000);
    const updated = await updateShop(
      storage,
      shop.id,
      { timeZone: 'Europe/Berlin', settings: { mode: 'summary', clearing: { cash: 'Undeposited Funds' } } },
      later,
    );
    assert.equal(updated?.timeZone, 'Europe/Berlin');
    assert.equal(updated?.name, 'Corner Store');
    assert.deepEqual(updated?.settings, { mode: 'summary', clearing: { cash: 'Undeposited Funds' } });
    assert.deepEqual(updated?.updatedAt, later);
    assert.deepEqual(updated?.createdAt, T0);
    assert.equal(await updateShop(storage, 'missing', { name: 'x' }), null);
    assert.equal((await listShops(storage)).length, 1);
    assert.equal(await deleteShop(storage, shop.id), true);
    assert.equal(await getShop(storage, shop.id), null);
  });

  test('the same domain twice is an expected failure, not an exception', async (t) => {
    const { storage } = await open(t);
    await seed(storage);
    const again = await createShop(storage, {
      domain: 'corner-store.myshopify.com',
      name: 'Again',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.error.code, 'SHOP_ALREADY_EXISTS');
  });

  test('deleting a shop removes its company files and id map (foreign keys enforced)', async (t) => {
    const { storage } = await open(t);
    const { shop, file } = await seed(storage);
    await recordMapping(storage, {
      companyFileId: file.id,
      sourceKind: 'customer',
      sourceId: 'gid://shopify/Customer/1',
      quickbooksKind: 'list',
      quickbooksId: '80000001-1700000000',
      editSequence: '1700000000',
      name: 'Ada Lovelace',
    });
    await deleteShop(storage, shop.id);
    assert.equal(await getCompanyFile(storage, file.id), null);
    assert.equal((await listMappings(storage, file.id)).length, 0);
    const orphan = await createCompanyFile(storage, {
      shopId: 'no-such-shop',
      webConnectorUserName: 'x',
      appTokenHash: 'h',
      ownerId: 'o',
      fileId: 'f',
    }).catch((error: unknown) => error);
    assert.ok(orphan instanceof Error, 'a company file of a missing shop must be refused by the foreign key');
  });
});

forEachEngine('company files repository', (_engine, open) => {
  test('is found by Web Connector user name, binds and unbinds a QuickBooks company', async (t) => {
    const { storage } = await open(t);
    const { shop, file } = await seed(storage);
    assert.equal(file.boundCompany, null);
    assert.deepEqual(await getCompanyFileByUserName(storage, 'corner-store'), file);
    assert.equal(await getCompanyFileByUserName(storage, 'someone-else'), null);
    const bound = await bindCompany(
      storage,
      file.id,
      { companyName: 'Corner Store LLC', edition: 'QuickBooks Desktop Pro 2024', version: '34.0' },
      T0,
    );
    assert.deepEqual(bound?.boundCompany, {
      companyName: 'Corner Store LLC',
      edition: 'QuickBooks Desktop Pro 2024',
      version: '34.0',
      boundAt: T0,
    });
    assert.equal((await unbindCompany(storage, file.id))?.boundCompany, null);
    assert.deepEqual(
      (await listCompanyFiles(storage, shop.id)).map((f) => f.id),
      [file.id],
    );
  });

  test('a Web Connector user name is unique across shops', async (t) => {
    const { storage } = await open(t);
    const { shop } = await seed(storage);
    const clash = await createCompanyFile(storage, {
      shopId: shop.id,
      webConnectorUserName: 'corner-store',
      appTokenHash: 'h',
      ownerId: 'o',
      fileId: 'f',
    });
    assert.equal(!clash.ok && clash.error.code, 'COMPANY_FILE_USER_NAME_TAKEN');
  });

  test('failed logins lock the company file at the limit; success and a new token clear it', async (t) => {
    const { storage } = await open(t);
    const { file } = await seed(storage);
    const policy = { maxFailedLogins: 3, lockoutMs: 60_000 };
    let current = file;
    for (let i = 1; i <= 2; i++) {
      current = (await recordFailedLogin(storage, file.id, T0, policy))!;
      assert.equal(current.failedLogins, i);
      assert.equal(isLockedOut(current, T0), false);
    }
    const recovered = await recordSuccessfulLogin(storage, file.id, T0);
    assert.equal(recovered?.failedLogins, 0);
    assert.deepEqual(recovered?.lastLoginAt, T0);
    for (let i = 0; i < 3; i++) current = (await recordFailedLogin(storage, file.id, T0, policy))!;
    assert.equal(isLockedOut(current, T0), true);
    assert.equal(isLockedOut(current, new Date(T0.getTime() + 59_999)), true);
    assert.equal(isLockedOut(current, new Date(T0.getTime() + 60_000)), false);
    const renewed = await replaceAppTokenHash(storage, file.id, 'scrypt$new$hash', T0);
    assert.equal(renewed?.appTokenHash, 'scrypt$new$hash');
    assert.equal(isLockedOut(renewed!, T0), false);
  });

  test('concurrent failed logins are all counted', async (t) => {
    const { storage, openAnother } = await open(t);
    const { file } = await seed(storage);
    const other = await openAnother();
    const policy = { maxFailedLogins: 100, lockoutMs: 1 };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => recordFailedLogin(i % 2 ? storage : other, file.id, T0, policy)),
    );
    assert.equal((await getCompanyFile(storage, file.id))?.failedLogins, 10);
  });
});

forEachEngine('id map repository', (_engine, open) => {
  test('maps sources to QuickBooks ids both ways, per company file, and keeps EditSequence current', async (t) => {
    const { storage } = await open(t);
    const { file } = await seed(storage);
    const customer = {
      companyFileId: file.id,
      sourceKind: 'customer',
      sourceId: 'gid://shopify/Customer/1',
      quickbooksKind: 'list' as const,
      quickbooksId: '80000001-1700000000',
      editSequence: '1700000000',
      name: 'Ada Lovelace',
    };
    await recordMapping(storage, customer, T0);
    await recordMapping(
      storage,
      {
        ...customer,
        sourceKind: 'sales-receipt',
        sourceId: 'gid://shopify/Order/9',
        quickbooksKind: 'transaction',
        quickbooksId: '1A-1700000001',
        name: '1009',
      },
      T0,
    );
    const found = await findMappingBySource(storage, file.id, 'customer', 'gid://shopify/Customer/1');
    assert.deepEqual(found, { ...customer, updatedAt: T0 });
    assert.equal(await findMappingBySource(storage, 'other-file', 'customer', 'gid://shopify/Customer/1'), null);
    assert.deepEqual(
      (await findMappingsByQuickBooksId(storage, file.id, '1A-1700000001')).map((m) => m.sourceId),
      ['gid://shopify/Order/9'],
    );
    const many = await findMappingsBySources(storage, file.id, 'customer', [
      'gid://shopify/Customer/1',
      'gid://shopify/Customer/2',
    ]);
    assert.deepEqual([...many.keys()], ['gid://shopify/Customer/1']);

    const later = new Date(T0.getTime() + 1000);
    assert.equal(await updateEditSequence(storage, file.id, '80000001-1700000000', '1700000555', later), 1);
    const refreshed = await findMappingBySource(storage, file.id, 'customer', 'gid://shopify/Customer/1');
    assert.equal(refreshed?.editSequence, '1700000555');
    assert.deepEqual(refreshed?.updatedAt, later);

    // Recording again replaces (a record re-created in QuickBooks gets a new ListID).
    await recordMapping(storage, { ...customer, quickbooksId: '80000002-1700000999', editSequence: null }, later);
    const replaced = await listMappings(storage, file.id, { sourceKind: 'customer' });
    assert.equal(replaced.length, 1);
    assert.equal(replaced[0]!.quickbooksId, '80000002-1700000999');
    assert.equal(replaced[0]!.editSequence, null);
    assert.equal(await removeMapping(storage, file.id, 'customer', 'gid://shopify/Customer/1'), true);
    assert.equal(await removeMapping(storage, file.id, 'customer', 'gid://shopify/Customer/1'), false);
  });
});

forEachEngine('audit log repository', (_engine, open) => {
  test('appends, lists newest first with filters and paging, and never stores secrets', async (t) => {
    const { storage } = await open(t);
    const { shop, file } = await seed(storage);
    const first = await appendAudit(
      storage,
      {
        shopId: shop.id,
        companyFileId: file.id,
        actor: 'merchant',
        action: 'company-file.token-replaced',
        details: { appToken: 'very-secret', reason: 'lost laptop' },
      },
      T0,
    );
    assert.equal(first.details.appToken, '[redacted]');
    assert.equal(first.details.reason, 'lost laptop');
    await appendAudit(storage, { shopId: shop.id, actor: 'system', action: 'outbox.retried', subject: 'k1' }, T0);
    await appendAudit(storage, { actor: 'support', action: 'integration.reset' }, T0);
    const all = await listAudit(storage);
    assert.deepEqual(
      all.map((e) => e.action),
      ['integration.reset', 'outbox.retried', 'company-file.token-replaced'],
    );
    assert.deepEqual(
      (await listAudit(storage, { shopId: shop.id })).map((e) => e.action),
      ['outbox.retried', 'company-file.token-replaced'],
    );
    assert.deepEqual(
      (await listAudit(storage, { companyFileId: file.id })).map((e) => e.id),
      [first.id],
    );
    const page = await listAudit(storage, { limit: 1 });
    const next = await listAudit(storage, { limit: 5, beforeId: page[0]!.id });
    assert.deepEqual(
      next.map((e) => e.action),
      ['outbox.retried', 'company-file.token-replaced'],
    );
    const stored = await storage.db.selectFrom('audit_log').select('details').execute();
    assert.ok(stored.every((row) => !row.details.includes('very-secret')));
    // Audit entries outlive what they mention.
    await storage.db.deleteFrom('shops').execute();
    assert.equal((await listAudit(storage)).length, 3);
  });
});

forEachEngine('message sets repository', (_engine, open) => {
  test('records a sent set with its entries and follows sent → lost → recovered only', async (t) => {
    const { storage } = await open(t);
    const { file } = await seed(storage);
    const now = T0.toISOString();
    const ids: number[] = [];
    for (const key of ['customer:1', 'receipt:1']) {
      const row = await storage.db
        .insertInto('outbox_entries')
        .values({
          company_file_id: file.id,
          key,
          kind: 'x',
          request_type: 'CustomerAdd',
          request_body: '{}',
          dependency_keys: '[]',
          priority: 0,
          state: 'sent',
          attempts: 1,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const set = await createMessageSet(
      storage,
      {
        companyFileId: file.id,
        sessionId: 'session-1',
        requestXml: '<QBXML/>',
        entries: ids.map((entryId, i) => ({ entryId, requestId: String(i + 1) })),
      },
      T0,
    );
    assert.equal(set.state, 'sent');
    assert.deepEqual(await getMessageSet(storage, set.id), set);
    assert.deepEqual(
      (await listUnansweredMessageSets(storage, file.id)).map((s) => s.id),
      [set.id],
    );
    assert.equal((await latestMessageSetOfEntry(storage, ids[1]!))?.id, set.id);

    await assert.rejects(moveMessageSet(storage, set.id, 'sent', 'recovered'), /Illegal message set transition/);
    const lost = await moveMessageSet(storage, set.id, 'sent', 'lost');
    assert.equal(lost?.state, 'lost');
    // A second instance racing on the same move finds it already done.
    assert.equal(await moveMessageSet(storage, set.id, 'sent', 'lost'), null);
    const recovered = await moveMessageSet(storage, set.id, 'lost', 'recovered', {
      responseXml: '<QBXML>…</QBXML>',
      now: T0,
    });
    assert.equal(recovered?.state, 'recovered');
    assert.equal(recovered?.responseXml, '<QBXML>…</QBXML>');
    assert.deepEqual(recovered?.answeredAt, T0);
    assert.equal(recovered?.entries.length, 2);
    assert.deepEqual(await listUnansweredMessageSets(storage, file.id), []);
  });
});
