import { shortHash } from '../domain/identity.ts';
/**
 * Purchasing: purchase orders (Shopify's own, or Stocky's for stores that still hold Stocky data), goods
 * received, and stock adjustments. A purchase order is non-posting; receiving posts inventory at the purchase
 * order's unit cost against accounts payable (an Item Receipt, or a Bill when the supplier's invoice is known).
 */
import { type Money, parseMoney } from '../domain/money.ts';
import { localDate } from '../domain/time.ts';
import { numericId } from './amounts.ts';
import type {
  ExpenseLine,
  JournalEntryDocument,
  PurchaseLine,
  PurchaseOrderDocument,
  PurchaseReceiptDocument,
  TransactionDocument,
  VendorRecord,
} from './documents.ts';
import type { NameRequest } from './names.ts';
import { cleanName, NAME_MAX, refNumberFor } from './names.ts';
import { costTimes, type TransformNote } from './sales.ts';
import type { TransformSettings, TransformSources } from './transform.ts';

export const SUMMARY_VENDOR = 'vendor/summary';

/** Finds the item for a Shopify inventory item id (GID or numeric); unknown ids get the generic item. */
export type ItemForInventoryItem = (inventoryItemId: string | null, title: string) => string;

/**
 * Shopify's purchase-order API exposes a supplier by name only (InventorySupplier has no id in the 2026-09
 * unstable schema), so a Shopify supplier is identified by its name, case-insensitively.
 */
function shopifyVendorKey(supplierName: string | null): string {
  const name = supplierName?.trim().toLowerCase();
  return name ? `vendor/shopify/${shortHash(name, 10)}` : 'vendor/unknown';
}

function stockyVendorKey(supplierId: string | null): string {
  return supplierId ? `vendor/stocky/${supplierId}` : 'vendor/unknown';
}

export function vendorRequests(
  sources: TransformSources,
  settings: TransformSettings,
): { request: NameRequest; record: Omit<VendorRecord, 'name'> }[] {
  const hasPurchasing =
    sources.inventoryPurchaseOrders.some((po) => po.status === 'ORDERED') ||
    (sources.stocky?.purchaseOrders.length ?? 0) > 0;
  if (!hasPurchasing) return [];
  if (settings.modes.vendors === 'summary') {
    return [
      {
        request: { key: SUMMARY_VENDOR, wanted: 'Shopify Suppliers', fallback: 'Suppliers', since: '' },
        record: {
          kind: 'vendor',
          key: SUMMARY_VENDOR,
          companyName: null,
          notes: 'All Shopify suppliers (Summary mode)',
        },
      },
    ];
  }
  const out = new Map<string, { request: NameRequest; record: Omit<VendorRecord, 'name'> }>();
  const add = (key: string, name: string, since: string, notes: string) => {
    const existing = out.get(key);
    if (existing && existing.request.since <= since) return;
    out.set(key, {
      request: { key, wanted: name, fallback: 'Supplier', since },
      record: { kind: 'vendor', key, companyName: cleanName(name, NAME_MAX) || null, notes },
    });
  };
  for (const po of sources.inventoryPurchaseOrders) {
    if (po.status !== 'ORDERED') continue;
    const supplier = po.origin?.supplier ?? null;
    add(
      shopifyVendorKey(supplier?.name ?? null),
      supplier?.name ?? 'Unknown Supplier',
      po.dateCreated,
      `Shopify supplier: ${supplier?.name ?? '(none)'}`,
    );
  }
  for (const supplier of sources.stocky?.suppliers ?? []) {
    add(
      stockyVendorKey(String(supplier.id)),
      supplier.company_name || supplier.name,
      supplier.created_at,
      `Stocky supplier ${supplier.id}: ${supplier.name}`,
    );
  }
  for (const po of sources.stocky?.purchaseOrders ?? []) {
    if (!po.supplier_id) add('vendor/unknown', 'Unknown Supplier', po.created_at, 'Purchase orders without a supplier');
  }
  return [...out.values()];
}

