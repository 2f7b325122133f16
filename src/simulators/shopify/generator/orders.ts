/**
 * One generated order, built from its own random stream so that order N can be rebuilt alone (streaming, bounded
 * memory). All arithmetic is in bigint hundredths; amounts become Decimal strings only when written into records.
 *
 * The invariants the generator guarantees are listed and checked in `invariants.ts`.
 */
import type {
  Customer,
  DiscountAllocation,
  DiscountApplication,
  FinancialStatus,
  FulfillmentStatus,
  LineItem,
  Location,
  Money,
  MoneyBag,
  Order,
  OrderTransaction,
  Refund,
  RefundLineItem,
  RestockType,
  Return,
  ShippingLine,
  TaxLine,
  TransactionKind,
} from '../../../domain/index.ts';
import { allocate, formatMoney, parseMoney, sumMoney } from '../../../domain/index.ts';
import type { Catalog, CatalogVariant, TaxRate } from './catalog.ts';
import { gid, ID_BASE, isoFromMs } from './catalog.ts';
import { Random } from './random.ts';

export interface OrderTimeline {
  seed: string | number;
  catalog: Catalog;
  startMs: number;
  /** Milliseconds between consecutive orders: order N is created in [start + N·interval, start + (N+1)·interval). */
  intervalMs: number;
}

const DAY = 86_400_000;

export function bag(cents: Money, currencyCode: string): MoneyBag {
  const amount = formatMoney(cents);
  return { shopMoney: { amount, currencyCode }, presentmentMoney: { amount, currencyCode } };
}

/** Half away from zero on a non-negative numerator: what Shopify does to tax and fees at the cent. */
function divRound(numerator: Money, denominator: bigint): Money {
  return (numerator * 2n + denominator) / (2n * denominator);
}

function roundCash(cents: Money, unit: bigint): Money {
  if (unit === 0n) return cents;
  return divRound(cents, unit) * unit;
}

interface LineState {
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

interface Tender {
  gateway: string;
  formattedGateway: string;
  manual: boolean;
  cash: boolean;
  /** Money kept by the merchant through this tender (after change), and what has gone back since. */
  received: Money;
  refunded: Money;
  parent: string;
}

type PaymentPlan =
  | 'card'
  | 'cash'
  | 'split-cash-card'
  | 'gift-card-and-card'
  | 'gift-card'
  | 'paypal'
  | 'authorized'
  | 'unpaid'
  | 'partially-paid';

/** Builds order `index` of the shop. Pure: the same timeline and index always give the same order. */
export function generateOrder(timeline: OrderTimeline, index: number): Order {
  return new OrderBuilder(timeline, index).build();
}

class OrderBuilder {
  readonly #timeline: OrderTimeline;
  readonly #index: number;
  readonly #random: Random;
  readonly #orderNumber: number;
  readonly #currency: string;
  readonly #rates: TaxRate[];
  readonly #taxesIncluded: boolean;
  readonly #roundingUnit: bigint;
  #childCounter = 0;
  #lines: LineState[] = [];
  #shipping: { line: ShippingLine; net: Money; taxes: Money[] } | null = null;
  #transactions: OrderTransaction[] = [];
  #refunds: Refund[] = [];
  #returns: Return[] = [];
  #tenders: Tender[] = [];
  #paymentRounding = 0n;
  #refundRounding = 0n;
  #refundedValue = 0n;
  #latestMs: number;
  #test: boolean;

  constructor(timeline: OrderTimeline, index: number) {
    this.#timeline = timeline;
    this.#index = index;
    this.#random = Random.for(timeline.seed, 'order', index);
    this.#orderNumber = ID_BASE.order + index + 1;
    const { profile } = timeline.catalog;
    this.#currency = profile.currency;
    this.#rates = profile.taxes;
    this.#taxesIncluded = profile.taxesIncluded;
    this.#roundingUnit = profile.cashRoundingUnit;
    this.#latestMs = 0;
    this.#test = index % 997 === 500;
  }

  #id(type: string): string {
    this.#childCounter++;
    return gid(type, this.#orderNumber * 1000 + this.#childCounter);
  }

  #bag(cents: Money): MoneyBag {
    return bag(cents, this.#currency);
  }

  #touch(ms: number): void {
    if (ms > this.#latestMs) this.#latestMs = ms;
  }

