/**
 * Purchasing data: Shopify's own purchase orders with the inventory transfers that receive them (fully, partly or not
 * yet), and the Stocky history of a store that used Stocky before it shut down on 2026-08-31.
 */
import type {
  InventoryPurchaseOrder,
  InventoryTransfer,
  Money,
  StockyPurchaseOrder,
  StockyStockAdjustment,
  StockySupplier,
} from '../../../domain/index.ts';
import { formatMoney } from '../../../domain/index.ts';
import type { Catalog, CatalogVariant } from './catalog.ts';
import { gid, ID_BASE, isoFromMs, legacyId } from './catalog.ts';
import { Random } from './random.ts';

const DAY = 86_400_000;
/** The day Stocky and its API stopped answering. */
export const STOCKY_SHUTDOWN_MS = Date.parse('2026-08-31T00:00:00Z');

export interface Purchasing {
  inventoryPurchaseOrders: InventoryPurchaseOrder[];
  inventoryTransfers: InventoryTransfer[];
  stocky: {
    suppliers: StockySupplier[];
    purchaseOrders: StockyPurchaseOrder[];
    stockAdjustments: StockyStockAdjustment[];
  };
}

function vendorVariants(catalog: Catalog, vendor: string): CatalogVariant[] {
  return catalog.sellable.filter((v) => v.product.vendor === vendor && v.costCents !== null);
}

export function buildPurchasing(
  seed: string | number,
  catalog: Catalog,
  startMs: number,
  endMs: number,
  orders: number,
): Purchasing {
  const random = Random.for(seed, 'purchasing');
  const currency = catalog.profile.currency;
  const money = (cents: Money) => ({ amount: formatMoney(cents), currencyCode: currency });
  const count = Math.min(2000, 3 + Math.floor(orders / 100));
  const span = Math.max(DAY, endMs - startMs);
  const purchaseOrders: InventoryPurchaseOrder[] = [];
  const transfers: InventoryTransfer[] = [];
  for (let j = 0; j < count; j++) {
    const vendor = catalog.vendors[j % catalog.vendors.length]!;
    const variants = random.sample(vendorVariants(catalog, vendor), random.int(2, 4));
    const createdMs = startMs + Math.floor((span * j) / count);
    const draft = j === count - 1;
    const name = `#PO${1001 + j}`;
    const destination = j % 4 === 3 ? catalog.stores[j % catalog.stores.length]! : catalog.warehouse;
    const poNumber = ID_BASE.purchaseOrder + j + 1;
    const lines = variants.map((v, k) => {
      const quantity = random.int(6, 48);
      const unitCost = v.costCents!;
      const subtotal = unitCost * BigInt(quantity);
      return {
        id: gid('InventoryPurchaseOrderLineItem', poNumber * 100 + k + 1),
        title: v.product.title,
        variantTitle: v.variant.title === 'Default Title' ? null : v.variant.title,
        supplierSku: v.variant.sku ? `SUP-${v.variant.sku}` : null,
        inventoryItem: { id: v.variant.inventoryItem.id },
        totalQuantity: quantity,
        unitCost: money(unitCost),
        subtotal: money(subtotal),
        taxPercent: '0.0',
        totalCost: money(subtotal),
      };
    });
    purchaseOrders.push({
      id: gid('InventoryPurchaseOrder', poNumber),
      name,
      status: draft ? 'DRAFT' : 'ORDERED',
      currency,
      dateCreated: isoFromMs(createdMs),
      orderedAt: draft ? null : isoFromMs(createdMs + 3_600_000),
      archivedAt: null,
      origin: { supplier: { id: gid('InventorySupplier', 1000 + (j % catalog.vendors.length)), name: vendor } },
      destination: { name: destination.name, location: { id: destination.id } },
      referenceName: j % 3 === 0 ? `INV-${20_000 + j}` : null,
      lineItems: lines,
    });
    if (draft) continue;
    // Receiving: every third order in full (with the odd damaged unit rejected), every third in part, the rest in transit.
    const mode = j % 3;
    const receivedMs = createdMs + random.int(5, 12) * DAY;
    const shipmentLines = lines.map((line, k) => {
      const quantity = line.totalQuantity;
      let accepted = 0;
      let rejected = 0;
      if (mode === 0) {
        rejected = k === 0 && j % 2 === 0 ? 1 : 0;
        accepted = quantity - rejected;
      } else if (mode === 1) {
        accepted = k === 0 ? quantity : Math.floor(quantity / 2);
      }
      return {
        id: gid('InventoryShipmentLineItem', (ID_BASE.transfer + j + 1) * 100 + k + 1),
        inventoryItem: line.inventoryItem,
        quantity,
        acceptedQuantity: accepted,
        rejectedQuantity: rejected,
      };
    });
    const totalQuantity = lines.reduce((s, l) => s + l.totalQuantity, 0);
    const receivedQuantity = shipmentLines.reduce((s, l) => s + l.acceptedQuantity + l.rejectedQuantity, 0);
    transfers.push({
      id: gid('InventoryTransfer', ID_BASE.transfer + j + 1),
      name: `#T${1001 + j}`,
      referenceName: name,
      status: mode === 0 ? 'TRANSFERRED' : mode === 1 ? 'IN_PROGRESS' : 'READY_TO_SHIP',
      dateCreated: isoFromMs(createdMs + 2 * 3_600_000),
      destination: { name: destination.name, location: { id: destination.id } },
      totalQuantity,
      receivedQuantity,
      shipments: [
        {
          id: gid('InventoryShipment', ID_BASE.transfer + j + 1),
          name: `#T${1001 + j}-S1`,
          status: mode === 0 ? 'RECEIVED' : mode === 1 ? 'PARTIALLY_RECEIVED' : 'IN_TRANSIT',
          dateReceived: mode === 2 ? null : isoFromMs(receivedMs),
          lineItems: shipmentLines,
        },
      ],
    });
  }
  return {
    inventoryPurchaseOrders: purchaseOrders,
    inventoryTransfers: transfers,
    stocky: buildStocky(random, catalog, orders),
  };
}