function groupKey(summary: boolean, detailKey: string, location: string, date: string, what: string): string {
  return summary ? `summary/${location}/${date}/${what}` : detailKey;
}

export function purchasingDocuments(
  sources: TransformSources,
  settings: TransformSettings,
  notes: TransformNote[],
  itemFor: ItemForInventoryItem,
): { documents: TransactionDocument[] } {
  const tz = sources.shop.ianaTimezone;
  const summary = settings.modes.vendors === 'summary';
  const orders = new Map<string, PurchaseOrderDocument>();
  const receipts = new Map<string, PurchaseReceiptDocument>();
  const journals: JournalEntryDocument[] = [];

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
  const addReceipt = (doc: PurchaseReceiptDocument, location: string) => {
    const key = groupKey(summary, doc.key, location, doc.date, doc.kind === 'bill' ? 'bills' : 'receipts');
    const existing = receipts.get(key);
    if (!existing) {
      receipts.set(
        key,
        summary
          ? {
              ...doc,
              key,
              vendor: SUMMARY_VENDOR,
              purchaseOrder: null,
              refNumber: refNumberFor(`RC${doc.date.slice(2).replace(/-/g, '')}`, key),
            }
          : doc,
      );
    } else {
      existing.lines.push(...doc.lines);
      existing.expenses.push(...doc.expenses);
      existing.memo = `${existing.memo}; ${doc.memo}`.slice(0, 4000);
    }
  };

  // Shopify purchase orders; goods received arrive as inventory transfers that name the purchase order.
  for (const po of [...sources.inventoryPurchaseOrders].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (po.status !== 'ORDERED') continue;
    const key = `purchase-order/${numericId(po.id)}`;
    const vendor = summary ? SUMMARY_VENDOR : shopifyVendorKey(po.origin?.supplier?.name ?? null);
    const location = po.destination?.location ? numericId(po.destination.location.id) : 'online';
    const costByInventoryItem = new Map<string, string>();
    const lines: PurchaseLine[] = [];
    for (const line of po.lineItems) {
      const unitCost = line.unitCost?.amount ?? '0';
      const title = [line.title, line.variantTitle].filter(Boolean).join(' - ') || 'Item';
      if (line.inventoryItem) costByInventoryItem.set(line.inventoryItem.id, unitCost);
      lines.push({
        item: itemFor(line.inventoryItem?.id ?? null, title),
        description: title,
        quantity: line.totalQuantity,
        unitCost,
        amount: costTimes(unitCost, line.totalQuantity),
        category: 'inventoryAsset',
      });
    }
    if (lines.length === 0) continue;
    const date = localDate(po.orderedAt ?? po.dateCreated, tz);
    addOrder(
      {
        kind: 'purchaseOrder',
        key,
        date,
        refNumber: refNumberFor(po.name, key),
        vendor,
        classKey: null,
        memo: `Shopify purchase order ${po.name}`,
        lines,
      },
      location,
    );
    for (const transfer of sources.inventoryTransfers) {
      if (transfer.referenceName !== po.name) continue;
      for (const shipment of transfer.shipments) {
        if (!shipment.dateReceived) continue;
        const received: PurchaseLine[] = [];
        for (const shipped of shipment.lineItems) {
          if (shipped.acceptedQuantity <= 0) continue;
          const inventoryItemId = shipped.inventoryItem?.id ?? null;
          const unitCost = (inventoryItemId && costByInventoryItem.get(inventoryItemId)) ?? null;
          if (unitCost === null) {
            notes.push({
              key,
              code: 'RECEIVED_ITEM_NOT_ON_PO',
              text: `Purchase order ${po.name}: an item was received that is not on the purchase order, so its cost is unknown; it was not posted.`,
            });
            continue;
          }
          const line = po.lineItems.find((l) => l.inventoryItem?.id === inventoryItemId)!;
          const title = [line.title, line.variantTitle].filter(Boolean).join(' - ') || 'Item';
          received.push({
            item: itemFor(inventoryItemId, title),
            description: title,
            quantity: shipped.acceptedQuantity,
            unitCost,
            amount: costTimes(unitCost, shipped.acceptedQuantity),
            category: 'inventoryAsset',
          });
        }
        if (received.length === 0) continue;
        const receiptKey = `receipt/${numericId(shipment.id)}`;
        addReceipt(
          {
            kind: 'itemReceipt',
            key: receiptKey,
            date: localDate(shipment.dateReceived, tz),
            refNumber: refNumberFor(shipment.name, receiptKey),
            vendor,
            purchaseOrder: key,
            lines: received,
            expenses: [],
            memo: `Received on Shopify purchase order ${po.name} (${shipment.name})`,
          },
          location,
        );
      }
    }
  }

  // Stocky purchase orders: each purchase item carries its own received status and date.
  const variantByInventoryNumber = new Map<string, string>();
  for (const product of sources.products)
    for (const v of product.variants) variantByInventoryNumber.set(numericId(v.inventoryItem.id), v.inventoryItem.id);
  for (const po of [...(sources.stocky?.purchaseOrders ?? [])].sort((a, b) => a.id - b.id)) {
    const key = `stocky-po/${po.id}`;
    const vendor = summary ? SUMMARY_VENDOR : stockyVendorKey(po.supplier_id);
    const location = po.shopify_receive_location_id ? String(po.shopify_receive_location_id) : 'online';
    const name = po.number ?? `PO ${po.sequential_id}`;
    const lineFor = (item: (typeof po.purchase_items)[number]): PurchaseLine => {
      const title = [item.product_title, item.variant_title].filter(Boolean).join(' - ') || item.sku || 'Item';
      const inventoryItem = item.inventory_item_id
        ? (variantByInventoryNumber.get(String(item.inventory_item_id)) ?? null)
        : null;
      return {
        item: itemFor(inventoryItem, title),
        description: title,
        quantity: item.quantity,
        unitCost: item.cost_price,
        amount: costTimes(item.cost_price, item.quantity),
        category: 'inventoryAsset',
      };
    };
    const lines = po.purchase_items.map(lineFor);
    if (lines.length === 0) continue;
    const date = localDate(po.ordered_at ?? po.created_at, tz);
    addOrder(
      {
        kind: 'purchaseOrder',
        key,
        date,
        refNumber: refNumberFor(name, key),
        vendor,
        classKey: null,
        memo: `Stocky purchase order ${name}`,
        lines,
      },
      location,
    );
    const byDate = new Map<string, PurchaseLine[]>();
    for (const item of po.purchase_items) {
      if (item.status !== 'received' || !item.received_at) continue;
      const d = localDate(item.received_at, tz);
      byDate.set(d, [...(byDate.get(d) ?? []), lineFor(item)]);
    }
    const dates = [...byDate.keys()].sort();
    dates.forEach((d, index) => {
      const expenses: ExpenseLine[] = [];
      // Supplier freight and adjustments are a cost of getting the goods in: on the first receipt.
      if (index === 0) {
        for (const [label, amount] of [
          ['Freight', po.shipping],
          ['Supplier adjustments', po.adjustments],
        ] as const) {
          const value: Money = amount ? parseMoney(amount) : 0n;
          if (value !== 0n) expenses.push({ category: 'purchaseFreight', amount: value, memo: `${label} on ${name}` });
        }
      }
      const receiptKey = `${key}/received/${d}`;
      addReceipt(
        {
          kind: po.invoice_number ? 'bill' : 'itemReceipt',
          key: receiptKey,
          date: d,
          refNumber: po.invoice_number ? cleanName(po.invoice_number, 20) : refNumberFor(name, receiptKey),
          vendor,
          purchaseOrder: key,
          lines: byDate.get(d)!,
          expenses,
          memo: `Received on Stocky purchase order ${name}${po.invoice_number ? `, supplier invoice ${po.invoice_number}` : ''}`,
        },
        location,
      );
    });
  }

  // Stock adjustments (counts, damage, loss) at the variant's unit cost, against the inventory adjustments
  // account. A journal entry because product items are non-inventory items (see ItemRecord).
  const costByVariant = new Map<string, string | null>();
  for (const product of sources.products)
    for (const v of product.variants) costByVariant.set(numericId(v.id), v.inventoryItem.unitCost?.amount ?? null);
  for (const adjustment of [...(sources.stocky?.stockAdjustments ?? [])].sort((a, b) => a.id - b.id)) {
    let value = 0n;
    for (const item of adjustment.items) {
      const cost = costByVariant.get(String(item.variant.shopify_id)) ?? null;
      if (cost === null) {
        notes.push({
          key: `stock-adjustment/${adjustment.id}`,
          code: 'UNIT_COST_MISSING',
          text: `Stock adjustment ${adjustment.sequential_id}: "${item.variant.title}" has no unit cost in Shopify; its value was not posted.`,
        });
        continue;
      }
      value += costTimes(cost, item.quantity);
    }
    if (value === 0n) continue;
    const key = `stock-adjustment/${adjustment.id}`;
    const reason = adjustment.stock_adjustment_reason?.reason ?? 'stock adjustment';
    const amount = value < 0n ? -value : value;
    const location = adjustment.location ? String(adjustment.location.shopify_id) : null;
    const classKey = location && settings.useClasses ? `class/${location}` : null;
    journals.push({
      kind: 'journalEntry',
      key,
      date: localDate(adjustment.adjusted_at ?? adjustment.created_at, tz),
      refNumber: refNumberFor(`A${adjustment.sequential_id}`, key),
      purpose: 'inventoryAdjustment',
      memo: `Stocky stock adjustment ${adjustment.sequential_id}: ${reason}`,
      lines:
        value > 0n
          ? [
              { category: 'inventoryAsset', side: 'debit', amount, memo: `Stock counted in: ${reason}`, classKey },
              {
                category: 'inventoryAdjustments',
                side: 'credit',
                amount,
                memo: `Stock counted in: ${reason}`,
                classKey,
              },
            ]
          : [
              {
                category: 'inventoryAdjustments',
                side: 'debit',
                amount,
                memo: `Stock written off: ${reason}`,
                classKey,
              },
              { category: 'inventoryAsset', side: 'credit', amount, memo: `Stock written off: ${reason}`, classKey },
            ],
    });
  }
  if (!summary) linkWholeReceipts(orders, receipts, settings.startDate);
  return { documents: [...orders.values(), ...receipts.values(), ...journals] };
}

