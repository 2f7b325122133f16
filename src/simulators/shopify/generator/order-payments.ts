/** How a generated order is paid: its tenders (card, cash with change and rounding, gift card, PayPal) and their transactions. */
import type { Location, Money, OrderTransaction, TransactionKind } from '../../../domain/index.ts';
import { formatMoney } from '../../../domain/index.ts';
import { isoFromMs } from './catalog.ts';
import { divRound, type PaymentPlan, roundCash } from './order-parts.ts';
import type { OrderBuilder } from './orders.ts';

export function transaction(
  b: OrderBuilder,
  kind: TransactionKind,
  gateway: string,
  formattedGateway: string,
  amount: Money,
  ms: number,
  extra: {
    parent?: string;
    rounding?: Money | null;
    status?: OrderTransaction['status'];
    manual?: boolean;
    location?: Location | null;
  } = {},
): OrderTransaction {
  b.touch(ms);
  const iso = isoFromMs(ms);
  const online = extra.location === undefined || extra.location === null;
  const charge = gateway === 'shopify_payments' && (kind === 'SALE' || kind === 'CAPTURE');
  const fee = charge ? divRound(amount * (online ? 29_000n : 26_000n), 1_000_000n) + (online ? 30n : 10n) : 0n;
  return {
    id: b.id('OrderTransaction'),
    kind,
    status: extra.status ?? 'SUCCESS',
    gateway,
    formattedGateway,
    manualPaymentGateway: extra.manual ?? false,
    amountSet: b.bag(amount),
    amountRoundingSet: extra.rounding === undefined || extra.rounding === null ? null : b.bag(extra.rounding),
    processedAt: iso,
    createdAt: iso,
    parentTransaction: extra.parent ? { id: extra.parent } : null,
    test: b.test,
    fees: charge
      ? [
          {
            id: b.id('TransactionFee'),
            amount: { amount: formatMoney(fee), currencyCode: b.currency },
            taxAmount: { amount: '0.00', currencyCode: b.currency },
            type: 'payment_fee',
          },
        ]
      : [],
    location: extra.location ? { id: extra.location.id } : null,
  };
}

export function tender(
  b: OrderBuilder,
  gateway: string,
  formattedGateway: string,
  received: Money,
  parent: string,
  manual = false,
): void {
  const existing = b.tenders.find((t) => t.gateway === gateway);
  if (existing) {
    existing.received += received;
    return;
  }
  b.tenders.push({
    gateway,
    formattedGateway,
    manual,
    cash: gateway === 'cash',
    received,
    refunded: 0n,
    parent,
  });
}

export function payCard(b: OrderBuilder, amount: Money, ms: number, store: Location | null): void {
  if (amount <= 0n) return;
  if (store === null && b.random.chance(50)) {
    // Online checkouts often authorize first and capture on fulfilment.
    const auth = transaction(b, 'AUTHORIZATION', 'shopify_payments', 'Shopify Payments', amount, ms);
    const capture = transaction(b, 'CAPTURE', 'shopify_payments', 'Shopify Payments', amount, ms + 3_600_000, {
      parent: auth.id,
    });
    b.transactions.push(auth, capture);
    tender(b, 'shopify_payments', 'Shopify Payments', amount, capture.id);
    return;
  }
  const sale = transaction(b, 'SALE', 'shopify_payments', 'Shopify Payments', amount, ms, { location: store });
  b.transactions.push(sale);
  tender(b, 'shopify_payments', 'Shopify Payments', amount, sale.id);
}

/** Cash: the SALE is what the customer handed over, CHANGE what went back; rounding where the country rounds cash. */
export function payCash(b: OrderBuilder, due: Money, ms: number, store: Location | null): void {
  if (due <= 0n) return;
  const rounded = roundCash(due, b.roundingUnit);
  const rounding = due - rounded;
  const note = b.random.pick([0n, 500n, 1000n, 2000n, 5000n]);
  const tendered = note === 0n || rounded % note === 0n ? rounded : (rounded / note + 1n) * note;
  const sale = transaction(b, 'SALE', 'cash', 'Cash', tendered, ms, {
    rounding: b.roundingUnit > 0n ? rounding : null,
    location: store,
    manual: true,
  });
  b.transactions.push(sale);
  if (tendered > rounded) {
    b.transactions.push(
      transaction(b, 'CHANGE', 'cash', 'Cash', tendered - rounded, ms, {
        parent: sale.id,
        location: store,
        manual: true,
      }),
    );
  }
  b.paymentRounding += rounding;
  // Refunds are worked out on the unrounded amount and rounded again when the cash goes back.
  tender(b, 'cash', 'Cash', due, sale.id, true);
}

export function pay(b: OrderBuilder, plan: PaymentPlan, due: Money, ms: number, store: Location | null): void {
  const r = b.random;
  switch (plan) {
    case 'card':
      payCard(b, due, ms, store);
      return;
    case 'cash':
      payCash(b, due, ms, store);
      return;
    case 'split-cash-card': {
      const card = (due * BigInt(r.int(30, 70))) / 100n;
      payCard(b, card, ms, store);
      payCash(b, due - card, ms + 20_000, store);
      return;
    }
    case 'gift-card':
    case 'gift-card-and-card': {
      const balance = plan === 'gift-card' ? due : BigInt(r.int(5, 60)) * 100n;
      const redeemed = balance < due ? balance : due;
      const sale = transaction(b, 'SALE', 'gift_card', 'Gift card', redeemed, ms, { location: store });
      b.transactions.push(sale);
      tender(b, 'gift_card', 'Gift card', redeemed, sale.id);
      payCard(b, due - redeemed, ms + 15_000, store);
      return;
    }
    case 'paypal': {
      const sale = transaction(b, 'SALE', 'paypal', 'PayPal Express Checkout', due, ms);
      b.transactions.push(sale);
      tender(b, 'paypal', 'PayPal Express Checkout', due, sale.id);
      return;
    }
    case 'authorized':
      b.transactions.push(transaction(b, 'AUTHORIZATION', 'shopify_payments', 'Shopify Payments', due, ms));
      return;
    case 'unpaid': {
      // A manual payment method leaves a pending sale and nothing received.
      const pending = transaction(b, 'SALE', 'Cash on Delivery (COD)', 'Cash on Delivery (COD)', due, ms, {
        status: 'PENDING',
        manual: true,
        location: store,
      });
      b.transactions.push(pending);
      return;
    }
    case 'partially-paid': {
      const deposit = (due * BigInt(r.int(20, 60))) / 100n;
      const sale = transaction(b, 'SALE', 'Bank Deposit', 'Bank Deposit', deposit, ms, {
        manual: true,
        location: store,
      });
      b.transactions.push(sale);
      tender(b, 'Bank Deposit', 'Bank Deposit', deposit, sale.id, true);
      return;
    }
  }
}
