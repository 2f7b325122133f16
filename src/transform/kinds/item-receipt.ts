/**
 * Item Receipt: goods received from a supplier before the supplier's bill (Shopify's received shipments, Stocky's
 * received items without a supplier invoice). Debits each line's account (inventory, freight), credits accounts
 * payable. The rule here makes the bills (`bill.ts`) too: a Stocky receipt with the supplier's invoice number is one.
 */
import { localDate, type Money, parseMoney, sumMoney } from '../../domain/index.ts';
import type { BillAdd, ItemReceiptAdd } from '../../qbxml/index.ts';
import { numericId } from '../amounts.ts';
import type { ExpenseLine, PurchaseLine, PurchaseOrderDocument, PurchaseReceiptDocument } from '../documents.ts';
import { costTimes } from '../fragments.ts';
import type { TransformInput } from '../input.ts';
import { cleanName, refNumberFor } from '../names.ts';
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
import type { DocumentKind, PlanContext, Planned, Post } from './kind.ts';
import { purchaseOrderDocuments } from './purchase-order.ts';

type AddReceipt = (doc: PurchaseReceiptDocument, location: string) => void;

/** Goods received on a Shopify purchase order arrive as inventory transfers that name it. */
function shopifyReceipts(input: TransformInput, add: AddReceipt): void {
  const summary = input.settings.modes.vendors === 'summary';
  for (const po of orderedPurchaseOrders(input.sources)) {
    if (po.lineItems.length === 0) continue;
    const key = `purchase-order/${numericId(po.id)}`;
    const vendor = summary ? SUMMARY_VENDOR : shopifyVendorKey(po.origin?.supplier?.name ?? null);
    const costByInventoryItem = new Map<string, string>();
    for (const line of po.lineItems)
      if (line.inventoryItem) costByInventoryItem.set(line.inventoryItem.id, line.unitCost?.amount ?? '0');
    for (const transfer of input.sources.inventoryTransfers) {
      if (transfer.referenceName !== po.name) continue;
      for (const shipment of transfer.shipments) {
        if (!shipment.dateReceived) continue;
        const received: PurchaseLine[] = [];
        for (const shipped of shipment.lineItems) {
          if (shipped.acceptedQuantity <= 0) continue;
          const inventoryItemId = shipped.inventoryItem?.id ?? null;
          const unitCost = (inventoryItemId && costByInventoryItem.get(inventoryItemId)) ?? null;
          if (unitCost === null) {
            input.notes.push({
              key,
              code: 'RECEIVED_ITEM_NOT_ON_PO',
              text: `Purchase order ${po.name}: an item was received that is not on the purchase order, so its cost is unknown; it was not posted.`,
            });
            continue;
          }
          const title = shopifyLineTitle(po.lineItems.find((l) => l.inventoryItem?.id === inventoryItemId)!);
          received.push({
            item: input.items.itemForInventoryItem(inventoryItemId, title),
            description: title,
            quantity: shipped.acceptedQuantity,
            unitCost,
            amount: costTimes(unitCost, shipped.acceptedQuantity),
            category: 'inventoryAsset',
          });
        }
        if (received.length === 0) continue;
        const receiptKey = `receipt/${numericId(shipment.id)}`;
        add(
          {
            kind: 'itemReceipt',
            key: receiptKey,
            date: localDate(shipment.dateReceived, input.timeZone),
            refNumber: refNumberFor(shipment.name, receiptKey),
            vendor,
            purchaseOrder: key,
            lines: received,
            expenses: [],
            memo: `Received on Shopify purchase order ${po.name} (${shipment.name})`,
          },
          shopifyLocation(po),
        );
      }
    }
  }
}

/** Each Stocky purchase item carries its own received status and date: one receipt per date received. */
function stockyReceipts(input: TransformInput, add: AddReceipt): void {
  const summary = input.settings.modes.vendors === 'summary';
  for (const po of stockyPurchaseOrders(input.sources)) {
    if (po.purchase_items.length === 0) continue;
    const key = `stocky-po/${po.id}`;
    const vendor = summary ? SUMMARY_VENDOR : stockyVendorKey(po.supplier_id);
    const name = stockyName(po);
    const byDate = new Map<string, PurchaseLine[]>();
    for (const item of po.purchase_items) {
      if (item.status !== 'received' || !item.received_at) continue;
      const d = localDate(item.received_at, input.timeZone);
      byDate.set(d, [...(byDate.get(d) ?? []), stockyLine(input, item)]);
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
      add(
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
        stockyLocation(po),
      );
    });
  }
}

