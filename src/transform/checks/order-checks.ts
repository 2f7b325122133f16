/**
 * Checks one source order before it becomes documents. An order that fails is held back with a reason the
 * merchant can act on; the other orders go on, so one damaged order never stops the whole sync.
 */
import type { MoneyBag, Order } from '../../domain/index.ts';
import { ConnectorError } from '../../errors/index.ts';

const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * The codes an order (or one of its refunds) held back carries: each stays on the attention list until the data is
 * fixed. The refund code is the transform's own (`readRefund`): a refund whose numbers fit neither reading.
 */
export const HELD_BACK_ORDER_CODES: readonly string[] = [
  'ORDER_AMOUNT_FOREIGN_CURRENCY',
  'ORDER_AMOUNT_NOT_A_NUMBER',
  'ORDER_AMOUNT_TOO_PRECISE',
  'ORDER_QUANTITY_INVALID',
  'REFUND_AMOUNTS_MISFIT',
];

/** Every amount the order carries, named by the field the merchant can find it under. */
function amounts(order: Order): { field: string; bag: MoneyBag }[] {
  const out: { field: string; bag: MoneyBag }[] = [{ field: 'total', bag: order.totalPriceSet }];
  if (order.subtotalPriceSet) out.push({ field: 'subtotal', bag: order.subtotalPriceSet });
  if (order.totalTaxSet) out.push({ field: 'total tax', bag: order.totalTaxSet });
  if (order.totalDiscountsSet) out.push({ field: 'total discounts', bag: order.totalDiscountsSet });
  out.push({ field: 'shipping', bag: order.totalShippingPriceSet }, { field: 'tip', bag: order.totalTipReceivedSet });
  for (const line of order.lineItems) {
    out.push({ field: `line "${line.name}" unit price`, bag: line.originalUnitPriceSet });
    for (const d of line.discountAllocations)
      out.push({ field: `line "${line.name}" discount`, bag: d.allocatedAmountSet });
  }
  for (const t of order.transactions) out.push({ field: `payment through ${t.gateway}`, bag: t.amountSet });
  return out;
}

function reject(order: Order, code: string, field: string, detail: string, action: string): ConnectorError {
  return new ConnectorError({
    code,
    message: `Order ${order.id} (${order.name}) held back: ${field}: ${detail}`,
    merchantMessage: `Order ${order.name} was not posted: ${field} ${detail}. ${action} The next sync posts it once it is corrected.`,
    merchantMustAct: true,
    details: { order: order.name, orderId: order.id, field },
  });
}

/** Null when the order can become documents; otherwise why not. */
export function checkOrder(order: Order, shopCurrency: string): ConnectorError | null {
  for (const { field, bag } of amounts(order)) {
    const money = bag.shopMoney;
    if (money.currencyCode !== shopCurrency) {
      return reject(
        order,
        'ORDER_AMOUNT_FOREIGN_CURRENCY',
        field,
        `is ${money.amount} ${money.currencyCode}, not in the shop currency ${shopCurrency}`,
        'Correct the order in Shopify so its amounts are in the shop currency.',
      );
    }
    const text = String(money.amount).trim();
    if (!NUMBER.test(text)) {
      return reject(
        order,
        'ORDER_AMOUNT_NOT_A_NUMBER',
        field,
        `is ${JSON.stringify(money.amount)}, not an amount`,
        'Correct the amount in Shopify.',
      );
    }
    const fraction = text.split('.')[1] ?? '';
    if (/[1-9]/.test(fraction.slice(2))) {
      return reject(
        order,
        'ORDER_AMOUNT_TOO_PRECISE',
        field,
        `is ${text}, more than the two decimals QuickBooks Desktop keeps`,
        'Round the amount to two decimals in Shopify.',
      );
    }
  }
  for (const line of order.lineItems) {
    for (const [name, q] of [
      ['quantity', line.quantity],
      ['current quantity', line.currentQuantity],
    ] as const) {
      if (!Number.isInteger(q) || q < 0) {
        return reject(
          order,
          'ORDER_QUANTITY_INVALID',
          `line "${line.name}" ${name}`,
          `is ${q}; a quantity must be a whole number of 0 or more`,
          'Correct the line in Shopify.',
        );
      }
    }
  }
  return null;
}
