/**
 * The chart-of-accounts side of the books: the categories Shopify's figures are booked in, the QuickBooks account
 * types each may use, a default mapping (match the merchant's existing accounts, or propose new ones) and validation.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';

export const CATEGORIES = [
  'productSales',
  'shippingIncome',
  'discounts',
  'returns',
  'salesTaxPayable',
  'tips',
  'giftCardLiability',
  'duties',
  'additionalFees',
  'costOfGoodsSold',
  'inventoryAsset',
  'cashClearing',
  'shopifyPaymentsClearing',
  'giftCardClearing',
  'otherPaymentsClearing',
  'payoutBank',
  'paymentProcessingFees',
  'cashRounding',
  'accountsReceivable',
  'accountsPayable',
  'purchaseFreight',
  'inventoryAdjustments',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** QuickBooks Desktop account types (qbXML AccountType enum). */
export type AccountType =
  | 'AccountsPayable'
  | 'AccountsReceivable'
  | 'Bank'
  | 'CostOfGoodsSold'
  | 'CreditCard'
  | 'Equity'
  | 'Expense'
  | 'FixedAsset'
  | 'Income'
  | 'LongTermLiability'
  | 'NonPosting'
  | 'OtherAsset'
  | 'OtherCurrentAsset'
  | 'OtherCurrentLiability'
  | 'OtherExpense'
  | 'OtherIncome';

/** An account as QuickBooks lists it (AccountQuery): FullName includes parents, "Parent:Child". */
export interface QuickBooksAccount {
  fullName: string;
  type: AccountType;
}

/** Category → the FullName of the QuickBooks account that receives it. */
export type AccountMapping = Record<Category, string>;

export interface CategoryRule {
  label: string;
  /** Types QuickBooks must have for this category; the first is the type of a proposed new account. */
  types: readonly AccountType[];
  /** Existing account names (case-insensitive) adopted by the default mapping, most specific first. */
  knownNames: readonly string[];
  /** Name of the account proposed when none matches (≤ 31 characters: QuickBooks' account Name limit). */
  proposedName: string;
  /** A proposed account created under this parent (FullName "Parent:Name"). */
  proposedParent?: Category;
  why: string;
}

