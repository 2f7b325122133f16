import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Modes } from './documents.ts';
import { checkListLimits, detailedVerdicts, type ListCounts, projectLists } from './list-limits.ts';

const DETAILED: Modes = { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' };

function counts(edition: ListCounts['edition'], customers: number, variants: number): ListCounts {
  return {
    edition,
    quickbooks: { names: 1200, customers: 900, vendors: 300, items: 400 },
    shopify: { customers, variants, suppliers: 40, productTypes: 12, locations: 3, gateways: 4 },
  };
}

describe('the 14,500 rule', () => {
  it('projects what Detailed would create', () => {
    assert.deepEqual(projectLists(counts('pro', 5000, 2000), DETAILED), {
      names: 1200 + 5000 + 4 + 41,
      customers: 900 + 5004,
      vendors: 300 + 41,
      items: 400 + 2001 + 6 + 4,
    });
  });

  it('allows Detailed when the lists fit, and always on Enterprise', () => {
    assert.deepEqual(checkListLimits(counts('premier', 5000, 2000), DETAILED), { ok: true, value: DETAILED });
    assert.equal(checkListLimits(counts('enterprise', 500_000, 200_000), DETAILED).ok, true);
  });

  it('refuses Detailed customers on Pro past 14,500 names, with the numbers and why', () => {
    const result = checkListLimits(counts('pro', 14_000, 2000), DETAILED);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'QB_LIST_LIMIT_DETAILED_REFUSED');
    assert.equal(result.error.merchantMustAct, true);
    assert.match(result.error.merchantMessage, /14,000 customers/);
    assert.match(result.error.merchantMessage, /QuickBooks Pro holds at most 14,500 names/);
    assert.match(result.error.merchantMessage, /Choose Summary mode for Customers/);
    assert.deepEqual(result.error.details.allowedModes, { ...DETAILED, customers: 'summary' });
  });

  it('refuses Detailed inventory past 14,500 items and the one list past 10,500 customers', () => {
    const items = checkListLimits(counts('premier', 100, 14_200), DETAILED);
    assert.ok(!items.ok && (items.error.details.allowedModes as Modes).inventory === 'summary');
    assert.match(items.ok ? '' : items.error.merchantMessage, /14,200 items/);
    const oneList = checkListLimits(counts('pro', 10_000, 10), DETAILED);
    assert.ok(!oneList.ok && (oneList.error.details.allowedModes as Modes).customers === 'summary');
  });

  it('gives each list its Detailed numbers and verdict before saving, as saving would decide', () => {
    const SUMMARY: Modes = { customers: 'summary', inventory: 'summary', vendors: 'summary' };
    const big = counts('premier', 10_600, 2000);
    const verdicts = detailedVerdicts(big, SUMMARY);
    assert.deepEqual(verdicts.customers, {
      creates: 10_600,
      projected: 900 + 10_600 + 3 + 1,
      projectedNames: 1200 + 10_600 + 3 + 1 + 1,
      limit: 14_500,
      listLimit: 10_500,
      allowed: false,
    });
    assert.deepEqual(verdicts.inventory, {
      creates: 2000,
      projected: 400 + 2001 + 6 + 4,
      projectedNames: null,
      limit: 14_500,
      listLimit: null,
      allowed: true,
    });
    assert.equal(verdicts.vendors.allowed, true);
    assert.equal(verdicts.vendors.creates, 40);
    // Each verdict is checkListLimits' own answer for Detailed in that list.
    for (const list of ['customers', 'inventory', 'vendors'] as const) {
      assert.equal(verdicts[list].allowed, checkListLimits(big, { ...SUMMARY, [list]: 'detailed' }).ok);
    }
  });

  it('lets customers and vendors share the name limit: the one chosen first keeps Detailed', () => {
    // 9,000 customers fit, and 5,000 suppliers fit alone, but not both (names past 14,500).
    const shared: ListCounts = {
      ...counts('pro', 9000, 10),
      shopify: { ...counts('pro', 9000, 10).shopify, suppliers: 5000 },
    };
    const chosen: Modes = { customers: 'detailed', inventory: 'summary', vendors: 'summary' };
    const verdicts = detailedVerdicts(shared, chosen);
    assert.equal(verdicts.customers.allowed, true);
    assert.equal(verdicts.vendors.allowed, false);
    assert.equal(verdicts.vendors.projectedNames, 1200 + 9000 + 3 + 1 + 5001);
    assert.equal(detailedVerdicts(shared, { ...chosen, customers: 'summary' }).vendors.allowed, true);
  });

  it('has no limit on Enterprise', () => {
    const verdicts = detailedVerdicts(counts('enterprise', 500_000, 200_000), DETAILED);
    assert.equal(verdicts.customers.allowed && verdicts.inventory.allowed && verdicts.vendors.allowed, true);
    assert.equal(verdicts.customers.limit, null);
    assert.equal(verdicts.customers.listLimit, null);
  });
});
