/**
 * Shopify source records for money leaving Shopify and stock coming in: Shopify Payments payouts and their balance
 * transactions, Shopify purchase orders and transfers, and what a store that still holds Stocky data gives. The
 * same conventions as `shopify-records.ts` (Admin GraphQL 2026-10 names, flattened connections, decimal strings).
 */
import type { DateTime, Decimal, Gid, MoneyV2, Ref } from './shopify-records.ts';

export type PayoutStatus = 'CANCELED' | 'FAILED' | 'IN_TRANSIT' | 'PAID' | 'SCHEDULED';

export interface ShopifyPaymentsPayout {
  id: Gid;
  issuedAt: DateTime;
  status: PayoutStatus;
  transactionType: 'DEPOSIT' | 'WITHDRAWAL';
  net: MoneyV2;
  summary: {
    chargesGross: MoneyV2;
    chargesFee: MoneyV2;
    refundsFeeGross: MoneyV2;
    refundsFee: MoneyV2;
    adjustmentsGross: MoneyV2;
    adjustmentsFee: MoneyV2;
    reservedFundsGross: MoneyV2;
    reservedFundsFee: MoneyV2;
    retriedPayoutsGross: MoneyV2;
    retriedPayoutsFee: MoneyV2;
  };
}

export interface ShopifyPaymentsBalanceTransaction {
  id: Gid;
  type: string;
  transactionDate: DateTime;
  test: boolean;
  amount: MoneyV2;
  fee: MoneyV2;
  net: MoneyV2;
  sourceOrderTransactionId: string | null;
  associatedOrder: { id: Gid; name: string } | null;
  associatedPayout: { id: Gid | null; status: PayoutStatus | null };
}

export interface InventorySupplierSnapshot {
  /** The API gives the supplier's name only (InventorySupplier has no id field); `id` is never relied on. */
  supplier: { id?: Gid; name: string } | null;
}

export interface InventoryPurchaseOrderLineItem {
  id: Gid;
  title: string | null;
  variantTitle: string | null;
  supplierSku: string | null;
  inventoryItem: Ref | null;
  totalQuantity: number;
  unitCost: MoneyV2 | null;
  subtotal: MoneyV2 | null;
  taxPercent: Decimal | null;
  totalCost: MoneyV2 | null;
}

/** Shopify's own purchase orders (read-only API; unstable 2026-09 schema, GA in 2026-10 per the changelog). */
export interface InventoryPurchaseOrder {
  id: Gid;
  name: string;
  status: 'DRAFT' | 'ORDERED';
  currency: string;
  dateCreated: DateTime;
  orderedAt: DateTime | null;
  archivedAt: DateTime | null;
  origin: InventorySupplierSnapshot | null;
  destination: { name: string; location: Ref | null } | null;
  referenceName: string | null;
  lineItems: InventoryPurchaseOrderLineItem[];
}

/** Receiving of a purchase order: a transfer whose `referenceName` is the purchase order's `name`. */
export interface InventoryTransfer {
  id: Gid;
  name: string;
  referenceName: string | null;
  status: string;
  dateCreated: DateTime | null;
  destination: { name: string; location: Ref | null } | null;
  totalQuantity: number;
  receivedQuantity: number;
  shipments: {
    id: Gid;
    name: string;
    status: string;
    dateReceived: DateTime | null;
    lineItems: {
      id: Gid;
      inventoryItem: Ref | null;
      quantity: number;
      acceptedQuantity: number;
      rejectedQuantity: number;
    }[];
  }[];
}

/** Stocky v2 API shapes (snake_case, as the API returns them). Stocky shut down on 2026-08-31. */
export interface StockySupplier {
  id: number;
  name: string;
  company_name: string | null;
  account_number: string | null;
  contact_name: string | null;
  contact_email: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province_code: string | null;
  country_name: string | null;
  zip: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
  is_hidden: boolean;
}

export interface StockyPurchaseItem {
  id: number;
  sku: string | null;
  inventory_item_id: number | null;
  product_title: string | null;
  variant_title: string | null;
  quantity: number;
  /** "not delivered", "received", … per line: Stocky has no PO-level status. */
  status: string;
  cost_price: Decimal;
  retail_price: Decimal | null;
  received_at: string | null;
  /** Stocky writes this one as "dd/mm/yyyy hh:mm". */
  updated_at: string;
}

export interface StockyPurchaseOrder {
  id: number;
  number: string | null;
  sequential_id: number;
  invoice_number: string | null;
  invoice_date: string | null;
  created_at: string;
  updated_at: string;
  ordered_at: string | null;
  expected_on: string | null;
  archived: boolean;
  paid: boolean;
  supplier_name: string | null;
  supplier_id: string | null;
  currency: string;
  shopify_receive_location_id: number | null;
  shipping: Decimal | null;
  adjustments: Decimal | null;
  purchase_items: StockyPurchaseItem[];
}

export interface StockyStockAdjustment {
  id: number;
  sequential_id: number;
  adjusted_at: string | null;
  created_at: string;
  updated_at: string;
  archived: boolean;
  stock_adjustment_reason: { id: number; reason: string } | null;
  location: { id: number; shopify_id: number } | null;
  items: {
    id: number;
    quantity: number;
    previous_quantity: number;
    new_quantity: number;
    variant: { id: number; shopify_id: number; title: string; sku: string | null; barcode: string | null };
  }[];
}
