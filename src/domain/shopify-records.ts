/**
 * Shopify source records: what extract stores, what the Shopify simulator serves, what transform reads.
 *
 * The shapes are the Admin GraphQL API's (version 2026-10) field names, with every connection flattened to a
 * plain array (`lineItems: LineItem[]` instead of `lineItems { edges { node } }`) and references to other
 * records reduced to `{ id }` (plus the few fields the books need). A page of real API output, with its
 * connections flattened, is a valid record; a simulator data file (`ShopDataFile`) is a set of them.
 *
 * Amounts are Shopify `Decimal` strings ("19.99"), never numbers. Dates are ISO-8601 strings with offset.
 */
import type {
  InventoryPurchaseOrder,
  InventoryTransfer,
  ShopifyPaymentsBalanceTransaction,
  ShopifyPaymentsPayout,
  StockyPurchaseOrder,
  StockyStockAdjustment,
  StockySupplier,
} from './payout-and-purchase-records.ts';

export type Gid = string;
export type Decimal = string;
export type DateTime = string;

export interface MoneyV2 {
  amount: Decimal;
  currencyCode: string;
}

/** Shop currency and the customer's (presentment) currency. The books always use `shopMoney`. */
export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export interface Ref {
  id: Gid;
}

export interface Shop {
  id: Gid;
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  /** IANA zone, e.g. "America/New_York": days for Summary documents and reports are cut in this zone. */
  ianaTimezone: string;
  taxesIncluded: boolean;
  plan: { publicDisplayName: string; shopifyPlus: boolean };
}

export interface Location {
  id: Gid;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  updatedAt: DateTime;
}

export interface InventoryItem {
  id: Gid;
  sku: string | null;
  tracked: boolean;
  /** The current cost. Transform snapshots it per sale; it is not the cost at the time of a past sale. */
  unitCost: MoneyV2 | null;
}

export interface ProductVariant {
  id: Gid;
  title: string;
  displayName: string;
  sku: string | null;
  barcode: string | null;
  price: Decimal;
  taxable: boolean;
  inventoryItem: InventoryItem;
  updatedAt: DateTime;
}

export interface Product {
  id: Gid;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  isGiftCard: boolean;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  variants: ProductVariant[];
  createdAt: DateTime;
  updatedAt: DateTime;
}

export interface MailingAddress {
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCodeV2: string | null;
  company: string | null;
  phone: string | null;
}

export interface Customer {
  id: Gid;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  defaultEmailAddress: { emailAddress: string } | null;
  defaultPhoneNumber: { phoneNumber: string } | null;
  defaultAddress: MailingAddress | null;
  taxExempt: boolean;
  note: string | null;
  createdAt: DateTime;
  updatedAt: DateTime;
}

export interface TaxLine {
  title: string;
  /** Shopify sends the rate as a JSON float (0.08875); it is descriptive only, amounts come from priceSet. */
  rate: number | null;
  ratePercentage: number | null;
  priceSet: MoneyBag;
  channelLiable: boolean | null;
}

export interface DiscountApplication {
  /** DiscountCodeApplication | AutomaticDiscountApplication | ManualDiscountApplication | ScriptDiscountApplication */
  __typename: string;
  allocationMethod: 'ACROSS' | 'EACH' | 'ONE';
  targetSelection: 'ALL' | 'ENTITLED' | 'EXPLICIT';
  targetType: 'LINE_ITEM' | 'SHIPPING_LINE';
  /** Code for code discounts, title for the others (a GraphQL alias over the union's fields). */
  title: string | null;
}

export interface DiscountAllocation {
  allocatedAmountSet: MoneyBag;
  discountApplication: DiscountApplication;
}

export interface LineItem {
  id: Gid;
  name: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  /** Quantity ordered, including later refunded or removed units. */
  quantity: number;
  /** Quantity after refunds and removals. */
  currentQuantity: number;
  isGiftCard: boolean;
  taxable: boolean;
  requiresShipping: boolean;
  /** Unit price before discounts; includes tax when the order has `taxesIncluded`. */
  originalUnitPriceSet: MoneyBag;
  /** Line-level and order-level discounts allocated to this line (the whole line, not per unit). */
  discountAllocations: DiscountAllocation[];
  taxLines: TaxLine[];
  variant: { id: Gid; sku: string | null; inventoryItem: { id: Gid; unitCost: MoneyV2 | null } } | null;
  product: Ref | null;
}