export const CATEGORY_RULES: Record<Category, CategoryRule> = {
  productSales: {
    label: 'Product sales',
    types: ['Income'],
    knownNames: ['Shopify Sales', 'Merchandise Sales', 'Sales', 'Sales Income'],
    proposedName: 'Shopify Sales',
    why: 'gross product sales (before discounts and returns), net of tax',
  },
  shippingIncome: {
    label: 'Shipping income',
    types: ['Income', 'OtherIncome'],
    knownNames: ['Shipping Income', 'Shipping and Delivery Income', 'Shipping'],
    proposedName: 'Shipping Income',
    why: 'shipping charged to customers after shipping discounts, net of tax',
  },
  discounts: {
    label: 'Discounts',
    // A contra-income account: discounts reduce income on the profit and loss report.
    types: ['Income', 'Expense'],
    knownNames: ['Sales Discounts', 'Discounts Given', 'Discounts'],
    proposedName: 'Sales Discounts',
    why: 'line and order discounts, net of tax',
  },
  returns: {
    label: 'Returns',
    types: ['Income'],
    knownNames: ['Sales Returns', 'Returns and Allowances', 'Sales Returns and Allowances', 'Returns'],
    proposedName: 'Sales Returns',
    why: 'refunded goods, on the refund date',
  },
  salesTaxPayable: {
    label: 'Sales tax payable',
    types: ['OtherCurrentLiability'],
    knownNames: ['Shopify Sales Tax Payable', 'Shopify Tax Payable'],
    // Not "Sales Tax Payable": QuickBooks reserves that account for its own sales tax items; Shopify's
    // amounts are posted as plain lines and must not mix with what the Pay Sales Tax window computes.
    proposedName: 'Shopify Sales Tax Payable',
    why: 'sales tax exactly as Shopify computed it, owed to the tax authorities',
  },
  tips: {
    label: 'Tips',
    // Tips belong to staff until paid out: a liability by default; some merchants keep them as income.
    types: ['OtherCurrentLiability', 'Income', 'OtherIncome'],
    knownNames: ['Tips Payable', 'Tips', 'Gratuities Payable'],
    proposedName: 'Tips Payable',
    why: 'tips customers added, owed to staff',
  },
  giftCardLiability: {
    label: 'Gift card liability',
    types: ['OtherCurrentLiability'],
    knownNames: ['Gift Card Liability', 'Gift Certificates Outstanding', 'Gift Cards Outstanding'],
    proposedName: 'Gift Card Liability',
    why: 'gift cards sold: money owed to card holders, not revenue',
  },
  duties: {
    label: 'Duties',
    // Import duties the customer paid at checkout are owed on to customs (or to the carrier that paid them):
    // a liability by default; a merchant who books duties paid as an expense may map them to income instead.
    types: ['OtherCurrentLiability', 'Income', 'OtherIncome'],
    knownNames: ['Duties Payable', 'Duties Collected', 'Customs Duties Payable'],
    proposedName: 'Duties Payable',
    why: 'import duties customers paid on cross-border orders, owed to customs',
  },
  additionalFees: {
    label: 'Additional fees',
    // Fees such as a retail delivery fee are collected for an authority, like a tax: a liability by default.
    types: ['OtherCurrentLiability', 'Income', 'OtherIncome'],
    knownNames: ['Additional Fees Payable', 'Additional Fees', 'Fees Collected'],
    proposedName: 'Additional Fees Payable',
    why: 'fees Shopify added to orders beyond goods, shipping, duties and tax (import or delivery fees), net of tax',
  },
  costOfGoodsSold: {
    label: 'Cost of goods sold',
    types: ['CostOfGoodsSold'],
    knownNames: ['Cost of Goods Sold', 'COGS'],
    proposedName: 'Cost of Goods Sold',
    why: "cost of items sold, at Shopify's unit cost on the day of the sale",
  },
  inventoryAsset: {
    label: 'Inventory asset',
    types: ['OtherCurrentAsset'],
    knownNames: ['Inventory Asset', 'Inventory'],
    proposedName: 'Inventory Asset',
    why: 'stock bought and not yet sold, at cost',
  },
  cashClearing: {
    label: 'Cash payments (clearing)',
    types: ['OtherCurrentAsset', 'Bank'],
    knownNames: ['Shopify Cash Clearing', 'Cash Drawer', 'Cash on Hand'],
    proposedName: 'Shopify Cash Clearing',
    why: 'cash taken at POS, net of change, until it is banked',
  },
  shopifyPaymentsClearing: {
    label: 'Shopify Payments (clearing)',
    types: ['OtherCurrentAsset', 'Bank'],
    knownNames: ['Shopify Payments Clearing', 'Shopify Payments'],
    proposedName: 'Shopify Payments Clearing',
    why: 'card payments through Shopify Payments until Shopify pays them out',
  },
  giftCardClearing: {
    label: 'Gift card redemptions',
    types: ['OtherCurrentLiability', 'OtherCurrentAsset'],
    knownNames: ['Gift Cards Redeemed'],
    proposedName: 'Gift Cards Redeemed',
    // A sub-account of the liability: paying with a gift card reduces what the balance sheet shows as owed
    // (QuickBooks totals sub-accounts into their parent) while the ledger keeps sales and redemptions apart,
    // which the reconciliation needs.
    proposedParent: 'giftCardLiability',
    why: 'payments made with gift cards (they reduce the gift card liability)',
  },
  otherPaymentsClearing: {
    label: 'Other and manual payments (clearing)',
    types: ['OtherCurrentAsset', 'Bank'],
    // Not Undeposited Funds: QuickBooks keeps that account for its own deposit workflow and tender lines post to it
    // through an item.
    knownNames: ['Other Payments Clearing', 'Manual Payments Clearing'],
    proposedName: 'Other Payments Clearing',
    why: 'manual payments and other gateways until they are deposited',
  },
  payoutBank: {
    label: 'Payout bank account',
    types: ['Bank'],
    knownNames: ['Checking', 'Business Checking', 'Bank'],
    proposedName: 'Checking',
    why: 'the bank account Shopify Payments pays out to',
  },
  paymentProcessingFees: {
    label: 'Payment processing fees',
    types: ['Expense', 'OtherExpense', 'CostOfGoodsSold'],
    knownNames: ['Merchant Fees', 'Merchant Account Fees', 'Payment Processing Fees', 'Bank Service Charges'],
    proposedName: 'Merchant Fees',
    why: 'Shopify Payments fees deducted from payouts',
  },
  cashRounding: {
    label: 'Cash rounding and over/short',
    types: ['Expense', 'OtherExpense', 'Income', 'OtherIncome'],
    knownNames: ['Cash Over and Short', 'Over and Short', 'Cash Rounding'],
    proposedName: 'Cash Over and Short',
    why: 'cash rounding and refund discrepancies (any other difference between the money and the sale holds the order back)',
  },
  accountsReceivable: {
    label: 'Accounts receivable',
    types: ['AccountsReceivable'],
    knownNames: ['Accounts Receivable'],
    proposedName: 'Accounts Receivable',
    why: 'orders fulfilled and not yet paid, and deposits on open orders',
  },
  accountsPayable: {
    label: 'Accounts payable',
    types: ['AccountsPayable'],
    knownNames: ['Accounts Payable'],
    proposedName: 'Accounts Payable',
    why: 'stock received from suppliers and not yet paid',
  },
  purchaseFreight: {
    label: 'Purchase freight',
    types: ['CostOfGoodsSold', 'Expense'],
    knownNames: ['Freight In', 'Freight and Shipping Costs', 'Purchase Freight'],
    proposedName: 'Freight In',
    why: 'shipping and adjustments charged by suppliers on purchase orders',
  },
  inventoryAdjustments: {
    label: 'Inventory adjustments',
    types: ['CostOfGoodsSold', 'Expense'],
    knownNames: ['Inventory Adjustments', 'Inventory Shrinkage'],
    proposedName: 'Inventory Adjustments',
    why: 'stock counted in or written off (damage, loss, recounts), at cost',
  },
};

