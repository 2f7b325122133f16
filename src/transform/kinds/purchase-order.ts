/**
 * Purchase Order: goods ordered from a supplier (Shopify's purchase orders, Stocky's). Non-posting; the receipts
 * that receive it post. Summary mode has one per day and location, to the summary supplier.
 */
import { localDate, sumMoney } from '../../domain/index.ts';
import type { PurchaseOrderAdd } from '../../qbxml/index.ts';
import { numericId } from '../amounts.ts';
import type { PurchaseLine, PurchaseOrderDocument } from '../documents.ts';
import { costTimes } from '../fragments.ts';
import type { TransformInput } from '../input.ts';
import { refNumberFor } from '../names.ts';
import {
  groupKey,
  orderedPurchaseOrders,
  SUMMARY_VENDOR,
  shopifyLineTitle,
  shopifyLocation,
  shopifyVendorKey,
  stockyLine,
  stockyLocation,
  stockyName,
  stockyPurchaseOrders,
  stockyVendorKey,
} from '../purchasing.ts';
import type { DocumentKind, Planned } from './kind.ts';

/** The purchase orders by key (the receipts link to them in Detailed mode). */
export function purchaseOrderDocuments(input: TransformInput): ReadonlyMap<string, PurchaseOrderDocument> {
  const tz = input.timeZone;
  const summary = input.settings.modes.vendors === 'summary';
  const orders = new Map<string, PurchaseOrderDocument>();
  const addOrder = (doc: PurchaseOrderDocument, location: string) => {
    const key = groupKey(summary, doc.key, location, doc.date, 'purchase-orders');
    const existing = orders.get(key);
    if (!existing) {
      orders.set(
        key,
        summary
          ? {
              ...doc,
              key,
              vendor: SUMMARY_VENDOR,
              refNumber: refNumberFor(`PO${doc.date.slice(2).replace(/-/g, '')}`, key),
            }
          : doc,
      );
    } else {
      existing.lines.push(...doc.lines);
      existing.memo = `${existing.memo}; ${doc.memo}`.slice(0, 4000);
    }
  };
  for (const po of orderedPurchaseOrders(input.sources)) {
    const key = `purchase-order/${numericId(po.id)}`;
    const lines: PurchaseLine[] = [];
    for (const line of po.lineItems) {
      const unitCost = line.unitCost?.amount ?? '0';
      const title = shopifyLineTitle(line);
      lines.push({
        item: input.items.itemForInventoryItem(line.inventoryItem?.id ?? null, title),
        description: title,
        quantity: line.totalQuantity,
        unitCost,
        amount: costTimes(unitCost, line.totalQuantity),
        category: 'inventoryAsset',
      });
    }
    if (lines.length === 0) continue;
    addOrder(
      {
        kind: 'purchaseOrder',
        key,
        date: localDate(po.orderedAt ?? po.dateCreated, tz),
        refNumber: refNumberFor(po.name, key),
        vendor: summary ? SUMMARY_VENDOR : shopifyVendorKey(po.origin?.supplier?.name ?? null),
        classKey: null,
        memo: `Shopify purchase order ${po.name}`,
        lines,
      },
      shopifyLocation(po),
    );
  }
  for (const po of stockyPurchaseOrders(input.sources)) {
    const key = `stocky-po/${po.id}`;
    const name = stockyName(po);
    const lines = po.purchase_items.map((item) => stockyLine(input, item));
    if (lines.length === 0) continue;
    addOrder(
      {
        kind: 'purchaseOrder',
        key,
        date: localDate(po.ordered_at ?? po.created_at, tz),
        refNumber: refNumberFor(name, key),
        vendor: summary ? SUMMARY_VENDOR : stockyVendorKey(po.supplier_id),
        classKey: null,
        memo: `Stocky purchase order ${name}`,
        lines,
      },
      stockyLocation(po),
    );
  }
  return orders;
}

export const purchaseOrder: DocumentKind<PurchaseOrderDocument> = {
  priority: 50,
  documents: (input) => input.derived(purchaseOrderDocuments).values(),
  plan(document, ctx) {
    ctx.need(document.vendor);
    ctx.need(document.classKey);
    const add: PurchaseOrderAdd<Planned> = { VendorRef: ctx.ref(document.vendor) };
    if (document.classKey) add.ClassRef = ctx.ref(document.classKey);
    add.TxnDate = document.date;
    add.RefNumber = document.refNumber;
    add.Memo = document.memo;
    add.ExternalGUID = ctx.guid;
    add.PurchaseOrderLineAdd = document.lines.map((l) => {
      ctx.need(l.item);
      return { ItemRef: ctx.ref(l.item), Desc: l.description, Quantity: l.quantity, Amount: l.amount };
    });
    return { message: 'PurchaseOrderAdd', body: { PurchaseOrderAdd: add } };
  },
  ledger() {},
  total: (document) => sumMoney(document.lines.map((l) => l.amount)),
  // A purchase order posts nothing; the receipts linked to it receive what it ordered.
  reversal: () => null,
};