export interface ShippingLine {
  id: Gid;
  title: string;
  code: string | null;
  source: string | null;
  originalPriceSet: MoneyBag;
  /** After shipping discounts; includes tax when the order has `taxesIncluded`. */
  discountedPriceSet: MoneyBag;
  discountAllocations: DiscountAllocation[];
  taxLines: TaxLine[];
  isRemoved: boolean;
}

export type TransactionKind =
  | 'AUTHORIZATION'
  | 'CAPTURE'
  | 'CHANGE'
  | 'EMV_AUTHORIZATION'
  | 'REFUND'
  | 'SALE'
  | 'SUGGESTED_REFUND'
  | 'VOID';

export type TransactionStatus = 'AWAITING_RESPONSE' | 'ERROR' | 'FAILURE' | 'PENDING' | 'SUCCESS' | 'UNKNOWN';

export interface TransactionFee {
  id: Gid;
  amount: MoneyV2;
  taxAmount: MoneyV2;
  type: string;
}

export interface OrderTransaction {
  id: Gid;
  kind: TransactionKind;
  status: TransactionStatus;
  /** "shopify_payments", "cash", "gift_card", "manual", or a third-party gateway name. */
  gateway: string | null;
  formattedGateway: string | null;
  manualPaymentGateway: boolean;
  /** Always positive; the kind says the direction (REFUND and CHANGE move money back to the customer). */
  amountSet: MoneyBag;
  /** Cash rounding applied to this transaction (countries that round cash), or null. */
  amountRoundingSet: MoneyBag | null;
  processedAt: DateTime | null;
  createdAt: DateTime;
  parentTransaction: Ref | null;
  test: boolean;
  fees: TransactionFee[];
  location: Ref | null;
}

export type RestockType = 'CANCEL' | 'LEGACY_RESTOCK' | 'NO_RESTOCK' | 'RETURN';

export interface RefundLineItem {
  id: Gid | null;
  lineItem: Ref;
  quantity: number;
  restockType: RestockType;
  restocked: boolean;
  location: Ref | null;
  priceSet: MoneyBag;
  /** Refunded goods net of discounts, before tax (after removing tax for tax-inclusive prices). */
  subtotalSet: MoneyBag;
  totalTaxSet: MoneyBag;
}

export interface RefundShippingLine {
  id: Gid;
  shippingLine: Ref;
  subtotalAmountSet: MoneyBag;
  taxAmountSet: MoneyBag;
}

export type OrderAdjustmentReason =
  | 'CUSTOMER'
  | 'DAMAGE'
  | 'FULL_RETURN_BALANCING_ADJUSTMENT'
  | 'PENDING_REFUND_DISCREPANCY'
  | 'REFUND_DISCREPANCY'
  | 'RESTOCK';

export interface OrderAdjustment {
  id: Gid;
  amountSet: MoneyBag;
  taxAmountSet: MoneyBag;
  reason: OrderAdjustmentReason | null;
}

export interface Refund {
  id: Gid;
  /** The refund's date: returns are booked on it, not on the order date. */
  createdAt: DateTime;
  processedAt: DateTime;
  updatedAt: DateTime;
  note: string | null;
  totalRefundedSet: MoneyBag;
  refundLineItems: RefundLineItem[];
  refundShippingLines: RefundShippingLine[];
  orderAdjustments: OrderAdjustment[];
  transactions: OrderTransaction[];
  return: Ref | null;
  /** Duties given back (absent in records extracted before duties were read). */
  duties?: RefundDuty[];
}

/** A duty Shopify charged the customer on a line (cross-border orders). */
export interface Duty {
  id: Gid;
  price: MoneyBag;
  taxLines: TaxLine[];
}