/**
 * A receipt keeps its purchase order (and is linked to it in QuickBooks, which then shows the order received and
 * closes it) only when it is the order's first receipt and receives all of it. QuickBooks' whole-order link
 * (LinkToTxnID) receives every open line of the order; a partial receipt would need each order line's TxnLineID,
 * which exists only inside QuickBooks. The choice never changes once made: later receipts only add to an order.
 * An order dated before the start date is never posted, so nothing can link to it.
 */
function linkWholeReceipts(
  orders: ReadonlyMap<string, PurchaseOrderDocument>,
  receipts: ReadonlyMap<string, PurchaseReceiptDocument>,
  startDate: string | null,
): void {
  const lineSet = (lines: PurchaseLine[]) =>
    lines
      .map((l) => `${l.item}|${l.quantity}|${l.amount}`)
      .sort()
      .join('\n');
  const ordered = [...receipts.values()].sort((a, b) =>
    a.date === b.date ? (a.key < b.key ? -1 : 1) : a.date < b.date ? -1 : 1,
  );
  const seen = new Set<string>();
  for (const receipt of ordered) {
    const key = receipt.purchaseOrder;
    if (key === null) continue;
    const order = orders.get(key);
    const first = !seen.has(key);
    seen.add(key);
    const posted = order !== undefined && (startDate === null || order.date >= startDate);
    if (!first || !posted || lineSet(order.lines) !== lineSet(receipt.lines)) receipt.purchaseOrder = null;
  }
}
