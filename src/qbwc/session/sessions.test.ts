import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { createShop, getCompanyFile, isLockedOut, recordSuccessfulLogin } from '../../storage/index.ts';
import { verifyAppToken } from './app-token.ts';
import { pairCompanyFile, replaceAppToken } from './pairing.ts';
import {
  clearLoginFailures,
  closeSession,
  findOpenSession,
  findSessionByTicket,
  LOCKOUT_MS,
  openSession,
  recordLoginFailure,
} from './sessions.ts';

const CHEAP = { cost: 2 ** 10, blockSize: 8, parallelization: 1, keyLength: 32 };
const T0 = new Date('2026-03-02T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

forEachEngine('Web Connector sessions', (_engine, open) => {
  async function paired(t: Parameters<typeof open>[0]) {
    const { storage, openAnother } = await open(t);
    const shop = await createShop(storage, { domain: 'a.myshopify.com', name: 'A', currency: 'USD', timeZone: 'UTC' });
    assert.ok(shop.ok);
    const paired = await pairCompanyFile(storage, { shopId: shop.value.id, scrypt: CHEAP, now: T0 });
    assert.ok(paired.ok);
    return { storage, openAnother, pairing: paired.value };
  }

  test('pairing stores a hash that verifies the token shown once; a new token replaces it', async (t) => {
    const { storage, pairing } = await paired(t);
    const row = await storage.db
      .selectFrom('company_files')
      .selectAll()
      .where('id', '=', pairing.companyFileId)
      .executeTakeFirstOrThrow();
    assert.equal(row.web_connector_user_name, pairing.userName);
    assert.match(row.owner_id, /^\{[0-9A-F-]{36}\}$/);
    assert.notEqual(row.owner_id, row.file_id);
    assert.ok(await verifyAppToken(pairing.appToken, row.app_token_hash));
    const replacement = await replaceAppToken(storage, pairing.companyFileId, { scrypt: CHEAP });
    const after = await storage.db
      .selectFrom('company_files')
      .select('app_token_hash')
      .where('id', '=', pairing.companyFileId)
      .executeTakeFirstOrThrow();
    assert.equal(await verifyAppToken(pairing.appToken, after.app_token_hash), false);
    assert.ok(await verifyAppToken(replacement, after.app_token_hash));
  });

  test('one open session per company file; the ticket is stored only hashed; an idle session expires', async (t) => {
    const { storage, openAnother, pairing } = await paired(t);
    const first = await openSession(storage, { companyFileId: pairing.companyFileId, workAtStart: 3, now: T0 });
    assert.ok(first.ok);
    const stored = await storage.db.selectFrom('qbwc_sessions').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.ok(!JSON.stringify(stored).includes(first.ticket), 'the clear ticket is never stored');

    const other = await openAnother();
    const second = await openSession(other, { companyFileId: pairing.companyFileId, workAtStart: 3, now: minutes(1) });
    assert.deepEqual(second, { ok: false, reason: 'busy' });

    const found = await findOpenSession(other, first.ticket, minutes(2));
    assert.equal(found?.id, first.session.id);
    assert.equal(await findOpenSession(other, 'not-a-ticket', minutes(2)), null);

    // 31 minutes after the last call the session is gone and a new one may start.
    assert.equal(await findOpenSession(storage, first.ticket, minutes(33)), null);
    const third = await openSession(other, { companyFileId: pairing.companyFileId, workAtStart: 0, now: minutes(33) });
    assert.ok(third.ok);
    assert.equal((await findSessionByTicket(storage, first.ticket))?.state, 'expired');

    const closed = await closeSession(storage, third.session.id, 'done', minutes(34));
    assert.equal(closed?.state, 'closed');
    assert.ok(
      (await openSession(storage, { companyFileId: pairing.companyFileId, workAtStart: 0, now: minutes(35) })).ok,
    );
  });

  test('two instances racing to open a session: exactly one wins', async (t) => {
    const { storage, openAnother, pairing } = await paired(t);
    const handles = [storage, await openAnother(), await openAnother()];
    const results = await Promise.all(
      handles.map((h) => openSession(h, { companyFileId: pairing.companyFileId, workAtStart: 1, now: T0 })),
    );
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal(results.filter((r) => !r.ok).length, 2);
  });

  test('five wrong passwords within 15 minutes lock the file for 15 minutes; a success clears the count', async (t) => {
    const { storage, pairing } = await paired(t);
    const id = pairing.companyFileId;
    for (let i = 0; i < 4; i++) assert.equal(await recordLoginFailure(storage, id, minutes(i)), false);
    await clearLoginFailures(storage, id);
    await recordSuccessfulLogin(storage, id, minutes(4));
    for (let i = 0; i < 4; i++) assert.equal(await recordLoginFailure(storage, id, minutes(5 + i)), false);
    const lockedAt = async (at: Date) => isLockedOut((await getCompanyFile(storage, id))!, at);
    assert.equal(await lockedAt(minutes(9)), false);
    // Failures older than the window no longer count: four at 5–8 min, then one at 21 min → only one counts.
    assert.equal(await recordLoginFailure(storage, id, minutes(21)), false);
    for (let i = 0; i < 3; i++) assert.equal(await recordLoginFailure(storage, id, minutes(22 + i)), false);
    assert.equal(await recordLoginFailure(storage, id, minutes(25)), true);
    assert.equal(await lockedAt(minutes(26)), true);
    assert.equal(await lockedAt(new Date(minutes(25).getTime() + LOCKOUT_MS + 1)), false);
  });
});
