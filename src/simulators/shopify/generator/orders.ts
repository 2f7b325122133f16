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
  FulfillmentStatus,
  LineItem,
  Location,
  Money,
  MoneyBag,
  Order,
  OrderTransaction,
  Refund,
  Return,
  ShippingLine,
  TaxLine,
} from '../../../domain/index.ts';
import { allocate, sumMoney } from '../../../domain/index.ts';
import type { Catalog, CatalogVariant, TaxRate } from './catalog.ts';
import { gid, ID_BASE } from './catalog.ts';
import { bag, DAY, divRound, type LineState, type PaymentPlan, type Tender } from './order-parts.ts';
import { pay, transaction } from './order-payments.ts';
import { finish } from './order-record.ts';
import { exchange, lineGive, refund } from './order-refunds.ts';
import { Random } from './random.ts';

export interface OrderTimeline {
  seed: string | number;
  catalog: Catalog;
  startMs: number;
  /** Milliseconds between consecutive orders: order N is created in [start + N·interval, start + (N+1)·interval). */
  intervalMs: number;
}

/** Builds order `index` of the shop. Pure: the same timeline and index always give the same order. */
export function generateOrder(timeline: OrderTimeline, index: number): Order {
  return new OrderBuilder(timeline, index).build();
}

/**
 * One order being built. Its state is open (no private fields) because the payments, refunds and record steps are
 * functions in their own files (order-payments.ts, order-refunds.ts, order-record.ts) that build with it; nothing
 * outside the generator sees the class.
 */
export class OrderBuilder {
  readonly timeline: OrderTimeline;
  readonly index: number;
  readonly random: Random;
  readonly orderNumber: number;
  readonly currency: string;
  readonly rates: TaxRate[];
  readonly taxesIncluded: boolean;
  readonly roundingUnit: bigint;
  childCounter = 0;
  lines: LineState[] = [];
  shipping: { line: ShippingLine; net: Money; taxes: Money[] } | null = null;
  transactions: OrderTransaction[] = [];
  refunds: Refund[] = [];
  returns: Return[] = [];
  tenders: Tender[] = [];
  paymentRounding = 0n;
  refundRounding = 0n;
  refundedValue = 0n;
  latestMs: number;
  test: boolean;

  constructor(timeline: OrderTimeline, index: number) {
    this.timeline = timeline;
    this.index = index;
    this.random = Random.for(timeline.seed, 'order', index);
    this.orderNumber = ID_BASE.order + index + 1;
    const { profile } = timeline.catalog;
    this.currency = profile.currency;
    this.rates = profile.taxes;
    this.taxesIncluded = profile.taxesIncluded;
    this.roundingUnit = profile.cashRoundingUnit;
    this.latestMs = 0;
    this.test = index % 997 === 500;
  }

  id(type: string): string {
    this.childCounter++;
    return gid(type, this.orderNumber * 1000 + this.childCounter);
  }

  bag(cents: Money): MoneyBag {
    return bag(cents, this.currency);
  }

  touch(ms: number): void {
    if (ms > this.latestMs) this.latestMs = ms;
  }

  build(): Order {
    const r = this.random;
    const { catalog, startMs, intervalMs } = this.timeline;
    const createdMs = startMs + this.index * intervalMs + r.int(0, Math.max(0, intervalMs / 1000 - 1)) * 1000;
    this.touch(createdMs);
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
      this.addLine(pick, quantity, taxExempt);
    }

