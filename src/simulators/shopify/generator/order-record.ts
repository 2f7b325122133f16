/** The order record as the Admin API gives it, assembled from what the builder made: totals, statuses and lines. */
import type {
  Customer,
  FinancialStatus,
  FulfillmentStatus,
  Location,
  Money,
  Order,
  TransactionKind,
} from '../../../domain/index.ts';
import { sumMoney } from '../../../domain/index.ts';
import { gid, isoFromMs } from './catalog.ts';
import { DAY, moneyOf, type PaymentPlan } from './order-parts.ts';
import type { OrderBuilder } from './orders.ts';

export function finish(
  b: OrderBuilder,
  state: {
    createdMs: number;
    isPos: boolean;
    store: Location | null;
    customer: Customer | null;
    tip: Money;
    plan: PaymentPlan;
    fulfillment: FulfillmentStatus;
    cancelledMs: number | null;
    cancelReason: string | null;
  },
): Order {
  const total = b.total() + state.tip;
  const succeeded = b.transactions.filter((t) => t.status === 'SUCCESS');
  const sumKinds = (kinds: TransactionKind[]) =>
    sumMoney(succeeded.filter((t) => kinds.includes(t.kind)).map((t) => moneyOf(t.amountSet)));
  const received = sumKinds(['SALE', 'CAPTURE']) - sumKinds(['CHANGE']);
  const refunded = sumKinds(['REFUND']);
  const cancelled = state.cancelledMs !== null;
  let financial: FinancialStatus;
  if (cancelled && (state.plan === 'authorized' || state.plan === 'unpaid')) financial = 'VOIDED';
  else if (b.refundedValue > 0n && b.refundedValue >= total) financial = 'REFUNDED';
  else if (b.refundedValue > 0n) financial = 'PARTIALLY_REFUNDED';
  else if (state.plan === 'authorized') financial = 'AUTHORIZED';
  else if (received + b.paymentRounding >= total) financial = 'PAID';
  else if (received > 0n) financial = 'PARTIALLY_PAID';
  else financial = 'PENDING';
  if (state.cancelledMs !== null) b.touch(state.cancelledMs);
  const orderTaxes = b.rates.map(
    (_, i) => sumMoney(b.lines.map((l) => l.taxes[i]!)) + (b.shipping ? b.shipping.taxes[i]! : 0n),
  );
  for (const line of b.lines) line.item.taxLines = b.lineTaxable(line) ? b.taxLines(line.taxes) : [];
  const hasTaxLines = b.lines.some((l) => l.item.taxLines.length > 0) || (b.shipping?.line.taxLines.length ?? 0) > 0;
  const discounts =
    sumMoney(b.lines.flatMap((l) => l.item.discountAllocations.map((d) => moneyOf(d.allocatedAmountSet)))) +
    sumMoney((b.shipping?.line.discountAllocations ?? []).map((d) => moneyOf(d.allocatedAmountSet)));
  const createdAt = isoFromMs(state.createdMs);
  const processedAt = b.index % 101 === 37 ? isoFromMs(state.createdMs - 2 * DAY) : createdAt;
  const gateways: string[] = [];
  for (const t of b.transactions) if (t.gateway && !gateways.includes(t.gateway)) gateways.push(t.gateway);
  const outstanding = cancelled ? 0n : total - received - b.paymentRounding;
  return {
    id: gid('Order', b.orderNumber),
    name: `#${1001 + b.index}`,
    createdAt,
    // Shopify bumps updatedAt on every change; a second after the last event here.
    updatedAt: isoFromMs(b.latestMs + 1000),
    processedAt,
    cancelledAt: state.cancelledMs === null ? null : isoFromMs(state.cancelledMs),
    cancelReason: state.cancelReason,
    test: b.test,
    sourceName: state.isPos ? 'pos' : 'web',
    retailLocation: state.store ? { id: state.store.id } : null,
    customer: state.customer ? { id: state.customer.id } : null,
    currencyCode: b.currency,
    presentmentCurrencyCode: b.currency,
    taxesIncluded: b.taxesIncluded,
    displayFinancialStatus: financial,
    displayFulfillmentStatus: state.fulfillment,
    subtotalPriceSet: b.bag(b.subtotal()),
    totalPriceSet: b.bag(total),
    totalTaxSet: b.bag(b.totalTax()),
    totalDiscountsSet: b.bag(discounts),
    totalShippingPriceSet: b.bag(b.shipping?.net ?? 0n),
    totalTipReceivedSet: b.bag(state.tip),
    totalOutstandingSet: b.bag(outstanding),
    totalReceivedSet: b.bag(received),
    totalRefundedSet: b.bag(refunded),
    totalCashRoundingAdjustment: {
      paymentSet: b.bag(b.paymentRounding),
      refundSet: b.bag(b.refundRounding),
    },
    paymentGatewayNames: gateways,
    taxLines: hasTaxLines ? b.taxLines(orderTaxes) : [],
    lineItems: b.lines.map((l) => l.item),
    shippingLines: b.shipping ? [b.shipping.line] : [],
    transactions: b.transactions,
    refunds: b.refunds,
    returns: b.returns,
    // Domestic orders: Shopify answers null and no fees.
    originalTotalDutiesSet: null,
    originalTotalAdditionalFeesSet: null,
    additionalFees: [],
  };
}
