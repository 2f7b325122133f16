/**
 * One company file per shop: a shop's Web Connector that opens a QuickBooks company file paired with another shop
 * is refused in plain words, and nothing goes to that file or comes from it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCompanySnapshot } from '../../apply/index.ts';
import { enqueue, getEntryByKey } from '../../outbox/index.ts';
import { runWebConnectorSession } from '../../simulators/webconnector/index.ts';
import { forEachEngine } from '../../storage/engines.test-support.ts';
import { createShop, getCompanyFile } from '../../storage/index.ts';
import { pairCompanyFile } from '../session/index.ts';
import { CHEAP_SCRYPT, customerEntry, queryCompany, qwcFor, startConnector } from './delivery.test-support.ts';

forEachEngine('one company file per shop', (engine) => {
  test('a company file connected to one shop is refused to another, which posts nothing there and reads nothing', async (t) => {
    const connector = await startConnector(t, engine);
    await connector.enqueue([customerEntry('Ada Lovelace')]);
    const shared = connector.company('Hudson Books');
    const first = await connector.session(shared);
    assert.equal(first.outcome, 'completed', first.message);

    // A second shop on the same service, its own pairing and .qwc, and work waiting.
    const other = await createShop(connector.storage, {
      domain: 'other.myshopify.com',
      name: 'Other',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.ok(other.ok);
    const paired = await pairCompanyFile(connector.storage, { shopId: other.value.id, scrypt: CHEAP_SCRYPT });
    assert.ok(paired.ok);
    const otherFile = (await getCompanyFile(connector.storage, paired.value.companyFileId))!;
    await enqueue(
      connector.storage,
      [{ ...customerEntry('Grace Hopper'), companyFileId: otherFile.id }],
      connector.clock.now(),
    );

    // Its Web Connector opens the first shop's company file.
    const refused = await runWebConnectorSession({
      qwc: qwcFor(otherFile, connector.server.url),
      password: paired.value.appToken,
      processor: connector.company('Hudson Books'),
      timeScale: 0.001,
      callTimeoutMs: 20_000,
    });
    assert.notEqual(refused.outcome, 'completed');
    assert.match(refused.message, /"Hudson Books".*is already connected to another shop/);
    assert.match(refused.message, /One QuickBooks company file serves one shop, so nothing was sent to it/);
    assert.doesNotMatch(refused.message, /d\.myshopify\.com/, 'the other merchant is not named');

    const grace = await getEntryByKey(connector.storage, otherFile.id, 'customer:Grace Hopper');
    assert.equal(grace?.state, 'pending', 'nothing of the second shop was sent');
    assert.equal(grace?.attempts, 0);
    const names = (queryCompany(connector.company('Hudson Books'), 'CustomerQuery').rets as { Name: string }[]).map(
      (c) => c.Name,
    );
    assert.deepEqual(names, ['Ada Lovelace']);
    const refusedFile = (await getCompanyFile(connector.storage, otherFile.id))!;
    assert.equal(refusedFile.boundCompany, null, 'the second shop is not bound to it');
    assert.deepEqual(
      (await readCompanySnapshot(connector.storage, otherFile.id)).parts,
      {},
      'and keeps nothing it read there',
    );
    // The first shop is still bound to it, as before.
    assert.equal(
      (await getCompanyFile(connector.storage, connector.file.id))!.boundCompany?.companyName,
      'Hudson Books',
    );

    // Its own company file is fine.
    const own = await runWebConnectorSession({
      qwc: qwcFor(otherFile, connector.server.url),
      password: paired.value.appToken,
      processor: connector.company('Other Books'),
      timeScale: 0.001,
      callTimeoutMs: 20_000,
    });
    assert.equal(own.outcome, 'completed', own.message);
    assert.equal((await getEntryByKey(connector.storage, otherFile.id, 'customer:Grace Hopper'))?.state, 'applied');
  });
});