/** Stocky writes purchase item `updated_at` as "dd/mm/yyyy hh:mm" (research §5.1). */
function stockyLocalStamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

function stockyTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', '+00:00');
}

function buildStocky(random: Random, catalog: Catalog, orders: number): Purchasing['stocky'] {
  const firstMs = STOCKY_SHUTDOWN_MS - 240 * DAY;
  const suppliers: StockySupplier[] = catalog.vendors.map((vendor, i) => ({
    id: 5000 + i,
    name: vendor,
    company_name: `${vendor} Ltd`,
    account_number: `ACC-${700 + i}`,
    contact_name: ['Dana Reyes', 'Sam Okafor', 'Lee Chen', 'Ari Novak', 'Kit Moreau'][i % 5]!,
    contact_email: `orders@${vendor.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
    address1: `${100 + i * 7} Commerce Way`,
    address2: null,
    city: catalog.profile.stores[0]!.city,
    province_code: catalog.profile.provinceCode,
    country_name: catalog.profile.country,
    zip: catalog.profile.stores[0]!.zip,
    phone: `+1 555 010 ${String(1000 + i)}`,
    created_at: stockyTime(firstMs - 60 * DAY),
    updated_at: stockyTime(firstMs - 30 * DAY + i * DAY),
    is_hidden: i === catalog.vendors.length - 1,
  }));
  const count = Math.min(500, 5 + Math.floor(orders / 200));
  const purchaseOrders: StockyPurchaseOrder[] = [];
  for (let j = 0; j < count; j++) {
    const supplier = suppliers[j % suppliers.length]!;
    const createdMs = firstMs + Math.floor((200 * DAY * j) / count);
    const orderedMs = createdMs + DAY;
    const received = j < count - 2;
    const variants = random.sample(vendorVariants(catalog, supplier.name), random.int(1, 3));
    const destination = catalog.stores[j % catalog.stores.length]!;
    const itemsUpdatedMs = received ? orderedMs + 7 * DAY : orderedMs;
    const items = variants.map((v, k) => ({
      id: 90_000 + j * 10 + k,
      sku: v.variant.sku,
      inventory_item_id: legacyId(v.variant.inventoryItem.id),
      product_title: v.product.title,
      variant_title: v.variant.title === 'Default Title' ? null : v.variant.title,
      quantity: random.int(4, 36),
      // The last line of every fourth received order arrived short and stays "not delivered".
      status: received && !(j % 4 === 1 && k === variants.length - 1 && k > 0) ? 'received' : 'not delivered',
      cost_price: formatMoney(v.costCents!),
      retail_price: formatMoney(v.priceCents),
      received_at: null as string | null,
      updated_at: stockyLocalStamp(itemsUpdatedMs),
    }));
    for (const item of items) if (item.status === 'received') item.received_at = stockyTime(itemsUpdatedMs);
    purchaseOrders.push({
      id: 30_000 + j,
      number: `PO-${200 + j}`,
      sequential_id: 200 + j,
      invoice_number: received ? `SINV-${8800 + j}` : null,
      invoice_date: received ? new Date(itemsUpdatedMs).toISOString().slice(0, 10) : null,
      created_at: stockyTime(createdMs),
      updated_at: stockyTime(itemsUpdatedMs + 3_600_000),
      ordered_at: stockyTime(orderedMs),
      expected_on: new Date(orderedMs + 10 * DAY).toISOString().slice(0, 10),
      archived: j < count / 2,
      paid: received && j % 3 !== 2,
      supplier_name: supplier.name,
      supplier_id: String(supplier.id),
      currency: catalog.profile.currency,
      shopify_receive_location_id: legacyId(destination.id),
      shipping: j % 2 === 0 ? formatMoney(BigInt(random.int(10, 40)) * 100n) : '0.00',
      adjustments: j % 5 === 0 ? '-5.00' : '0.00',
      purchase_items: items,
    });
  }
  const reasons = [
    { id: 1, reason: 'Damaged' },
    { id: 2, reason: 'Stocktake' },
    { id: 3, reason: 'Theft or loss' },
  ];
  const adjustments: StockyStockAdjustment[] = [];
  const adjustmentCount = Math.min(300, 3 + Math.floor(orders / 500));
  for (let j = 0; j < adjustmentCount; j++) {
    const atMs = firstMs + Math.floor((220 * DAY * (j + 0.5)) / adjustmentCount);
    const location = catalog.stores[j % catalog.stores.length]!;
    const variants = random.sample(
      catalog.sellable.filter((v) => v.costCents !== null),
      random.int(1, 3),
    );
    adjustments.push({
      id: 60_000 + j,
      sequential_id: 1 + j,
      adjusted_at: stockyTime(atMs),
      created_at: stockyTime(atMs - 600_000),
      updated_at: stockyTime(atMs),
      archived: false,
      stock_adjustment_reason: reasons[j % reasons.length]!,
      location: { id: 400 + (j % catalog.stores.length), shopify_id: legacyId(location.id) },
      items: variants.map((v, k) => {
        const previous = random.int(5, 40);
        const delta = j % 3 === 1 ? random.int(-3, 3) || 1 : -random.int(1, 3);
        return {
          id: 70_000 + j * 10 + k,
          quantity: delta,
          previous_quantity: previous,
          new_quantity: previous + delta,
          variant: {
            id: 80_000 + (legacyId(v.variant.id) % 100_000),
            shopify_id: legacyId(v.variant.id),
            title: v.variant.title,
            sku: v.variant.sku,
            barcode: v.variant.barcode,
          },
        };
      }),
    });
  }
  return { suppliers, purchaseOrders, stockAdjustments: adjustments };
}
