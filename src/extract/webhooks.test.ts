import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signWebhookBody } from '../shopify/index.ts';
import { forEachEngine } from '../storage/engines.test-support.ts';
import { createShop } from '../storage/index.ts';
import { latestSourceRecord, saveSourceRecords } from './source-records.ts';
import { createShopifyWebhookHandler, pendingPullRequests } from './webhooks.ts';

const secret = 'app-secret';

function delivery(
  topic: string,
  payload: unknown,
  eventId: string,
  options: { secret?: string; domain?: string } = {},
) {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return {
    rawBody,
    headers: {
      'x-shopify-hmac-sha256': signWebhookBody(rawBody, options.secret ?? secret),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': options.domain ?? 'demo.myshopify.com',
      'x-shopify-event-id': eventId,
      'x-shopify-webhook-id': `w-${eventId}`,
      'x-shopify-api-version': '2026-10',
    },
  };
}

forEachEngine('Shopify webhooks', (_engine, open) => {
  test('a valid webhook records a pull; a bad HMAC is 401; a replay is dropped', async (t) => {
    const { storage } = await open(t);
    const shop = await createShop(storage, {
      domain: 'demo.myshopify.com',
      name: 'Demo',
      currency: 'USD',
      timeZone: 'America/New_York',
    });
    assert.ok(shop.ok);
    const handle = createShopifyWebhookHandler({ storage, apiSecret: secret });
    const order = { id: 1001, admin_graphql_api_id: 'gid://shopify/Order/1001' };

    const forged = await handle(delivery('orders/updated', order, 'e1', { secret: 'wrong' }));
    assert.equal(forged.status, 401);
    assert.deepEqual(await pendingPullRequests(storage, shop.value.id), []);

    const tampered = delivery('orders/updated', order, 'e1');
    tampered.rawBody = Buffer.from(JSON.stringify({ ...order, id: 1002 }));
    assert.equal((await handle(tampered)).status, 401);

    assert.equal((await handle(delivery('orders/updated', order, 'e1'))).status, 200);
    const replay = await handle(delivery('orders/updated', order, 'e1'));
    assert.equal(replay.status, 200);
    assert.equal(replay.body, 'Duplicate');
    assert.equal((await handle(delivery('refunds/create', { id: 9, order_id: 1001 }, 'e2'))).status, 200);

    const pending = await pendingPullRequests(storage, shop.value.id);
    assert.deepEqual(
      pending.map((p) => [p.entity, p.reason, p.sourceId]),
      [
        ['orders', 'orders/updated', 'gid://shopify/Order/1001'],
        ['orders', 'refunds/create', 'gid://shopify/Order/1001'],
      ],
    );
  });

  test('size limit, missing headers, unknown shop', async (t) => {
    const { storage } = await open(t);
    const handle = createShopifyWebhookHandler({ storage, apiSecret: secret, maxBodyBytes: 100 });
    assert.equal((await handle(delivery('orders/create', { note: 'x'.repeat(200) }, 'e1'))).status, 413);
    const noTopic = delivery('orders/create', {}, 'e2');
    delete (noTopic.headers as Record<string, string | undefined>)['x-shopify-topic'];
    assert.equal((await handle(noTopic)).status, 400);
    const unknown = await handle(delivery('orders/create', {}, 'e3', { domain: 'other.myshopify.com' }));
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body, 'Unknown shop');
  });

  test('customers/redact removes the customer’s records; shop/redact removes the shop’s data', async (t) => {
    const { storage } = await open(t);
    const shop = await createShop(storage, {
      domain: 'demo.myshopify.com',
      name: 'Demo',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.ok(shop.ok);
    const shopId = shop.value.id;
    const handle = createShopifyWebhookHandler({ storage, apiSecret: secret });
    const customerId = 'gid://shopify/Customer/77';
    await saveSourceRecords(
      storage,
      shopId,
      [
        {
          kind: 'customer',
          sourceId: customerId,
          sourceUpdatedAt: null,
          payload: { id: customerId, displayName: 'Ada Lovelace' },
        },
        {
          kind: 'customer',
          sourceId: 'gid://shopify/Customer/78',
          sourceUpdatedAt: null,
          payload: { displayName: 'Other' },
        },
        {
          kind: 'order',
          sourceId: 'gid://shopify/Order/1',
          sourceUpdatedAt: null,
          payload: { customer: { id: customerId } },
        },
      ],
      { runId: null, now: new Date().toISOString() },
    );
    const redact = delivery(
      'customers/redact',
      { shop_domain: 'demo.myshopify.com', customer: { id: 77 }, orders_to_redact: [1] },
      'r1',
    );
    assert.equal((await handle(redact)).status, 200);
    assert.equal(await latestSourceRecord(storage, shopId, 'customer', customerId), null);
    assert.ok(await latestSourceRecord(storage, shopId, 'customer', 'gid://shopify/Customer/78'));
    const dataRequest = delivery('customers/data_request', { customer: { id: 78 } }, 'r2');
    assert.equal((await handle(dataRequest)).status, 200);
    assert.deepEqual(
      (await pendingPullRequests(storage, shopId)).map((p) => [p.entity, p.reason]),
      [['compliance', 'customers/data_request']],
    );

    assert.equal((await handle(delivery('shop/redact', { shop_domain: 'demo.myshopify.com' }, 'r3'))).status, 200);
    const left = await storage.db.selectFrom('source_records').select('id').where('shop_id', '=', shopId).execute();
    assert.equal(left.length, 0);
  });

  test('app/uninstalled calls back and bulk_operations/finish records an orders pull', async (t) => {
    const { storage } = await open(t);
    const shop = await createShop(storage, {
      domain: 'demo.myshopify.com',
      name: 'Demo',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.ok(shop.ok);
    const uninstalled: string[] = [];
    const handle = createShopifyWebhookHandler({
      storage,
      apiSecret: secret,
      onUninstalled: async (domain) => {
        uninstalled.push(domain);
      },
    });
    await handle(delivery('app/uninstalled', { id: 1, myshopify_domain: 'demo.myshopify.com' }, 'u1'));
    await handle(
      delivery(
        'bulk_operations/finish',
        { admin_graphql_api_id: 'gid://shopify/BulkOperation/5', status: 'completed' },
        'b1',
      ),
    );
    assert.deepEqual(uninstalled, ['demo.myshopify.com']);
    assert.deepEqual(
      (await pendingPullRequests(storage, shop.value.id)).map((p) => [p.entity, p.reason, p.sourceId]),
      [
        ['shop', 'app/uninstalled', null],
        ['orders', 'bulk_operations/finish', 'gid://shopify/BulkOperation/5'],
      ],
    );
  });
  test('a delivery whose handling failed is handled on Shopify’s retry, not dropped as a duplicate', async (t) => {
    const { storage } = await open(t);
    const shop = await createShop(storage, {
      domain: 'demo.myshopify.com',
      name: 'Demo',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.ok(shop.ok);
    let failNext = true;
    const uninstalled: string[] = [];
    const handle = createShopifyWebhookHandler({
      storage,
      apiSecret: secret,
      onUninstalled: async (domain) => {
        if (failNext) {
          failNext = false;
          throw new Error('database connection lost');
        }
        uninstalled.push(domain);
      },
    });
    await assert.rejects(
      handle(delivery('app/uninstalled', { id: 1, myshopify_domain: 'demo.myshopify.com' }, 'u-retry')),
      /database connection lost/,
    );
    const retried = await handle(
      delivery('app/uninstalled', { id: 1, myshopify_domain: 'demo.myshopify.com' }, 'u-retry'),
    );
    assert.equal(retried.status, 200);
    assert.equal(retried.body, 'OK');
    assert.deepEqual(uninstalled, ['demo.myshopify.com']);
    // Once handled, a further copy is a duplicate again.
    assert.equal(
      (await handle(delivery('app/uninstalled', { id: 1, myshopify_domain: 'demo.myshopify.com' }, 'u-retry'))).body,
      'Duplicate',
    );
    assert.deepEqual(uninstalled, ['demo.myshopify.com']);
  });
  test('a signed body sent again under another topic or shop cannot erase or disconnect a shop', async (t) => {
    const { storage } = await open(t);
    const victim = await createShop(storage, {
      domain: 'victim.myshopify.com',
      name: 'Victim',
      currency: 'USD',
      timeZone: 'UTC',
    });
    assert.ok(victim.ok);
    await saveSourceRecords(
      storage,
      victim.value.id,
      [{ kind: 'customer', sourceId: 'gid://shopify/Customer/5', sourceUpdatedAt: null, payload: { id: 5 } }],
      { runId: null, now: new Date().toISOString() },
    );
    const uninstalled: string[] = [];
    const handle = createShopifyWebhookHandler({
      storage,
      apiSecret: secret,
      onUninstalled: async (domain) => {
        uninstalled.push(domain);
      },
    });
    // Genuine deliveries of another shop, their signatures intact; only the unsigned headers are changed.
    const resent = (topic: string, payload: unknown, eventId: string) => {
      const original = delivery(topic, payload, eventId, { domain: 'attacker.myshopify.com' });
      original.headers['x-shopify-shop-domain'] = 'victim.myshopify.com';
      return original;
    };
    const attempts = [
      resent('shop/redact', { shop_domain: 'attacker.myshopify.com' }, 'x1'),
      resent('customers/redact', { shop_domain: 'attacker.myshopify.com', customer: { id: 5 } }, 'x2'),
      resent('app/uninstalled', { id: 2, myshopify_domain: 'attacker.myshopify.com' }, 'x3'),
    ];
    // An order's body (no shop named) relabelled as a destructive topic.
    const order = delivery('orders/create', { id: 9, customer: { id: 5 } }, 'x4', { domain: 'victim.myshopify.com' });
    for (const topic of ['shop/redact', 'customers/redact', 'app/uninstalled']) {
      attempts.push({ ...order, headers: { ...order.headers, 'x-shopify-topic': topic, 'x-shopify-event-id': topic } });
    }
    for (const attempt of attempts) {
      const answer = await handle(attempt);
      assert.equal(answer.status, 400, attempt.headers['x-shopify-topic']);
    }
    assert.deepEqual(uninstalled, []);
    assert.ok(await latestSourceRecord(storage, victim.value.id, 'customer', 'gid://shopify/Customer/5'));
    assert.deepEqual(await pendingPullRequests(storage, victim.value.id), []);
    // The shop's own deliveries are still handled.
    const own = delivery('app/uninstalled', { id: 3, myshopify_domain: 'victim.myshopify.com' }, 'v1', {
      domain: 'victim.myshopify.com',
    });
    assert.equal((await handle(own)).status, 200);
    assert.deepEqual(uninstalled, ['victim.myshopify.com']);
  });
});
