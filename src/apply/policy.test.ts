import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalGuidFor } from '../domain/index.ts';
import {
  buildResponseDocument,
  parseResponseDocument,
  type QbxmlResponse,
  type ResponseInput,
} from '../qbxml/index.ts';
import {
  type DeliveryRequest,
  decide,
  disambiguatedName,
  identityQueryFor,
  MAX_ATTEMPTS,
  missingReferenceName,
  resolveFollowUp,
} from './policy.ts';

/** A response as QuickBooks writes it, read back through the real parser. */
function response(input: ResponseInput): QbxmlResponse {
  const parsed = parseResponseDocument(buildResponseDocument({ responses: [input] }));
  if (!parsed.ok) throw parsed.error;
  return parsed.value.responses[0]!;
}

const customer: DeliveryRequest = {
  key: 'customer:ada',
  type: 'CustomerAdd',
  body: { CustomerAdd: { Name: 'Ada Lovelace', ExternalGUID: externalGuidFor('customer:ada') } },
  attempts: 1,
};
const receipt: DeliveryRequest = {
  key: 'receipt:1001',
  type: 'SalesReceiptAdd',
  body: {
    SalesReceiptAdd: { TxnDate: '2026-03-01', RefNumber: '1001', ExternalGUID: externalGuidFor('receipt:1001') },
  },
  attempts: 1,
};
const failure = (statusCode: number, statusMessage: string, type: ResponseInput['type'] = 'CustomerAdd') =>
  response({ type, requestID: '1', statusCode, statusSeverity: 'Error', statusMessage });

test('success records the ListID or TxnID and the EditSequence', () => {
  const ok = response({
    type: 'CustomerAdd',
    requestID: '1',
    statusCode: 0,
    statusSeverity: 'Info',
    rets: [{ ListID: '80000001-1', EditSequence: '17', Name: 'Ada Lovelace', FullName: 'Ada Lovelace' }],
  });
  assert.deepEqual(decide(ok, customer), {
    action: 'applied',
    quickbooksId: '80000001-1',
    editSequence: '17',
    name: 'Ada Lovelace',
  });
});

test('3100: look the name up first; ours is adopted, someone else’s leads to a stable new name', () => {
  const decision = decide(failure(3100, 'The name "Ada Lovelace" of the list element is already in use.'), customer);
  assert.equal(decision.action, 'follow-up');
  if (decision.action !== 'follow-up') return;
  assert.deepEqual(decision.query, {
    purpose: 'name-in-use',
    type: 'CustomerQuery',
    body: { FullName: ['Ada Lovelace'] },
  });

  const found = (guid: string | undefined) =>
    response({
      type: 'CustomerQuery',
      requestID: 'F1',
      statusCode: 0,
      statusSeverity: 'Info',
      rets: [
        { ListID: '80000009-1', EditSequence: '3', Name: 'Ada Lovelace', ...(guid ? { ExternalGUID: guid } : {}) },
      ],
    });
  const adopted = resolveFollowUp(decision.query, found(externalGuidFor('customer:ada').toLowerCase()), customer);
  assert.deepEqual(adopted, { action: 'applied', quickbooksId: '80000009-1', editSequence: '3', name: 'Ada Lovelace' });

  const renamed = resolveFollowUp(decision.query, found(undefined), customer);
  assert.equal(renamed.action, 'resend');
  if (renamed.action !== 'resend') return;
  const name = (renamed.body.CustomerAdd as { Name: string }).Name;
  assert.match(name, /^Ada Lovelace \([0-9A-Z]{4}\)$/);
  assert.equal(resolveFollowUp(decision.query, found(undefined), customer).action, 'resend');
  assert.deepEqual(resolveFollowUp(decision.query, found(undefined), customer), renamed, 'deterministic');
});

test('disambiguated names stay within QuickBooks limits (41 for names, 31 for items)', () => {
  assert.equal(disambiguatedName('x'.repeat(41), 'k', 'CustomerAdd').length, 41);
  assert.equal(disambiguatedName('x'.repeat(40), 'k', 'ItemInventoryAdd').length, 31);
  assert.notEqual(disambiguatedName('Ada', 'k1', 'CustomerAdd'), disambiguatedName('Ada', 'k2', 'CustomerAdd'));
});

