/**
 * Hand-made Shopify records for golden tests: small factories with overrides (Admin GraphQL shapes), so each
 * tricky case reads as the order it is.
 */
import type {
  Customer,
  LineItem,
  MoneyBag,
  Order,
  OrderTransaction,
  Product,
  Refund,
  ShippingLine,
  TaxLine,
} from '../domain/index.ts';
import { formatMoney } from '../domain/index.ts';
import { orderParts, partsTotal, receivedLessChange } from './checks/order-checks.ts';
import type { TransformSources } from './transform.ts';

export function bag(amount: string, currencyCode = 'USD'): MoneyBag {
  return { shopMoney: { amount, currencyCode }, presentmentMoney: { amount, currencyCode } };
}

export function tax(amount: string, title = 'State Tax', ratePercentage = 8): TaxLine {
  return { title, rate: ratePercentage / 100, ratePercentage, priceSet: bag(amount), channelLiable: false };
}

export const PRODUCTS: Product[] = [
  {
    id: 'gid://shopify/Product/1',
    title: 'Café Mug',
    handle: 'cafe-mug',
    productType: 'Kitchen',
    vendor: 'Acme',
    isGiftCard: false,
    status: 'ACTIVE',
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    variants: [
      {
        id: 'gid://shopify/ProductVariant/11',
        title: 'Default Title',
        displayName: 'Café Mug',
        sku: 'MUG-1',
        barcode: null,
        price: '10.00',
        taxable: true,
        inventoryItem: {
          id: 'gid://shopify/InventoryItem/111',
          sku: 'MUG-1',
          tracked: true,
          unitCost: { amount: '4.00', currencyCode: 'USD' },
        },
        updatedAt: '2024-01-01T00:00:00Z',
      },
    ],
  },
  {
    id: 'gid://shopify/Product/2',
    title: 'T-Shirt',
    handle: 't-shirt',
    productType: 'Apparel',
    vendor: 'Acme',
    isGiftCard: false,
    status: 'ACTIVE',
    createdAt: '2024-01-02T00:00:00Z',
    updatedAt: '2024-01-02T00:00:00Z',
    variants: [
      {
        id: 'gid://shopify/ProductVariant/21',
        title: 'Red / M',
        displayName: 'T-Shirt - Red / M',
        sku: 'TS-RED-M',
        barcode: null,
        price: '25.00',
        taxable: true,
        inventoryItem: {
          id: 'gid://shopify/InventoryItem/211',
          sku: 'TS-RED-M',
          tracked: true,
          unitCost: { amount: '8.333', currencyCode: 'USD' },
        },
        updatedAt: '2024-01-02T00:00:00Z',
      },
    ],
  },
  {
    id: 'gid://shopify/Product/3',
    title: 'Gift Card',
    handle: 'gift-card',
    productType: 'Gift Cards',
    vendor: 'Shop',
    isGiftCard: true,
    status: 'ACTIVE',
    createdAt: '2024-01-03T00:00:00Z',
    updatedAt: '2024-01-03T00:00:00Z',
    variants: [
      {
        id: 'gid://shopify/ProductVariant/31',
        title: '$50',
        displayName: 'Gift Card - $50',
        sku: null,
        barcode: null,
        price: '50.00',
        taxable: false,
        inventoryItem: { id: 'gid://shopify/InventoryItem/311', sku: null, tracked: false, unitCost: null },
        updatedAt: '2024-01-03T00:00:00Z',
      },
    ],
  },
];

export const CUSTOMER: Customer = {
  id: 'gid://shopify/Customer/7',
  displayName: 'Zoë Smith: VIP',
  firstName: 'Zoë',
  lastName: 'Smith',
  defaultEmailAddress: { emailAddress: 'zoe@example.com' },
  defaultPhoneNumber: null,
  defaultAddress: null,
  taxExempt: false,
  note: null,
  createdAt: '2024-02-01T00:00:00Z',
  updatedAt: '2024-02-01T00:00:00Z',
};