    // Line-level discounts (a staff or automatic discount on one line).
    for (const line of this.lines) {
      if (line.item.isGiftCard || !r.chance(12)) continue;
      const percent = BigInt(r.pick([10, 15, 20, 25]));
      const gross = this.gross(line);
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
      this.discountLine(line, amount, application);
    }
    // Order-level code discount, allocated across the eligible lines by largest remainder.
    const eligible = this.lines.filter((l) => !l.item.isGiftCard && l.net > 0n);
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
        this.discountLine(line, parts[i]!, application);
      });
    }

    // Shipping for online orders with physical goods.
    if (!isPos && this.lines.some((l) => l.item.requiresShipping)) {
      const express = r.chance(25);
      const price = express ? 1500n : 750n;
      const discount = r.chance(10) ? price : 0n;
      const line: ShippingLine = {
        id: this.id('ShippingLine'),
        title: express ? 'Express' : 'Standard',
        code: express ? 'EXPRESS' : 'STANDARD',
        source: 'shopify',
        originalPriceSet: this.bag(price),
        discountedPriceSet: this.bag(price - discount),
        discountAllocations:
          discount > 0n
            ? [
                {
                  allocatedAmountSet: this.bag(discount),
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
      const taxes = taxExempt ? this.rates.map(() => 0n) : this.taxesOn(net);
      line.taxLines = taxExempt ? [] : this.taxLines(taxes);
      this.shipping = { line, net, taxes };
    }

    // Payment.
    const hasGiftCardLine = this.lines.some((l) => l.item.isGiftCard);
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
    const tip = isPos && plan === 'card' && r.chance(25) ? divRound(this.subtotal() * 15n, 100n) : 0n;
    const saleTotal = this.total() + tip;
    const paidMs = createdMs + r.int(5, 90) * 1000;
    pay(this, plan, saleTotal, paidMs, store);

    // Fulfilment and what happens after the sale.
    const onlyGiftCards = this.lines.every((l) => l.item.isGiftCard);
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
      const auth = this.transactions[0]!;
      this.transactions.push(
        transaction(this, 'VOID', auth.gateway!, auth.formattedGateway!, saleTotal, cancelledMs, {
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
      refund(this, cancelledMs, {
        lines: this.lines.map((line) => ({ line, quantity: line.remainingQuantity, restock: 'CANCEL' as const })),
        shipping: true,
        adjustment: 0n,
        location: catalog.warehouse,
        note: 'Order cancelled',
      });
    } else if (fullyPaid && fulfillment === 'FULFILLED') {
      const returnable = this.lines.filter((l) => !l.item.isGiftCard && l.remainingQuantity > 0);
      const roll = r.int(0, 99);
      if (returnable.length > 0 && roll < 9) {
        // Partial refund of one line, with or without restock, sometimes with a restocking fee kept back.
        const line = r.pick(returnable);
        const quantity = r.int(1, line.remainingQuantity);
        const restock = r.chance(60);
        const give = lineGive(this, line, quantity);
        const fee = r.chance(20) && give > 1000n ? -divRound(give, 10n) : 0n;
        refund(this, eventMs(1, 30), {
          lines: [{ line, quantity, restock: restock ? 'RETURN' : 'NO_RESTOCK' }],
          shipping: false,
          adjustment: fee,
          location: restockLocation,
          note: restock ? 'Returned in store' : 'Damaged in transit, not returned',
        });
        // Now and then the rest of the order follows, shipping included: a later full refund.
        if (r.chance(25)) {
          refund(this, eventMs(31, 45), {
            lines: this.lines
              .filter((l) => !l.item.isGiftCard && l.remainingQuantity > 0)
              .map((l) => ({ line: l, quantity: l.remainingQuantity, restock: 'RETURN' as const })),
            shipping: this.shipping !== null,
            adjustment: 0n,
            location: restockLocation,
            note: 'Rest of the order returned',
          });
        }
      } else if (returnable.length > 0 && roll < 11) {
        refund(this, eventMs(1, 14), {
          lines: returnable.map((l) => ({ line: l, quantity: l.remainingQuantity, restock: 'RETURN' as const })),
          shipping: this.shipping !== null,
          adjustment: 0n,
          location: restockLocation,
          note: 'Full return',
        });
      } else if (isPos && store && returnable.length > 0 && roll < 15) {
        exchange(this, r.pick(returnable), eventMs(1, 20), store);
      }
    }

    return finish(this, {
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

  gross(line: LineState): Money {
    return BigInt(line.item.quantity) * line.unitPrice;
  }

  addLine(pick: CatalogVariant, quantity: number, taxExempt: boolean, ms?: number): LineState {
    const { variant, product, priceCents } = pick;
    const defaultTitle = variant.title === 'Default Title';
    const item: LineItem = {
      id: this.id('LineItem'),
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
      originalUnitPriceSet: this.bag(priceCents),
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
    state.taxes = this.lineTaxable(state) ? this.taxesOn(net) : this.rates.map(() => 0n);
    state.remainingTaxes = [...state.taxes];
    this.lines.push(state);
    if (ms !== undefined) this.touch(ms);
    return state;
  }

  lineTaxable(line: LineState): boolean {
    return line.item.taxable && !line.exempt;
  }

  discountLine(line: LineState, amount: Money, application: DiscountApplication): void {
    if (amount <= 0n) return;
    const allocation: DiscountAllocation = { allocatedAmountSet: this.bag(amount), discountApplication: application };
    line.item.discountAllocations.push(allocation);
    line.net -= amount;
    line.remainingNet = line.net;
    line.taxes = this.lineTaxable(line) ? this.taxesOn(line.net) : this.rates.map(() => 0n);
    line.remainingTaxes = [...line.taxes];
  }

  /**
   * Tax on an amount after discounts. Tax-exclusive: each rate rounds on its own (how Shopify shows separate state
   * and city lines). Tax-inclusive: the tax inside the price is price − price / (1 + Σ rates), rounded once, then
   * split across the rates by largest remainder so the parts sum exactly.
   */
  taxesOn(amount: Money): Money[] {
    if (!this.taxesIncluded) return this.rates.map((rate) => divRound(amount * rate.ppm, 1_000_000n));
    const totalPpm = sumMoney(this.rates.map((rate) => rate.ppm));
    const tax = amount - divRound(amount * 1_000_000n, 1_000_000n + totalPpm);
    return allocate(
      tax,
      this.rates.map((rate) => rate.ppm),
    );
  }

  taxLines(amounts: Money[]): TaxLine[] {
    return this.rates.map((rate, i) => ({
      title: rate.title,
      rate: Number(rate.ppm) / 1_000_000,
      ratePercentage: Number(rate.ppm) / 10_000,
      priceSet: this.bag(amounts[i]!),
      channelLiable: false,
    }));
  }

  subtotal(): Money {
    return sumMoney(this.lines.map((l) => l.net));
  }

  totalTax(): Money {
    return sumMoney(this.lines.flatMap((l) => l.taxes)) + (this.shipping ? sumMoney(this.shipping.taxes) : 0n);
  }

  /** Goods + shipping (+ tax when added on top), without the tip. */
  total(): Money {
    const shipping = this.shipping?.net ?? 0n;
    return this.subtotal() + shipping + (this.taxesIncluded ? 0n : this.totalTax());
  }
}
