/**
 * Items. Products are non-inventory items whose purchases post to the inventory asset account (see ItemRecord);
 * everything else a line can carry — shipping, tax, tips, gift cards, discounts, cash over/short, each tender of a
 * split payment — is an other-charge item tied to one account. The service items come first: they are the oldest
 * names and keep their plain ones.
 */
import type { Money } from '../../domain/index.ts';
import type { ItemNonInventoryAdd, SalesAndPurchase } from '../../qbxml/index.ts';
import { type Category, clearingCategoryFor } from '../accounts.ts';
import type { ItemRecord } from '../documents.ts';
import { SERVICE_ITEMS, tenderItemKey } from '../fragments.ts';
import { compare, type TransformInput } from '../input.ts';
import { cleanName, ITEM_NAME_MAX } from '../names.ts';
import type { ListDraft, ListKind, Planned } from './kind.ts';
import { gatewayLabel } from './payment-method.ts';

interface ItemFields {
  itemType: ItemRecord['itemType'];
  description: string;
  category: Category;
  purchaseCategory: Category | null;
  price: Money | null;
  sku: string | null;
}

function draft(key: string, wanted: string, since: string, fields: ItemFields): ListDraft<ItemRecord> {
  return {
    key,
    name: { wanted, fallback: 'Item', since },
    named: (name) => ({ kind: 'item', key, ...fields, name }),
  };
}

function service(key: string, wanted: string, description: string, category: Category): ListDraft<ItemRecord> {
  return draft(key, wanted, '', {
    itemType: 'otherCharge',
    description,
    category,
    purchaseCategory: null,
    price: null,
    sku: null,
  });
}

export const item: ListKind<ItemRecord> = {
  priority: 80,
  nameList: 'items',
  records(input) {
    const drafts: ListDraft<ItemRecord>[] = [
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
      // Only shops that sell across borders charge duties or additional fees: their items exist once an order uses them.
      ...(input.derived(usesCharges).duties
        ? [service(SERVICE_ITEMS.duties, 'Duties', 'Import duties customers paid on Shopify orders', 'duties')]
        : []),
      ...(input.derived(usesCharges).additionalFees
        ? [
            service(
              SERVICE_ITEMS.additionalFee,
              'Additional Fees',
              'Additional fees on Shopify orders (import or delivery fees)',
              'additionalFees',
            ),
          ]
        : []),
      ...input.gateways.map(([g, f]) =>
        service(
          tenderItemKey(g),
          `Paid by ${gatewayLabel(g, f)}`,
          `Part of a sale paid by ${gatewayLabel(g, f)}`,
          clearingCategoryFor(g),
        ),
      ),
    ];
    for (const [key, type] of [...input.items.categoryItems].sort(([a], [b]) => compare(a, b))) {
      drafts.push(
        draft(key, type, '0000', {
          itemType: 'nonInventory',
          description:
            type === 'Custom Sale' ? 'Custom sales without a Shopify product' : `Shopify products of type ${type}`,
          category: 'productSales',
          purchaseCategory: 'inventoryAsset',
          price: null,
          sku: null,
        }),
      );
    }
    for (const [key, info] of [...input.items.variantItems].sort(([a], [b]) => compare(a, b))) {
      drafts.push(
        draft(key, info.wanted, info.since || '0000', {
          itemType: 'nonInventory',
          description: info.description,
          category: 'productSales',
          purchaseCategory: 'inventoryAsset',
          price: info.price,
          sku: info.sku,
        }),
      );
    }
    return drafts;
  },
  plan(record, ctx) {
    ctx.needAccount(record.category);
    ctx.needAccount(record.purchaseCategory);
    if (record.itemType === 'otherCharge') {
      return {
        message: 'ItemOtherChargeAdd',
        body: {
          ItemOtherChargeAdd: {
            Name: record.name,
            SalesOrPurchase: { Desc: record.description, AccountRef: ctx.account(record.category) },
            ExternalGUID: ctx.guid,
          },
        },
      };
    }
    const prices: SalesAndPurchase<Planned> = { SalesDesc: record.description };
    if (record.price !== null) prices.SalesPrice = record.price;
    prices.IncomeAccountRef = ctx.account(record.category);
    prices.PurchaseDesc = record.description;
    prices.ExpenseAccountRef = ctx.account(record.purchaseCategory ?? 'inventoryAsset');
    const add: ItemNonInventoryAdd<Planned> = { Name: record.name };
    if (record.sku) add.ManufacturerPartNumber = cleanName(record.sku, ITEM_NAME_MAX);
    add.SalesAndPurchase = prices;
    add.ExternalGUID = ctx.guid;
    return { message: 'ItemNonInventoryAdd', body: { ItemNonInventoryAdd: add } };
  },
};

/** Whether any posted sales line is a duty or an additional fee. */
function usesCharges(input: TransformInput): { duties: boolean; additionalFees: boolean } {
  const lines = input.sales.flatMap((f) => f.lines);
  return {
    duties: lines.some((l) => l.item === SERVICE_ITEMS.duties),
    additionalFees: lines.some((l) => l.item === SERVICE_ITEMS.additionalFee),
  };
}