  build(): Order {
    const r = this.#random;
    const { catalog, startMs, intervalMs } = this.#timeline;
    const createdMs = startMs + this.#index * intervalMs + r.int(0, Math.max(0, intervalMs / 1000 - 1)) * 1000;
    this.#touch(createdMs);
    const isPos = r.chance(60);
    const store: Location | null = isPos ? r.pick(catalog.stores) : null;
    const customer: Customer | null = isPos && r.chance(45) ? null : r.pick(catalog.customers);
    const taxExempt = customer?.taxExempt ?? false;

    // Line items.
    const lineCount = r.weighted([
      [1, 45],
      [2, 30],
      [3, 15],
      [4, 10],
    ] as const);
    const picks: CatalogVariant[] = r.sample(catalog.sellable, lineCount);
    const sellsGiftCard = r.chance(isPos ? 4 : 6);
    if (sellsGiftCard) picks[picks.length - 1] = r.pick(catalog.giftCards);
    for (const pick of picks) {
      const quantity = pick.product.isGiftCard
        ? 1
        : r.weighted([
            [1, 70],
            [2, 20],
            [3, 10],
          ] as const);
      this.#addLine(pick, quantity, taxExempt);
    }

    // Line-level discounts (a staff or automatic discount on one line).
    for (const line of this.#lines) {
      if (line.item.isGiftCard || !r.chance(12)) continue;
      const percent = BigInt(r.pick([10, 15, 20, 25]));
      const gross = this.#gross(line);
      const amount = divRound(gross * percent, 100n);
      const application: DiscountApplication = isPos
        ? {
            __typename: 'ManualDiscountApplication',
            allocationMethod: 'EACH',
            targetSelection: 'EXPLICIT',
            targetType: 'LINE_ITEM',
            title: `Staff discount ${percent}%`,
          }
        : {
            __typename: 'AutomaticDiscountApplication',
            allocationMethod: 'ACROSS',
            targetSelection: 'ENTITLED',
            targetType: 'LINE_ITEM',
            title: `Bundle savings ${percent}%`,
          };
      this.#discountLine(line, amount, application);
    }
    // Order-level code discount, allocated across the eligible lines by largest remainder.
    const eligible = this.#lines.filter((l) => !l.item.isGiftCard && l.net > 0n);
    if (eligible.length > 0 && r.chance(12)) {
      const base = sumMoney(eligible.map((l) => l.net));
      const fixed = r.chance(40);
      const amount = fixed ? (base < 500n ? base : 500n) : divRound(base * 10n, 100n);
      const application: DiscountApplication = {
        __typename: 'DiscountCodeApplication',
        allocationMethod: 'ACROSS',
        targetSelection: 'ALL',
        targetType: 'LINE_ITEM',
        title: fixed ? 'SAVE5' : 'WELCOME10',
      };
      const parts = allocate(
        amount,
        eligible.map((l) => l.net),
      );
      eligible.forEach((line, i) => {
        this.#discountLine(line, parts[i]!, application);
      });
    }

    // Shipping for online orders with physical goods.
    if (!isPos && this.#lines.some((l) => l.item.requiresShipping)) {
      const express = r.chance(25);
      const price = express ? 1500n : 750n;
      const discount = r.chance(10) ? price : 0n;
      const line: ShippingLine = {
        id: this.#id('ShippingLine'),
        title: express ? 'Express' : 'Standard',
        code: express ? 'EXPRESS' : 'STANDARD',
        source: 'shopify',
        originalPriceSet: this.#bag(price),
        discountedPriceSet: this.#bag(price - discount),
        discountAllocations:
          discount > 0n
            ? [
                {
                  allocatedAmountSet: this.#bag(discount),
                  discountApplication: {
                    __typename: 'DiscountCodeApplication',
                    allocationMethod: 'EACH',
                    targetSelection: 'ALL',
                    targetType: 'SHIPPING_LINE',
                    title: 'FREESHIP',
                  },
                },
              ]
            : [],
        taxLines: [],
        isRemoved: false,
      };
      const net = price - discount;
      const taxes = taxExempt ? this.#rates.map(() => 0n) : this.#taxesOn(net);
      line.taxLines = taxExempt ? [] : this.#taxLines(taxes);
      this.#shipping = { line, net, taxes };
    }

    // Payment.
    const hasGiftCardLine = this.#lines.some((l) => l.item.isGiftCard);
    const plan: PaymentPlan = isPos
      ? r.weighted<PaymentPlan>([
          ['card', 50],
          ['cash', 28],
          ['split-cash-card', 8],
          [hasGiftCardLine ? 'card' : 'gift-card-and-card', 5],
          [hasGiftCardLine ? 'cash' : 'gift-card', 3],
          ['unpaid', 3],
          ['partially-paid', 3],
        ])
      : r.weighted<PaymentPlan>([
          ['card', 72],
          ['paypal', 10],
          [hasGiftCardLine ? 'card' : 'gift-card-and-card', 4],
          ['authorized', 5],
          ['unpaid', 5],
          ['partially-paid', 4],
        ]);
    const tip = isPos && plan === 'card' && r.chance(25) ? divRound(this.#subtotal() * 15n, 100n) : 0n;
    const saleTotal = this.#total() + tip;
    const paidMs = createdMs + r.int(5, 90) * 1000;
    this.#pay(plan, saleTotal, paidMs, store);

    // Fulfilment and what happens after the sale.
    const onlyGiftCards = this.#lines.every((l) => l.item.isGiftCard);
    let fulfillment: FulfillmentStatus =
      isPos || onlyGiftCards
        ? 'FULFILLED'
        : r.weighted<FulfillmentStatus>([
            ['FULFILLED', 78],
            ['UNFULFILLED', 17],
            ['PARTIALLY_FULFILLED', 5],
          ]);
    let cancelledMs: number | null = null;
    let cancelReason: string | null = null;
    const fullyPaid = plan !== 'authorized' && plan !== 'unpaid' && plan !== 'partially-paid';
    const restockLocation = store ?? catalog.warehouse;
    const eventMs = (minDays: number, maxDays: number) =>
      // At least two hours after the sale, so after any capture.
      createdMs + r.int(minDays, maxDays) * DAY + r.int(2 * 3600, 10 * 3600) * 1000;
    if (plan === 'authorized' && r.chance(40)) {
      cancelledMs = eventMs(1, 3);
      cancelReason = 'CUSTOMER';
      const auth = this.#transactions[0]!;
      this.#transactions.push(
        this.#transaction('VOID', auth.gateway!, auth.formattedGateway!, saleTotal, cancelledMs, {
          parent: auth.id,
        }),
      );
      fulfillment = 'UNFULFILLED';
    } else if (plan === 'unpaid' && !isPos && r.chance(25)) {
      cancelledMs = eventMs(2, 10);
      cancelReason = 'OTHER';
      fulfillment = 'UNFULFILLED';
    } else if (fullyPaid && !isPos && !hasGiftCardLine && r.chance(4)) {
      // Cancelled before shipping: everything back, restocked, shipping refunded.
      cancelledMs = eventMs(0, 2);
      cancelReason = r.pick(['CUSTOMER', 'INVENTORY', 'FRAUD']);
      fulfillment = 'UNFULFILLED';
      this.#refund(cancelledMs, {
        lines: this.#lines.map((line) => ({ line, quantity: line.remainingQuantity, restock: 'CANCEL' as const })),
        shipping: true,
        adjustment: 0n,
        location: catalog.warehouse,
        note: 'Order cancelled',
      });
    } else if (fullyPaid && fulfillment === 'FULFILLED') {
      const returnable = this.#lines.filter((l) => !l.item.isGiftCard && l.remainingQuantity > 0);
      const roll = r.int(0, 99);
      if (returnable.length > 0 && roll < 9) {
        // Partial refund of one line, with or without restock, sometimes with a restocking fee kept back.
        const line = r.pick(returnable);
        const quantity = r.int(1, line.remainingQuantity);
        const restock = r.chance(60);
        const give = this.#lineGive(line, quantity);
        const fee = r.chance(20) && give > 1000n ? -divRound(give, 10n) : 0n;
        this.#refund(eventMs(1, 30), {
          lines: [{ line, quantity, restock: restock ? 'RETURN' : 'NO_RESTOCK' }],
          shipping: false,
          adjustment: fee,
          location: restockLocation,
          note: restock ? 'Returned in store' : 'Damaged in transit, not returned',
        });
        // Now and then the rest of the order follows, shipping included: a later full refund.
        if (r.chance(25)) {
          this.#refund(eventMs(31, 45), {
            lines: this.#lines
              .filter((l) => !l.item.isGiftCard && l.remainingQuantity > 0)
              .map((l) => ({ line: l, quantity: l.remainingQuantity, restock: 'RETURN' as const })),
            shipping: this.#shipping !== null,
            adjustment: 0n,
            location: restockLocation,
            note: 'Rest of the order returned',
          });
        }
      } else if (returnable.length > 0 && roll < 11) {
        this.#refund(eventMs(1, 14), {
          lines: returnable.map((l) => ({ line: l, quantity: l.remainingQuantity, restock: 'RETURN' as const })),
          shipping: this.#shipping !== null,
          adjustment: 0n,
          location: restockLocation,
          note: 'Full return',
        });
      } else if (isPos && store && returnable.length > 0 && roll < 15) {
        this.#exchange(r.pick(returnable), eventMs(1, 20), store);
      }
    }

    return this.#finish({
      createdMs,
      isPos,
      store,
      customer,
      tip,
      plan,
      fulfillment,
      cancelledMs,
      cancelReason,
    });
  }

  #gross(line: LineState): Money {
    return BigInt(line.item.quantity) * line.unitPrice;
  }

  #addLine(pick: CatalogVariant, quantity: number, taxExempt: boolean, ms?: number): LineState {
    const { variant, product, priceCents } = pick;
    const defaultTitle = variant.title === 'Default Title';
    const item: LineItem = {
      id: this.#id('LineItem'),
      name: defaultTitle ? product.title : `${product.title} - ${variant.title}`,
      title: product.title,
      variantTitle: defaultTitle ? null : variant.title,
      sku: variant.sku,
      vendor: product.vendor,
      quantity,
      currentQuantity: quantity,
      isGiftCard: product.isGiftCard,
      taxable: variant.taxable,
      requiresShipping: !product.isGiftCard && product.productType !== 'Service',
      originalUnitPriceSet: this.#bag(priceCents),
      discountAllocations: [],
      taxLines: [],
      variant: {
        id: variant.id,
        sku: variant.sku,
        inventoryItem: { id: variant.inventoryItem.id, unitCost: variant.inventoryItem.unitCost },
      },
      product: { id: product.id },
    };
    const net = priceCents * BigInt(quantity);
    const state: LineState = {
      item,
      unitPrice: priceCents,
      exempt: taxExempt,
      net,
      taxes: [],
      remainingQuantity: quantity,
      remainingNet: net,
      remainingTaxes: [],
    };
    state.taxes = this.#lineTaxable(state) ? this.#taxesOn(net) : this.#rates.map(() => 0n);
    state.remainingTaxes = [...state.taxes];
    this.#lines.push(state);
    if (ms !== undefined) this.#touch(ms);
    return state;
  }

  #lineTaxable(line: LineState): boolean {
    return line.item.taxable && !line.exempt;
  }

  #discountLine(line: LineState, amount: Money, application: DiscountApplication): void {
    if (amount <= 0n) return;
    const allocation: DiscountAllocation = { allocatedAmountSet: this.#bag(amount), discountApplication: application };
    line.item.discountAllocations.push(allocation);
    line.net -= amount;
    line.remainingNet = line.net;
    line.taxes = this.#lineTaxable(line) ? this.#taxesOn(line.net) : this.#rates.map(() => 0n);
    line.remainingTaxes = [...line.taxes];
  }

  /**
   * Tax on an amount after discounts. Tax-exclusive: each rate rounds on its own (how Shopify shows separate state
   * and city lines). Tax-inclusive: the tax inside the price is price − price / (1 + Σ rates), rounded once, then
   * split across the rates by largest remainder so the parts sum exactly.
   */
  #taxesOn(amount: Money): Money[] {
    if (!this.#taxesIncluded) return this.#rates.map((rate) => divRound(amount * rate.ppm, 1_000_000n));
    const totalPpm = sumMoney(this.#rates.map((rate) => rate.ppm));
    const tax = amount - divRound(amount * 1_000_000n, 1_000_000n + totalPpm);
    return allocate(
      tax,
      this.#rates.map((rate) => rate.ppm),
    );
  }

  #taxLines(amounts: Money[]): TaxLine[] {
    return this.#rates.map((rate, i) => ({
      title: rate.title,
      rate: Number(rate.ppm) / 1_000_000,
      ratePercentage: Number(rate.ppm) / 10_000,
      priceSet: this.#bag(amounts[i]!),
      channelLiable: false,
    }));
  }

  #subtotal(): Money {
    return sumMoney(this.#lines.map((l) => l.net));
  }

  #totalTax(): Money {
    return sumMoney(this.#lines.flatMap((l) => l.taxes)) + (this.#shipping ? sumMoney(this.#shipping.taxes) : 0n);
  }

  /** Goods + shipping (+ tax when added on top), without the tip. */
  #total(): Money {
    const shipping = this.#shipping?.net ?? 0n;
    return this.#subtotal() + shipping + (this.#taxesIncluded ? 0n : this.#totalTax());
  }

  #transaction(
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
    this.#touch(ms);
    const iso = isoFromMs(ms);
    const online = extra.location === undefined || extra.location === null;
    const charge = gateway === 'shopify_payments' && (kind === 'SALE' || kind === 'CAPTURE');
    const fee = charge ? divRound(amount * (online ? 29_000n : 26_000n), 1_000_000n) + (online ? 30n : 10n) : 0n;
    return {
      id: this.#id('OrderTransaction'),
      kind,
      status: extra.status ?? 'SUCCESS',
      gateway,
      formattedGateway,
      manualPaymentGateway: extra.manual ?? false,
      amountSet: this.#bag(amount),
      amountRoundingSet: extra.rounding === undefined || extra.rounding === null ? null : this.#bag(extra.rounding),
      processedAt: iso,
      createdAt: iso,
      parentTransaction: extra.parent ? { id: extra.parent } : null,
      test: this.#test,
      fees: charge
        ? [
            {
              id: this.#id('TransactionFee'),
              amount: { amount: formatMoney(fee), currencyCode: this.#currency },
              taxAmount: { amount: '0.00', currencyCode: this.#currency },
              type: 'payment_fee',
            },
          ]
        : [],
      location: extra.location ? { id: extra.location.id } : null,
    };
  }

  #tender(gateway: string, formattedGateway: string, received: Money, parent: string, manual = false): void {
    const existing = this.#tenders.find((t) => t.gateway === gateway);
    if (existing) {
      existing.received += received;
      return;
    }
    this.#tenders.push({
      gateway,
      formattedGateway,
      manual,
      cash: gateway === 'cash',
      received,
      refunded: 0n,
      parent,
    });
  }

  #payCard(amount: Money, ms: number, store: Location | null): void {
    if (amount <= 0n) return;
    if (store === null && this.#random.chance(50)) {
      // Online checkouts often authorize first and capture on fulfilment.
      const auth = this.#transaction('AUTHORIZATION', 'shopify_payments', 'Shopify Payments', amount, ms);
      const capture = this.#transaction('CAPTURE', 'shopify_payments', 'Shopify Payments', amount, ms + 3_600_000, {
        parent: auth.id,
      });
      this.#transactions.push(auth, capture);
      this.#tender('shopify_payments', 'Shopify Payments', amount, capture.id);
      return;
    }
    const sale = this.#transaction('SALE', 'shopify_payments', 'Shopify Payments', amount, ms, { location: store });
    this.#transactions.push(sale);
    this.#tender('shopify_payments', 'Shopify Payments', amount, sale.id);
  }

  /** Cash: the SALE is what the customer handed over, CHANGE what went back; rounding where the country rounds cash. */
  #payCash(due: Money, ms: number, store: Location | null): void {
    if (due <= 0n) return;
    const rounded = roundCash(due, this.#roundingUnit);
    const rounding = due - rounded;
    const note = this.#random.pick([0n, 500n, 1000n, 2000n, 5000n]);
    const tendered = note === 0n || rounded % note === 0n ? rounded : (rounded / note + 1n) * note;
    const sale = this.#transaction('SALE', 'cash', 'Cash', tendered, ms, {
      rounding: this.#roundingUnit > 0n ? rounding : null,
      location: store,
      manual: true,
    });
    this.#transactions.push(sale);
    if (tendered > rounded) {
      this.#transactions.push(
        this.#transaction('CHANGE', 'cash', 'Cash', tendered - rounded, ms, {
          parent: sale.id,
          location: store,
          manual: true,
        }),
      );
    }
    this.#paymentRounding += rounding;
    // Refunds are worked out on the unrounded amount and rounded again when the cash goes back.
    this.#tender('cash', 'Cash', due, sale.id, true);
  }

  #pay(plan: PaymentPlan, due: Money, ms: number, store: Location | null): void {
    const r = this.#random;
    switch (plan) {
      case 'card':
        this.#payCard(due, ms, store);
        return;
      case 'cash':
        this.#payCash(due, ms, store);
        return;
      case 'split-cash-card': {
        const card = (due * BigInt(r.int(30, 70))) / 100n;
        this.#payCard(card, ms, store);
        this.#payCash(due - card, ms + 20_000, store);
        return;
      }
      case 'gift-card':
      case 'gift-card-and-card': {
        const balance = plan === 'gift-card' ? due : BigInt(r.int(5, 60)) * 100n;
        const redeemed = balance < due ? balance : due;
        const sale = this.#transaction('SALE', 'gift_card', 'Gift card', redeemed, ms, { location: store });
        this.#transactions.push(sale);
        this.#tender('gift_card', 'Gift card', redeemed, sale.id);
        this.#payCard(due - redeemed, ms + 15_000, store);
        return;
      }
      case 'paypal': {
        const sale = this.#transaction('SALE', 'paypal', 'PayPal Express Checkout', due, ms);
        this.#transactions.push(sale);
        this.#tender('paypal', 'PayPal Express Checkout', due, sale.id);
        return;
      }
      case 'authorized':
        this.#transactions.push(this.#transaction('AUTHORIZATION', 'shopify_payments', 'Shopify Payments', due, ms));
        return;
      case 'unpaid': {
        // A manual payment method leaves a pending sale and nothing received.
        const pending = this.#transaction('SALE', 'Cash on Delivery (COD)', 'Cash on Delivery (COD)', due, ms, {
          status: 'PENDING',
          manual: true,
          location: store,
        });
        this.#transactions.push(pending);
        return;
      }
      case 'partially-paid': {
        const deposit = (due * BigInt(r.int(20, 60))) / 100n;
        const sale = this.#transaction('SALE', 'Bank Deposit', 'Bank Deposit', deposit, ms, {
          manual: true,
          location: store,
        });
        this.#transactions.push(sale);
        this.#tender('Bank Deposit', 'Bank Deposit', deposit, sale.id, true);
        return;
      }
    }
  }

  /** What refunding `quantity` units of a line gives back (tax included), without changing the line. */
  #lineGive(line: LineState, quantity: number): Money {
    const [net, taxes] = this.#lineShare(line, quantity);
    return net + (this.#taxesIncluded ? 0n : sumMoney(taxes));
  }

  /** The share of a line's net and taxes for `quantity` units; the last units take whatever remains. */
  #lineShare(line: LineState, quantity: number): [Money, Money[]] {
    if (quantity >= line.remainingQuantity) return [line.remainingNet, [...line.remainingTaxes]];
    const q = BigInt(quantity);
    const total = BigInt(line.item.quantity);
    return [divRound(line.net * q, total), line.taxes.map((tax) => divRound(tax * q, total))];
  }

  #refund(
    ms: number,
    spec: {
      lines: { line: LineState; quantity: number; restock: RestockType }[];
      shipping: boolean;
      adjustment: Money;
      location: Location;
      note: string;
    },
    exchange?: { credit: Money; returnRef: string },
  ): Refund {
    const iso = isoFromMs(ms);
    this.#touch(ms);
    const refundLineItems: RefundLineItem[] = [];
    let value = 0n;
    for (const { line, quantity, restock } of spec.lines) {
      if (quantity <= 0) continue;
      const [net, taxes] = this.#lineShare(line, quantity);
      const tax = sumMoney(taxes);
      line.remainingQuantity -= quantity;
      line.remainingNet -= net;
      line.remainingTaxes = line.remainingTaxes.map((t, i) => t - taxes[i]!);
      line.item.currentQuantity = line.remainingQuantity;
      // Shopify's refund subtotal is the line's own price: tax in it when prices include tax (net is then the
      // tax-inclusive share), before tax when tax is added on top.
      const subtotal = net;
      value += this.#taxesIncluded ? subtotal : subtotal + tax;
      const restocked = restock === 'RETURN' || restock === 'CANCEL';
      refundLineItems.push({
        id: this.#id('RefundLineItem'),
        lineItem: { id: line.item.id },
        quantity,
        restockType: restock,
        restocked,
        location: restocked ? { id: spec.location.id } : null,
        priceSet: line.item.originalUnitPriceSet,
        subtotalSet: this.#bag(subtotal),
        totalTaxSet: this.#bag(tax),
      });
    }
    const refundShippingLines: Refund['refundShippingLines'] = [];
    if (spec.shipping && this.#shipping && this.#shipping.net > 0n) {
      const tax = sumMoney(this.#shipping.taxes);
      const subtotal = this.#shipping.net;
      value += this.#taxesIncluded ? subtotal : subtotal + tax;
      refundShippingLines.push({
        id: this.#id('RefundShippingLine'),
        shippingLine: { id: this.#shipping.line.id },
        subtotalAmountSet: this.#bag(subtotal),
        taxAmountSet: this.#bag(tax),
      });
    }
    const orderAdjustments: Refund['orderAdjustments'] = [];
    if (spec.adjustment !== 0n) {
      value += spec.adjustment;
      orderAdjustments.push({
        id: this.#id('OrderAdjustment'),
        amountSet: this.#bag(spec.adjustment),
        taxAmountSet: this.#bag(0n),
        reason: 'REFUND_DISCREPANCY',
      });
    }
    this.#refundedValue += value;
    const transactions: OrderTransaction[] = [];
    let left = value;
    if (exchange) {
      const credit = exchange.credit < value ? exchange.credit : value;
      transactions.push(this.#transaction('REFUND', 'exchange-credit', 'Exchange credit', credit, ms));
      left -= credit;
    }
    // Money goes back the way it came: cards and wallets first, then gift cards, cash last.
    const order = [...this.#tenders].sort((a, b) => tenderRank(a) - tenderRank(b));
    for (const tender of order) {
      if (left <= 0n) break;
      const available = tender.received - tender.refunded;
      if (available <= 0n) continue;
      const part = smaller(left, available);
      left -= part;
      tender.refunded += part;
      if (tender.cash) {
        const paid = roundCash(part, this.#roundingUnit);
        const rounding = part - paid;
        this.#refundRounding += rounding;
        transactions.push(
          this.#transaction('REFUND', 'cash', 'Cash', paid, ms, {
            parent: tender.parent,
            rounding: this.#roundingUnit > 0n ? rounding : null,
            manual: true,
            location: spec.location,
          }),
        );
      } else {
        transactions.push(
          this.#transaction('REFUND', tender.gateway, tender.formattedGateway, part, ms, {
            parent: tender.parent,
            manual: tender.manual,
          }),
        );
      }
    }
    if (left !== 0n) throw new Error(`Generator bug: refund of order ${this.#index} exceeds what was received`);
    this.#transactions.push(...transactions);
    const refund: Refund = {
      id: this.#id('Refund'),
      createdAt: iso,
      processedAt: iso,
      updatedAt: iso,
      note: spec.note,
      totalRefundedSet: this.#bag(sumMoney(transactions.map((t) => moneyOf(t.amountSet)))),
      refundLineItems,
      refundShippingLines,
      orderAdjustments,
      transactions,
      return: exchange ? { id: exchange.returnRef } : null,
      duties: [],
    };
    this.#refunds.push(refund);
    return refund;
  }

  /**
   * A POS exchange: one unit comes back, a different item goes out on the same order. The returned value becomes
   * exchange credit (a REFUND and a SALE on the "exchange-credit" gateway that cancel out) and the difference is
   * settled by card: a SALE when the new item costs more, a REFUND when it costs less.
   */
  #exchange(line: LineState, ms: number, store: Location): void {
    const r = this.#random;
    const exempt = line.exempt;
    const candidates = this.#timeline.catalog.sellable.filter((v) => v.variant.id !== line.item.variant?.id);
    const replacement = r.pick(candidates);
    const returnedValue = this.#lineGive(line, 1);
    const added = this.#addLine(replacement, 1, exempt, ms);
    const addedValue = added.net + (this.#taxesIncluded ? 0n : sumMoney(added.taxes));
    const returnId = this.#id('Return');
    const credit = returnedValue < addedValue ? returnedValue : addedValue;
    this.#returns.push({
      id: returnId,
      name: `#${1001 + this.#index}-R1`,
      status: 'CLOSED',
      createdAt: isoFromMs(ms),
      exchangeLineItems: [{ id: this.#id('ExchangeLineItem'), quantity: 1, lineItems: [{ id: added.item.id }] }],
    });
    // The new item is paid first so that the balancing refund, if any, can go back to the card.
    this.#transactions.push(
      this.#transaction('SALE', 'exchange-credit', 'Exchange credit', credit, ms, { location: store }),
    );
    if (addedValue > returnedValue) {
      const sale = this.#transaction('SALE', 'shopify_payments', 'Shopify Payments', addedValue - returnedValue, ms, {
        location: store,
      });
      this.#transactions.push(sale);
      this.#tender('shopify_payments', 'Shopify Payments', addedValue - returnedValue, sale.id);
    }
    this.#refund(
      ms,
      {
        lines: [{ line, quantity: 1, restock: 'RETURN' }],
        shipping: false,
        adjustment: 0n,
        location: store,
        note: 'Exchange',
      },
      { credit, returnRef: returnId },
    );
  }

  #finish(state: {
    createdMs: number;
    isPos: boolean;
    store: Location | null;
    customer: Customer | null;
    tip: Money;
    plan: PaymentPlan;
    fulfillment: FulfillmentStatus;
    cancelledMs: number | null;
    cancelReason: string | null;
  }): Order {
    const total = this.#total() + state.tip;
    const succeeded = this.#transactions.filter((t) => t.status === 'SUCCESS');
    const sumKinds = (kinds: TransactionKind[]) =>
      sumMoney(succeeded.filter((t) => kinds.includes(t.kind)).map((t) => moneyOf(t.amountSet)));
    const received = sumKinds(['SALE', 'CAPTURE']) - sumKinds(['CHANGE']);
    const refunded = sumKinds(['REFUND']);
    const cancelled = state.cancelledMs !== null;
    let financial: FinancialStatus;
    if (cancelled && (state.plan === 'authorized' || state.plan === 'unpaid')) financial = 'VOIDED';
    else if (this.#refundedValue > 0n && this.#refundedValue >= total) financial = 'REFUNDED';
    else if (this.#refundedValue > 0n) financial = 'PARTIALLY_REFUNDED';
    else if (state.plan === 'authorized') financial = 'AUTHORIZED';
    else if (received + this.#paymentRounding >= total) financial = 'PAID';
    else if (received > 0n) financial = 'PARTIALLY_PAID';
    else financial = 'PENDING';
    if (state.cancelledMs !== null) this.#touch(state.cancelledMs);
    const orderTaxes = this.#rates.map(
      (_, i) => sumMoney(this.#lines.map((l) => l.taxes[i]!)) + (this.#shipping ? this.#shipping.taxes[i]! : 0n),
    );
    for (const line of this.#lines) line.item.taxLines = this.#lineTaxable(line) ? this.#taxLines(line.taxes) : [];
    const hasTaxLines =
      this.#lines.some((l) => l.item.taxLines.length > 0) || (this.#shipping?.line.taxLines.length ?? 0) > 0;
    const discounts =
      sumMoney(this.#lines.flatMap((l) => l.item.discountAllocations.map((d) => moneyOf(d.allocatedAmountSet)))) +
      sumMoney((this.#shipping?.line.discountAllocations ?? []).map((d) => moneyOf(d.allocatedAmountSet)));
    const createdAt = isoFromMs(state.createdMs);
    const processedAt = this.#index % 101 === 37 ? isoFromMs(state.createdMs - 2 * DAY) : createdAt;
    const gateways: string[] = [];
    for (const t of this.#transactions) if (t.gateway && !gateways.includes(t.gateway)) gateways.push(t.gateway);
    const outstanding = cancelled ? 0n : total - received - this.#paymentRounding;
    return {
      id: gid('Order', this.#orderNumber),
      name: `#${1001 + this.#index}`,
      createdAt,
      // Shopify bumps updatedAt on every change; a second after the last event here.
      updatedAt: isoFromMs(this.#latestMs + 1000),
      processedAt,
      cancelledAt: state.cancelledMs === null ? null : isoFromMs(state.cancelledMs),
      cancelReason: state.cancelReason,
      test: this.#test,
      sourceName: state.isPos ? 'pos' : 'web',
      retailLocation: state.store ? { id: state.store.id } : null,
      customer: state.customer ? { id: state.customer.id } : null,
      currencyCode: this.#currency,
      presentmentCurrencyCode: this.#currency,
      taxesIncluded: this.#taxesIncluded,
      displayFinancialStatus: financial,
      displayFulfillmentStatus: state.fulfillment,
      subtotalPriceSet: this.#bag(this.#subtotal()),
      totalPriceSet: this.#bag(total),
      totalTaxSet: this.#bag(this.#totalTax()),
      totalDiscountsSet: this.#bag(discounts),
      totalShippingPriceSet: this.#bag(this.#shipping?.net ?? 0n),
      totalTipReceivedSet: this.#bag(state.tip),
      totalOutstandingSet: this.#bag(outstanding),
      totalReceivedSet: this.#bag(received),
      totalRefundedSet: this.#bag(refunded),
      totalCashRoundingAdjustment: {
        paymentSet: this.#bag(this.#paymentRounding),
        refundSet: this.#bag(this.#refundRounding),
      },
      paymentGatewayNames: gateways,
      taxLines: hasTaxLines ? this.#taxLines(orderTaxes) : [],
      lineItems: this.#lines.map((l) => l.item),
      shippingLines: this.#shipping ? [this.#shipping.line] : [],
      transactions: this.#transactions,
      refunds: this.#refunds,
      returns: this.#returns,
      // Domestic orders: Shopify answers null and no fees.
      originalTotalDutiesSet: null,
      originalTotalAdditionalFeesSet: null,
      additionalFees: [],
    };
  }
}

function tenderRank(tender: Tender): number {
  if (tender.gateway === 'shopify_payments' || tender.gateway === 'paypal') return 0;
  if (tender.gateway === 'gift_card') return 1;
  if (tender.cash) return 3;
  return 2;
}

export function moneyOf(bagValue: MoneyBag): Money {
  return parseMoney(bagValue.shopMoney.amount);
}

/** Math.min does not take bigints. */
function smaller(a: Money, b: Money): Money {
  if (a < b) return a;
  return b;
}
