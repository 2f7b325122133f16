/** How a refund's amounts read: tax inside the subtotals or added to them, as the refund's own money confirms. */
import type { Money, Refund } from '../domain/index.ts';
import { refundedDuties, shopMoney } from './amounts.ts';

/**
 * How a refund's amounts read. Shopify's `RefundLineItem.subtotalSet` and `RefundShippingLine.subtotalAmountSet`
 * are the line's own price: with tax in it when the order's prices include tax (`taxesIncluded`), before tax when
 * tax is added on top. The refund's own transactions say which reading its numbers fit: Σ transactions = Σ line
 * subtotals + shipping subtotals (+ their taxes only when prices exclude them) + duties refunded + order
 * adjustments (each with its tax), within the cash rounding of those transactions. A refund that moved no money,
 * or returned no tax, has nothing to choose between and is read by the order's flag.
 */
export type RefundAmounts =
  | {
      fits: true;
      taxIncluded: boolean;
      /** Per refund line, in order: what was returned before tax. */
      lines: Money[];
      /** Per refund shipping line, in order: the shipping returned before tax. */
      shipping: Money[];
      /** The tax returned with the lines and the shipping. */
      tax: Money;
    }
  | { fits: false; moved: Money; subtotals: Money; tax: Money; adjustments: Money };

/** Duties refunded, and order adjustments with their tax: part of what a refund pays back either way. */
function refundExtras(refund: Refund): Money {
  return (
    refundedDuties(refund) +
    refund.orderAdjustments.reduce((sum, a) => sum + shopMoney(a.amountSet) + shopMoney(a.taxAmountSet), 0n)
  );
}

const abs = (amount: Money) => (amount < 0n ? -amount : amount);

export function readRefund(refund: Refund, taxesIncluded: boolean): RefundAmounts {
  const lineTax = refund.refundLineItems.map((l) => shopMoney(l.totalTaxSet));
  const shippingTax = refund.refundShippingLines.map((l) => shopMoney(l.taxAmountSet));
  const tax = [...lineTax, ...shippingTax].reduce((sum, t) => sum + t, 0n);
  const subtotals =
    refund.refundLineItems.reduce((sum, l) => sum + shopMoney(l.subtotalSet), 0n) +
    refund.refundShippingLines.reduce((sum, l) => sum + shopMoney(l.subtotalAmountSet), 0n);
  const adjustments = refundExtras(refund);
  const moving = refund.transactions.filter((t) => t.status === 'SUCCESS' && !t.test && t.kind === 'REFUND');
  const moved = moving.reduce((sum, t) => sum + shopMoney(t.amountSet), 0n);
  const rounding = moving.reduce(
    (sum, t) => sum + (t.amountRoundingSet ? abs(shopMoney(t.amountRoundingSet)) : 0n),
    0n,
  );
  const fits = (expected: Money) => abs(moved - expected) <= rounding;
  const included = fits(subtotals + adjustments);
  const added = fits(subtotals + tax + adjustments);
  let taxIncluded: boolean;
  // With no tax, or no money to check against, the two readings are one: nothing to choose (whether the money
  // matches the lines at all is the transform's Over/Short check).
  if (moving.length === 0 || tax === 0n) taxIncluded = taxesIncluded;
  else if (taxesIncluded ? included : added) taxIncluded = taxesIncluded;
  else if (included || added) taxIncluded = included;
  else return { fits: false, moved, subtotals, tax, adjustments };
  const before = (subtotal: Money, lineTaxOf: Money) => (taxIncluded ? subtotal - lineTaxOf : subtotal);
  return {
    fits: true,
    taxIncluded,
    lines: refund.refundLineItems.map((l, i) => before(shopMoney(l.subtotalSet), lineTax[i]!)),
    shipping: refund.refundShippingLines.map((l, i) => before(shopMoney(l.subtotalAmountSet), shippingTax[i]!)),
    tax,
  };
}