test('3200: re-read the EditSequence by id, then send the Mod again with it, once', () => {
  const mod: DeliveryRequest = {
    key: 'customer-mod:ada',
    type: 'CustomerMod',
    body: { CustomerMod: { ListID: '80000001-1', EditSequence: '5', Phone: '1' } },
    attempts: 1,
  };
  const decision = decide(failure(3200, 'The provided edit sequence "5" is out-of-date.', 'CustomerMod'), mod);
  assert.deepEqual(decision, {
    action: 'follow-up',
    query: { purpose: 'edit-sequence', type: 'CustomerQuery', body: { ListID: ['80000001-1'] } },
  });
  if (decision.action !== 'follow-up') return;
  const fresh = response({
    type: 'CustomerQuery',
    requestID: 'F1',
    statusCode: 0,
    statusSeverity: 'Info',
    rets: [{ ListID: '80000001-1', EditSequence: '9', Name: 'Ada' }],
  });
  assert.deepEqual(resolveFollowUp(decision.query, fresh, mod), {
    action: 'resend',
    body: { CustomerMod: { ListID: '80000001-1', EditSequence: '9', Phone: '1' } },
    statusCode: 3200,
  });
  // Sent again with the fresh EditSequence and out of date again: someone is editing it; the merchant is told.
  const again = decide(failure(3200, 'The provided edit sequence "9" is out-of-date. ', 'CustomerMod'), {
    ...mod,
    attempts: 2,
    resentAfterStatus: 3200,
  });
  assert.equal(again.action, 'needs-attention');
  assert.ok(
    again.action === 'needs-attention' &&
      again.error.merchantMustAct &&
      /keeps changing/.test(again.error.merchantMessage),
  );
  // A transaction Mod is re-read with its own query, by TxnID.
  const order = decide(failure(3200, 'The provided edit sequence "3" is out-of-date. ', 'SalesOrderMod'), {
    key: 'order/1/sales-order/close',
    type: 'SalesOrderMod',
    body: { SalesOrderMod: { TxnID: '1A-1', EditSequence: '3', IsManuallyClosed: true } },
    attempts: 1,
  });
  assert.deepEqual(order, {
    action: 'follow-up',
    query: { purpose: 'edit-sequence', type: 'SalesOrderQuery', body: { TxnID: ['1A-1'] } },
  });
});

test('3170/3175/3176/3180 back off and retry; past the attempt limit the merchant is asked', () => {
  for (const code of [3170, 3175, 3176, 3180]) {
    const decision = decide(failure(code, 'The record is in use.'), customer);
    assert.equal(decision.action, 'retry-later', String(code));
  }
  const exhausted = decide(failure(3175, 'in use'), { ...customer, attempts: MAX_ATTEMPTS });
  assert.equal(exhausted.action, 'needs-attention');
  if (exhausted.action === 'needs-attention') {
    assert.equal(exhausted.error.merchantMustAct, true);
    assert.match(exhausted.error.merchantMessage, new RegExp(`tried ${MAX_ATTEMPTS} times`));
  }
});

test('3140: wait when the missing record is the connector’s own, else needs attention naming it', () => {
  const message = 'There is an invalid reference to QuickBooks Customer "Bob" in the Sales Receipt.';
  assert.equal(missingReferenceName(message), 'Bob');
  const owned = decide(failure(3140, message, 'SalesReceiptAdd'), receipt, (name) => name === 'Bob');
  assert.equal(owned.action, 'wait-for-reference');
  const foreign = decide(failure(3140, message, 'SalesReceiptAdd'), receipt, () => false);
  assert.equal(foreign.action, 'needs-attention');
  if (foreign.action === 'needs-attention') {
    assert.equal(foreign.error.qbStatusCode, 3140);
    assert.equal(foreign.error.merchantMustAct, true);
  }
});

test('3070 and other merchant-fixable errors need attention with QuickBooks’ words in the message', () => {
  const decision = decide(failure(3070, 'The string "Ada…" in the field "Name" is too long.'), customer);
  assert.equal(decision.action, 'needs-attention');
  if (decision.action === 'needs-attention') {
    assert.equal(decision.error.merchantMustAct, true);
    assert.ok(decision.error.merchantMessage.length > 20);
  }
});

test('identity: a transaction is looked up by RefNumber and adopted only with our ExternalGUID', () => {
  const query = identityQueryFor(receipt);
  assert.deepEqual(query, { purpose: 'identity', type: 'SalesReceiptQuery', body: { RefNumber: ['1001'] } });
  const answer = (guid: string) =>
    response({
      type: 'SalesReceiptQuery',
      requestID: 'F1',
      statusCode: 0,
      statusSeverity: 'Info',
      rets: [{ TxnID: 'T-1', EditSequence: '1', RefNumber: '1001', TxnDate: '2026-03-01', ExternalGUID: guid }],
    });
  assert.equal(resolveFollowUp(query!, answer(externalGuidFor('receipt:1001')), receipt).action, 'applied');
  assert.equal(resolveFollowUp(query!, answer(externalGuidFor('someone-else')), receipt).action, 'resend');
  const none = response({ type: 'SalesReceiptQuery', requestID: 'F1', statusCode: 1, statusSeverity: 'Info' });
  assert.equal(resolveFollowUp(query!, none, receipt).action, 'resend');
});