export function mug(id: string, quantity: number, overrides: Partial<LineItem> = {}): LineItem {
  const product = PRODUCTS[0]!;
  const variant = product.variants[0]!;
  return {
    id: `gid://shopify/LineItem/${id}`,
    name: 'Café Mug',
    title: 'Café Mug',
    variantTitle: null,
    sku: 'MUG-1',
    vendor: 'Acme',
    quantity,
    currentQuantity: quantity,
    isGiftCard: false,
    taxable: true,
    requiresShipping: true,
    originalUnitPriceSet: bag('10.00'),
    discountAllocations: [],
    taxLines: [],
    variant: {
      id: variant.id,
      sku: 'MUG-1',
      inventoryItem: { id: variant.inventoryItem.id, unitCost: variant.inventoryItem.unitCost },
    },
    product: { id: product.id },
    ...overrides,
  };
}

export function shirt(id: string, quantity: number, overrides: Partial<LineItem> = {}): LineItem {
  const product = PRODUCTS[1]!;
  const variant = product.variants[0]!;
  return {
    ...mug(id, quantity),
    name: 'T-Shirt - Red / M',
    title: 'T-Shirt',
    variantTitle: 'Red / M',
    sku: 'TS-RED-M',
    originalUnitPriceSet: bag('25.00'),
    variant: {
      id: variant.id,
      sku: 'TS-RED-M',
      inventoryItem: { id: variant.inventoryItem.id, unitCost: variant.inventoryItem.unitCost },
    },
    product: { id: product.id },
    ...overrides,
  };
}

export function giftCard(id: string): LineItem {
  const product = PRODUCTS[2]!;
  const variant = product.variants[0]!;
  return {
    ...mug(id, 1),
    name: 'Gift Card - $50',
    title: 'Gift Card',
    variantTitle: '$50',
    sku: null,
    isGiftCard: true,
    taxable: false,
    requiresShipping: false,
    originalUnitPriceSet: bag('50.00'),
    variant: { id: variant.id, sku: null, inventoryItem: { id: variant.inventoryItem.id, unitCost: null } },
    product: { id: product.id },
  };
}

export function shippingLine(price: string, taxAmount: string | null): ShippingLine {
  return {
    id: 'gid://shopify/ShippingLine/1',
    title: 'Standard',
    code: 'STANDARD',
    source: 'shopify',
    originalPriceSet: bag(price),
    discountedPriceSet: bag(price),
    discountAllocations: [],
    taxLines: taxAmount ? [tax(taxAmount)] : [],
    isRemoved: false,
  };
}

let transactionCounter = 0;

export function transaction(
  kind: OrderTransaction['kind'],
  gateway: string,
  amount: string,
  at: string,
  overrides: Partial<OrderTransaction> = {},
): OrderTransaction {
  transactionCounter++;
  return {
    id: `gid://shopify/OrderTransaction/${overrides.id ?? transactionCounter}`,
    kind,
    status: 'SUCCESS',
    gateway,
    formattedGateway: null,
    manualPaymentGateway: false,
    amountSet: bag(amount),
    amountRoundingSet: null,
    processedAt: at,
    createdAt: at,
    parentTransaction: null,
    test: false,
    fees: [],
    location: null,
    ...overrides,
  };
}

/**
 * An order as Shopify keeps it: unless the test names them, its total is the sum of its parts and what it received
 * is what its payments took in less change, so only a test about a damaged order has one.
 */
export function order(id: number, overrides: Partial<Order> = {}): Order {
  const built = bareOrder(id, overrides);
  const { received, change } = receivedLessChange(built);
  return {
    ...built,
    totalPriceSet: overrides.totalPriceSet ?? bag(formatMoney(partsTotal(orderParts(built)))),
    totalReceivedSet: overrides.totalReceivedSet ?? bag(formatMoney(received - change)),
  };
}