/** A duty given back by a refund. */
export interface RefundDuty {
  amountSet: MoneyBag;
  /** The duty given back (the extract does not read it: the amount is what the books need). */
  originalDuty?: { id: Gid } | null;
}

/** A fee charged on top of goods, shipping and duties (an import fee, a retail delivery fee). */
export interface AdditionalFee {
  id: Gid;
  name: string;
  price: MoneyBag;
  taxLines: TaxLine[];
}

export interface ExchangeLineItem {
  id: Gid;
  quantity: number;
  /** The new line items added to the order for the exchange. */
  lineItems: Ref[];
}

export interface Return {
  id: Gid;
  name: string;
  status: string;
  createdAt: DateTime;
  exchangeLineItems: ExchangeLineItem[];
}

export type FinancialStatus =
  | 'AUTHORIZED'
  | 'EXPIRED'
  | 'PAID'
  | 'PARTIALLY_PAID'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export type FulfillmentStatus =
  | 'FULFILLED'
  | 'FULFILLMENT_NOT_REQUIRED'
  | 'IN_PROGRESS'
  | 'ON_HOLD'
  | 'OPEN'
  | 'PARTIALLY_FULFILLED'
  | 'PENDING_FULFILLMENT'
  | 'REQUEST_DECLINED'
  | 'RESTOCKED'
  | 'SCHEDULED'
  | 'UNFULFILLED';

export interface Order {
  id: Gid;
  /** "#1001" */
  name: string;
  createdAt: DateTime;
  updatedAt: DateTime;
  /** The sale's date for the books (may differ from createdAt for imported or backdated orders). */
  processedAt: DateTime;
  cancelledAt: DateTime | null;
  cancelReason: string | null;
  test: boolean;
  /** "pos" for Shopify POS, "web" for the online store, other channel names otherwise. */
  sourceName: string | null;
  /** The POS location of a POS sale; null for online orders. */
  retailLocation: Ref | null;
  customer: Ref | null;
  currencyCode: string;
  presentmentCurrencyCode: string;
  taxesIncluded: boolean;
  displayFinancialStatus: FinancialStatus | null;
  displayFulfillmentStatus: FulfillmentStatus;
  subtotalPriceSet: MoneyBag | null;
  totalPriceSet: MoneyBag;
  totalTaxSet: MoneyBag | null;
  totalDiscountsSet: MoneyBag | null;
  totalShippingPriceSet: MoneyBag;
  totalTipReceivedSet: MoneyBag;
  totalOutstandingSet: MoneyBag;
  totalReceivedSet: MoneyBag;
  totalRefundedSet: MoneyBag;
  totalCashRoundingAdjustment: { paymentSet: MoneyBag; refundSet: MoneyBag };
  paymentGatewayNames: string[];
  taxLines: TaxLine[];
  lineItems: LineItem[];
  shippingLines: ShippingLine[];
  transactions: OrderTransaction[];
  refunds: Refund[];
  returns: Return[];
  /**
   * Duties and additional fees the customer paid (cross-border orders). Absent in records extracted before they
   * were read, and null when the order has none: both mean none.
   */
  originalTotalDutiesSet?: MoneyBag | null;
  originalTotalAdditionalFeesSet?: MoneyBag | null;
  additionalFees?: AdditionalFee[];
}

/**
 * A simulator data file (`qbd-connector sim shopify generate`): a whole shop in the record shapes above.
 * `demo --data FILE` and `sim shopify serve --data FILE` read it; tests build small ones by hand.
 */
export interface ShopDataFile {
  format: 'qbd-connector/shop-data@1';
  shop: Shop;
  locations: Location[];
  products: Product[];
  customers: Customer[];
  orders: Order[];
  shopifyPaymentsAccount: {
    payouts: ShopifyPaymentsPayout[];
    balanceTransactions: ShopifyPaymentsBalanceTransaction[];
  } | null;
  inventoryPurchaseOrders: InventoryPurchaseOrder[];
  inventoryTransfers: InventoryTransfer[];
  stocky: {
    suppliers: StockySupplier[];
    purchaseOrders: StockyPurchaseOrder[];
    stockAdjustments: StockyStockAdjustment[];
  } | null;
}
