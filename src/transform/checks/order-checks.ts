/**
 * Checks one source order before it becomes documents. An order that fails is held back with a reason the
 * merchant can act on; the other orders go on, so one damaged order never stops the whole sync.
 */
import type { MoneyBag, Order } from '../../domain/index.ts';
import { currencyDecimals, formatMoney, type Money, parseMoney, sumMoney } from '../../domain/index.ts';
import { ConnectorError } from '../../errors/index.ts';
import { orderLevelTip, shopMoney } from '../amounts.ts';

const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

const FIX_IN_SHOPIFY =
  'Correct the order in Shopify as the message says; the next sync posts it. Nothing was posted for it.';

/**
 * Every reason an order is held back: what it means and what the merchant does about it. The attention list keeps
 * an order with one of these codes until a sync posts it, so a code is added here or nowhere.
 */
export const HELD_BACK_ORDER_REASONS = {
  ORDER_AMOUNT_FOREIGN_CURRENCY: { means: 'an amount is not in the shop currency', whatToDo: FIX_IN_SHOPIFY },
  ORDER_AMOUNT_NOT_A_NUMBER: { means: 'an amount is not a number', whatToDo: FIX_IN_SHOPIFY },
  ORDER_AMOUNT_TOO_PRECISE: { means: 'an amount has more than two decimals', whatToDo: FIX_IN_SHOPIFY },
  ORDER_QUANTITY_INVALID: { means: 'a quantity is negative or not whole', whatToDo: FIX_IN_SHOPIFY },
  ORDER_TOTAL_MISMATCH: { means: "the order's total is not the sum of its parts", whatToDo: FIX_IN_SHOPIFY },
  ORDER_RECEIVED_MISMATCH: {
    means: 'the money received less change is not what the order says it received',
    whatToDo: FIX_IN_SHOPIFY,
  },
  ORDER_UNEXPLAINED_DIFFERENCE: {
    means: "the money that moved differs from the order's lines by more than cash rounding or a refund discrepancy",
    whatToDo: FIX_IN_SHOPIFY,
  },
  ORDER_CATEGORY_UNMAPPED: {
    means: 'the order needs a category the account mapping has no account for',
    whatToDo:
      'Map the category the message names to a QuickBooks account (the account mapping in the app, or `qbd-connector setup options --map`); the next sync posts the order. Nothing was posted for it.',
  },
  // The transform's own (readRefund): a refund whose numbers fit neither the tax-inclusive nor the exclusive reading.
  REFUND_AMOUNTS_MISFIT: {
    means: "a refund's amounts fit neither reading of its taxes",
    whatToDo:
      'Check the refund in Shopify against its lines, shipping and taxes, and enter it in QuickBooks by hand; the rest of the order is posted. Nothing of the refund was posted. Then say you entered it (`qbd-connector status --shop DOMAIN entered-in-quickbooks ID`, or POST …/attention/ID/entered-in-quickbooks): the connector never posts it, and the reconciliation expects it in QuickBooks.',
    enteredByHand: true,
  },
} as const;

/**
 * The codes whose item the merchant answers by entering it in QuickBooks by hand (`markEnteredInQuickBooks`): the
 * connector cannot post it right, and the merchant can.
 */
export const ENTERED_BY_HAND_CODES: readonly string[] = Object.entries(HELD_BACK_ORDER_REASONS)
  .filter(([, reason]) => 'enteredByHand' in reason && reason.enteredByHand)
  .map(([code]) => code);

export type HeldBackOrderCode = keyof typeof HELD_BACK_ORDER_REASONS;

/** The codes an order held back by these checks carries: each stays on the attention list until the order is fixed. */
export const HELD_BACK_ORDER_CODES: readonly string[] = Object.keys(HELD_BACK_ORDER_REASONS);

/** What the merchant does about an order held back with `code` (one of HELD_BACK_ORDER_CODES). */
export function heldBackWhatToDo(code: string): string {
  return code in HELD_BACK_ORDER_REASONS ? HELD_BACK_ORDER_REASONS[code as HeldBackOrderCode].whatToDo : FIX_IN_SHOPIFY;
}

/**
 * Every amount the order carries, with the field the merchant can find it under: `[field, name, bag]`, where a
 * `%` in the field stands for the line's (fee's, shipping line's) name. The name is put in only for a message
 * (`fieldName`): every order is checked on every sync, and building a label per amount was most of the check.
 */
type AmountAt = [field: string, name: string | null, bag: MoneyBag];

