/** What an order being generated is made of, and the money arithmetic its parts share (bigint hundredths). */
import type { LineItem, Money, MoneyBag } from '../../../domain/index.ts';
import { formatMoney, parseMoney } from '../../../domain/index.ts';

export const DAY = 86_400_000;

export function bag(cents: Money, currencyCode: string): MoneyBag {
  const amount = formatMoney(cents);
  return { shopMoney: { amount, currencyCode }, presentmentMoney: { amount, currencyCode } };
}

/** Half away from zero on a non-negative numerator: what Shopify does to tax and fees at the cent. */
export function divRound(numerator: Money, denominator: bigint): Money {
  return (numerator * 2n + denominator) / (2n * denominator);
}

export function roundCash(cents: Money, unit: bigint): Money {
  if (unit === 0n) return cents;
  return divRound(cents, unit) * unit;
}

export interface LineState {
  item: LineItem;
  unitPrice: Money;
  exempt: boolean;
  /** After discounts; tax-inclusive when the order is. */
  net: Money;
  taxes: Money[];
  remainingQuantity: number;
  remainingNet: Money;
  remainingTaxes: Money[];
}

export interface Tender {
  gateway: string;
  formattedGateway: string;
  manual: boolean;
  cash: boolean;
  /** Money kept by the merchant through this tender (after change), and what has gone back since. */
  received: Money;
  refunded: Money;
  parent: string;
}

export type PaymentPlan =
  | 'card'
  | 'cash'
  | 'split-cash-card'
  | 'gift-card-and-card'
  | 'gift-card'
  | 'paypal'
  | 'authorized'
  | 'unpaid'
  | 'partially-paid';

export function tenderRank(tender: Tender): number {
  if (tender.gateway === 'shopify_payments' || tender.gateway === 'paypal') return 0;
  if (tender.gateway === 'gift_card') return 1;
  if (tender.cash) return 3;
  return 2;
}

export function moneyOf(bagValue: MoneyBag): Money {
  return parseMoney(bagValue.shopMoney.amount);
}

/** Math.min does not take bigints. */
export function smaller(a: Money, b: Money): Money {
  if (a < b) return a;
  return b;
}
