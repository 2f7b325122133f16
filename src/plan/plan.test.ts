import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { externalGuidFor } from '../domain/index.ts';
import { buildRequestDocument, type QbxmlRequest } from '../qbxml/index.ts';
import { validateWithXsd } from '../qbxml/xsd.test-support.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import { proposeAccountMapping, transform } from '../transform/index.ts';
import { outboxInputs, type PlannedRequest, planRequests, removalInput, toQbxmlRequest } from './plan.ts';
import { resolveTxnIdReferences } from './references.ts';

function planFor(mode: 'summary' | 'detailed', profile: 'us' | 'gb' | 'ca' | 'au'): PlannedRequest[] {
  const shop = generateShop({ seed: 42, orders: 250, profile });
  const { mapping, toCreate } = proposeAccountMapping([]);
  const result = transform(shop, {
    modes: { customers: mode, inventory: mode, vendors: mode },
    useClasses: true,
    startDate: null,
    accountsToCreate: toCreate,
  });
  return planRequests(result.lists, result.documents, mapping);
}

describe('plan', () => {
  const plans = {
    detailed: planFor('detailed', 'us'),
    summary: planFor('summary', 'gb'),
  };

  it('every planned request builds into a document that validates against Intuit’s qbXML 13.0 schema', async () => {
    const documents: string[] = [];
    const keys: string[] = [];
    for (const planned of [
      ...plans.detailed,
      ...plans.summary,
      ...planFor('detailed', 'ca'),
      ...planFor('summary', 'au'),
    ]) {
      // References to other documents' TxnIDs and TxnLineIDs are filled in at send time; any TxnID-shaped value
      // stands in here.
      const resolved = resolveTxnIdReferences(
        planned.body,
        () => '1A2B-1234567890',
        { key: planned.key, type: planned.message },
        () => '1A2C-1234567890',
      );
      assert.ok(resolved.ok);
      const request = toQbxmlRequest({ ...planned, body: resolved.value }, '1');
      const built = buildRequestDocument({ requests: [request], onError: 'stopOnError' });
      assert.ok(built.ok, `${planned.key}: ${built.ok ? '' : built.error.message}`);
      documents.push(built.value.xml);
      keys.push(planned.key);
    }
    const messages = new Set([...plans.detailed, ...plans.summary].map((p) => p.message));
    for (const message of [
      'SalesReceiptAdd',
      'InvoiceAdd',
      'CreditMemoAdd',
      'SalesOrderAdd',
      'ReceivePaymentAdd',
      'JournalEntryAdd',
      'DepositAdd',
      'PurchaseOrderAdd',
      'ItemReceiptAdd',
      'AccountAdd',
      'ItemNonInventoryAdd',
      'ItemOtherChargeAdd',
      'CustomerAdd',
      'VendorAdd',
      'PaymentMethodAdd',
      'ClassAdd',
    ]) {
      assert.ok(messages.has(message as PlannedRequest['message']), `plans include ${message}`);
    }
    const errors = await validateWithXsd(documents);
    const invalid = errors.map((e, i) => [keys[i], e] as const).filter(([, e]) => e.length > 0);
    assert.deepEqual(invalid.slice(0, 3), []);
  });

  it('list records come before the transactions that use them; every dependency is planned', () => {
    for (const plan of Object.values(plans)) {
      const byKey = new Map(plan.map((p) => [p.key, p]));
      assert.equal(byKey.size, plan.length, 'keys are unique');
      for (const request of plan) {
        for (const dependency of request.dependsOn) {
          const target = byKey.get(dependency);
          assert.ok(target, `${request.key} depends on unplanned ${dependency}`);
          assert.ok(
            target.priority >= request.priority,
            `${dependency} (${target.priority}) before ${request.key} (${request.priority})`,
          );
        }
      }
      const receipt = plan.find((p) => p.message === 'SalesReceiptAdd')!;
      assert.ok(receipt.dependsOn.some((k) => k.startsWith('customer/')));
      assert.ok(receipt.dependsOn.some((k) => k.startsWith('item/')));
      assert.ok(receipt.dependsOn.includes('account/productSales'));
    }
  });

  it('every add carries ExternalGUID = externalGuidFor(key) where the schema has the field', () => {
    for (const request of plans.detailed) {
      assert.equal(request.externalGuid, externalGuidFor(request.key));
      const body = Object.values(request.body as Record<string, Record<string, unknown>>)[0]!;
      if (['AccountAdd', 'PaymentMethodAdd', 'ClassAdd'].includes(request.message)) continue;
      assert.equal(body.ExternalGUID, externalGuidFor(request.key), request.key);
    }
  });

  it('returned goods keep their product item and post to the returns account', () => {
    const { mapping } = proposeAccountMapping([]);
    const refund = plans.detailed.find((p) => p.key.startsWith('refund/') && p.message === 'SalesReceiptAdd')!;
    const lines = (refund.body as { SalesReceiptAdd: { SalesReceiptLineAdd: Record<string, unknown>[] } })
      .SalesReceiptAdd.SalesReceiptLineAdd;
    const returned = lines.find((l) => l.OverrideItemAccountRef !== undefined)!;
    assert.deepEqual(returned.OverrideItemAccountRef, { FullName: mapping.returns });
    assert.ok(String(returned.Amount).startsWith('-'));
  });

  it('adopts payment methods and classes QuickBooks already has instead of adding them again', () => {
    const shop = generateShop({ seed: 1, orders: 20, profile: 'us' });
    const { mapping, toCreate } = proposeAccountMapping([]);
    const result = transform(shop, {
      modes: { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' },
      useClasses: true,
      startDate: null,
      accountsToCreate: toCreate,
    });
    const cash = result.lists.find((l) => l.key === 'payment-method/cash')!;
    const plan = planRequests(result.lists, result.documents, mapping, {
      existingNames: { paymentMethods: [cash.name.toUpperCase()] },
    });
    assert.ok(!plan.some((p) => p.key === 'payment-method/cash'));
    assert.ok(!plan.some((p) => p.dependsOn.includes('payment-method/cash')));
  });

  it('becomes outbox entries with the same key, dependencies and priority', () => {
    const inputs = outboxInputs(plans.detailed, 'company-1', 'run-7');
    const receipt = inputs.find((i) => i.key.startsWith('order/') && i.request.type === 'SalesReceiptAdd')!;
    const planned = plans.detailed.find((p) => p.key === receipt.key)!;
    assert.deepEqual(receipt.source, { kind: 'order', id: receipt.key });
    assert.deepEqual(
      [receipt.companyFileId, receipt.syncRunId, receipt.dependencies, receipt.priority],
      ['company-1', 'run-7', planned.dependsOn, planned.priority],
    );
    // Stored as JSON: Money leaves as decimal strings.
    assert.deepEqual(JSON.parse(JSON.stringify(receipt.request.body)), receipt.request.body);
    const line = (receipt.request.body as { SalesReceiptAdd: { SalesReceiptLineAdd: { Amount: unknown }[] } })
      .SalesReceiptAdd.SalesReceiptLineAdd[0]!;
    assert.match(String(line.Amount), /^-?\d+\.\d\d$/);
  });

  it('closes a posted sales order (SalesOrderMod IsManuallyClosed) and deletes a deposit, by the TxnID QuickBooks gave it', async () => {
    const order = removalInput(
      'company-1',
      'order/7/sales-order',
      { type: 'SalesOrder', txnId: '1A-1700000000', editSequence: '1700000000' },
      2,
    );
    // Without its EditSequence a sales order cannot be changed: it is deleted, as before.
    const unknown = removalInput('company-1', 'order/8/sales-order', { type: 'SalesOrder', txnId: '1C-1700000002' }, 1);
    const payment = removalInput(
      'company-1',
      'summary/5/2025-03-10/deposits/cash',
      { type: 'ReceivePayment', txnId: '2B-1700000001' },
      1,
    );
    assert.deepEqual(order, {
      companyFileId: 'company-1',
      key: 'order/7/sales-order/edit/2/remove',
      kind: 'sales-order-close',
      request: {
        type: 'SalesOrderMod',
        body: { SalesOrderMod: { TxnID: '1A-1700000000', EditSequence: '1700000000', IsManuallyClosed: true } },
      },
      priority: 0,
      source: { kind: 'order', id: 'order/7/sales-order' },
    });
    assert.equal(payment.key, 'summary/5/2025-03-10/deposits/cash/edit/1/remove');
    assert.equal(payment.kind, 'payment-removal');
    assert.equal(unknown.kind, 'sales-order-removal');
    assert.deepEqual(unknown.request.body, { TxnDelType: 'SalesOrder', TxnID: '1C-1700000002' });
    const built = [order, payment, unknown].map((input) => {
      // As the delivery sends an outbox entry: its stored request under the type it names.
      const request = { type: input.request.type, requestID: '1', body: input.request.body } as QbxmlRequest;
      const document = buildRequestDocument({ requests: [request], onError: 'stopOnError' });
      assert.ok(document.ok, document.ok ? '' : document.error.message);
      return document.value.xml;
    });
    assert.match(
      built[0]!,
      /<SalesOrderModRq[^>]*>\s*<SalesOrderMod>\s*<TxnID>1A-1700000000<\/TxnID>\s*<EditSequence>1700000000<\/EditSequence>\s*<IsManuallyClosed>true<\/IsManuallyClosed>/,
    );
    assert.match(built[1]!, /<TxnDelType>ReceivePayment<\/TxnDelType>\s*<TxnID>2B-1700000001<\/TxnID>/);
    assert.deepEqual(
      (await validateWithXsd(built)).filter((e) => e.length > 0),
      [],
    );
  });
});