/**
 * Each receipt line is linked to the purchase-order line it receives: the order's first line of the same item that
 * earlier receipts (in date order) have not received in full. QuickBooks then counts what each order line has
 * received and closes the order once all of it is in, however many receipts it takes. A receipt keeps its purchase
 * order only when it links a line of it; an order dated before the start date is never posted, so nothing can link
 * to it. The links never change once made: later receipts only add to an order.
 */
function linkReceiptLines(
  orders: ReadonlyMap<string, PurchaseOrderDocument>,
  receipts: ReadonlyMap<string, PurchaseReceiptDocument>,
  startDate: string | null,
): void {
  const ordered = [...receipts.values()].sort((a, b) =>
    a.date === b.date ? (a.key < b.key ? -1 : 1) : a.date < b.date ? -1 : 1,
  );
  const received = new Map<string, number[]>();
  for (const receipt of ordered) {
    const key = receipt.purchaseOrder;
    const order = key === null ? undefined : orders.get(key);
    if (!key || !order || (startDate !== null && order.date < startDate)) {
      receipt.purchaseOrder = null;
      continue;
    }
    const counts = received.get(key) ?? order.lines.map(() => 0);
    received.set(key, counts);
    let linked = 0;
    for (const line of receipt.lines) {
      const index = order.lines.findIndex((l, i) => l.item === line.item && counts[i]! < l.quantity);
      if (index < 0) continue;
      counts[index]! += line.quantity;
      line.orderLine = index;
      linked++;
    }
    if (linked === 0) receipt.purchaseOrder = null;
  }
}

/** The body an Item Receipt and a Bill share (QuickBooks gives them the same elements). */
export function receiptBody(
  document: PurchaseReceiptDocument,
  ctx: PlanContext,
): ItemReceiptAdd<Planned> & BillAdd<Planned> {
  ctx.need(document.vendor);
  ctx.needAccount('accountsPayable');
  const body: ItemReceiptAdd<Planned> & BillAdd<Planned> = {
    VendorRef: ctx.ref(document.vendor),
    APAccountRef: ctx.account('accountsPayable'),
    TxnDate: document.date,
    RefNumber: document.refNumber.slice(0, 20),
    Memo: document.memo,
    ExternalGUID: ctx.guid,
  };
  body.ExpenseLineAdd = document.expenses.map((l) => {
    ctx.needAccount(l.category);
    return { AccountRef: ctx.account(l.category), Amount: l.amount, Memo: l.memo };
  });
  // A line that receives a purchase-order line links to it (LinkToTxn: the order's TxnID and that line's
  // TxnLineID) and takes its item from it: QuickBooks refuses an ItemRef next to the link. Never the whole-order
  // LinkToTxnID: it brings in every open line of the order, received or not by this receipt.
  const purchaseOrder = document.purchaseOrder;
  body.ItemLineAdd = document.lines.map((l) => {
    ctx.need(l.item);
    const amounts = { Desc: l.description, Quantity: l.quantity, Amount: l.amount };
    if (purchaseOrder === null || l.orderLine === undefined) return { ItemRef: ctx.ref(l.item), ...amounts };
    return { ...amounts, LinkToTxn: ctx.linkToLine(purchaseOrder, l.orderLine) };
  });
  return body;
}

export function receiptTotal(document: PurchaseReceiptDocument): Money {
  return sumMoney(document.lines.map((l) => l.amount)) + sumMoney(document.expenses.map((l) => l.amount));
}

export function receiptLedger(document: PurchaseReceiptDocument, post: Post): void {
  for (const line of document.lines) post(line.category, line.amount);
  for (const line of document.expenses) post(line.category, line.amount);
  post('accountsPayable', -receiptTotal(document));
}

export const itemReceipt: DocumentKind<PurchaseReceiptDocument> = {
  priority: 10,
  documents(input) {
    const receipts = new Map<string, PurchaseReceiptDocument>();
    const summary = input.settings.modes.vendors === 'summary';
    const add = (doc: PurchaseReceiptDocument, location: string) => {
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
    shopifyReceipts(input, add);
    stockyReceipts(input, add);
    if (!summary) linkReceiptLines(input.derived(purchaseOrderDocuments), receipts, input.settings.startDate);
    return receipts.values();
  },
  plan: (document, ctx) => ({ message: 'ItemReceiptAdd', body: { ItemReceiptAdd: receiptBody(document, ctx) } }),
  ledger: receiptLedger,
  total: receiptTotal,
};
