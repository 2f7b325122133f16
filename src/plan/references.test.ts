import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTxnIdReference, referencedKeys, resolveTxnIdReferences, txnIdOf } from './references.ts';

const receipt = {
  ItemReceiptAdd: {
    VendorRef: { FullName: 'Mugs Ltd' },
    LinkToTxnID: [txnIdOf('purchase-order/3'), txnIdOf('purchase-order/4')],
    ItemLineAdd: [{ ItemRef: { FullName: 'Mug' }, LinkToTxn: { TxnID: txnIdOf('purchase-order/3'), TxnLineID: '9' } }],
    ExpenseLineAdd: [{ AccountRef: { FullName: 'Freight' }, Amount: '5.00' }],
  },
};

describe('TxnID references', () => {
  it('lists the keys a body refers to, once each, wherever they sit', () => {
    assert.deepEqual(referencedKeys(receipt), ['purchase-order/3', 'purchase-order/4']);
    assert.deepEqual(referencedKeys({ CustomerAdd: { Name: 'Ada', Notes: '$txnIdOf' } }), []);
  });

  it('only an object with the one $txnIdOf string is a reference', () => {
    assert.ok(isTxnIdReference({ $txnIdOf: 'a' }));
    assert.ok(!isTxnIdReference({ $txnIdOf: 'a', FullName: 'b' }));
    assert.ok(!isTxnIdReference({ $txnIdOf: 7 }));
    assert.ok(!isTxnIdReference(['a']));
    assert.ok(!isTxnIdReference(null));
  });

  it('fills in every reference with the TxnID of its key and leaves the planned body as it was', () => {
    const ids = new Map([
      ['purchase-order/3', '1F-1700000001'],
      ['purchase-order/4', '20-1700000002'],
    ]);
    const before = JSON.stringify(receipt);
    const resolved = resolveTxnIdReferences(receipt, (key) => ids.get(key));
    assert.ok(resolved.ok);
    assert.deepEqual(resolved.value.ItemReceiptAdd.LinkToTxnID, ['1F-1700000001', '20-1700000002']);
    assert.deepEqual(resolved.value.ItemReceiptAdd.ItemLineAdd[0]!.LinkToTxn, {
      TxnID: '1F-1700000001',
      TxnLineID: '9',
    });
    assert.equal(JSON.stringify(receipt), before);
    // Untouched parts are shared, not copied.
    assert.equal(resolved.value.ItemReceiptAdd.ExpenseLineAdd, receipt.ItemReceiptAdd.ExpenseLineAdd);
    const plain = { CustomerAdd: { Name: 'Ada' } };
    const same = resolveTxnIdReferences(plain, () => null);
    assert.ok(same.ok);
    assert.equal(same.value, plain);
  });

  it('a key without a TxnID (not applied, or applied without one) is an error naming it; nothing is half-filled', () => {
    const resolved = resolveTxnIdReferences(receipt, (key) => (key === 'purchase-order/3' ? '1F-1700000001' : ''), {
      key: 'receipt/9',
      type: 'ItemReceiptAdd',
    });
    assert.ok(!resolved.ok);
    assert.equal(resolved.error.code, 'PLAN_REFERENCE_NOT_APPLIED');
    assert.deepEqual(resolved.error.details, { key: 'receipt/9', notApplied: ['purchase-order/4'] });
    assert.match(resolved.error.message, /ItemReceiptAdd for receipt\/9 .* purchase-order\/4/);
    assert.match(resolved.error.merchantMessage, /not sent/);
    assert.equal(resolved.error.retryable, false);
  });
});
