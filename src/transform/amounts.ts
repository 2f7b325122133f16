/**
 * How Shopify's numbers split into the books' categories. Shared by transform and the reconciliation so both
 * use exactly the same arithmetic (any difference in the report is then a real difference, never rounding).
 */

import type {
  AdditionalFee,
  DiscountAllocation,
  LineItem,
  MoneyBag,
  Order,
  Refund,
  ShippingLine,
} from '../domain/index.ts';
import { allocate, type Money, parseMoney, sumMoney } from '../domain/index.ts';

export function shopMoney(bag: MoneyBag | null | undefined): Money {
  return bag ? parseMoney(bag.shopMoney.amount) : 0n;
}

/** a × b / c rounded half away from zero (c > 0). */
function mulDivRound(a: Money, b: Money, c: Money): Money {
  const product = a * b;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const q = (2n * abs + c) / (2n * c);
  return negative ? -q : q;
}

export interface DiscountPart {
  title: string;
  amount: Money;
}

export interface LineAmounts {
  /** originalUnitPrice × quantity, net of tax. */
  gross: Money;
  /** Discounts allocated to the line, net of tax (positive). */
  discount: Money;
  /** The same discount split by discount code/title (sums to `discount` exactly). */
  discounts: DiscountPart[];
  /** Σ tax lines. */
  tax: Money;
  /** gross − discount: what the line earns, net of tax. */
  net: Money;
}

function discountTitle(allocation: DiscountAllocation): string {
  const application = allocation.discountApplication;
  return application.title?.trim() || 'Discount';
}

/**
 * Splits a line exactly. With tax-exclusive prices the numbers are Shopify's. With tax-inclusive prices (EU
 * VAT) the line's tax T was computed on (gross − discount); it is apportioned to the gross and the discount in
 * proportion (rounded half away from zero on the gross part), so gross − discount − T is exactly the net
 * Shopify reports and no cent appears or disappears.
 */
export function lineAmounts(line: LineItem, taxesIncluded: boolean): LineAmounts {
  const grossWithTax = parseMoney(line.originalUnitPriceSet.shopMoney.amount) * BigInt(line.quantity);
  const allocations = line.discountAllocations.map((a) => ({
    title: discountTitle(a),
    amount: shopMoney(a.allocatedAmountSet),
  }));
  const discountWithTax = sumMoney(allocations.map((a) => a.amount));
  const tax = sumMoney(line.taxLines.map((t) => shopMoney(t.priceSet)));
  let gross = grossWithTax;
  let discount = discountWithTax;
  if (taxesIncluded && tax !== 0n) {
    const base = grossWithTax - discountWithTax;
    const net = base - tax;
    if (base > 0n) {
      gross = grossWithTax - mulDivRound(tax, grossWithTax, base);
      discount = gross - net;
    } else {
      gross = grossWithTax - tax;
      discount = discountWithTax;
    }
  }
  const parts =
    allocations.length === 0
      ? []
      : allocate(
          discount,
          allocations.map((a) => (a.amount < 0n ? 0n : a.amount)),
        ).map((amount, i) => ({ title: allocations[i]!.title, amount }));
  return { gross, discount, discounts: parts, tax, net: gross - discount };
}

export interface ShippingAmounts {
  /** After shipping discounts, net of tax. */
  net: Money;
  tax: Money;
}

export function shippingAmounts(line: ShippingLine, taxesIncluded: boolean): ShippingAmounts {
  const discounted = shopMoney(line.discountedPriceSet);
  const tax = sumMoney(line.taxLines.map((t) => shopMoney(t.priceSet)));
  return { net: taxesIncluded ? discounted - tax : discounted, tax };
}

/** An additional fee, net of tax like shipping (its price includes the tax when the order's prices do). */
export function additionalFeeAmounts(fee: AdditionalFee, taxesIncluded: boolean): ShippingAmounts {
  const price = shopMoney(fee.price);
  const tax = sumMoney(fee.taxLines.map((t) => shopMoney(t.priceSet)));
  return { net: taxesIncluded ? price - tax : price, tax };
}

/** The duties a refund gave back. */
export function refundedDuties(refund: Refund): Money {
  return sumMoney((refund.duties ?? []).map((d) => shopMoney(d.amountSet)));
}

/**
 * A tip. Shopify POS records a tip as a line item without product or variant titled "Tip" (the sales ledger
 * tags it lineType TIP); it is not merchandise, so it is kept out of gross sales and posted to tips.
 */
export function isTipLine(line: LineItem): boolean {
  return !line.isGiftCard && line.variant === null && line.product === null && /^tips?$/i.test(line.title.trim());
}

/**
 * Tips of an order not recorded as a tip line item (`totalTipReceivedSet` covers both; the lines are counted
 * where they are, the rest is the order-level tip).
 */
export function orderLevelTip(order: Order): Money {
  const total = shopMoney(order.totalTipReceivedSet);
  const lines = sumMoney(order.lineItems.filter(isTipLine).map((l) => tipLineAmount(l)));
  return total > lines ? total - lines : 0n;
}

export function tipLineAmount(line: LineItem): Money {
  return (
    parseMoney(line.originalUnitPriceSet.shopMoney.amount) * BigInt(line.quantity) -
    sumMoney(line.discountAllocations.map((a) => shopMoney(a.allocatedAmountSet)))
  );
}

/** Numeric part of a Shopify GID ("gid://shopify/Order/123" → "123"); other ids are returned as they are. */
export function numericId(gid: string): string {
  const slash = gid.lastIndexOf('/');
  const tail = slash >= 0 ? gid.slice(slash + 1) : gid;
  const query = tail.indexOf('?');
  return query >= 0 ? tail.slice(0, query) : tail;
}

/** Line items added to an order by POS exchanges, with the return that added them. */
export function exchangeLineReturns(order: Order): Map<string, { returnId: string; createdAt: string }> {
  const map = new Map<string, { returnId: string; createdAt: string }>();
  for (const ret of order.returns) {
    for (const exchange of ret.exchangeLineItems) {
      for (const line of exchange.lineItems) map.set(line.id, { returnId: ret.id, createdAt: ret.createdAt });
    }
  }
  return map;
}
