/**
 * The fixed part of a generated shop: its country profile (currency, time zone, tax regime, cash rounding), the
 * locations, the catalogue and the customers. Everything here is small (bounded whatever the number of orders).
 */
import type { Customer, Location, Money, Product, ProductVariant, Shop } from '../../../domain/index.ts';
import { formatMoney } from '../../../domain/index.ts';
import { Random } from './random.ts';

export type ShopProfileKey = 'us' | 'gb' | 'ca' | 'au';

export interface TaxRate {
  title: string;
  /** Parts per million: 88,750 is 8.875 %. Integers keep tax arithmetic exact. */
  ppm: bigint;
}

export interface ShopProfile {
  key: ShopProfileKey;
  shopName: string;
  domain: string;
  currency: string;
  timezone: string;
  /** VAT/GST countries price tax-inclusive; the US and Canada add tax on top. */
  taxesIncluded: boolean;
  taxes: TaxRate[];
  /** Cash is rounded to this many hundredths (5 = the nearest 0.05) where the country dropped its smallest coins; 0 = no rounding. */
  cashRoundingUnit: bigint;
  countryCode: string;
  country: string;
  provinceCode: string | null;
  province: string | null;
  stores: { name: string; city: string; zip: string }[];
  warehouse: { name: string; city: string; zip: string };
  closedStore: string;
}

export const PROFILES: Record<ShopProfileKey, ShopProfile> = {
  us: {
    key: 'us',
    shopName: 'Hudson & Finch',
    domain: 'hudson-finch.myshopify.com',
    currency: 'USD',
    timezone: 'America/New_York',
    taxesIncluded: false,
    // New York City's combined 8.875 %: state 4 %, city 4.5 %, Metropolitan Commuter Transportation District 0.375 %.
    taxes: [
      { title: 'New York State Tax', ppm: 40_000n },
      { title: 'New York City Tax', ppm: 45_000n },
      { title: 'Metropolitan Commuter Transportation District', ppm: 3_750n },
    ],
    cashRoundingUnit: 0n,
    countryCode: 'US',
    country: 'United States',
    provinceCode: 'NY',
    province: 'New York',
    stores: [
      { name: 'SoHo Store', city: 'New York', zip: '10012' },
      { name: 'Brooklyn Store', city: 'Brooklyn', zip: '11201' },
      { name: 'Williamsburg Pop-up', city: 'Brooklyn', zip: '11211' },
    ],
    warehouse: { name: 'Queens Warehouse', city: 'Long Island City', zip: '11101' },
    closedStore: 'Chelsea Store (closed)',
  },
  gb: {
    key: 'gb',
    shopName: 'Finch & Thistle',
    domain: 'finch-thistle.myshopify.com',
    currency: 'GBP',
    timezone: 'Europe/London',
    taxesIncluded: true,
    taxes: [{ title: 'GB VAT', ppm: 200_000n }],
    cashRoundingUnit: 0n,
    countryCode: 'GB',
    country: 'United Kingdom',
    provinceCode: null,
    province: null,
    stores: [
      { name: 'Shoreditch Shop', city: 'London', zip: 'E1 6JE' },
      { name: 'Manchester Shop', city: 'Manchester', zip: 'M1 1AD' },
      { name: 'Bristol Market Stall', city: 'Bristol', zip: 'BS1 1JQ' },
    ],
    warehouse: { name: 'Leeds Warehouse', city: 'Leeds', zip: 'LS1 4AP' },
    closedStore: 'Camden Shop (closed)',
  },
  ca: {
    key: 'ca',
    shopName: 'Maple & Loon',
    domain: 'maple-loon.myshopify.com',
    currency: 'CAD',
    timezone: 'America/Toronto',
    taxesIncluded: false,
    taxes: [{ title: 'HST', ppm: 130_000n }],
    // Canada withdrew the penny in 2013: cash totals round to the nearest 0.05, card totals do not.
    cashRoundingUnit: 5n,
    countryCode: 'CA',
    country: 'Canada',
    provinceCode: 'ON',
    province: 'Ontario',
    stores: [
      { name: 'Queen West Store', city: 'Toronto', zip: 'M5V 2A1' },
      { name: 'Ottawa Store', city: 'Ottawa', zip: 'K1P 5J2' },
      { name: 'Kingston Kiosk', city: 'Kingston', zip: 'K7L 1A1' },
    ],
    warehouse: { name: 'Mississauga Warehouse', city: 'Mississauga', zip: 'L5B 1M2' },
    closedStore: 'Yorkville Store (closed)',
  },
  au: {
    key: 'au',
    shopName: 'Wattle & Wren',
    domain: 'wattle-wren.myshopify.com',
    currency: 'AUD',
    timezone: 'Australia/Sydney',
    taxesIncluded: true,
    taxes: [{ title: 'GST', ppm: 100_000n }],
    cashRoundingUnit: 5n,
    countryCode: 'AU',
    country: 'Australia',
    provinceCode: 'NSW',
    province: 'New South Wales',
    stores: [
      { name: 'Surry Hills Store', city: 'Sydney', zip: '2010' },
      { name: 'Fitzroy Store', city: 'Melbourne', zip: '3065' },
      { name: 'Fortitude Valley Store', city: 'Brisbane', zip: '4006' },
    ],
    warehouse: { name: 'Alexandria Warehouse', city: 'Sydney', zip: '2015' },
    closedStore: 'Paddington Store (closed)',
  },
};

