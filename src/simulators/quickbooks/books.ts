import { formatMoney, type Money, parseMoney } from '../../domain/index.ts';
import { CompanyFile, type Edition, type ListRow, SCHEMA_VERSION } from './company-file.ts';
import { COST_SCALE, divideRounded, formatQuantity, formatUnitCost, parseQuantity, parseScaled } from './decimal.ts';
import { addListRecord, modListRecord, saveListRecord } from './list-records.ts';
import { LIST_TYPES, referenceTarget } from './list-types.ts';
import { bool, child, isObject, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';

/**
 * The company's books: settings, identifiers, lists with QuickBooks' rules, and the helpers transactions use
 * (reference resolution, posting accounts). One instance per open company file.
 */
export interface CompanySettings {
  edition: Edition;
  companyName: string;
  salesTax: { enabled: boolean; defaultItemName: string | null };
}

export interface CreateCompanyOptions {
  edition?: Edition;
  companyName?: string;
  /** 'zero' (default): sales tax on, "most common" item at 0 %. 'off': sales tax turned off. */
  salesTax?: 'zero' | 'off' | { ratePercent: string };
}

export interface ListLimits {
  /** Customers + vendors + employees + other names together. */
  names: number;
  /** Any one of those four lists. */
  namesPerList: number;
  items: number;
  accounts: number;
}

/** Intuit community article 1768244 (research/qbwc-qbxml.md §4). */
export function editionLimits(edition: Edition): ListLimits {
  return edition === 'enterprise'
    ? { names: 1_000_000, namesPerList: 1_000_000, items: 1_000_000, accounts: 100_000 }
    : { names: 14_500, namesPerList: 10_500, items: 14_500, accounts: 10_000 };
}

export interface Clock {
  now(): Date;
}

const DEFAULT_ACCOUNTS: [name: string, type: string, special?: string, number?: string][] = [
  ['Checking', 'Bank', undefined, '10100'],
  ['Undeposited Funds', 'OtherCurrentAsset', 'UndepositedFunds', '12000'],
  ['Accounts Receivable', 'AccountsReceivable', 'AccountsReceivable', '11000'],
  ['Inventory Asset', 'OtherCurrentAsset', 'InventoryAssets', '12100'],
  ['Accounts Payable', 'AccountsPayable', 'AccountsPayable', '20000'],
  ['Sales Tax Payable', 'OtherCurrentLiability', 'SalesTaxPayable', '25500'],
  ['Opening Balance Equity', 'Equity', 'OpeningBalanceEquity', '30000'],
  ['Retained Earnings', 'Equity', 'RetainedEarnings', '32000'],
  ['Sales', 'Income', undefined, '40000'],
  ['Shipping Income', 'Income', undefined, '40500'],
  ['Sales Discounts', 'Income', undefined, '40900'],
  ['Cost of Goods Sold', 'CostOfGoodsSold', 'CostOfGoodsSold', '50000'],
  ['Inventory Adjustments', 'CostOfGoodsSold', undefined, '50100'],
  ['Freight and Shipping Costs', 'Expense', undefined, '60100'],
  ['Merchant Account Fees', 'Expense', undefined, '60400'],
  ['Bank Service Charges', 'Expense', undefined, '60600'],
  ['Advertising and Promotion', 'Expense', undefined, '60200'],
  ['Office Supplies', 'Expense', undefined, '64900'],
  ['Rent Expense', 'Expense', undefined, '67100'],
  ['Utilities', 'Expense', undefined, '68600'],
  ['Purchase Orders', 'NonPosting', 'PurchaseOrders', '90100'],
  ['Sales Orders', 'NonPosting', 'SalesOrders', '90200'],
];

const DEFAULT_PAYMENT_METHODS: [string, string][] = [
  ['Cash', 'Cash'],
  ['Check', 'Check'],
  ['Visa', 'Visa'],
  ['MasterCard', 'MasterCard'],
  ['American Express', 'AmericanExpress'],
  ['Discover', 'Discover'],
  ['Debit Card', 'DebitCard'],
  ['Gift Card', 'GiftCard'],
  ['E-Check', 'ECheck'],
];

export class Books {
  readonly file: CompanyFile;
  readonly clock: Clock;
  private limitOverride: Partial<ListLimits> = {};

  constructor(file: CompanyFile, clock: Clock) {
    this.file = file;
    this.clock = clock;
  }

  static create(path: string, options: CreateCompanyOptions, clock: Clock): Books {
    const books = new Books(new CompanyFile(path), clock);
    if (books.file.getMeta('schemaVersion') === null) books.initialise(options);
    return books;
  }

  get settings(): CompanySettings {
    return JSON.parse(this.file.getMeta('settings') ?? '{}') as CompanySettings;
  }

  get limits(): ListLimits {
    return { ...editionLimits(this.settings.edition), ...this.limitOverride };
  }

  /** What a user picks as "Your most common sales tax item" in QuickBooks' preferences (qbXML cannot set it). */
  setMostCommonSalesTaxItem(name: string): void {
    const settings = this.settings;
    settings.salesTax.defaultItemName = name;
    this.file.setMeta('settings', JSON.stringify(settings));
  }

  /** Test and demo hook: lower the list limits so reaching them stays fast. */
  setLimits(limits: Partial<ListLimits>): void {
    this.limitOverride = { ...this.limitOverride, ...limits };
  }

  private initialise(options: CreateCompanyOptions): void {
    const salesTax = options.salesTax ?? 'zero';
    const settings: CompanySettings = {
      edition: options.edition ?? 'pro',
      companyName: options.companyName ?? 'Simulated Company',
      salesTax: { enabled: salesTax !== 'off', defaultItemName: null },
    };
    this.file.db.exec('BEGIN');
    try {
      this.file.setMeta('schemaVersion', SCHEMA_VERSION);
      this.file.setMeta('settings', JSON.stringify(settings));
      this.file.setMeta('fileGuid', `{${crypto.randomUUID().toUpperCase()}}`);
      for (const [name, type, special, number] of DEFAULT_ACCOUNTS) {
        const row = this.addList('Account', { Name: name, AccountType: type, AccountNumber: number });
        if (special) {
          row.ret.SpecialAccountType = special;
          this.saveList(row);
        }
      }
      for (const [name, type] of DEFAULT_PAYMENT_METHODS) {
        this.addList('PaymentMethod', { Name: name, PaymentMethodType: type });
      }
      if (settings.salesTax.enabled) {
        this.addList('SalesTaxCode', { Name: 'Tax', IsTaxable: 'true', Desc: 'Taxable Sales' });
        this.addList('SalesTaxCode', { Name: 'Non', IsTaxable: 'false', Desc: 'Non-Taxable Sales' });
        this.addList('Vendor', { Name: 'State Tax Agency', CompanyName: 'State Department of Revenue' });
        const rate = typeof salesTax === 'object' ? salesTax.ratePercent : '0';
        const name = typeof salesTax === 'object' ? 'State Tax' : 'No Tax';
        this.addList('ItemSalesTax', {
          Name: name,
          ItemDesc: typeof salesTax === 'object' ? 'State sales tax' : 'Sales tax calculated by the store',
          TaxRate: rate,
          TaxVendorRef: { FullName: 'State Tax Agency' },
        });
        settings.salesTax.defaultItemName = name;
        this.file.setMeta('settings', JSON.stringify(settings));
      }
      this.file.db.exec('COMMIT');
    } catch (error) {
      this.file.db.exec('ROLLBACK');
      throw error;
    }
  }

  // Identifiers and clock -----------------------------------------------------------------------------------

  unixSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** QuickBooks writes local time with its offset, e.g. 2024-05-01T10:11:12-05:00. */
  timestamp(date: Date = this.clock.now()): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? '+' : '-';
    const abs = Math.abs(offset);
    return (
      `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:` +
      `${pad(date.getMinutes())}:${pad(date.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
    );
  }

  today(): string {
    return this.timestamp().slice(0, 10);
  }

  /** ListIDs look like "80000001-1714572672": a hex sequence from 0x80000001, then the creation time. */
  newListId(): string {
    const n = this.file.nextCounter('list', 0x80000001);
    return `${n.toString(16).toUpperCase()}-${this.unixSeconds()}`;
  }

  /**
   * TxnIDs look like "1A2-1714572672". Transaction lines take their TxnLineID from the same sequence, as in
   * QuickBooks (an invoice 4-… has lines 6-…, the next invoice 7-… lines 9-… and A-…: wire r05).
   */
  newTxnId(): string {
    const n = this.file.nextCounter('txn', 1);
    return `${n.toString(16).toUpperCase()}-${this.unixSeconds()}`;
  }

  newTxnLineId(): string {
    return this.newTxnId();
  }

  newTxnNumber(): number {
    return this.file.nextCounter('txnNumber', 1);
  }

  /** EditSequence is the modification time in seconds; it must change on every modification, even within a second. */
  nextEditSequence(previous: string | null): string {
    const now = this.unixSeconds();
    const prev = previous === null ? 0 : Number(previous);
    return String(Number.isFinite(prev) && prev >= now ? prev + 1 : now);
  }

  nextSeq(): number {
    return this.file.nextCounter('seq', 1);
  }

  // References ----------------------------------------------------------------------------------------------

  /** The FullName written in refs and FullName elements (Vendors and sales tax items have only a Name). */
  fullName(row: ListRow): string {
    return text(row.ret, 'FullName') ?? text(row.ret, 'Name') ?? '';
  }

  refTo(row: ListRow): QbObject {
    return { ListID: row.listId, FullName: this.fullName(row) };
  }

  findList(ref: QbObject, types: readonly string[]): ListRow | null {
    const listId = text(ref, 'ListID');
    if (listId !== null) {
      const row = this.file.listById(listId);
      return row && types.includes(row.listType) ? row : null;
    }
    const fullName = text(ref, 'FullName');
    if (fullName === null) return null;
    const spaces = new Set(types.map((t) => LIST_TYPES[t]?.nameSpace));
    for (const space of spaces) {
      if (!space) continue;
      const row = this.file.listByName(space, fullName);
      if (row && types.includes(row.listType)) return row;
    }
    return null;
  }

  /**
   * Resolves a reference as QuickBooks does: it must exist, be active and be of the right kind, otherwise
   * 3140 "There is an invalid reference to QuickBooks <Type> "<name>" in the <context>."
   */
  resolve(ref: QbObject, refName: string, ownerType: string, context: string, allowInactive = false): ListRow {
    const target = referenceTarget(refName, ownerType);
    const shown = text(ref, 'FullName') ?? text(ref, 'ListID') ?? '';
    const label = target?.label ?? refName.replace(/Ref$/, '');
    if (!target) throw new QbStatus(3140, statusText.invalidReference(label, shown, context));
    const row = this.findList(ref, target.types);
    if (!row || (!row.isActive && !allowInactive)) {
      throw new QbStatus(3140, statusText.invalidReference(target.label, shown, context));
    }
    return row;
  }

  /** Resolves an optional reference of a body and rewrites it as {ListID, FullName}; returns the row. */
  resolveField(body: QbObject, refName: string, ownerType: string, context: string): ListRow | null {
    const ref = child(body, refName);
    if (!ref) return null;
    const row = this.resolve(ref, refName, ownerType, context);
    body[refName] = this.refTo(row);
    return row;
  }

  /** Resolves every `…Ref` at the top level of a body (not inside lines). */
  resolveAllRefs(body: QbObject, ownerType: string, context: string): void {
    for (const key of Object.keys(body)) {
      if (key.endsWith('Ref') && isObject(body[key] as QbObject)) this.resolveField(body, key, ownerType, context);
    }
  }

  accountByName(name: string): ListRow {
    const row = this.file.listByName('account', name);
    if (!row) throw new Error(`The company file has no "${name}" account`);
    return row;
  }

  /** The account QuickBooks uses for a special purpose (A/R, Undeposited Funds, Inventory Asset…). */
  specialAccount(special: string, fallbackName: string): ListRow {
    const match = this.file.listsOfTypes(['Account']).find((a) => text(a.ret, 'SpecialAccountType') === special);
    return match ?? this.accountByName(fallbackName);
  }

  // Lists ---------------------------------------------------------------------------------------------------

  saveList(row: ListRow): void {
    saveListRecord(this, row);
  }

  /** Adds a list record from an `…Add` body, applying QuickBooks' list rules. */
  addList(listType: string, input: QbObject): ListRow {
    return addListRecord(this, listType, input);
  }

  /** Applies an `…Mod` body: ListID and EditSequence must match the stored record. */
  modList(listType: string, input: QbObject): ListRow {
    return modListRecord(this, listType, input);
  }

  /** Posts an opening balance given on an Add (account, customer, vendor) against Opening Balance Equity. */
  openingBalanceAmount(body: QbObject): Money | null {
    const value = text(body, 'OpenBalance');
    if (value === null) return null;
    try {
      return parseMoney(value);
    } catch {
      throw new QbStatus(3040, `There is an invalid amount "${value}" in the field "OpenBalance".`);
    }
  }

  // Item helpers used by transactions -----------------------------------------------------------------------

  /** The account a sale of this item credits (before any OverrideItemAccountRef). */
  incomeAccountOf(item: ListRow): ListRow | null {
    const ret = item.ret;
    const ref =
      child(ret, 'IncomeAccountRef') ??
      child(child(ret, 'SalesAndPurchase') ?? undefined, 'IncomeAccountRef') ??
      child(child(ret, 'SalesOrPurchase') ?? undefined, 'AccountRef') ??
      child(ret, 'AccountRef');
    return ref ? this.findList(ref, ['Account']) : null;
  }

  /** The account a purchase of this item debits (the asset account for inventory). */
  purchaseAccountOf(item: ListRow): ListRow | null {
    const ret = item.ret;
    const ref =
      child(ret, 'AssetAccountRef') ??
      child(child(ret, 'SalesAndPurchase') ?? undefined, 'ExpenseAccountRef') ??
      child(child(ret, 'SalesOrPurchase') ?? undefined, 'AccountRef') ??
      child(ret, 'AccountRef');
    return ref ? this.findList(ref, ['Account']) : null;
  }

  accountOfRef(ret: QbObject, refName: string): ListRow | null {
    const ref = child(ret, refName);
    return ref ? this.findList(ref, ['Account']) : null;
  }

  /** Writes the live inventory figures into an inventory item's Ret (QuantityOnHand, AverageCost). */
  refreshInventoryFields(item: ListRow): void {
    if (item.listType !== 'ItemInventory') return;
    const state = this.file.inventory(item.listId);
    item.ret.QuantityOnHand = formatQuantity(state.quantity);
    const unitCost =
      state.quantity > 0n ? divideRounded(state.value * COST_SCALE * 100_000n, state.quantity) : state.lastCost;
    item.ret.AverageCost = formatUnitCost(unitCost);
  }

  /** Sales tax rate of an ItemSalesTax as a percentage scaled by 10^5. */
  taxRateOf(item: ListRow): bigint {
    return parseScaled(text(item.ret, 'TaxRate') ?? '0', 5) ?? 0n;
  }

  quantityOf(body: QbObject, field: string): bigint | null {
    const value = text(body, field);
    if (value === null) return null;
    const parsed = parseQuantity(value);
    if (parsed === null) throw new QbStatus(3045, `There is an invalid quantity "${value}" in the field "${field}".`);
    return parsed;
  }

  moneyOf(body: QbObject, field: string): Money | null {
    const value = text(body, field);
    if (value === null) return null;
    try {
      return parseMoney(value);
    } catch {
      throw new QbStatus(3040, `There is an invalid amount "${value}" in the field "${field}".`);
    }
  }

  bool(body: QbObject, field: string): boolean | null {
    return bool(body, field);
  }

  many(body: QbObject, field: string): QbObject[] {
    return many(body, field);
  }

  formatMoney(amount: Money): string {
    return formatMoney(amount);
  }
}
