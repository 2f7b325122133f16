/** The connector's own vocabulary: money as exact decimals, time zones and local dates, identities, and Shopify's records as the extract keeps them. */
export { currencyDecimals } from './currency.ts';
export { externalGuidFor, shortHash } from './identity.ts';
export { allocate, formatMoney, type Money, parseMoney, sumMoney } from './money.ts';
export type {
  InventoryPurchaseOrder,
  InventoryTransfer,
  PayoutStatus,
  ShopifyPaymentsBalanceTransaction,
  ShopifyPaymentsPayout,
  StockyPurchaseOrder,
  StockyStockAdjustment,
  StockySupplier,
} from './payout-and-purchase-records.ts';
export type {
  AdditionalFee,
  Customer,
  DiscountAllocation,
  DiscountApplication,
  Duty,
  FinancialStatus,
  FulfillmentStatus,
  LineItem,
  Location,
  MoneyBag,
  MoneyV2,
  Order,
  OrderTransaction,
  Product,
  ProductVariant,
  Refund,
  RefundDuty,
  RefundLineItem,
  RestockType,
  Return,
  ShippingLine,
  Shop,
  ShopDataFile,
  TaxLine,
  TransactionKind,
} from './shopify-records.ts';
export { addDays, assertTimeZone, localDate, offsetMinutes, zonedTimeToInstant } from './time.ts';
