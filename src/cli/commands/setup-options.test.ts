/**
 * `setup options --show` and the 14,500 rule: for a shop with more customers than QuickBooks Premier holds in one
 * name list, the projection GET /setup/list-projection gives is printed in numbers, Detailed customers said not
 * to fit, the lists that fit said to fit — before anything is saved.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from '../../e2e/harness.test-support.ts';
import { withManyCustomers } from '../../e2e/many-customers.test-support.ts';
import { cli } from '../cli.test-support.ts';

test('setup options --show prints the 14,500 projection in numbers when Detailed would not fit', async (t) => {
  const h = await startHarness(t, { orders: 8, seed: 'cli-projection', prepareData: withManyCustomers });
  const shop = ['--shop', h.shop.domain];
  await h.issueToken();
  assert.equal((await h.session()).outcome, 'completed');
  assert.equal((await cli(['setup', 'sales-tax-check', ...shop], h.env, { cwd: h.dir })).code, 0);

  const show = await cli(['setup', 'options', ...shop, '--show'], h.env, { cwd: h.dir });
  assert.equal(show.code, 0, show.stderr);

  // The same numbers the app's settings step shows, from the same endpoint.
  const projection = await h.app.setup.listProjection(h.shop.domain, {
    customers: 'summary',
    inventory: 'summary',
    vendors: 'summary',
  });
  assert.ok(projection.ok);
  const customers = projection.value.lists.customers;
  assert.equal(customers.allowed, false, 'the shop is too large for Detailed customers');
  assert.equal(customers.creates, h.data.customers.length);
  const n = (value: number) => value.toLocaleString('en-US');
  assert.match(show.stdout, /Detailed mode against the 14,500 rule/);
  assert.ok(
    show.stdout.includes(
      `customers  Detailed does not fit: it creates ${n(customers.creates)} customers (one per Shopify customer). QuickBooks would hold ${n(customers.projected)} customers and ${n(customers.projectedNames!)} names in all; QuickBooks Premier holds at most 14,500 names, 10,500 in any one list. Keep --customers summary.`,
    ),
    show.stdout,
  );
  assert.match(
    show.stdout,
    new RegExp(
      `inventory {2}Detailed fits: ${n(projection.value.lists.inventory.projected)} items after the first sync`,
    ),
  );
  assert.match(show.stdout, /vendors {4}Detailed fits: \d+ vendors/);

  // What --show printed is what saving then answers: Detailed customers refused, nothing saved.
  const refused = await cli(['setup', 'options', ...shop, '--customers', 'detailed'], h.env, { cwd: h.dir });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Detailed mode for Customers would create 10,6\d\d customers/);
});