function amounts(order: Order): AmountAt[] {
  const out: AmountAt[] = [['total', null, order.totalPriceSet]];
  if (order.subtotalPriceSet) out.push(['subtotal', null, order.subtotalPriceSet]);
  if (order.totalTaxSet) out.push(['total tax', null, order.totalTaxSet]);
  if (order.totalDiscountsSet) out.push(['total discounts', null, order.totalDiscountsSet]);
  out.push(['shipping', null, order.totalShippingPriceSet], ['tip', null, order.totalTipReceivedSet]);
  out.push(['received', null, order.totalReceivedSet]);
  if (order.originalTotalDutiesSet) out.push(['duties', null, order.originalTotalDutiesSet]);
  if (order.originalTotalAdditionalFeesSet) out.push(['additional fees', null, order.originalTotalAdditionalFeesSet]);
  for (const fee of order.additionalFees ?? []) {
    out.push(['additional fee "%"', fee.name, fee.price]);
    for (const t of fee.taxLines) out.push(['additional fee "%" tax', fee.name, t.priceSet]);
  }
  for (const line of order.lineItems) {
    out.push(['line "%" unit price', line.name, line.originalUnitPriceSet]);
    for (const d of line.discountAllocations) out.push(['line "%" discount', line.name, d.allocatedAmountSet]);
    for (const t of line.taxLines) out.push(['line "%" tax', line.name, t.priceSet]);
  }
  for (const s of order.shippingLines) {
    out.push(['shipping "%"', s.title, s.discountedPriceSet]);
    for (const t of s.taxLines) out.push(['shipping "%" tax', s.title, t.priceSet]);
  }
  for (const t of order.transactions) {
    out.push(['payment through %', t.gateway, t.amountSet]);
    if (t.amountRoundingSet) out.push(['cash rounding through %', t.gateway, t.amountRoundingSet]);
  }
  for (const r of order.refunds) {
    for (const l of r.refundLineItems) {
      out.push(['refunded line', null, l.subtotalSet], ['refunded line tax', null, l.totalTaxSet]);
    }
    for (const s of r.refundShippingLines) {
      out.push(['refunded shipping', null, s.subtotalAmountSet]);
      out.push(['refunded shipping tax', null, s.taxAmountSet]);
    }
    for (const a of r.orderAdjustments) {
      out.push(['refund adjustment', null, a.amountSet], ['refund adjustment tax', null, a.taxAmountSet]);
    }
    for (const d of r.duties ?? []) out.push(['refunded duties', null, d.amountSet]);
    for (const t of r.transactions) {
      out.push(['refund through %', t.gateway, t.amountSet]);
      if (t.amountRoundingSet) out.push(['cash rounding through %', t.gateway, t.amountRoundingSet]);
    }
  }
  return out;
}

export function heldBack(
  order: Order,
  code: HeldBackOrderCode,
  field: string,
  detail: string,
  action: string,
): ConnectorError {
  return new ConnectorError({
    code,
    message: `Order ${order.id} (${order.name}) held back: ${field}: ${detail}`,
    merchantMessage: `Order ${order.name} was not posted: ${field} ${detail}. ${action} The next sync posts it once it is corrected.`,
    merchantMustAct: true,
    details: { order: order.name, orderId: order.id, field },
  });
}

/** The parts Shopify adds up to an order's total, each as the books read it. */
export interface OrderParts {
  lines: Money;
  discounts: Money;
  shipping: Money;
  /** Tax added on top of the prices (none when prices include tax). */
  taxes: Money;
  tips: Money;
  duties: Money;
  additionalFees: Money;
}

export function orderParts(order: Order): OrderParts {
  const shipping = order.shippingLines.filter((s) => !s.isRemoved);
  const fees = order.additionalFees ?? [];
  const taxLines = [
    ...order.lineItems.flatMap((l) => l.taxLines),
    ...shipping.flatMap((s) => s.taxLines),
    ...fees.flatMap((f) => f.taxLines),
  ];
  return {
    lines: sumMoney(
      order.lineItems.map((l) => parseMoney(l.originalUnitPriceSet.shopMoney.amount) * BigInt(l.quantity)),
    ),
    discounts: sumMoney(
      order.lineItems.flatMap((l) => l.discountAllocations.map((d) => shopMoney(d.allocatedAmountSet))),
    ),
    shipping: sumMoney(shipping.map((s) => shopMoney(s.discountedPriceSet))),
    taxes: order.taxesIncluded ? 0n : sumMoney(taxLines.map((t) => shopMoney(t.priceSet))),
    tips: orderLevelTip(order),
    duties: shopMoney(order.originalTotalDutiesSet),
    additionalFees:
      fees.length > 0 ? sumMoney(fees.map((f) => shopMoney(f.price))) : shopMoney(order.originalTotalAdditionalFeesSet),
  };
}

