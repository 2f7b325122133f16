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
import { referencedKeys, resolveTxnIdReferences, txnIdOf, txnLineIdOf } from './references.ts';

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
  it('transform links each receipt line to the purchase-order line it receives, over as many receipts as it takes', () => {
    assert.ok(linked.length > 0, 'the generated shop receives purchase orders');
    const receiptsPerOrder = new Map<string, number>();
    const receivedPerLine = new Map<string, number>();
    for (const receipt of linked) {
      const order = orders.get(receipt.purchaseOrder!);
      assert.ok(order, `${receipt.key} links to a planned purchase order`);
      receiptsPerOrder.set(order.key, (receiptsPerOrder.get(order.key) ?? 0) + 1);
      assert.ok(
        receipt.lines.some((l) => l.orderLine !== undefined),
        `${receipt.key} links a line`,
      );
      for (const line of receipt.lines) {
        if (line.orderLine === undefined) continue;
        const ordered: PurchaseOrderDocument['lines'][number] = order.lines[line.orderLine]!;
        assert.equal(line.item, ordered.item, `${receipt.key}: a line receives an order line of its own item`);
        const key = `${order.key}#${line.orderLine}`;
        receivedPerLine.set(key, (receivedPerLine.get(key) ?? 0) + line.quantity);
      }
    }
    const partial = [...receiptsPerOrder.keys()].filter((orderKey) =>
      orders.get(orderKey)!.lines.some((l, i) => (receivedPerLine.get(`${orderKey}#${i}`) ?? 0) < l.quantity),
    );
    assert.ok(partial.length > 0, 'some purchase order is received in part, and its receipts still link to it');
    for (const [key, received] of receivedPerLine) {
      const [orderKey, index] = key.split('#');
      const orderLine = orders.get(orderKey!)!.lines[Number(index)]!;
      assert.ok(received <= orderLine.quantity, `${key}: never more received than ordered (${received})`);
    }
    // A receipt of nothing on a posted order names none.
    for (const receipt of unlinked) assert.ok(receipt.lines.every((l) => l.orderLine === undefined));
  });

  it('a linked receipt line carries its order line by reference (TxnID, TxnLineID), names no item, and depends on the order', () => {
    const plan = planRequests(result.lists, result.documents, mapping);
    const byKey = new Map(plan.map((p) => [p.key, p]));
    for (const receipt of linked) {
      const planned = byKey.get(receipt.key)!;
      const body = (planned.body as Body)[planned.message]!;
      // Never the whole-order link: it would bring in lines this receipt did not receive.
      assert.equal(body.LinkToTxnID, undefined);
      const lines = body.ItemLineAdd as Record<string, unknown>[];
      assert.equal(lines.length, receipt.lines.length);
      receipt.lines.forEach((line, i) => {
        if (line.orderLine === undefined) {
          assert.ok(lines[i]!.ItemRef);
          return;
        }
        assert.deepEqual(lines[i]!.LinkToTxn, {
          TxnID: txnIdOf(receipt.purchaseOrder!),
          TxnLineID: txnLineIdOf(receipt.purchaseOrder!, line.orderLine),
        });
        assert.equal(lines[i]!.ItemRef, undefined, 'QuickBooks takes the item from the order line');
        assert.equal(lines[i]!.Quantity, line.quantity);
      });
      assert.ok(planned.dependsOn.includes(receipt.purchaseOrder!));
    }
    for (const receipt of unlinked) {
      const planned = byKey.get(receipt.key)!;
      const body = (planned.body as Body)[planned.message]!;
      assert.ok((body.ItemLineAdd as Record<string, unknown>[]).every((l) => l.LinkToTxn === undefined));
      assert.ok(!planned.dependsOn.some((k) => k.startsWith('purchase-order/') || k.startsWith('stocky-po/')));
    }
  });

  it('a receipt whose purchase order went out in an earlier sync still waits for it and links to it', () => {
    const receipt = linked[0]!;
    const plan = planRequests(result.lists, [receipt], mapping);
    const planned = plan.find((p) => p.key === receipt.key)!;
    assert.ok(planned.dependsOn.includes(receipt.purchaseOrder!));
    assert.deepEqual(referencedKeys(planned.body), [receipt.purchaseOrder!]);
  });

  it('an invoice that converts a sales order links to it and sends no lines of its own; other invoices do not link', () => {
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
    // QuickBooks brings the order's lines in: lines of our own as well would sell everything twice.
    assert.equal(body.InvoiceLineAdd, undefined);
    assert.ok(invoice.dependsOn.includes(salesOrderKey));
    const plain = plan.find((p) => p.key === other!.key)!;
    assert.equal((plain.body as Body).InvoiceAdd!.LinkToTxnID, undefined);
    assert.ok(((plain.body as Body).InvoiceAdd!.InvoiceLineAdd as unknown[]).length > 0);
    assert.ok(!plain.dependsOn.some((k) => k.endsWith('/sales-order')));
  });

  it('linked receipts and invoices, once their references are filled in, validate against Intuit’s schema', async () => {
    const invoice = result.documents.find((d) => d.kind === 'invoice')!;
    const plan = planRequests(result.lists, [...linked, invoice], mapping, {
      salesOrderOf: new Map([[invoice.key, 'order/1/sales-order']]),
    });
    const documents = plan
      .filter((p) => referencedKeys(p.body).length > 0)
      .map((p) => {
        const body = resolveTxnIdReferences(
          p.body,
          () => '2A-1700000000',
          { key: p.key, type: p.message },
          (_, line) => `${3 + line}A-1700000000`,
        );
        assert.ok(body.ok);
        const built = buildRequestDocument({
          requests: [toQbxmlRequest({ ...p, body: body.value }, '1')],
          onError: 'stopOnError',
        });
        assert.ok(built.ok, built.ok ? '' : built.error.message);
        assert.match(
          built.value.xml,
          /<LinkToTxnID>2A-1700000000<\/LinkToTxnID>|<LinkToTxn>\s*<TxnID>2A-1700000000<\/TxnID>\s*<TxnLineID>\d+A-1700000000<\/TxnLineID>/,
        );
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