export const ID_BASE = {
  shop: 61_000_000_000,
  location: 71_000_000_000,
  product: 8_100_000_000_000,
  variant: 4_400_000_000_000,
  inventoryItem: 4_600_000_000_000,
  customer: 7_300_000_000_000,
  order: 5_900_000_000_000,
  purchaseOrder: 2_300_000_000,
  transfer: 3_100_000_000,
  payout: 95_000_000,
} as const;

export const gid = (type: string, id: number | bigint): string => `gid://shopify/${type}/${id}`;

/** The numeric tail of a GID (Stocky and balance transactions speak in legacy numeric ids). */
export function legacyId(globalId: string): number {
  return Number(globalId.slice(globalId.lastIndexOf('/') + 1));
}

export interface CatalogVariant {
  variant: ProductVariant;
  product: Product;
  priceCents: Money;
  costCents: Money | null;
}

export interface Catalog {
  profile: ShopProfile;
  shop: Shop;
  locations: Location[];
  /** Active POS locations (the retail stores). */
  stores: Location[];
  warehouse: Location;
  products: Product[];
  sellable: CatalogVariant[];
  giftCards: CatalogVariant[];
  customers: Customer[];
  vendors: string[];
}

interface ProductSpec {
  title: string;
  productType: string;
  vendor: number;
  price: number;
  options: string[];
  taxable?: boolean;
  tracked?: boolean;
}

const VENDORS = ['Northwind Outfitters', 'Harbor & Pine', 'Copper Kettle Co.', 'Alder Goods', 'Blue Ridge Ceramics'];

const PRODUCTS: ProductSpec[] = [
  { title: 'Merino Crew Sweater', productType: 'Apparel', vendor: 0, price: 8900, options: ['S', 'M', 'L', 'XL'] },
  { title: 'Canvas Work Jacket', productType: 'Apparel', vendor: 0, price: 14900, options: ['S', 'M', 'L'] },
  { title: 'Organic Cotton Tee', productType: 'Apparel', vendor: 0, price: 2850, options: ['S', 'M', 'L', 'XL'] },
  { title: 'Wool Beanie', productType: 'Accessories', vendor: 0, price: 2400, options: ['Charcoal', 'Rust', 'Navy'] },
  { title: 'Waxed Canvas Tote', productType: 'Bags', vendor: 1, price: 6500, options: ['Olive', 'Tan'] },
  { title: 'Leather Card Wallet', productType: 'Accessories', vendor: 1, price: 3800, options: ['Brown', 'Black'] },
  { title: 'Field Notebook 3-Pack', productType: 'Stationery', vendor: 1, price: 1299, options: ['Default Title'] },
  { title: 'Brass Pen', productType: 'Stationery', vendor: 1, price: 4499, options: ['Default Title'] },
  { title: 'Enamel Camp Mug', productType: 'Kitchen', vendor: 2, price: 1850, options: ['White', 'Blue', 'Red'] },
  { title: 'Pour-Over Coffee Set', productType: 'Kitchen', vendor: 2, price: 5900, options: ['Default Title'] },
  { title: 'Single-Origin Coffee 340 g', productType: 'Pantry', vendor: 2, price: 1695, options: ['Whole', 'Ground'] },
  { title: 'Cast Iron Skillet', productType: 'Kitchen', vendor: 2, price: 7450, options: ['10 in', '12 in'] },
  { title: 'Soy Candle', productType: 'Home', vendor: 3, price: 2200, options: ['Cedar', 'Fig', 'Sea Salt'] },
  { title: 'Linen Throw Pillow', productType: 'Home', vendor: 3, price: 4800, options: ['Oat', 'Slate'] },
  { title: 'Wool Blanket', productType: 'Home', vendor: 3, price: 16500, options: ['Default Title'] },
  { title: 'Stoneware Bowl', productType: 'Kitchen', vendor: 4, price: 2600, options: ['Small', 'Large'] },
  { title: 'Ceramic Planter', productType: 'Home', vendor: 4, price: 3450, options: ['Speckled', 'Matte Black'] },
  { title: 'Espresso Cup Set', productType: 'Kitchen', vendor: 4, price: 3999, options: ['Default Title'] },
  // A service: no SKU, no cost, not tracked — the books still need it as a non-inventory item.
  {
    title: 'Gift Wrapping',
    productType: 'Service',
    vendor: 3,
    price: 500,
    options: ['Default Title'],
    tracked: false,
  },
];

