import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'graphql';
import type { Order, ShopDataFile } from '../../../domain/index.ts';
import { generateShop } from '../generator/index.ts';
import { DEFAULT_SCHEMA_DIR } from './schema.ts';
import type { ShopifySimulator } from './shopify-simulator.ts';
import { signSessionToken, startShopifySimulator } from './shopify-simulator.ts';

const SAMPLE = join(DEFAULT_SCHEMA_DIR, 'sample-accounting-queries.graphql');
if (!existsSync(join(DEFAULT_SCHEMA_DIR, 'admin-2026-10.json.gz'))) {
  throw new Error(
    `Shopify's schema is missing at ${DEFAULT_SCHEMA_DIR}: these tests need ../shared next to the repository.`,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field below.
type Json = Record<string, any>;

async function gql(
  sim: ShopifySimulator,
  query: string,
  variables: Json = {},
  token = sim.accessToken,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(sim.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const ORDERS_PAGE = `query Page($after: String, $query: String) {
  orders(first: 25, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name updatedAt } }
  }
}`;

async function allOrders(sim: ShopifySimulator, query: string | null = null): Promise<Json[]> {
  const out: Json[] = [];
  let after: string | null = null;
  for (;;) {
    const { body } = await gql(sim, ORDERS_PAGE, { after, query });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    out.push(...body.data.orders.edges.map((e: Json) => e.node));
    if (!body.data.orders.pageInfo.hasNextPage) return out;
    after = body.data.orders.pageInfo.endCursor;
  }
}

describe('Shopify simulator: GraphQL', () => {
  let data: ShopDataFile;
  let sim: ShopifySimulator;
  before(async () => {
    data = generateShop({ seed: 'graphql', orders: 120 });
    sim = await startShopifySimulator({
      data: structuredClone(data),
      maxQueryCost: Number.POSITIVE_INFINITY,
      throttle: { maximumAvailable: 1e9, restoreRate: 1e9 },
    });
  });
  after(() => sim.close());

  test('the sample accounting queries run and return the data file', async () => {
    const document = readFileSync(SAMPLE, 'utf8');
    for (const name of ['OrdersForAccounting', 'Payouts', 'Cash']) {
      const response = await fetch(sim.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken },
        body: JSON.stringify({ query: document, operationName: name }),
      });
      const body = (await response.json()) as Json;
      assert.equal(body.errors, undefined, `${name}: ${JSON.stringify(body.errors)}`);
      if (name === 'OrdersForAccounting') {
        const first = body.data.orders.nodes[0];
        const source = data.orders.find((o) => o.id === first.id)!;
        assert.equal(first.totalPriceSet.shopMoney.amount, source.totalPriceSet.shopMoney.amount);
        assert.equal(first.lineItems.nodes.length, source.lineItems.length);
        assert.equal(first.transactions.length, source.transactions.length);
        assert.ok(body.extensions.cost.requestedQueryCost > 1000, 'this sample is above Shopify’s single-query limit');
      }
      if (name === 'Payouts') {
        assert.equal(
          body.data.shopifyPaymentsAccount.payouts.nodes.length,
          Math.min(50, data.shopifyPaymentsAccount!.payouts.length),
        );
      }
    }
  });

  test('a field the simulator does not model is an error naming it, not a null', async () => {
    const { body } = await gql(sim, '{ orders(first: 1) { nodes { id poNumber } } }');
    assert.match(body.errors[0].message, /does not model Order\.poNumber/);
    assert.equal(body.errors[0].extensions.code, 'NOT_MODELLED');
  });

  test('queries are validated against the schema first', async () => {
    const { body } = await gql(sim, '{ orders(first: 1) { nodes { id notAField } } }');
    assert.match(body.errors[0].message, /Cannot query field "notAField" on type "Order"/);
    assert.equal(body.data, undefined);
  });

  test('pagination returns every order exactly once', async () => {
    const orders = await allOrders(sim);
    assert.equal(orders.length, data.orders.length);
    assert.equal(new Set(orders.map((o) => o.id)).size, data.orders.length);
    const times = orders.map((o) => o.updatedAt);
    assert.deepEqual(times, [...times].sort());
  });

  test('updated_at filters select by date', async () => {
    const sorted = [...data.orders].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const pivot = sorted[60]!.updatedAt;
    const newer = await allOrders(sim, `updated_at:>'${pivot}'`);
    assert.equal(newer.length, sorted.filter((o) => o.updatedAt > pivot).length);
    const atLeast = await allOrders(sim, `updated_at:>=${pivot}`);
    assert.equal(atLeast.length, sorted.filter((o) => o.updatedAt >= pivot).length);
    const legacy = (id: string) => Number(id.slice(id.lastIndexOf('/') + 1));
    const middle = legacy(data.orders[40]!.id);
    const range = await allOrders(sim, `id:>=${middle} AND id:<${middle + 10}`);
    assert.deepEqual(
      range.map((o) => legacy(o.id)).sort((x, y) => x - y),
      Array.from({ length: 10 }, (_, i) => middle + i),
    );
    const created = await allOrders(sim, `created_at:<'${data.orders[30]!.createdAt}'`);
    assert.equal(created.length, 30);
    const { body } = await gql(sim, ORDERS_PAGE, { query: 'financial_status:paid' });
    assert.match(body.errors[0].message, /does not model the search filter "financial_status"/);
  });

  test('references resolve to whole records; node and nodes find anything with an id', async () => {
    const pos = data.orders.find((o) => o.retailLocation && o.customer)!;
    const { body } = await gql(
      sim,
      `query($id: ID!) { order(id: $id) { retailLocation { name } customer { displayName } lineItems(first: 5) { nodes { variant { title product { title } } } } } node(id: $id) { ... on Order { name } } }`,
      { id: pos.id },
    );
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(
      body.data.order.retailLocation.name,
      data.locations.find((l) => l.id === pos.retailLocation!.id)!.name,
    );
    assert.equal(
      body.data.order.customer.displayName,
      data.customers.find((c) => c.id === pos.customer!.id)!.displayName,
    );
    assert.equal(body.data.node.name, pos.name);
    const refunded = data.orders.find((o) => o.refunds.length > 0)!;
    const byId = await gql(
      sim,
      'query($id: ID!) { refund(id: $id) { id totalRefundedSet { shopMoney { amount } } } }',
      { id: refunded.refunds[0]!.id },
    );
    assert.equal(
      byId.body.data.refund.totalRefundedSet.shopMoney.amount,
      refunded.refunds[0]!.totalRefundedSet.shopMoney.amount,
    );
  });

  test('purchase orders are served from the unstable schema, with their transfers', async () => {
    const { body } = await gql(
      sim,
      '{ inventoryPurchaseOrders(first: 10) { nodes { name status lineItems(first: 10) { nodes { totalQuantity unitCost { amount } } } } } inventoryTransfers(first: 10) { nodes { referenceName receivedQuantity totalQuantity } } }',
    );
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(body.data.inventoryPurchaseOrders.nodes[0].name, data.inventoryPurchaseOrders[0]!.name);
    assert.equal(body.data.inventoryTransfers.nodes[0].referenceName, data.inventoryPurchaseOrders[0]!.name);
  });

  test('a wrong or missing access token is a 401', async () => {
    const { status, body } = await gql(sim, '{ shop { name } }', {}, 'shpat_wrong');
    assert.equal(status, 401);
    assert.match(body.errors, /Invalid API key or access token/);
  });

  test('bulk query JSONL, stitched back by __parentId, equals the paged result', async () => {
    const inner =
      '{ orders(query: "created_at:>=2025-01-01") { edges { node { id name totalPriceSet { shopMoney { amount } } lineItems { edges { node { id sku quantity } } } transactions { id kind } } } } }';
    const { body } = await gql(
      sim,
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message code } } }`,
      { q: inner },
    );
    assert.deepEqual(body.data.bulkOperationRunQuery.userErrors, []);
    const id = body.data.bulkOperationRunQuery.bulkOperation.id;
    let op: Json = {};
    for (let i = 0; i < 200; i++) {
      op = (
        await gql(sim, `query($id: ID!) { bulkOperation(id: $id) { status url objectCount rootObjectCount } }`, { id })
      ).body.data.bulkOperation;
      if (op.status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(op.status, 'COMPLETED');
    const current = (await gql(sim, '{ currentBulkOperation(type: QUERY) { id status } }')).body.data
      .currentBulkOperation;
    assert.equal(current.id, id);
    const text = await (await fetch(op.url)).text();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    assert.equal(String(lines.length), op.objectCount);
    const orders = new Map<string, Json>();
    for (const line of lines) {
      if (line.__parentId) orders.get(line.__parentId)!.lineItems.push(line);
      else orders.set(line.id, { ...line, lineItems: [] });
    }
    assert.equal(orders.size, data.orders.length);
    assert.equal(String(orders.size), op.rootObjectCount);
    for (const order of data.orders) {
      const stitched = orders.get(order.id)!;
      assert.equal(stitched.totalPriceSet.shopMoney.amount, order.totalPriceSet.shopMoney.amount);
      assert.deepEqual(
        stitched.lineItems.map((l: Json) => l.id),
        order.lineItems.map((l) => l.id),
      );
      assert.equal(stitched.transactions.length, order.transactions.length);
    }
  });

  test('bulk queries Shopify would refuse come back as user errors', async () => {
    const run = async (q: string) =>
      (
        await gql(
          sim,
          `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { userErrors { message code } } }`,
          { q },
        )
      ).body.data.bulkOperationRunQuery.userErrors;
    assert.match((await run('{ shop { name } }'))[0].message, /at least one connection/);
    assert.match((await run('{ nodes(ids: []) { id } }'))[0].message, /node or nodes/);
    assert.equal((await run('{ orders { nodes { nope } } }'))[0].code, 'INVALID');
    assert.match(
      (await run('{ orders { edges { node { id refunds { id refundLineItems { edges { node { id } } } } } } } }'))[0]
        .message,
      /connection field within a list field/,
    );
  });

  test('a bulk operation lasts its start-up time plus its objects at the modelled rate', async (t) => {
    const speed = { startupMs: 150, objectsPerSecond: 400 };
    const timed = await startShopifySimulator({ data, bulkSpeed: speed });
    t.after(() => timed.close());
    const began = performance.now();
    const started = await gql(
      timed,
      'mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }", groupObjects: false) { bulkOperation { id status } } }',
    );
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id;
    assert.equal(started.body.data.bulkOperationRunQuery.bulkOperation.status, 'CREATED');
    let operation: Json;
    for (;;) {
      operation = (await gql(timed, `query($id: ID!) { bulkOperation(id: $id) { status objectCount } }`, { id })).body
        .data.bulkOperation;
      if (operation.status === 'COMPLETED') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const objects = Number(operation.objectCount);
    assert.equal(objects, data.customers.length);
    const modelled = speed.startupMs + (objects * 1000) / speed.objectsPerSecond;
    assert.ok(performance.now() - began >= modelled, `took ${performance.now() - began} ms, model ${modelled} ms`);
  });
});

describe('Shopify simulator: cost and throttling', () => {
  test('the requested cost follows first/last, and a tiny bucket throttles then recovers', async () => {
    const sim = await startShopifySimulator({
      data: generateShop({ seed: 't', orders: 30 }),
      throttle: { maximumAvailable: 60, restoreRate: 200 },
    });
    try {
      const query = '{ orders(first: 25) { nodes { id customer { id } } } }';
      const first = await gql(sim, query);
      // 2 for the connection + 25 × (1 order + 1 customer).
      assert.equal(first.body.extensions.cost.requestedQueryCost, 52);
      assert.ok(first.body.extensions.cost.actualQueryCost <= 52);
      assert.equal(first.body.extensions.cost.throttleStatus.maximumAvailable, 60);
      let throttled: Json | null = null;
      for (let i = 0; i < 5 && !throttled; i++) {
        const again = await gql(sim, query);
        if (again.body.errors) throttled = again.body;
      }
      assert.ok(throttled, 'expected THROTTLED with a 60-point bucket');
      assert.equal(throttled.errors[0].extensions.code, 'THROTTLED');
      assert.equal(throttled.extensions.cost.actualQueryCost, null);
      const wait = ((52 - throttled.extensions.cost.throttleStatus.currentlyAvailable) / 200) * 1000;
      await new Promise((r) => setTimeout(r, wait + 30));
      const recovered = await gql(sim, query);
      assert.equal(recovered.body.errors, undefined);
    } finally {
      await sim.close();
    }
  });

  test('a query above the single-query limit is refused like Shopify does', async () => {
    const sim = await startShopifySimulator({ data: generateShop({ seed: 't', orders: 3 }) });
    try {
      const { body } = await gql(sim, '{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }');
      assert.equal(body.errors[0].extensions.code, 'MAX_COST_EXCEEDED');
    } finally {
      await sim.close();
    }
  });
});

describe('Shopify simulator: auth and webhooks', () => {
  test('token exchange, expiring tokens and refresh-token rotation', async () => {
    let clock = Date.parse('2026-11-25T12:00:00Z');
    const sim = await startShopifySimulator({
      data: generateShop({ seed: 'a', orders: 2 }),
      clientId: 'app-key',
      appSecret: 'app-secret',
      now: () => clock,
    });
    try {
      const seconds = Math.floor(clock / 1000);
      const sessionToken = signSessionToken(
        {
          iss: `https://${sim.shopDomain}/admin`,
          dest: `https://${sim.shopDomain}`,
          aud: 'app-key',
          sub: '42',
          exp: seconds + 60,
          nbf: seconds - 5,
          iat: seconds - 5,
          jti: 'x',
          sid: 'y',
        },
        'app-secret',
      );
      const exchange = async (body: Json) => {
        const response = await fetch(`${sim.url}/admin/oauth/access_token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Json };
      };
      const base = {
        client_id: 'app-key',
        client_secret: 'app-secret',
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
      };
      const forged = await exchange({
        ...base,
        subject_token: signSessionToken(
          { aud: 'app-key', exp: seconds + 60, dest: `https://${sim.shopDomain}` },
          'wrong-secret',
        ),
      });
      assert.equal(forged.status, 400);
      assert.equal(forged.body.error, 'invalid_subject_token');
      const issued = await exchange({ ...base, subject_token: sessionToken, expiring: '1' });
      assert.equal(issued.status, 200);
      assert.equal(issued.body.expires_in, 3600);
      assert.ok(issued.body.refresh_token);
      assert.equal((await gql(sim, '{ shop { name } }', {}, issued.body.access_token)).status, 200);
      clock += 3_601_000;
      assert.equal((await gql(sim, '{ shop { name } }', {}, issued.body.access_token)).status, 401);
      const refreshed = await exchange({
        client_id: 'app-key',
        client_secret: 'app-secret',
        grant_type: 'refresh_token',
        refresh_token: issued.body.refresh_token,
      });
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.refresh_token, issued.body.refresh_token);
      assert.equal((await gql(sim, '{ shop { name } }', {}, refreshed.body.access_token)).status, 200);
      const reused = await exchange({
        client_id: 'app-key',
        client_secret: 'app-secret',
        grant_type: 'refresh_token',
        refresh_token: issued.body.refresh_token,
      });
      assert.equal(reused.body.error, 'invalid_grant');
    } finally {
      await sim.close();
    }
  });

  test('data changes send signed webhooks, retried after a failure, and the order is pulled again', async () => {
    const received: { headers: Json; body: string }[] = [];
    let failFirst = true;
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failFirst) {
          failFirst = false;
          res.writeHead(500).end();
          return;
        }
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    const sim = await startShopifySimulator({
      data: generateShop({ seed: 'w', orders: 20 }),
      appSecret: 'hook-secret',
      webhookUrl: `http://127.0.0.1:${port}/webhooks`,
      webhookRetryDelaysMs: [10, 10],
    });
    try {
      const target = sim.store.data.orders[3]!;
      const before = target.updatedAt;
      await sim.editOrder(target.id, (order: Order) => {
        order.displayFulfillmentStatus = 'FULFILLED';
      });
      await sim.webhooksSettled();
      assert.ok(target.updatedAt > before);
      const topics = received.map((r) => r.headers['x-shopify-topic']);
      assert.deepEqual(topics, ['orders/edited', 'orders/updated']);
      assert.equal(sim.deliveries[0]!.attempts, 2);
      for (const r of received) {
        const expected = createHmac('sha256', 'hook-secret').update(r.body).digest('base64');
        assert.equal(r.headers['x-shopify-hmac-sha256'], expected);
        assert.equal(r.headers['x-shopify-shop-domain'], sim.shopDomain);
        assert.equal(r.headers['x-shopify-api-version'], '2026-10');
        assert.ok(
          r.headers['x-shopify-webhook-id'] && r.headers['x-shopify-event-id'] && r.headers['x-shopify-triggered-at'],
        );
        assert.equal(JSON.parse(r.body).admin_graphql_api_id, target.id);
      }
      const { body } = await gql(sim, `{ orders(first: 5, query: "updated_at:>'${before}'") { nodes { id } } }`);
      assert.ok(body.data.orders.nodes.some((o: Json) => o.id === target.id));
      const bulk = await gql(
        sim,
        'mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }", groupObjects: false) { bulkOperation { id } } }',
      );
      const operationId = bulk.body.data.bulkOperationRunQuery.bulkOperation.id;
      await sim.webhooksSettled();
      const finish = received.find((r) => r.headers['x-shopify-topic'] === 'bulk_operations/finish')!;
      assert.deepEqual(JSON.parse(finish.body).admin_graphql_api_id, operationId);
      assert.equal(JSON.parse(finish.body).status, 'completed');
    } finally {
      await sim.close();
      receiver.close();
    }
  });
});

test('the sample document parses', () => {
  assert.ok(parse(readFileSync(SAMPLE, 'utf8')).definitions.length >= 3);
});
