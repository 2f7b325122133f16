/**
 * The transform: Shopify source records + settings → list records and accounting documents. Pure: no I/O, no
 * clock, no randomness; the same input always gives the same documents with the same keys, in the same order.
 */
import { type Money, parseMoney, sumMoney } from '../domain/money.ts';
import type { LineItem, Order, Product, ShopDataFile } from '../domain/shopify-records.ts';
import { localDate, offsetMinutes } from '../domain/time.ts';
import { type AccountProposal, type Category, clearingCategoryFor, normaliseGateway } from './accounts.ts';
import { numericId } from './amounts.ts';
import type {
  AccountRecord,
  ClassRecord,
  CustomerRecord,
  ItemRecord,
  JournalEntryDocument,
  ListRecord,
  Modes,
  PaymentMethodRecord,
  SalesLine,
  TransactionDocument,
  VendorRecord,
} from './documents.ts';
import { assignNames, cleanName, ITEM_NAME_MAX, NAME_MAX, type NameRequest, refNumberFor } from './names.ts';
import { purchasingDocuments, vendorRequests } from './purchasing.ts';
import {
  type CostEntry,
  orderFragments,
  type PaymentFragment,
  paymentMethodKey,
  type SalesFragment,
  SERVICE_ITEMS,
  type TransformNote,
  tenderItemKey,
} from './sales.ts';

export type TransformSources = Omit<ShopDataFile, 'format'>;

/** What picks a sales line's item: a line item, or a variant seen elsewhere (purchase orders). */
type ItemSource = Pick<LineItem, 'product' | 'name' | 'sku'> & { variant: { id: string; sku: string | null } | null };

export interface TransformSettings {
  modes: Modes;
  /** Locations become QuickBooks classes (DESIGN §1: locations → Classes). */
  useClasses: boolean;
  /** YYYY-MM-DD: nothing dated before it is produced (the integration's start date). */
  startDate: string | null;
  /** Names already in QuickBooks that are not the connector's (customers+vendors, then items). */
  reservedNames?: { names?: readonly string[]; items?: readonly string[] };
  /** Accounts the setup creates (from `proposeAccountMapping`). */
  accountsToCreate?: readonly AccountProposal[];
}

export interface TransformResult {
  lists: ListRecord[];
  documents: TransactionDocument[];
  notes: TransformNote[];
}

export const ONLINE_LOCATION = 'online';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function gatewayLabel(gateway: string, formatted: string | null): string {
  if (formatted?.trim()) return formatted.trim();
  return gateway
    .split('_')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'other'
  );
}