const FIRST_NAMES = ['Ava', 'Liam', 'Maya', 'Noah', 'Zoe', 'Ethan', 'Isla', 'Omar', 'Chloe', 'Mateo', 'Priya', 'Finn'];
const LAST_NAMES = ['Nguyen', 'Smith', "O'Brien", 'García', 'Kowalski', 'Patel', 'Müller', 'Johnson', 'Rossi', 'Kim'];

/** Shopify writes DateTime to the second, in UTC: "2025-01-06T14:00:00Z". */
const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export { iso as isoFromMs };

export function buildCatalog(
  seed: string | number,
  profileKey: ShopProfileKey,
  startMs: number,
  orders: number,
): Catalog {
  const profile = PROFILES[profileKey];
  const random = Random.for(seed, 'catalog', profileKey);
  const currency = profile.currency;
  const catalogDate = startMs - 90 * 86_400_000;
  const shop: Shop = {
    id: gid('Shop', ID_BASE.shop),
    name: profile.shopName,
    myshopifyDomain: profile.domain,
    currencyCode: currency,
    ianaTimezone: profile.timezone,
    taxesIncluded: profile.taxesIncluded,
    plan: { publicDisplayName: 'Grow', shopifyPlus: false },
  };
  const locations: Location[] = [];
  const stores: Location[] = [];
  profile.stores.forEach((store, index) => {
    const location: Location = {
      id: gid('Location', ID_BASE.location + index + 1),
      name: store.name,
      isActive: true,
      fulfillsOnlineOrders: false,
      updatedAt: iso(catalogDate + index * 3_600_000),
    };
    locations.push(location);
    stores.push(location);
  });
  const warehouse: Location = {
    id: gid('Location', ID_BASE.location + 10),
    name: profile.warehouse.name,
    isActive: true,
    fulfillsOnlineOrders: true,
    updatedAt: iso(catalogDate),
  };
  locations.push(warehouse);
  locations.push({
    id: gid('Location', ID_BASE.location + 11),
    name: profile.closedStore,
    isActive: false,
    fulfillsOnlineOrders: false,
    updatedAt: iso(catalogDate - 30 * 86_400_000),
  });

  const products: Product[] = [];
  const sellable: CatalogVariant[] = [];
  const giftCards: CatalogVariant[] = [];
  let variantNumber = 0;
  PRODUCTS.forEach((spec, productIndex) => {
    const productId = gid('Product', ID_BASE.product + productIndex + 1);
    const createdAt = iso(catalogDate + productIndex * 600_000);
    const product: Product = {
      id: productId,
      title: spec.title,
      handle: spec.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      productType: spec.productType,
      vendor: VENDORS[spec.vendor]!,
      isGiftCard: false,
      status: 'ACTIVE',
      variants: [],
      createdAt,
      updatedAt: createdAt,
    };
    const skuStem = spec.title
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w.slice(0, 3).toUpperCase())
      .join('-');
    for (const option of spec.options) {
      variantNumber++;
      const priceCents = BigInt(spec.price + (option === 'XL' || option === '12 in' ? 500 : 0));
      const tracked = spec.tracked !== false;
      // Unit costs sit at 35–55 % of the price.
      const costCents = tracked ? (priceCents * BigInt(random.int(35, 55))) / 100n : null;
      const sku = tracked
        ? option === 'Default Title'
          ? skuStem
          : `${skuStem}-${option.replace(/\s+/g, '').toUpperCase()}`
        : null;
      const variant: ProductVariant = {
        id: gid('ProductVariant', ID_BASE.variant + variantNumber),
        title: option,
        displayName: `${spec.title} - ${option}`,
        sku,
        barcode: tracked ? String(400_000_000_000 + variantNumber * 7919) : null,
        price: formatMoney(priceCents),
        taxable: spec.taxable !== false,
        inventoryItem: {
          id: gid('InventoryItem', ID_BASE.inventoryItem + variantNumber),
          sku,
          tracked,
          unitCost: costCents === null ? null : { amount: formatMoney(costCents), currencyCode: currency },
        },
        updatedAt: createdAt,
      };
      product.variants.push(variant);
      sellable.push({ variant, product, priceCents, costCents });
    }
    products.push(product);
  });
  // Gift cards: sold as products, but a liability in the books; Shopify never taxes or discounts them.
  const giftProductId = gid('Product', ID_BASE.product + 100);
  const giftCreated = iso(catalogDate - 86_400_000);
  const giftProduct: Product = {
    id: giftProductId,
    title: 'Gift Card',
    handle: 'gift-card',
    productType: 'Gift Card',
    vendor: profile.shopName,
    isGiftCard: true,
    status: 'ACTIVE',
    variants: [],
    createdAt: giftCreated,
    updatedAt: giftCreated,
  };
  for (const denomination of [2500n, 5000n, 10000n]) {
    variantNumber++;
    const title = `${formatMoney(denomination).replace('.00', '')}`;
    const variant: ProductVariant = {
      id: gid('ProductVariant', ID_BASE.variant + variantNumber),
      title,
      displayName: `Gift Card - ${title}`,
      sku: null,
      barcode: null,
      price: formatMoney(denomination),
      taxable: false,
      inventoryItem: {
        id: gid('InventoryItem', ID_BASE.inventoryItem + variantNumber),
        sku: null,
        tracked: false,
        unitCost: null,
      },
      updatedAt: giftCreated,
    };
    giftProduct.variants.push(variant);
    giftCards.push({ variant, product: giftProduct, priceCents: denomination, costCents: null });
  }
  products.push(giftProduct);

  const customerCount = Math.min(5000, Math.max(12, Math.ceil(orders / 4)));
  const customers: Customer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!;
    const suffix = i >= FIRST_NAMES.length * LAST_NAMES.length ? ` ${Math.floor(i / 120) + 1}` : '';
    const createdMs = catalogDate + i * 60_000;
    const store = profile.stores[i % profile.stores.length]!;
    const hasEmail = i % 9 !== 4;
    const emailName = `${firstName}.${lastName}${suffix}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9.]/g, '');
    customers.push({
      id: gid('Customer', ID_BASE.customer + i + 1),
      displayName: `${firstName} ${lastName}${suffix}`,
      firstName,
      lastName: `${lastName}${suffix}`,
      defaultEmailAddress: hasEmail ? { emailAddress: `${emailName}@example.com` } : null,
      defaultPhoneNumber: i % 3 === 0 ? { phoneNumber: `+1555${String(1_000_000 + i).slice(-7)}` } : null,
      defaultAddress:
        i % 5 === 3
          ? null
          : {
              address1: `${10 + (i % 180)} ${random.pick(['Main St', 'High St', 'Market St', 'Park Ave', 'King St'])}`,
              address2: i % 7 === 0 ? `Apt ${(i % 40) + 1}` : null,
              city: store.city,
              province: profile.province,
              provinceCode: profile.provinceCode,
              zip: store.zip,
              country: profile.country,
              countryCodeV2: profile.countryCode,
              company: i % 11 === 0 ? `${lastName} Design Studio` : null,
              phone: null,
            },
      // A few wholesale/resale customers are tax exempt: their orders carry no tax lines.
      taxExempt: i % 50 === 7,
      note: i % 50 === 7 ? 'Resale certificate on file' : null,
      createdAt: iso(createdMs),
      updatedAt: iso(createdMs + 3_600_000),
    });
  }
  return {
    profile,
    shop,
    locations,
    stores,
    warehouse,
    products,
    sellable,
    giftCards,
    customers,
    vendors: VENDORS,
  };
}