/**
 * Categories the reconciliation reads one account each for: two of them sharing an account would make the
 * report unable to tell them apart, so validation refuses it.
 */
const SEPARATE_CATEGORIES: readonly Category[] = [
  'productSales',
  'shippingIncome',
  'discounts',
  'returns',
  'salesTaxPayable',
  'tips',
  'giftCardLiability',
  'duties',
  'additionalFees',
  'cashClearing',
  'shopifyPaymentsClearing',
  'giftCardClearing',
  'otherPaymentsClearing',
  'payoutBank',
];

export interface AccountProposal {
  category: Category;
  /** Name of the new account (≤ 31). */
  name: string;
  /** FullName once created ("Parent:Name" for sub-accounts). */
  fullName: string;
  parentFullName: string | null;
  type: AccountType;
}

export interface DefaultMapping {
  mapping: AccountMapping;
  /** Accounts that do not exist yet and that the setup will create (plan them with `planAccounts`). */
  toCreate: AccountProposal[];
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

function leafName(fullName: string): string {
  const parts = fullName.split(':');
  return parts[parts.length - 1]!;
}

/**
 * The default mapping: for each category, an existing account of an allowed type whose name (full or leaf) is
 * one of the category's known names; otherwise a new account with the proposed name and the first allowed type.
 * Deterministic: known names are tried in order, then accounts in name order.
 */
export function proposeAccountMapping(existing: readonly QuickBooksAccount[]): DefaultMapping {
  const sorted = [...existing].sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  const mapping = {} as AccountMapping;
  const toCreate: AccountProposal[] = [];
  const taken = new Set<string>();
  const ordered = [...CATEGORIES].sort(
    (a, b) => Number(Boolean(CATEGORY_RULES[a].proposedParent)) - Number(Boolean(CATEGORY_RULES[b].proposedParent)),
  );
  for (const category of ordered) {
    const rule = CATEGORY_RULES[category];
    let found: QuickBooksAccount | undefined;
    for (const known of rule.knownNames) {
      found = sorted.find(
        (account) =>
          rule.types.includes(account.type) &&
          !taken.has(normalise(account.fullName)) &&
          (normalise(account.fullName) === normalise(known) ||
            normalise(leafName(account.fullName)) === normalise(known)),
      );
      if (found) break;
    }
    if (found) {
      mapping[category] = found.fullName;
      taken.add(normalise(found.fullName));
      continue;
    }
    const parentFullName = rule.proposedParent ? mapping[rule.proposedParent] : null;
    const fullName = parentFullName ? `${parentFullName}:${rule.proposedName}` : rule.proposedName;
    mapping[category] = fullName;
    taken.add(normalise(fullName));
    toCreate.push({ category, name: rule.proposedName, fullName, parentFullName, type: rule.types[0]! });
  }
  return { mapping, toCreate };
}

export interface MappingProblem {
  category: Category | null;
  problem: 'unmapped' | 'missing-account' | 'wrong-type' | 'shared-account';
  text: string;
}

/**
 * Checks a mapping before the integration starts: every category mapped, each to an account that exists (or
 * is about to be created) with an allowed type, and the reconciled categories on accounts of their own.
 * Returns every problem at once, in plain words.
 */
export function validateAccountMapping(
  mapping: Partial<Record<Category, string>>,
  accounts: readonly QuickBooksAccount[],
  toCreate: readonly AccountProposal[] = [],
): Result<AccountMapping> {
  const byName = new Map<string, AccountType>();
  for (const account of accounts) byName.set(normalise(account.fullName), account.type);
  for (const proposal of toCreate) byName.set(normalise(proposal.fullName), proposal.type);
  const problems: MappingProblem[] = [];
  for (const category of CATEGORIES) {
    const rule = CATEGORY_RULES[category];
    const name = mapping[category]?.trim();
    if (!name) {
      problems.push({
        category,
        problem: 'unmapped',
        text: `Choose a QuickBooks account for "${rule.label}" (${rule.why}).`,
      });
      continue;
    }
    const type = byName.get(normalise(name));
    if (type === undefined) {
      problems.push({
        category,
        problem: 'missing-account',
        text: `"${rule.label}" is mapped to "${name}", which is not in your QuickBooks chart of accounts. Pick an existing account or let the connector create one.`,
      });
    } else if (!rule.types.includes(type)) {
      problems.push({
        category,
        problem: 'wrong-type',
        text: `"${rule.label}" is mapped to "${name}", a ${describeType(type)} account; it must be ${rule.types.map(describeType).join(' or ')}.`,
      });
    }
  }
  const owners = new Map<string, Category>();
  for (const category of SEPARATE_CATEGORIES) {
    const name = mapping[category]?.trim();
    if (!name) continue;
    const other = owners.get(normalise(name));
    if (other) {
      problems.push({
        category,
        problem: 'shared-account',
        text: `"${CATEGORY_RULES[category].label}" and "${CATEGORY_RULES[other].label}" both use "${name}". Give each its own account (a sub-account is fine) so the reconciliation can check each one to the cent.`,
      });
    } else owners.set(normalise(name), category);
  }
  if (problems.length > 0) {
    return err(
      new ConnectorError({
        code: 'ACCOUNT_MAPPING_INVALID',
        message: `Account mapping has ${problems.length} problem(s): ${problems.map((p) => `${p.category}:${p.problem}`).join(', ')}`,
        merchantMessage: `Before the integration can start, fix the account mapping:\n${problems.map((p) => `• ${p.text}`).join('\n')}`,
        merchantMustAct: true,
        retryable: false,
        details: { problems },
      }),
    );
  }
  return ok(mapping as AccountMapping);
}

const TYPE_WORDS: Record<AccountType, string> = {
  AccountsPayable: 'Accounts Payable',
  AccountsReceivable: 'Accounts Receivable',
  Bank: 'Bank',
  CostOfGoodsSold: 'Cost of Goods Sold',
  CreditCard: 'Credit Card',
  Equity: 'Equity',
  Expense: 'Expense',
  FixedAsset: 'Fixed Asset',
  Income: 'Income',
  LongTermLiability: 'Long Term Liability',
  NonPosting: 'Non-Posting',
  OtherAsset: 'Other Asset',
  OtherCurrentAsset: 'Other Current Asset',
  OtherCurrentLiability: 'Other Current Liability',
  OtherExpense: 'Other Expense',
  OtherIncome: 'Other Income',
};

export function describeType(type: AccountType): string {
  return TYPE_WORDS[type];
}

/** The clearing category a Shopify gateway's money lands in. */
export function clearingCategoryFor(gateway: string): Category {
  switch (normaliseGateway(gateway)) {
    case 'cash':
      return 'cashClearing';
    case 'shopify_payments':
      return 'shopifyPaymentsClearing';
    case 'gift_card':
      return 'giftCardClearing';
    default:
      return 'otherPaymentsClearing';
  }
}

/** Gateway names as the books key them: Shopify writes "Cash", "cash", "shopify_payments", "Gift Card". */
export function normaliseGateway(gateway: string | null): string {
  const g = (gateway ?? 'manual')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return g === '' ? 'manual' : g;
}