export function transform(sources: TransformSources, settings: TransformSettings): TransformResult {
  const timeZone = sources.shop.ianaTimezone;
  const notes: TransformNote[] = [];
  const modes = settings.modes;
  const locationNames = new Map(sources.locations.map((l) => [numericId(l.id), l.name]));
  const productById = new Map<string, Product>(sources.products.map((p) => [p.id, p]));
  const productByVariant = new Map<string, Product>();
  for (const product of sources.products)
    for (const variant of product.variants) productByVariant.set(variant.id, product);
  const customerIds = new Set(sources.customers.map((c) => c.id));
  const orders = [...sources.orders].filter((o) => !o.test).sort((a, b) => compare(a.id, b.id));

  const locationKeyOf = (order: Order) => (order.retailLocation ? numericId(order.retailLocation.id) : ONLINE_LOCATION);
  const locationCustomer = (locationKey: string) => `customer/location/${locationKey}`;

  // Items used by sales lines: one per variant (Detailed) or per product type (Summary).
  const variantItems = new Map<
    string,
    { wanted: string; description: string; price: Money | null; sku: string | null; since: string }
  >();
  const categoryItems = new Map<string, string>();
  const itemOf = (line: ItemSource): string => {
    const product =
      (line.product && productById.get(line.product.id)) ||
      (line.variant && productByVariant.get(line.variant.id)) ||
      null;
    if (modes.inventory === 'summary') {
      const type = product?.productType?.trim() || (line.variant ? 'Merchandise' : 'Custom Sale');
      const key = `item/category/${slug(type)}`;
      if (!categoryItems.has(key)) categoryItems.set(key, type);
      return key;
    }
    if (!line.variant) {
      if (!categoryItems.has('item/category/custom-sale'))
        categoryItems.set('item/category/custom-sale', 'Custom Sale');
      return 'item/category/custom-sale';
    }
    const key = `item/variant/${numericId(line.variant.id)}`;
    if (!variantItems.has(key)) {
      const variant = product?.variants.find((v) => v.id === line.variant!.id);
      const title = product
        ? variant && variant.title !== 'Default Title'
          ? `${product.title} - ${variant.title}`
          : product.title
        : line.name;
      const sku = variant?.sku ?? line.variant.sku ?? line.sku;
      variantItems.set(key, {
        wanted: sku?.trim() || title,
        description: sku ? `${title} (SKU ${sku})` : title,
        price: variant ? parseMoney(variant.price) : null,
        sku: sku ?? null,
        since: product?.createdAt ?? '9999',
      });
    }
    return key;
  };
  if (modes.inventory === 'detailed') {
    // Every variant gets its item (one QuickBooks record per Shopify variant), sold or not.
    for (const product of sources.products) {
      if (product.isGiftCard) continue;
      for (const variant of product.variants) {
        itemOf({
          product: { id: product.id },
          variant: { id: variant.id, sku: variant.sku },
          name: product.title,
          sku: variant.sku,
        });
      }
    }
  }

  const ctx = {
    timeZone,
    dateOf: localDateIn(timeZone),
    locationKeyOf,
    classKeyOf: (locationKey: string) => (settings.useClasses ? `class/${locationKey}` : null),
    customerOf: (order: Order, locationKey: string) =>
      modes.customers === 'detailed' && order.customer && customerIds.has(order.customer.id)
        ? `customer/${numericId(order.customer.id)}`
        : locationCustomer(locationKey),
    itemOf,
    notes,
  };

  const fragments: SalesFragment[] = [];
  const payments: PaymentFragment[] = [];
  const costs: CostEntry[] = [];
  const gateways = new Map<string, string | null>();
  for (const order of orders) {
    const out = orderFragments(order, ctx);
    fragments.push(...out.fragments);
    payments.push(...out.payments);
    costs.push(...out.costs);
    for (const t of [...order.transactions, ...order.refunds.flatMap((r) => r.transactions)]) {
      const g = normaliseGateway(t.gateway);
      if (!gateways.has(g) || (!gateways.get(g) && t.formattedGateway)) gateways.set(g, t.formattedGateway);
    }
  }
  const inRange = (date: string) => settings.startDate === null || date >= settings.startDate;

  const documents: TransactionDocument[] = [];
  // Sales documents.
  const salesGroups = new Map<string, SalesFragment[]>();
  for (const fragment of fragments) {
    if (!inRange(fragment.date)) continue;
    const key =
      modes.customers === 'detailed'
        ? fragment.key
        : `summary/${fragment.locationKey}/${fragment.date}/${fragment.group}`;
    const group = salesGroups.get(key);
    if (group) group.push(fragment);
    else salesGroups.set(key, [fragment]);
  }
  for (const [key, group] of salesGroups) {
    const document = salesDocument(key, group, modes.customers === 'summary');
    // QuickBooks needs at least one line; a day whose sales and refunds cancel line by line posts nothing.
    if ('lines' in document && document.lines.length > 0) documents.push(document);
  }
  // Payments on account and deposits on open orders.
  const paymentGroups = new Map<string, PaymentFragment[]>();
  for (const payment of payments) {
    if (!inRange(payment.date)) continue;
    const key =
      modes.customers === 'detailed'
        ? payment.key
        : `summary/${payment.locationKey}/${payment.date}/${payment.apply === 'auto' ? 'payments' : 'deposits'}/${payment.gateway}`;
    const group = paymentGroups.get(key);
    if (group) group.push(payment);
    else paymentGroups.set(key, [payment]);
  }
  for (const [key, group] of paymentGroups) {
    const first = group[0]!;
    const summary = modes.customers === 'summary';
    documents.push({
      kind: 'receivePayment',
      key,
      date: first.date,
      refNumber: summary
        ? refNumberFor(`P${first.date.slice(2).replace(/-/g, '')}`, key)
        : refNumberFor(first.refText, key),
      customer: first.customer,
      amount: sumMoney(group.map((p) => p.amount)),
      depositTo: clearingCategoryFor(first.gateway),
      paymentMethod: paymentMethodKey(first.gateway),
      apply: first.apply,
      memo: summary
        ? `${first.apply === 'auto' ? 'Payments' : 'Deposits on open orders'} by ${first.gateway}, ${group.length} Shopify order(s)`
        : first.memo,
    });
  }
  // Cost of goods sold: one journal entry per day and location in every mode, at Shopify's unit cost captured
  // with the sale — the same numbers whichever mode is chosen.
  const costGroups = new Map<string, CostEntry[]>();
  for (const cost of costs) {
    if (!inRange(cost.date)) continue;
    const key = `summary/${cost.locationKey}/${cost.date}/cogs`;
    const group = costGroups.get(key);
    if (group) group.push(cost);
    else costGroups.set(key, [cost]);
  }
  for (const [key, group] of costGroups) {
    const sold = sumMoney(group.filter((c) => c.amount > 0n).map((c) => c.amount));
    const returned = -sumMoney(group.filter((c) => c.amount < 0n).map((c) => c.amount));
    const first = group[0]!;
    const where = locationLabel(first.locationKey, locationNames);
    const lines: JournalEntryDocument['lines'] = [];
    if (sold !== 0n) {
      lines.push({
        category: 'costOfGoodsSold',
        side: 'debit',
        amount: sold,
        memo: `Cost of goods sold, ${where}`,
        classKey: first.classKey,
      });
      lines.push({
        category: 'inventoryAsset',
        side: 'credit',
        amount: sold,
        memo: `Goods sold, ${where}`,
        classKey: first.classKey,
      });
    }
    if (returned !== 0n) {
      lines.push({
        category: 'inventoryAsset',
        side: 'debit',
        amount: returned,
        memo: `Goods returned to stock, ${where}`,
        classKey: first.classKey,
      });
      lines.push({
        category: 'costOfGoodsSold',
        side: 'credit',
        amount: returned,
        memo: `Cost of goods returned, ${where}`,
        classKey: first.classKey,
      });
    }
    documents.push({
      kind: 'journalEntry',
      key,
      date: first.date,
      refNumber: refNumberFor(`C${first.date.slice(2).replace(/-/g, '')}`, key),
      purpose: 'costOfGoodsSold',
      memo: `Cost of goods sold ${first.date}, ${where}: ${new Set(group.map((c) => c.orderName)).size} Shopify order(s)`,
      lines,
    });
  }
  // Shopify Payments payouts: Shopify keeps its fees and pays the rest; the clearing account is emptied by the
  // gross, the bank gets the net, the fees go to their expense account.
  for (const payout of [...(sources.shopifyPaymentsAccount?.payouts ?? [])].sort((a, b) => compare(a.id, b.id))) {
    if (payout.status !== 'PAID') continue;
    const date = localDate(payout.issuedAt, timeZone);
    if (!inRange(date)) continue;
    const s = payout.summary;
    const fees = sumMoney(
      [s.chargesFee, s.refundsFee, s.adjustmentsFee, s.reservedFundsFee, s.retriedPayoutsFee].map((m) =>
        parseMoney(m.amount),
      ),
    );
    const net = parseMoney(payout.net.amount);
    const key = `payout/${numericId(payout.id)}`;
    if (payout.transactionType === 'WITHDRAWAL' || net < 0n) {
      const amount = net < 0n ? -net : net;
      documents.push({
        kind: 'journalEntry',
        key,
        date,
        refNumber: refNumberFor(numericId(payout.id), key),
        purpose: 'payoutWithdrawal',
        memo: `Shopify Payments withdrawal ${numericId(payout.id)}`,
        lines: [
          {
            category: 'shopifyPaymentsClearing',
            side: 'debit',
            amount,
            memo: 'Shopify Payments withdrawal',
            classKey: null,
          },
          { category: 'payoutBank', side: 'credit', amount, memo: 'Shopify Payments withdrawal', classKey: null },
        ],
      });
      continue;
    }
    const lines = [
      { category: 'shopifyPaymentsClearing' as Category, amount: net + fees, memo: 'Shopify Payments payout (gross)' },
    ];
    if (fees !== 0n) lines.push({ category: 'paymentProcessingFees', amount: -fees, memo: 'Shopify Payments fees' });
    documents.push({
      kind: 'deposit',
      key,
      date,
      depositTo: 'payoutBank',
      memo: `Shopify Payments payout ${numericId(payout.id)}`,
      lines,
    });
  }

  const inventoryItems = new Map<string, { product: Product; variantIndex: number }>();
  for (const product of sources.products) {
    product.variants.forEach((variant, variantIndex) => {
      inventoryItems.set(variant.inventoryItem.id, { product, variantIndex });
    });
  }
  const itemForInventoryItem = (inventoryItemId: string | null, title: string): string => {
    const found = inventoryItemId ? inventoryItems.get(inventoryItemId) : undefined;
    if (!found) return itemOf({ product: null, variant: null, name: title, sku: null });
    const variant = found.product.variants[found.variantIndex]!;
    return itemOf({
      product: { id: found.product.id },
      variant: { id: variant.id, sku: variant.sku },
      name: found.product.title,
      sku: variant.sku,
    });
  };
  const purchasing = purchasingDocuments(sources, settings, notes, itemForInventoryItem);
  documents.push(...purchasing.documents.filter((d) => inRange(d.date)));

  // List records.
  const lists: ListRecord[] = [];
  for (const proposal of settings.accountsToCreate ?? []) {
    const parent = (settings.accountsToCreate ?? []).find((p) => p.fullName === proposal.parentFullName);
    lists.push({
      kind: 'account',
      key: `account/${proposal.category}`,
      name: proposal.name,
      parentKey: parent ? `account/${parent.category}` : null,
      type: proposal.type,
      category: proposal.category,
    } satisfies AccountRecord);
  }
  const gatewayList = [...gateways].sort(([a], [b]) => compare(a, b));
  const methodNames = assignNames(
    gatewayList.map(([g, f]) => ({
      key: paymentMethodKey(g),
      wanted: gatewayLabel(g, f),
      fallback: 'Payment',
      since: '',
    })),
    ITEM_NAME_MAX,
  );
  for (const [gateway] of gatewayList) {
    lists.push({
      kind: 'paymentMethod',
      key: paymentMethodKey(gateway),
      name: methodNames.get(paymentMethodKey(gateway))!,
      type:
        gateway === 'cash'
          ? 'Cash'
          : gateway === 'gift_card'
            ? 'GiftCard'
            : gateway === 'shopify_payments'
              ? 'OtherCreditCard'
              : 'Other',
    } satisfies PaymentMethodRecord);
  }
  const classKeys = new Set<string>();
  for (const document of documents) {
    if ('classKey' in document && document.classKey) classKeys.add(document.classKey);
    if ('lines' in document)
      for (const l of document.lines) if ('classKey' in l && l.classKey) classKeys.add(l.classKey);
  }
  const classList = [...classKeys].sort();
  const classNames = assignNames(
    classList.map((key) => ({
      key,
      wanted: locationLabel(key.slice('class/'.length), locationNames),
      fallback: 'Location',
      since: '',
    })),
    ITEM_NAME_MAX,
  );
  for (const key of classList) lists.push({ kind: 'class', key, name: classNames.get(key)! } satisfies ClassRecord);

  // Items: the service items first (they are the oldest and keep their plain names), then products.
  const serviceItems: (Omit<ItemRecord, 'name'> & { wanted: string })[] = [
    service(SERVICE_ITEMS.shipping, 'Shipping', 'Shipping charged on Shopify orders', 'shippingIncome'),
    service(SERVICE_ITEMS.salesTax, 'Shopify Sales Tax', 'Sales tax as Shopify computed it', 'salesTaxPayable'),
    service(SERVICE_ITEMS.tip, 'Tips', 'Tips added by customers', 'tips'),
    service(SERVICE_ITEMS.giftCard, 'Gift Card', 'Shopify gift cards sold (a liability)', 'giftCardLiability'),
    service(SERVICE_ITEMS.discount, 'Discounts', 'Shopify discounts', 'discounts'),
    service(
      SERVICE_ITEMS.overShort,
      'Cash Rounding / Over-Short',
      'Cash rounding and refund differences',
      'cashRounding',
    ),
    ...gatewayList.map(([g, f]) =>
      service(
        tenderItemKey(g),
        `Paid by ${gatewayLabel(g, f)}`,
        `Part of a sale paid by ${gatewayLabel(g, f)}`,
        clearingCategoryFor(g),
      ),
    ),
  ];
  const productItems: (Omit<ItemRecord, 'name'> & { wanted: string; since: string })[] = [];
  for (const [key, type] of [...categoryItems].sort(([a], [b]) => compare(a, b))) {
    productItems.push({
      kind: 'item',
      key,
      wanted: type,
      since: '',
      itemType: 'nonInventory',
      description:
        type === 'Custom Sale' ? 'Custom sales without a Shopify product' : `Shopify products of type ${type}`,
      category: 'productSales',
      purchaseCategory: 'inventoryAsset',
      price: null,
      sku: null,
    });
  }
  for (const [key, info] of [...variantItems].sort(([a], [b]) => compare(a, b))) {
    productItems.push({
      kind: 'item',
      key,
      wanted: info.wanted,
      since: info.since,
      itemType: 'nonInventory',
      description: info.description,
      category: 'productSales',
      purchaseCategory: 'inventoryAsset',
      price: info.price,
      sku: info.sku,
    });
  }
  const serviceRequests: NameRequest[] = serviceItems.map((i) => ({
    key: i.key,
    wanted: i.wanted,
    fallback: 'Item',
    since: '',
  }));
  const productRequests: NameRequest[] = productItems.map((i) => ({
    key: i.key,
    wanted: i.wanted,
    fallback: 'Item',
    since: i.since || '0000',
  }));
  const names = assignNames(
    [...serviceRequests, ...productRequests],
    ITEM_NAME_MAX,
    settings.reservedNames?.items ?? [],
  );
  for (const { wanted: _w, ...item } of serviceItems) lists.push({ ...item, name: names.get(item.key)! });
  for (const { wanted: _w, since: _s, ...item } of productItems) lists.push({ ...item, name: names.get(item.key)! });

  // Customers and vendors share QuickBooks' name list.
  const nameRequests: NameRequest[] = [];
  const customerRecords: Omit<CustomerRecord, 'name'>[] = [];
  const genericLocations = new Set<string>();
  for (const document of documents) {
    if ('customer' in document && document.customer.startsWith('customer/location/'))
      genericLocations.add(document.customer.slice('customer/location/'.length));
  }
  for (const loc of [...genericLocations].sort()) {
    const key = locationCustomer(loc);
    const label = `Shopify ${locationLabel(loc, locationNames)}`;
    nameRequests.push({ key, wanted: label, fallback: 'Shopify Customer', since: '' });
    customerRecords.push({
      kind: 'customer',
      key,
      companyName: null,
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      address: null,
      notes:
        modes.customers === 'summary'
          ? `All Shopify sales at ${locationLabel(loc, locationNames)} (Summary mode)`
          : `Shopify sales without a customer at ${locationLabel(loc, locationNames)}`,
    });
  }
  if (modes.customers === 'detailed') {
    for (const customer of [...sources.customers].sort((a, b) => compare(a.id, b.id))) {
      const key = `customer/${numericId(customer.id)}`;
      const full =
        customer.displayName?.trim() ||
        [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
        customer.defaultEmailAddress?.emailAddress ||
        '';
      nameRequests.push({ key, wanted: full, fallback: 'Customer', since: customer.createdAt });
      const address = customer.defaultAddress;
      customerRecords.push({
        kind: 'customer',
        key,
        companyName: address?.company ? cleanName(address.company, NAME_MAX) : cleanName(full, NAME_MAX) || null,
        firstName: customer.firstName ? cleanName(customer.firstName, 25) : null,
        lastName: customer.lastName ? cleanName(customer.lastName, 25) : null,
        email: customer.defaultEmailAddress?.emailAddress ?? null,
        phone: customer.defaultPhoneNumber?.phoneNumber ? cleanName(customer.defaultPhoneNumber.phoneNumber, 21) : null,
        address: address
          ? {
              lines: [address.address1, address.address2]
                .filter((l): l is string => Boolean(l))
                .map((l) => cleanName(l, 41)),
              city: address.city ? cleanName(address.city, 31) : null,
              state: address.provinceCode ? cleanName(address.provinceCode, 21) : null,
              postalCode: address.zip ? cleanName(address.zip, 13) : null,
              country: address.country ? cleanName(address.country, 31) : null,
            }
          : null,
        notes: `Shopify customer ${numericId(customer.id)}: ${full}`,
      });
    }
  }
  const vendors = vendorRequests(sources, settings);
  nameRequests.push(...vendors.map((v) => v.request));
  const entityNames = assignNames(nameRequests, NAME_MAX, settings.reservedNames?.names ?? []);
  for (const customer of customerRecords) lists.push({ ...customer, name: entityNames.get(customer.key)! });
  for (const vendor of vendors)
    lists.push({ ...vendor.record, name: entityNames.get(vendor.record.key)! } satisfies VendorRecord);

  const kindOrder = ['account', 'paymentMethod', 'class', 'item', 'customer', 'vendor'];
  lists.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || compare(a.key, b.key));
  documents.sort((a, b) => compare(a.date, b.date) || compare(a.key, b.key));
  return { lists, documents, notes: dedupeNotes(notes) };
}