test('an item receipt is a transaction: looked up by its RefNumber (not as an item by a name it has not got)', () => {
  const itemReceipt: DeliveryRequest = {
    key: 'summary/receipts/2025-01-12',
    type: 'ItemReceiptAdd',
    body: {
      ItemReceiptAdd: {
        TxnDate: '2025-01-12',
        RefNumber: 'RC250112',
        ExternalGUID: externalGuidFor('summary/receipts/2025-01-12'),
      },
    },
    attempts: 1,
  };
  // Without a query an unanswered add would be sent again blindly: a second receipt in QuickBooks.
  assert.deepEqual(identityQueryFor(itemReceipt), {
    purpose: 'identity',
    type: 'ItemReceiptQuery',
    body: { RefNumber: ['RC250112'] },
  });
});

test('3120 on a TxnDel: the transaction is already gone (a lost answer sent again, or deleted by hand), so done', () => {
  const removal: DeliveryRequest = {
    key: 'order/1001/sales-order/edit/1/remove',
    type: 'TxnDel',
    body: { TxnDelType: 'SalesOrder', TxnID: '1A-123' },
    attempts: 2,
  };
  const gone = failure(3120, 'Object "1A-123" specified in the request cannot be found.', 'TxnDel');
  assert.deepEqual(decide(gone, removal), { action: 'applied', quickbooksId: '', editSequence: null, name: null });
  // Any other request that names a record QuickBooks cannot find still goes to the merchant.
  const modGone = failure(3120, 'Object "80000001-1" specified in the request cannot be found.', 'CustomerMod');
  const mod: DeliveryRequest = { ...customer, type: 'CustomerMod', body: { CustomerMod: { ListID: '80000001-1' } } };
  assert.equal(decide(modGone, mod).action, 'needs-attention');
});

test('3231 (skipped after an earlier error under stopOnError) goes again, never to the merchant until attempts run out', () => {
  const skipped = failure(3231, 'The request has not been processed.', 'SalesReceiptAdd');
  const first = decide(skipped, receipt);
  assert.equal(first.action, 'retry-later');
  assert.ok(first.action === 'retry-later' && first.error.retryable && !first.error.merchantMustAct);
  const last = decide(skipped, { ...receipt, attempts: MAX_ATTEMPTS });
  assert.equal(last.action, 'needs-attention');
});

test('3090 (a colon in a name) needs the merchant, in plain words', () => {
  const decision = decide(failure(3090, 'There is an invalid character ":" in the name "A:B".'), customer);
  assert.equal(decision.action, 'needs-attention');
  assert.ok(decision.action === 'needs-attention' && decision.error.code === 'QB_INVALID_STRING');
  assert.ok(decision.action === 'needs-attention' && /colon/.test(decision.error.merchantMessage));
});

test('a line-ids read keeps the lines of the order it asked for, and only those; an order QuickBooks no longer has needs attention', () => {
  const read: DeliveryRequest = {
    key: 'purchase-order/3/line-ids',
    type: 'PurchaseOrderQuery',
    body: { TxnID: ['1A30-1715000000'], IncludeLineItems: true },
    attempts: 1,
  };
  const order = (txnId: string) =>
    response({
      type: 'PurchaseOrderQuery',
      requestID: '1',
      statusCode: 0,
      statusSeverity: 'Info',
      statusMessage: 'Status OK',
      rets: [
        {
          TxnID: txnId,
          EditSequence: '4',
          PurchaseOrderLineRet: [{ TxnLineID: '1A31-1715000000' }, { TxnLineID: '1A32-1715000000' }],
        },
      ],
    });
  // No id of its own: a read adds nothing, and the order's TxnID belongs to the order's own Add.
  assert.deepEqual(decide(order('1A30-1715000000'), read), {
    action: 'applied',
    quickbooksId: '',
    editSequence: null,
    name: null,
    lineIds: ['1A31-1715000000', '1A32-1715000000'],
    linesOf: 'purchase-order/3',
  });
  const other = decide(order('1B00-1715000000'), read);
  assert.equal(other.action, 'needs-attention');
  const gone = decide(
    response({
      type: 'PurchaseOrderQuery',
      requestID: '1',
      statusCode: 1,
      statusSeverity: 'Info',
      statusMessage: 'A query request did not find a matching object in QuickBooks',
    }),
    read,
  );
  assert.equal(gone.action, 'needs-attention');
  assert.equal(gone.action === 'needs-attention' && gone.error.code, 'QB_ORDER_LINES_MISSING');
});