function bareOrder(id: number, overrides: Partial<Order>): Order {
  return {
    id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    createdAt: '2025-03-10T15:00:00Z',
    updatedAt: '2025-03-10T15:00:00Z',
    processedAt: '2025-03-10T15:00:00Z',
    cancelledAt: null,
    cancelReason: null,
    test: false,
    sourceName: 'pos',
    retailLocation: { id: 'gid://shopify/Location/5' },
    customer: null,
    currencyCode: 'USD',
    presentmentCurrencyCode: 'USD',
    taxesIncluded: false,
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'FULFILLED',
    subtotalPriceSet: null,
    totalPriceSet: bag('0.00'),
    totalTaxSet: null,
    totalDiscountsSet: null,
    totalShippingPriceSet: bag('0.00'),
    totalTipReceivedSet: bag('0.00'),
    totalOutstandingSet: bag('0.00'),
    totalReceivedSet: bag('0.00'),
    totalRefundedSet: bag('0.00'),
    totalCashRoundingAdjustment: { paymentSet: bag('0.00'), refundSet: bag('0.00') },
    paymentGatewayNames: [],
    taxLines: [],
    lineItems: [],
    shippingLines: [],
    transactions: [],
    refunds: [],
    returns: [],
    ...overrides,
  };
}

export function refund(id: number, at: string, overrides: Partial<Refund> = {}): Refund {
  return {
    id: `gid://shopify/Refund/${id}`,
    createdAt: at,
    processedAt: at,
    updatedAt: at,
    note: null,
    totalRefundedSet: bag('0.00'),
    refundLineItems: [],
    refundShippingLines: [],
    orderAdjustments: [],
    transactions: [],
    return: null,
    ...overrides,
  };
}

export function shopWith(orders: Order[], overrides: Partial<TransformSources> = {}): TransformSources {
  return {
    shop: {
      id: 'gid://shopify/Shop/1',
      name: 'Test Shop',
      myshopifyDomain: 'test.myshopify.com',
      currencyCode: 'USD',
      ianaTimezone: 'America/New_York',
      taxesIncluded: false,
      plan: { publicDisplayName: 'Basic', shopifyPlus: false },
    },
    locations: [
      {
        id: 'gid://shopify/Location/5',
        name: 'Main Street',
        isActive: true,
        fulfillsOnlineOrders: true,
        updatedAt: '2024-01-01T00:00:00Z',
      },
    ],
    products: PRODUCTS,
    customers: [CUSTOMER],
    orders,
    shopifyPaymentsAccount: null,
    inventoryPurchaseOrders: [],
    inventoryTransfers: [],
    stocky: null,
    ...overrides,
  };
}

/**
 * A Shopify purchase order of 10 mugs at 4.125 from "Mugs Ltd" (PO-3), and the transfer that received `received`
 * of them on 2025-03-05.
 */
export function mugPurchase(
  received: number,
): Pick<TransformSources, 'inventoryPurchaseOrders' | 'inventoryTransfers'> {
  return {
    inventoryPurchaseOrders: [
      {
        id: 'gid://shopify/InventoryPurchaseOrder/3',
        name: 'PO-3',
        status: 'ORDERED',
        currency: 'USD',
        dateCreated: '2025-03-01T12:00:00Z',
        orderedAt: '2025-03-02T12:00:00Z',
        archivedAt: null,
        origin: { supplier: { name: 'Mugs Ltd' } },
        destination: { name: 'Main Street', location: { id: 'gid://shopify/Location/5' } },
        referenceName: null,
        lineItems: [
          {
            id: 'gid://shopify/InventoryPurchaseOrderLineItem/1',
            title: 'Café Mug',
            variantTitle: null,
            supplierSku: null,
            inventoryItem: { id: 'gid://shopify/InventoryItem/111' },
            totalQuantity: 10,
            unitCost: { amount: '4.125', currencyCode: 'USD' },
            subtotal: null,
            taxPercent: null,
            totalCost: null,
          },
        ],
      },
    ],
    inventoryTransfers: [
      {
        id: 'gid://shopify/InventoryTransfer/8',
        name: 'T-8',
        referenceName: 'PO-3',
        status: 'RECEIVED',
        dateCreated: '2025-03-02T12:00:00Z',
        destination: null,
        totalQuantity: 10,
        receivedQuantity: received,
        shipments: [
          {
            id: 'gid://shopify/InventoryShipment/9',
            name: 'S-9',
            status: 'RECEIVED',
            dateReceived: '2025-03-05T12:00:00Z',
            lineItems: [
              {
                id: 'x',
                inventoryItem: { id: 'gid://shopify/InventoryItem/111' },
                quantity: received,
                acceptedQuantity: received,
                rejectedQuantity: 0,
              },
            ],
          },
        ],
      },
    ],
  };
}
