import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORIES, proposeAccountMapping, type QuickBooksAccount, validateAccountMapping } from './accounts.ts';

const EXISTING: QuickBooksAccount[] = [
  { fullName: 'Checking', type: 'Bank' },
  { fullName: 'Accounts Receivable', type: 'AccountsReceivable' },
  { fullName: 'Accounts Payable', type: 'AccountsPayable' },
  { fullName: 'Sales', type: 'Income' },
  { fullName: 'Cost of Goods Sold', type: 'CostOfGoodsSold' },
  // The right name with the wrong type must not be adopted.
  { fullName: 'Shipping Income', type: 'Expense' },
  { fullName: 'Inventory Asset', type: 'OtherCurrentAsset' },
];

describe('default account mapping', () => {
  it('adopts existing accounts by name and type and proposes the rest', () => {
    const { mapping, toCreate } = proposeAccountMapping(EXISTING);
    assert.equal(mapping.productSales, 'Sales');
    assert.equal(mapping.payoutBank, 'Checking');
    assert.equal(mapping.accountsReceivable, 'Accounts Receivable');
    assert.equal(mapping.costOfGoodsSold, 'Cost of Goods Sold');
    // "Shipping Income" exists as an Expense account: a new Income account is proposed instead (same name is
    // impossible in QuickBooks, so the proposal is checked by type, and validation would flag the clash).
    const shipping = toCreate.find((p) => p.category === 'shippingIncome');
    assert.deepEqual(shipping && [shipping.type], ['Income']);
    const redeemed = toCreate.find((p) => p.category === 'giftCardClearing');
    assert.deepEqual(redeemed, {
      category: 'giftCardClearing',
      name: 'Gift Cards Redeemed',
      fullName: 'Gift Card Liability:Gift Cards Redeemed',
      parentFullName: 'Gift Card Liability',
      type: 'OtherCurrentLiability',
    });
    for (const proposal of toCreate) assert.ok(proposal.name.length <= 31, proposal.name);
    assert.equal(new Set(Object.values(mapping).map((n) => n.toLowerCase())).size, CATEGORIES.length);
  });

  it('is deterministic whatever order QuickBooks lists the accounts in', () => {
    assert.deepEqual(proposeAccountMapping([...EXISTING].reverse()), proposeAccountMapping(EXISTING));
  });
});

describe('account mapping validation', () => {
  it('accepts the default mapping with its proposals', () => {
    const { mapping, toCreate } = proposeAccountMapping([]);
    assert.equal(validateAccountMapping(mapping, [], toCreate).ok, true);
  });

  it('lists every problem in plain words: unmapped, unknown, wrong type, shared', () => {
    const { mapping, toCreate } = proposeAccountMapping(EXISTING);
    const broken = {
      ...mapping,
      tips: '',
      payoutBank: 'Savings',
      returns: 'Checking',
      discounts: mapping.productSales,
    };
    const result = validateAccountMapping(broken, EXISTING, toCreate);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'ACCOUNT_MAPPING_INVALID');
    assert.equal(result.error.merchantMustAct, true);
    const problems = (result.error.details.problems as { category: string; problem: string }[]).map(
      (p) => `${p.category}:${p.problem}`,
    );
    assert.deepEqual(problems.sort(), [
      'discounts:shared-account',
      'payoutBank:missing-account',
      'returns:wrong-type',
      'tips:unmapped',
    ]);
    assert.match(
      result.error.merchantMessage,
      /"Returns" is mapped to "Checking", a Bank account; it must be Income\./,
    );
    assert.match(result.error.merchantMessage, /Choose a QuickBooks account for "Tips"/);
  });
});
