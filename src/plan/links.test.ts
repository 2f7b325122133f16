import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequestDocument } from '../qbxml/index.ts';
import { validateWithXsd } from '../qbxml/xsd.test-support.ts';
import { generateShop } from '../simulators/shopify/index.ts';
import {
  type PurchaseOrderDocument,
  type PurchaseReceiptDocument,
  proposeAccountMapping,
  transform,
} from '../transform/index.ts';
import { planRequests, toQbxmlRequest } from './plan.ts';
import { resolveTxnIdReferences, txnIdOf } from './references.ts';

const { mapping, toCreate } = proposeAccountMapping([]);
const result = transform(generateShop({ seed: 7, orders: 120, profile: 'us' }), {
  modes: { customers: 'detailed', inventory: 'detailed', vendors: 'detailed' },
  useClasses: true,
  startDate: null,
  accountsToCreate: toCreate,
});
const receipts = result.documents.filter(
  (d): d is PurchaseReceiptDocument => d.kind === 'itemReceipt' || d.kind === 'bill',
);
const orders = new Map(
  result.documents.filter((d): d is PurchaseOrderDocument => d.kind === 'purchaseOrder').map((d) => [d.key, d]),
);
const linked = receipts.filter((r) => r.purchaseOrder !== null);
const unlinked = receipts.filter((r) => r.purchaseOrder === null);

type Body = Record<string, Record<string, unknown>>;

describe('links between documents', () => {
  it('transform names the purchase order only on the receipt that receives all of it, first', () => {
    assert.ok(linked.length > 0, 'the generated shop receives some purchase orders in full');
    assert.ok(unlinked.length > 0, 'and some in part');
    const lineSet = (lines: PurchaseOrderDocument['lines']) =>
      lines.map((l) => `${l.item}|${l.quantity}|${l.amount}`).sort();
    for (const receipt of linked) {
      const order = orders.get(receipt.purchaseOrder!);
      assert.ok(order, `${receipt.key} links to a planned purchase order`);
      assert.deepEqual(lineSet(receipt.lines), lineSet(order.lines), receipt.key);
    }
    const perOrder = linked.map((r) => r.purchaseOrder);
    assert.equal(new Set(perOrder).size, perOrder.length, 'one linked receipt per purchase order');
    // A partial receipt still says which order it came from, in words.
    assert.ok(unlinked.some((r) => /purchase order/.test(r.memo)));
  });

  it('a linked receipt carries its purchase order’s TxnID by reference, depends on it, and lets QuickBooks bring in the lines', () => {
    const plan = planRequests(result.lists, result.documents, mapping);
    const byKey = new Map(plan.map((p) => [p.key, p]));
    for (const receipt of linked) {
      const planned = byKey.get(receipt.key)!;
      const body = (planned.body as Body)[planned.message]!;
      assert.deepEqual(body.LinkToTxnID, [txnIdOf(receipt.purchaseOrder!)]);
      // QuickBooks brings in every open line of a linked order: lines of our own would be received twice.
      assert.deepEqual(body.ItemLineAdd, []);
      assert.ok(planned.dependsOn.includes(receipt.purchaseOrder!));
    }
    for (const receipt of unlinked) {
      const planned = byKey.get(receipt.key)!;
      const body = (planned.body as Body)[planned.message]!;
      assert.equal(body.LinkToTxnID, undefined);
      assert.equal((body.ItemLineAdd as unknown[]).length, receipt.lines.length);
      assert.ok(!planned.dependsOn.some((k) => k.startsWith('purchase-order/') || k.startsWith('stocky-po/')));
    }
  });

  it('a receipt whose purchase order went out in an earlier sync still waits for it and links to it', () => {
    const receipt = linked[0]!;
    const plan = planRequests(result.lists, [receipt], mapping);
    const planned = plan.find((p) => p.key === receipt.key)!;
    assert.ok(planned.dependsOn.includes(receipt.purchaseOrder!));
    assert.deepEqual((planned.body as Body)[planned.message]!.LinkToTxnID, [txnIdOf(receipt.purchaseOrder!)]);
  });

  it('an invoice that converts a sales order links to it and keeps its own lines; other invoices do not link', () => {
    const invoices = result.documents.filter((d) => d.kind === 'invoice');
    assert.ok(invoices.length >= 2);
    const [converting, other] = invoices;
    const salesOrderKey = converting!.key.replace(/\/sale$/, '/sales-order');
    const plan = planRequests(result.lists, invoices, mapping, {
      salesOrderOf: new Map([[converting!.key, salesOrderKey]]),
    });
    const invoice = plan.find((p) => p.key === converting!.key)!;
    const body = (invoice.body as Body).InvoiceAdd!;
    assert.deepEqual(body.LinkToTxnID, [txnIdOf(salesOrderKey)]);
    assert.ok((body.InvoiceLineAdd as unknown[]).length > 0);
    assert.ok(invoice.dependsOn.includes(salesOrderKey));
    const plain = plan.find((p) => p.key === other!.key)!;
    assert.equal((plain.body as Body).InvoiceAdd!.LinkToTxnID, undefined);
    assert.ok(!plain.dependsOn.some((k) => k.endsWith('/sales-order')));
  });

  it('linked receipts and invoices, once their references are filled in, validate against Intuit’s schema', async () => {
    const invoice = result.documents.find((d) => d.kind === 'invoice')!;
    const plan = planRequests(result.lists, [...linked, invoice], mapping, {
      salesOrderOf: new Map([[invoice.key, 'order/1/sales-order']]),
    });
    const documents = plan
      .filter((p) => (p.body as Body)[p.message]?.LinkToTxnID !== undefined)
      .map((p) => {
        const body = resolveTxnIdReferences(p.body, () => '2A-1700000000');
        assert.ok(body.ok);
        const built = buildRequestDocument({
          requests: [toQbxmlRequest({ ...p, body: body.value }, '1')],
          onError: 'stopOnError',
        });
        assert.ok(built.ok, built.ok ? '' : built.error.message);
        assert.match(built.value.xml, /<LinkToTxnID>2A-1700000000<\/LinkToTxnID>/);
        return built.value.xml;
      });
    assert.equal(documents.length, linked.length + 1);
    const errors = await validateWithXsd(documents);
    assert.deepEqual(
      errors.filter((e) => e.length > 0),
      [],
    );
  });
});
