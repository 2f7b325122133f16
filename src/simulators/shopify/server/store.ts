/**
 * The simulated shop's data: a `ShopDataFile` with an index of every record that has a GID (for `node`, `nodes`
 * and to resolve `{ id }` references into full records), and the test hooks that change data the way merchants do —
 * each bumps `updatedAt` (never backwards) and reports which webhook topics Shopify would send.
 */
import type { Order, Product, Refund, ShopDataFile } from '../../../domain/index.ts';

type Indexed = Record<string, unknown> & { id: string };

export interface DataChange {
  topics: string[];
  payload: Record<string, unknown>;
}

export class ShopStore {
  readonly data: ShopDataFile;
  readonly #index = new Map<string, Indexed>();
  readonly #productOfVariant = new Map<string, Product>();
  readonly #now: () => number;
  /** Bumped on every change, so cached sorted views of the data are rebuilt. */
  version = 0;

  constructor(data: ShopDataFile, now: () => number) {
    if (data.format !== 'qbd-connector/shop-data@1') {
      throw new Error(
        `Not a shop data file (format ${JSON.stringify(data.format)}, expected qbd-connector/shop-data@1)`,
      );
    }
    this.data = data;
    this.#now = now;
    this.#indexAll();
  }

  #add(record: unknown): void {
    if (record && typeof record === 'object' && typeof (record as Indexed).id === 'string') {
      const id = (record as Indexed).id;
      if (!this.#index.has(id)) this.#index.set(id, record as Indexed);
    }
  }

  #addAll(records: readonly unknown[] | undefined): void {
    for (const record of records ?? []) this.#add(record);
  }

  #indexAll(): void {
    const d = this.data;
    this.#add(d.shop);
    this.#addAll(d.locations);
    for (const product of d.products) {
      this.#add(product);
      for (const variant of product.variants) {
        this.#productOfVariant.set(variant.id, product);
        this.#add(variant);
        this.#add(variant.inventoryItem);
      }
    }
    this.#addAll(d.customers);
    for (const order of d.orders) this.#indexOrder(order);
    this.#addAll(d.shopifyPaymentsAccount?.payouts);
    this.#addAll(d.shopifyPaymentsAccount?.balanceTransactions);
    for (const po of d.inventoryPurchaseOrders) {
      this.#add(po);
      this.#addAll(po.lineItems);
    }
    for (const transfer of d.inventoryTransfers) {
      this.#add(transfer);
      for (const shipment of transfer.shipments) {
        this.#add(shipment);
        this.#addAll(shipment.lineItems);
      }
    }
  }

  #indexOrder(order: Order): void {
    this.#add(order);
    this.#addAll(order.lineItems);
    this.#addAll(order.shippingLines);
    this.#addAll(order.transactions);
    for (const refund of order.refunds) this.#indexRefund(refund);
    for (const ret of order.returns) {
      this.#add(ret);
      this.#addAll(ret.exchangeLineItems);
    }
  }

  #indexRefund(refund: Refund): void {
    this.#add(refund);
    this.#addAll(refund.refundLineItems);
    this.#addAll(refund.transactions);
  }

  productOfVariant(variantId: string): Product | null {
    return this.#productOfVariant.get(variantId) ?? null;
  }

  node(id: string): Indexed | undefined {
    return this.#index.get(id);
  }

  order(id: string): Order {
    const order = this.#index.get(id);
    if (!order || !id.startsWith('gid://shopify/Order/')) throw new Error(`No order ${id} in the simulated shop`);
    return order as unknown as Order;
  }

  /** A later timestamp than `previous` and than the clock: Shopify's updatedAt never goes backwards. */
  #stamp(previous: string): string {
    this.version++;
    const ms = Math.max(this.#now(), Date.parse(previous) + 1000);
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  /** Edits an order in place (the callback changes it), as an order edit in the admin does. */
  editOrder(id: string, edit: (order: Order) => void): DataChange {
    const order = this.order(id);
    edit(order);
    order.updatedAt = this.#stamp(order.updatedAt);
    this.#indexOrder(order);
    return { topics: ['orders/edited', 'orders/updated'], payload: orderPayload(order) };
  }

  /** Adds a refund (its transactions are added to the order's transactions too, as Shopify lists them). */
  addRefund(orderId: string, refund: Refund): DataChange {
    const order = this.order(orderId);
    order.refunds.push(refund);
    for (const transaction of refund.transactions) {
      if (!order.transactions.some((t) => t.id === transaction.id)) order.transactions.push(transaction);
    }
    order.updatedAt = this.#stamp(order.updatedAt);
    if (Date.parse(refund.updatedAt) > Date.parse(order.updatedAt)) order.updatedAt = refund.updatedAt;
    this.#indexOrder(order);
    return {
      topics: ['refunds/create', 'orders/updated'],
      payload: {
        id: legacy(refund.id),
        admin_graphql_api_id: refund.id,
        order_id: legacy(order.id),
        created_at: refund.createdAt,
        processed_at: refund.processedAt,
        note: refund.note,
      },
    };
  }

  addOrder(order: Order): DataChange {
    if (this.#index.has(order.id)) throw new Error(`Order ${order.id} already exists`);
    this.data.orders.push(order);
    this.version++;
    this.#indexOrder(order);
    return { topics: ['orders/create'], payload: orderPayload(order) };
  }

  cancelOrder(id: string, reason = 'CUSTOMER'): DataChange {
    const order = this.order(id);
    const stamp = this.#stamp(order.updatedAt);
    order.cancelledAt = stamp;
    order.cancelReason = reason;
    order.updatedAt = stamp;
    return { topics: ['orders/cancelled', 'orders/updated'], payload: orderPayload(order) };
  }
}

function legacy(id: string): number {
  return Number(id.slice(id.lastIndexOf('/') + 1));
}

/** The REST-shaped payload Shopify sends with order webhooks (the fields a receiver needs to schedule a pull). */
function orderPayload(order: Order): Record<string, unknown> {
  return {
    id: legacy(order.id),
    admin_graphql_api_id: order.id,
    name: order.name,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    total_price: order.totalPriceSet.shopMoney.amount,
    currency: order.currencyCode,
    source_name: order.sourceName,
  };
}
