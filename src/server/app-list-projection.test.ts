/**
 * GET /api/shops/:shop/setup/list-projection over real HTTP on the simulators: the 14,500 rule in numbers for the
 * choices on screen, before saving — counted from what the extract read of Shopify and the lists the setup read
 * from QuickBooks — and never to anyone but the shop itself (or the operator).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_KEY, APP_SECRET, startHarness } from '../e2e/harness.test-support.ts';
import { signSessionToken } from '../simulators/shopify/index.ts';

function sessionToken(shop: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signSessionToken(
    {
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: APP_KEY,
      sub: '1',
      exp: now + 60,
      nbf: now - 5,
      iat: now,
      jti: `${shop}-${now}-${Math.random()}`,
      sid: 'session',
    },
    APP_SECRET,
  );
}

interface Verdict {
  creates: number;
  projected: number;
  projectedNames: number | null;
  limit: number | null;
  listLimit: number | null;
  allowed: boolean;
}
interface Projection {
  edition: string;
  limits: { names: number; namesPerList: number; items: number } | null;
  quickbooks: { names: number; customers: number; vendors: number; items: number };
  shopify: { customers: number; variants: number; suppliers: number };
  lists: Record<'customers' | 'inventory' | 'vendors', Verdict>;
  modes: Record<string, string>;
  projection: { names: number; customers: number; vendors: number; items: number };
  fits: boolean;
}

async function json<T>(response: Response, status = 200): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  test(`the list projection: Shopify’s counts on the company file’s lists, per list, for the choices asked (${engine})`, async (t) => {
    const h = await startHarness(t, { engine, orders: 12, seed: 'list-projection' });
    const path = `/api/shops/${h.shop.domain}/setup/list-projection`;
    // Before the company file has been read there is nothing to count on: said, not guessed.
    assert.equal((await h.api(path)).status, 409);

    await h.setupThroughOptions();
    const body = await json<Projection>(await h.api(`${path}?customers=detailed`));
    const variants = h.data.products.reduce((n, p) => n + p.variants.length, 0);
    assert.equal(body.edition, 'premier');
    assert.deepEqual(body.limits, { names: 14_500, namesPerList: 10_500, items: 14_500 });
    assert.equal(body.shopify.customers, h.data.customers.length);
    assert.equal(body.shopify.variants, variants);
    assert.deepEqual(body.modes, { customers: 'detailed', inventory: 'summary', vendors: 'summary' });
    // What the company file holds now, as QuickBooks itself counts it.
    const inBooks = h.withCompany((company) => {
      const count = (query: string) => {
        const xml = `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><${query} requestID="1"/></QBXMLMsgsRq></QBXML>`;
        company.open('');
        const result = company.processRequest(xml);
        assert.ok(result.ok);
        return (result.responseXml.match(/<ListID>/g) ?? []).length;
      };
      return { customers: count('CustomerQueryRq'), vendors: count('VendorQueryRq') };
    });
    // The setup read the lists before the connector added anything; nothing has been synced yet.
    assert.equal(body.quickbooks.customers, inBooks.customers);
    assert.equal(body.quickbooks.vendors, inBooks.vendors);
    const customers = body.lists.customers;
    assert.equal(customers.creates, h.data.customers.length);
    assert.equal(customers.projected, body.projection.customers);
    assert.equal(customers.projectedNames, body.projection.names);
    assert.ok(customers.projected > body.quickbooks.customers + h.data.customers.length - 1);
    assert.equal(customers.limit, 14_500);
    assert.equal(customers.listLimit, 10_500);
    assert.equal(customers.allowed, true);
    assert.equal(body.lists.inventory.creates, variants);
    assert.equal(body.lists.inventory.limit, 14_500);
    assert.equal(body.lists.inventory.listLimit, null);
    assert.equal(body.fits, true);

    // Another choice is another projection; Summary is the default for lists not named.
    const summary = await json<Projection>(await h.api(path));
    assert.ok(summary.projection.customers < body.projection.customers);
    assert.deepEqual(
      summary.lists.customers,
      body.lists.customers,
      'a list’s Detailed numbers are the same whatever it is set to',
    );
    // Vendors share the name limit with customers: their names in all count the customers as chosen.
    assert.ok(summary.lists.vendors.projectedNames! < body.lists.vendors.projectedNames!);

    const bad = await json<{ error: { code: string; message: string } }>(
      await h.api(`${path}?inventory=everything`),
      400,
    );
    assert.equal(bad.error.code, 'API_BAD_MODES');
    assert.match(bad.error.message, /inventory=everything/);
  });
}

test('one shop never sees another’s projection: a session token reads its own shop only', async (t) => {
  const h = await startHarness(t, { orders: 6, seed: 'list-projection-shops' });
  await h.setupThroughOptions();
  const other = 'other-shop.myshopify.com';
  const registered = await h.app.setup.registerShop({
    domain: other,
    name: 'Other',
    currency: 'SEK',
    timeZone: 'Europe/Stockholm',
  });
  assert.ok(registered.ok);
  const path = (shop: string) => `/api/shops/${shop}/setup/list-projection?customers=detailed`;

  // The shop's own session token, and the operator, read its numbers.
  const own = await json<Projection>(await h.api(path(h.shop.domain), { token: sessionToken(h.shop.domain) }));
  assert.equal(own.shopify.customers, h.data.customers.length);
  await json<Projection>(await h.api(path(h.shop.domain)));

  // The other shop's token is refused for this shop's numbers, and its answer carries none of them.
  const crossed = await h.api(path(h.shop.domain), { token: sessionToken(other) });
  const crossedText = await crossed.text();
  assert.equal(crossed.status, 401, crossedText);
  assert.doesNotMatch(crossedText, /"creates"|"quickbooks"|"shopify"/);
  // Its own path answers about itself: not set up, so nothing to count — never the first shop's lists.
  const itself = await h.api(path(other), { token: sessionToken(other) });
  const itselfText = await itself.text();
  assert.equal(itself.status, 409, itselfText);
  assert.doesNotMatch(itselfText, /"creates"|"projection"/);
  // No credentials, a forged token, a token for a shop in the path's other case: refused.
  assert.equal((await h.api(path(h.shop.domain), { token: null })).status, 401);
  assert.equal((await h.api(path(h.shop.domain), { token: 'forged' })).status, 401);
  assert.equal((await h.api(path(other.toUpperCase()), { token: sessionToken(h.shop.domain) })).status, 401);
});