function service(
  key: string,
  wanted: string,
  description: string,
  category: Category,
): Omit<ItemRecord, 'name'> & { wanted: string } {
  return {
    kind: 'item',
    key,
    wanted,
    itemType: 'otherCharge',
    description,
    category,
    purchaseCategory: null,
    price: null,
    sku: null,
  };
}

function dedupeNotes(notes: TransformNote[]): TransformNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const id = `${n.key}|${n.code}|${n.text}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * localDate with a cache of the zone's offset per UTC hour: the offset is looked up once an hour of instants
 * (Intl is slow), and only used when it is the same at both ends of the hour, so a DST change inside the hour
 * (zones whose changes fall on a half hour in UTC) is still computed exactly.
 */
export function localDateIn(timeZone: string): (instant: string) => string {
  const offsets = new Map<number, number | null>();
  return (instant: string) => {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) throw new RangeError(`Not a date: ${instant}`);
    const hour = Math.floor(ms / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      const start = offsetMinutes(new Date(hour * 3_600_000), timeZone);
      const end = offsetMinutes(new Date(hour * 3_600_000 + 3_599_999), timeZone);
      offset = start === end ? start : null;
      offsets.set(hour, offset);
    }
    if (offset === null) return localDate(new Date(ms), timeZone);
    return new Date(ms + offset * 60_000).toISOString().slice(0, 10);
  };
}

export function locationLabel(locationKey: string, names: Map<string, string>): string {
  if (locationKey === ONLINE_LOCATION) return 'Online Store';
  return names.get(locationKey) ?? `Location ${locationKey}`;
}

/** Turns the fragments of one document key into the document (Summary: their sum). */
function salesDocument(key: string, group: SalesFragment[], summary: boolean): TransactionDocument {
  const first = group[0]!;
  let lines: SalesLine[] = group.flatMap((f) => f.lines);
  if (summary) lines = mergeLines(lines);
  const money = new Map<string, Money>();
  for (const fragment of group) for (const [g, m] of fragment.money) money.set(g, (money.get(g) ?? 0n) + m);
  const refNumber = summary
    ? refNumberFor(
        `${{ sales: 'S', refunds: 'R', invoices: 'I', credits: 'C', 'sales-orders': 'O' }[first.group]}${first.date.slice(2).replace(/-/g, '')}`,
        key,
      )
    : refNumberFor(first.refText, key);
  const memo = summary
    ? `Shopify ${first.group} ${first.date}: ${group.length} order(s) — ${group.map((f) => f.refText).join(', ')}`.slice(
        0,
        4000,
      )
    : first.memo;
  const base = { key, date: first.date, refNumber, customer: first.customer, classKey: first.classKey, memo };
  switch (first.kind) {
    case 'receipt': {
      const tenders = [...money]
        .filter(([, m]) => m !== 0n)
        .sort(([ga, a], [gb, b]) => {
          const aa = a < 0n ? -a : a;
          const bb = b < 0n ? -b : b;
          return aa === bb ? compare(ga, gb) : aa > bb ? -1 : 1;
        });
      const primary = tenders[0]?.[0] ?? 'manual';
      // Split tenders: the main tender is the receipt's "deposit to" account; each other tender is a line on its
      // own tender item that moves its share to its gateway's clearing account.
      for (const [gateway, amount] of tenders.slice(1)) {
        lines.push({
          item: tenderItemKey(gateway),
          description: amount > 0n ? `Paid by ${gateway}` : `Refunded to ${gateway}`,
          quantity: null,
          amount: -amount,
          category: clearingCategoryFor(gateway),
          classKey: first.classKey,
        });
      }
      return {
        kind: 'salesReceipt',
        ...base,
        lines,
        depositTo: clearingCategoryFor(primary),
        paymentMethod: tenders.length > 0 ? paymentMethodKey(primary) : null,
      };
    }
    case 'invoice':
      return { kind: 'invoice', ...base, lines };
    case 'salesOrder':
      return { kind: 'salesOrder', ...base, lines };
    case 'credit': {
      const total = sumMoney(lines.map((l) => l.amount));
      // An exchange that added more than it took back, with no money moving, leaves the customer owing.
      if (total > 0n) return { kind: 'invoice', ...base, lines };
      return {
        kind: 'creditMemo',
        ...base,
        lines: lines.map((l) => ({ ...l, amount: -l.amount, quantity: l.quantity === null ? null : -l.quantity })),
      };
    }
  }
}

/** Summary lines: one per item, account and class; quantities and amounts added up. */
function mergeLines(lines: SalesLine[]): SalesLine[] {
  const merged = new Map<string, SalesLine>();
  for (const line of lines) {
    const id = `${line.item}|${line.category}|${line.classKey ?? ''}|${line.item === SERVICE_ITEMS.salesTax ? line.description : ''}|${Math.sign(Number(line.amount))}`;
    const existing = merged.get(id);
    if (!existing) {
      merged.set(id, { ...line, description: summaryDescription(line) });
      continue;
    }
    existing.amount += line.amount;
    existing.quantity = existing.quantity === null || line.quantity === null ? null : existing.quantity + line.quantity;
  }
  return [...merged.values()].filter((l) => l.amount !== 0n || (l.quantity ?? 0) !== 0);
}

function summaryDescription(line: SalesLine): string {
  if (line.item === SERVICE_ITEMS.salesTax) return line.description;
  if (line.category === 'returns') return 'Returned goods';
  if (line.item === SERVICE_ITEMS.discount) return 'Discounts';
  if (line.item === SERVICE_ITEMS.shipping) return line.amount < 0n ? 'Shipping refunded' : 'Shipping';
  if (line.item === SERVICE_ITEMS.tip) return 'Tips';
  if (line.item === SERVICE_ITEMS.giftCard) return line.amount < 0n ? 'Gift cards refunded' : 'Gift cards sold';
  if (line.item === SERVICE_ITEMS.overShort) return 'Cash rounding / over-short';
  return line.description.startsWith('Returned')
    ? 'Returned goods'
    : line.item.startsWith('item/variant/')
      ? line.description
      : 'Sales';
}