export function partsTotal(parts: OrderParts): Money {
  return (
    parts.lines - parts.discounts + parts.shipping + parts.taxes + parts.tips + parts.duties + parts.additionalFees
  );
}

const MONEY_IN = new Set(['SALE', 'CAPTURE']);

/** Money the order's own transactions took in, less the change handed back. */
export function receivedLessChange(order: Order): { received: Money; change: Money } {
  let received = 0n;
  let change = 0n;
  for (const t of order.transactions) {
    if (t.status !== 'SUCCESS' || t.test) continue;
    if (MONEY_IN.has(t.kind)) received += shopMoney(t.amountSet);
    else if (t.kind === 'CHANGE') change += shopMoney(t.amountSet);
  }
  return { received, change };
}

function arithmetic(order: Order): ConnectorError | null {
  const parts = orderParts(order);
  const expected = partsTotal(parts);
  const total = shopMoney(order.totalPriceSet);
  if (expected !== total) {
    const f = formatMoney;
    return heldBack(
      order,
      'ORDER_TOTAL_MISMATCH',
      'total',
      `is ${f(total)}, but its parts add up to ${f(expected)} (lines ${f(parts.lines)} − discounts ${f(parts.discounts)} + shipping ${f(parts.shipping)} + taxes ${f(parts.taxes)} + tips ${f(parts.tips)} + duties ${f(parts.duties)} + additional fees ${f(parts.additionalFees)}), ${f(total - expected)} apart`,
      'Correct the order in Shopify so its total matches its lines, or ask Shopify support why it does not.',
    );
  }
  const { received, change } = receivedLessChange(order);
  const recorded = shopMoney(order.totalReceivedSet);
  if (received - change !== recorded) {
    const f = formatMoney;
    return heldBack(
      order,
      'ORDER_RECEIVED_MISMATCH',
      'received',
      `is ${f(recorded)}, but its payments took in ${f(received)} less ${f(change)} of change = ${f(received - change)}, ${f(recorded - (received - change))} apart`,
      'Check the payments of the order in Shopify (a payment recorded twice, or change not recorded) and correct them.',
    );
  }
  return null;
}

/** Null when the order can become documents; otherwise why not. */
export function checkOrder(order: Order, shopCurrency: string): ConnectorError | null {
  // QuickBooks Desktop keeps two decimals; a currency with fewer (the yen) allows fewer.
  const decimals = Math.min(2, currencyDecimals(shopCurrency));
  for (const [at, name, bag] of amounts(order)) {
    const money = bag.shopMoney;
    const field = () => (name === null ? at : at.replace('%', name));
    if (money.currencyCode !== shopCurrency) {
      return heldBack(
        order,
        'ORDER_AMOUNT_FOREIGN_CURRENCY',
        field(),
        `is ${money.amount} ${money.currencyCode}, not in the shop currency ${shopCurrency}`,
        'Correct the order in Shopify so its amounts are in the shop currency.',
      );
    }
    const text = String(money.amount).trim();
    if (!NUMBER.test(text)) {
      return heldBack(
        order,
        'ORDER_AMOUNT_NOT_A_NUMBER',
        field(),
        `is ${JSON.stringify(money.amount)}, not an amount`,
        'Correct the amount in Shopify.',
      );
    }
    const dot = text.indexOf('.');
    if (dot !== -1 && /[1-9]/.test(text.slice(dot + 1 + decimals))) {
      return heldBack(
        order,
        'ORDER_AMOUNT_TOO_PRECISE',
        field(),
        decimals === 2
          ? `is ${text}, more than the two decimals QuickBooks Desktop keeps`
          : `is ${text}, but ${shopCurrency} amounts have no decimals`,
        decimals === 2
          ? 'Round the amount to two decimals in Shopify.'
          : 'Round the amount to a whole number in Shopify.',
      );
    }
  }
  const badQuantity = (field: string, q: number) =>
    heldBack(
      order,
      'ORDER_QUANTITY_INVALID',
      field,
      `is ${q}; a quantity must be a whole number of 0 or more`,
      'Correct the line in Shopify.',
    );
  const valid = (q: number) => Number.isInteger(q) && q >= 0;
  for (const line of order.lineItems) {
    if (!valid(line.quantity)) return badQuantity(`line "${line.name}" quantity`, line.quantity);
    if (!valid(line.currentQuantity)) return badQuantity(`line "${line.name}" current quantity`, line.currentQuantity);
  }
  for (const refund of order.refunds) {
    for (const l of refund.refundLineItems) if (!valid(l.quantity)) return badQuantity('refunded quantity', l.quantity);
  }
  return arithmetic(order);
}
