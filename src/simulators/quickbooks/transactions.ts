import type { Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { ListRow, TxnRow } from './company-file.ts';
import { divideRounded, extend, formatQuantity, formatScaled, parseScaled, QUANTITY_SCALE } from './decimal.ts';
import { addInventory, costAtAverage, removeInventory, undoInventory } from './inventory.ts';
import { child, clone, compact, isObject, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';

/**
 * Transactions and what they post. Every transaction writes balanced general-ledger lines (debit positive,
 * credit negative, summing to zero) — sales orders and purchase orders post nothing, as in QuickBooks.
 */
export const TXN_TYPES = [
  'SalesReceipt',
  'Invoice',
  'SalesOrder',
  'CreditMemo',
  'ReceivePayment',
  'JournalEntry',
  'Deposit',
  'PurchaseOrder',
  'ItemReceipt',
  'Bill',
  'InventoryAdjustment',
] as const;
export type TxnType = (typeof TXN_TYPES)[number];

/** Elements of an Add that are instructions, not data: QuickBooks does not echo them. */
const WRITE_ONLY = new Set(['LinkToTxnID', 'IsAutoApply', 'CashBackInfoAdd', 'SetCredit', 'defMacro']);

interface Posting {
  accountId: string;
  amount: Money;
  entityId: string | null;
  itemId: string | null;
  memo: string | null;
}

interface Effect {
  kind: 'applyPayment' | 'deposit' | 'receivePo' | 'invoiceSalesOrder';
  target: string;
  lineId?: string;
  amount?: string;
}

class PostingBuilder {
  readonly lines: Posting[] = [];
  add(
    account: ListRow,
    amount: Money,
    entity: ListRow | null = null,
    item: ListRow | null = null,
    memo: string | null = null,
  ) {
    if (amount === 0n) return;
    this.lines.push({
      accountId: account.listId,
      amount,
      entityId: entity?.listId ?? null,
      itemId: item?.listId ?? null,
      memo,
    });
  }
}

interface Context {
  books: Books;
  type: TxnType;
  txnId: string;
  ret: QbObject;
  postings: PostingBuilder;
  /** Sales orders: what the form would post, kept apart from the ledger for the open-sales-orders report. */
  nonPosting?: Posting[];
  effects: Effect[];
}

function money(books: Books, amount: Money): string {
  return books.formatMoney(amount);
}

function newLineId(books: Books): string {
  return books.newTxnLineId();
}

/** QuickBooks writes percentages with at least two decimals ("6.00", "0.00": wire r05), more when they have them. */
export function formatPercent(scaled: bigint): string {
  const text = formatScaled(scaled, 5);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

/** Copies the header of an Add into the Ret, resolving its references. */
function header(books: Books, type: TxnType, body: QbObject, lineKeys: readonly string[]): QbObject {
  const ret: QbObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (WRITE_ONLY.has(key) || lineKeys.includes(key)) continue;
    ret[key] = clone(value as QbObject);
  }
  books.resolveAllRefs(ret, type, type);
  return ret;
}

// Sales documents ---------------------------------------------------------------------------------------------

interface SaleLine {
  ret: QbObject;
  item: ListRow | null;
  amount: Money;
  quantity: bigint | null;
  taxable: boolean;
}

function itemPrice(item: ListRow): string | null {
  const r = item.ret;
  return (
    text(r, 'SalesPrice') ??
    text(child(r, 'SalesOrPurchase') ?? undefined, 'Price') ??
    text(child(r, 'SalesAndPurchase') ?? undefined, 'SalesPrice') ??
    null
  );
}

function itemPercent(item: ListRow): string | null {
  return text(item.ret, 'DiscountRatePercent') ?? text(child(item.ret, 'SalesOrPurchase') ?? undefined, 'PricePercent');
}

function isTaxableCode(books: Books, codeRef: QbObject | null): boolean | null {
  if (!codeRef) return null;
  const code = books.findList(codeRef, ['SalesTaxCode']);
  return code ? text(code.ret, 'IsTaxable') === 'true' : null;
}

/** Computes sales-form lines the way QuickBooks fills them: amount from quantity × rate, percentages, subtotals. */
function saleLines(ctx: Context, lineAdd: string, priceFromCost: boolean, purchase: boolean): SaleLine[] {
  const { books, type } = ctx;
  const lines: SaleLine[] = [];
  let sinceSubtotal = 0n;
  let taxableSoFar = 0n;
  for (const input of many(ctx.ret.__lines as QbObject, lineAdd)) {
    const line = clone(input);
    // A line kept by a …Mod keeps its TxnLineID.
    const ret: QbObject = { TxnLineID: text(line, 'TxnLineID') ?? newLineId(books) };
    const item = books.resolveField(line, 'ItemRef', type, `${type} line`);
    for (const key of Object.keys(line)) {
      if (key.endsWith('Ref') && key !== 'ItemRef' && isObject(line[key] as QbObject)) {
        books.resolveField(line, key, type, `${type} line`);
      }
    }
    const quantity = books.quantityOf(line, 'Quantity');
    const rateField = purchase ? 'Cost' : 'Rate';
    let amount = books.moneyOf(line, 'Amount');
    let rate = text(line, rateField);
    const percent = text(line, 'RatePercent') ?? (item && amount === null && rate === null ? itemPercent(item) : null);
    if (amount === null && rate === null && percent !== null) {
      const pct = parseScaled(percent, 5) ?? 0n;
      const base = lines.length ? lines[lines.length - 1]!.amount : 0n;
      amount = divideRounded(base * pct, 100n * QUANTITY_SCALE);
      if (item?.listType === 'ItemDiscount') amount = -(amount < 0n ? -amount : amount);
    }
    if (amount === null && item?.listType === 'ItemSubtotal') amount = sinceSubtotal;
    if (amount === null && item?.listType === 'ItemSalesTax') {
      amount = divideRounded(taxableSoFar * books.taxRateOf(item), 100n * QUANTITY_SCALE);
    }
    if (amount === null) {
      if (rate === null && item) rate = purchase || priceFromCost ? text(item.ret, 'PurchaseCost') : itemPrice(item);
      if (rate === null && item?.listType === 'ItemDiscount' && text(item.ret, 'DiscountRate')) {
        rate = `-${text(item.ret, 'DiscountRate')}`.replace('--', '');
      }
      const parsedRate = rate === null ? 0n : parseScaled(rate, 5);
      if (parsedRate === null)
        throw new QbStatus(3040, `There is an invalid amount "${rate}" in the field "${rateField}".`);
      amount = extend(quantity ?? QUANTITY_SCALE, parsedRate);
    } else if (rate === null && quantity !== null && quantity !== 0n && !percent) {
      rate = formatScaled(divideRounded(amount * QUANTITY_SCALE * QUANTITY_SCALE, quantity * 100n), 5);
    }
    for (const [key, value] of Object.entries(line)) {
      if (key === 'LinkToTxn' || key === 'OptionForPriceRuleConflict' || key === 'TxnLineID') continue;
      ret[key] = value;
    }
    if (quantity !== null) ret.Quantity = formatQuantity(quantity);
    if (rate !== null && !percent) ret[rateField] = rate;
    if (percent !== null && text(line, 'RatePercent') !== null) ret.RatePercent = percent;
    ret.Amount = money(books, amount);
    let taxable = false;
    if (!purchase && books.settings.salesTax.enabled && item && item.listType !== 'ItemSalesTax') {
      taxable =
        isTaxableCode(books, child(line, 'SalesTaxCodeRef')) ??
        isTaxableCode(books, child(item.ret, 'SalesTaxCodeRef')) ??
        false;
    }
    if (item?.listType === 'ItemSubtotal') sinceSubtotal = 0n;
    else sinceSubtotal += amount;
    if (taxable) taxableSoFar += amount;
    // OverrideItemAccountRef stays on the stored line (it is honoured when posting, and again after a …Mod); the
    // Ret QuickBooks writes has no such element, so responses leave it out.
    lines.push({ ret: compact(ret), item, amount, quantity, taxable });
  }
  return lines;
}

interface SaleTotals {
  subtotal: Money;
  tax: Money;
  total: Money;
  /** Lines paid with a payment item reduce what the customer owes. */
  payments: Money;
}

/** Posts the lines of a sales form. `direction` 1 = sale (credit income), -1 = credit memo (debit income). */
function postSale(ctx: Context, lines: SaleLine[], direction: 1n | -1n, customer: ListRow | null): SaleTotals {
  const { books, ret, postings } = ctx;
  let subtotal = 0n;
  let payments = 0n;
  let taxableTotal = 0n;
  const taxPayable = books.specialAccount('SalesTaxPayable', 'Sales Tax Payable');
  for (const line of lines) {
    const override = child(line.ret, 'OverrideItemAccountRef');
    const item = line.item;
    if (!item || item.listType === 'ItemSubtotal') continue;
    if (item.listType === 'ItemPayment') {
      const deposit =
        books.accountOfRef(item.ret, 'DepositToAccountRef') ??
        books.specialAccount('UndepositedFunds', 'Undeposited Funds');
      postings.add(deposit, direction * line.amount, customer, item);
      payments += line.amount;
      continue;
    }
    subtotal += line.amount;
    if (line.taxable) taxableTotal += line.amount;
    let account: ListRow | null = override ? books.findList(override, ['Account']) : null;
    let entity: ListRow | null = customer;
    if (!account && item.listType === 'ItemSalesTax') {
      account = taxPayable;
      const vendorRef = child(item.ret, 'TaxVendorRef');
      entity = vendorRef ? books.findList(vendorRef, ['Vendor']) : null;
    }
    account ??= books.incomeAccountOf(item);
    if (!account) throw new QbStatus(3270, `The item "${books.fullName(item)}" has no account to post to.`);
    postings.add(account, -direction * line.amount, entity, item);
    if (
      item.listType === 'ItemInventory' &&
      line.quantity !== null &&
      line.quantity !== 0n &&
      ctx.type !== 'SalesOrder'
    ) {
      const cogsAccount = books.accountOfRef(item.ret, 'COGSAccountRef')!;
      const assetAccount = books.accountOfRef(item.ret, 'AssetAccountRef')!;
      const quantity = direction * line.quantity;
      const cost =
        quantity > 0n
          ? removeInventory(books, ctx.txnId, item.listId, quantity)
          : (() => {
              const value = costAtAverage(books, item.listId, -quantity);
              addInventory(books, ctx.txnId, item.listId, -quantity, value);
              return -value;
            })();
      postings.add(cogsAccount, cost, null, item);
      postings.add(assetAccount, -cost, null, item);
    }
  }
  let tax = 0n;
  const settings = books.settings;
  if (settings.salesTax.enabled) {
    let taxItem = books.resolveField(ret, 'ItemSalesTaxRef', ctx.type, ctx.type);
    const customerTaxRef = customer ? child(customer.ret, 'ItemSalesTaxRef') : null;
    if (!taxItem && customerTaxRef) taxItem = books.findList(customerTaxRef, ['ItemSalesTax']);
    if (!taxItem && settings.salesTax.defaultItemName)
      taxItem = books.file.listByName('item', settings.salesTax.defaultItemName);
    const customerCode =
      isTaxableCode(books, child(ret, 'CustomerSalesTaxCodeRef')) ??
      (customer ? isTaxableCode(books, child(customer.ret, 'SalesTaxCodeRef')) : null);
    if (taxItem) {
      const rate = books.taxRateOf(taxItem);
      tax = customerCode === false ? 0n : divideRounded(taxableTotal * rate, 100n * QUANTITY_SCALE);
      ret.ItemSalesTaxRef = books.refTo(taxItem);
      ret.SalesTaxPercentage = formatPercent(rate);
      ret.SalesTaxTotal = money(books, tax);
      const vendorRef = child(taxItem.ret, 'TaxVendorRef');
      postings.add(taxPayable, -direction * tax, vendorRef ? books.findList(vendorRef, ['Vendor']) : null, taxItem);
    }
  } else if (child(ret, 'ItemSalesTaxRef')) {
    throw new QbStatus(3250, statusText.notEnabled('sales tax'));
  }
  ret.Subtotal = money(books, subtotal);
  return { subtotal, tax, total: subtotal + tax, payments };
}

function requireRef(books: Books, body: QbObject, refName: string, type: string): ListRow {
  const row = books.resolveField(body, refName, type, type);
  if (!row) throw new QbStatus(3140, statusText.invalidReference(refName.replace(/Ref$/, ''), '', type));
  return row;
}

function linkTxn(
  books: Books,
  target: TxnRow,
  from: { txnId: string; type: string; ret: QbObject },
  amount: Money,
): void {
  const links = many(target.ret, 'LinkedTxn');
  links.push(
    compact({
      TxnID: from.txnId,
      TxnType: from.type,
      TxnDate: text(from.ret, 'TxnDate') ?? books.today(),
      RefNumber: text(from.ret, 'RefNumber') ?? undefined,
      LinkType: 'AMTTYPE',
      Amount: money(books, amount),
    }),
  );
  target.ret.LinkedTxn = links;
}

function unlinkTxn(target: TxnRow, fromTxnId: string): void {
  const links = many(target.ret, 'LinkedTxn').filter((l) => text(l, 'TxnID') !== fromTxnId);
  if (links.length) target.ret.LinkedTxn = links;
  else delete target.ret.LinkedTxn;
}

// Per-type posting --------------------------------------------------------------------------------------------

function postSalesForm(ctx: Context): void {
  const { books, ret, type } = ctx;
  const lineAdd = `${type}LineAdd`;
  const customer =
    type === 'SalesReceipt'
      ? books.resolveField(ret, 'CustomerRef', type, type)
      : requireRef(books, ret, 'CustomerRef', type);
  const lines = saleLines(ctx, lineAdd, false, false);
  // A sales order line says how much of it is invoiced and whether it was closed by hand (wire r23).
  ret[`${type}LineRet`] = lines.map((l) =>
    type === 'SalesOrder' ? { Invoiced: '0', IsManuallyClosed: 'false', ...l.ret } : l.ret,
  );
  const direction = type === 'CreditMemo' ? -1n : 1n;
  if (type === 'SalesOrder') {
    // A sales order is non-posting: compute its totals on a throwaway builder.
    const preview = new PostingBuilder();
    const totals = postSale({ ...ctx, postings: preview }, lines, 1n, customer);
    ctx.nonPosting = preview.lines;
    ret.TotalAmount = money(books, totals.total);
    ret.IsManuallyClosed ??= 'false';
    ret.IsFullyInvoiced ??= 'false';
    return;
  }
  const totals = postSale(ctx, lines, direction, customer);
  const owed = totals.total - totals.payments;
  if (type === 'SalesReceipt') {
    const deposit =
      books.resolveField(ret, 'DepositToAccountRef', type, type) ??
      books.specialAccount('UndepositedFunds', 'Undeposited Funds');
    ret.DepositToAccountRef = books.refTo(deposit);
    ret.TotalAmount = money(books, totals.total);
    ctx.postings.add(deposit, owed, customer);
    return;
  }
  const ar =
    books.resolveField(ret, 'ARAccountRef', type, type) ??
    books.specialAccount('AccountsReceivable', 'Accounts Receivable');
  ret.ARAccountRef = books.refTo(ar);
  ctx.postings.add(ar, direction * owed, customer);
  if (type === 'Invoice') {
    ret.AppliedAmount = money(books, -totals.payments);
    ret.BalanceRemaining = money(books, owed);
    ret.IsPaid = owed === 0n ? 'true' : 'false';
    for (const soId of ctx.ret.__linkTo as unknown as string[]) {
      const so = books.file.txnById(soId);
      if (so?.txnType !== 'SalesOrder') throw new QbStatus(3120, statusText.notFound(soId));
      for (const line of many(so.ret, 'SalesOrderLineRet')) line.Invoiced = text(line, 'Quantity') ?? '0';
      so.ret.SalesOrderLineRet = many(so.ret, 'SalesOrderLineRet');
      so.ret.IsFullyInvoiced = 'true';
      linkTxn(books, so, { txnId: ctx.txnId, type, ret }, owed);
      books.file.updateTxn(so);
      ctx.effects.push({ kind: 'invoiceSalesOrder', target: soId });
    }
  } else {
    ret.TotalAmount = money(books, totals.total);
    ret.CreditRemaining = money(books, owed);
  }
}

function postReceivePayment(ctx: Context): void {
  const { books, ret, type } = ctx;
  const customer = requireRef(books, ret, 'CustomerRef', type);
  const ar =
    books.resolveField(ret, 'ARAccountRef', type, type) ??
    books.specialAccount('AccountsReceivable', 'Accounts Receivable');
  const deposit =
    books.resolveField(ret, 'DepositToAccountRef', type, type) ??
    books.specialAccount('UndepositedFunds', 'Undeposited Funds');
  ret.ARAccountRef = books.refTo(ar);
  ret.DepositToAccountRef = books.refTo(deposit);
  const openInvoices = () =>
    books.file
      .txnsOfType('Invoice')
      .filter((t) => t.entityId === customer.listId && (books.moneyOf(t.ret, 'BalanceRemaining') ?? 0n) > 0n);
  const applications: { invoice: TxnRow; amount: Money }[] = [];
  const total = books.moneyOf(ret, 'TotalAmount');
  const input = ctx.ret.__lines as QbObject;
  if (text(input, 'IsAutoApply') === 'true') {
    let left = total ?? 0n;
    for (const invoice of openInvoices()) {
      if (left <= 0n) break;
      const balance = books.moneyOf(invoice.ret, 'BalanceRemaining') ?? 0n;
      const amount = balance < left ? balance : left;
      applications.push({ invoice, amount });
      left -= amount;
    }
  } else {
    for (const applied of many(input, 'AppliedToTxnAdd')) {
      const txnId = text(applied, 'TxnID') ?? '';
      const invoice = books.file.txnById(txnId);
      if (invoice?.txnType !== 'Invoice' || invoice.entityId !== customer.listId) {
        throw new QbStatus(3120, statusText.notFound(txnId));
      }
      const amount = books.moneyOf(applied, 'PaymentAmount') ?? 0n;
      const balance = books.moneyOf(invoice.ret, 'BalanceRemaining') ?? 0n;
      if (amount > balance) {
        throw new QbStatus(
          3210,
          statusText.invalidValue(
            'AppliedToTxnAdd payment amount',
            money(books, amount),
            'You cannot pay more than the amount due.',
          ),
        );
      }
      applications.push({ invoice, amount });
    }
  }
  const applied = applications.reduce((sum, a) => sum + a.amount, 0n);
  const paid = total ?? applied;
  if (applied > paid) {
    throw new QbStatus(
      3210,
      statusText.invalidValue('TotalAmount', money(books, paid), 'The amounts applied are more than the payment.'),
    );
  }
  ret.TotalAmount = money(books, paid);
  ret.UnusedPayment = money(books, paid - applied);
  ret.UnusedCredits = '0.00';
  ret.AppliedToTxnRet = applications.map(({ invoice, amount }) => {
    const balance = (books.moneyOf(invoice.ret, 'BalanceRemaining') ?? 0n) - amount;
    invoice.ret.BalanceRemaining = money(books, balance);
    invoice.ret.AppliedAmount = money(books, (books.moneyOf(invoice.ret, 'AppliedAmount') ?? 0n) - amount);
    invoice.ret.IsPaid = balance === 0n ? 'true' : 'false';
    linkTxn(books, invoice, { txnId: ctx.txnId, type, ret }, -amount);
    books.file.updateTxn(invoice);
    ctx.effects.push({ kind: 'applyPayment', target: invoice.txnId, amount: money(books, amount) });
    return compact({
      TxnID: invoice.txnId,
      TxnType: 'Invoice',
      TxnDate: text(invoice.ret, 'TxnDate') ?? undefined,
      RefNumber: text(invoice.ret, 'RefNumber') ?? undefined,
      BalanceRemaining: money(books, balance),
      Amount: money(books, amount),
    });
  });
  ctx.postings.add(deposit, paid, customer);
  ctx.postings.add(ar, -paid, customer);
}

function postJournalEntry(ctx: Context): void {
  const { books, ret, type } = ctx;
  const input = ctx.ret.__lines as QbObject;
  let debits = 0n;
  let credits = 0n;
  for (const [lineName, sign] of [
    ['JournalDebitLine', 1n],
    ['JournalCreditLine', -1n],
  ] as const) {
    const lines = many(input, lineName).map((source) => {
      const line = clone(source);
      line.TxnLineID = text(line, 'TxnLineID') ?? newLineId(books);
      const account = requireRef(books, line, 'AccountRef', `${type} line`);
      const entity = books.resolveField(line, 'EntityRef', type, `${type} line`);
      books.resolveField(line, 'ClassRef', type, `${type} line`);
      books.resolveField(line, 'ItemSalesTaxRef', type, `${type} line`);
      const amount = books.moneyOf(line, 'Amount') ?? 0n;
      line.Amount = money(books, amount);
      const accountType = text(account.ret, 'AccountType');
      if (accountType === 'AccountsReceivable' && entity?.listType !== 'Customer') {
        throw new QbStatus(
          3210,
          statusText.invalidValue('EntityRef', '', 'You must select a customer when you use Accounts Receivable.'),
        );
      }
      if (accountType === 'AccountsPayable' && entity?.listType !== 'Vendor') {
        throw new QbStatus(
          3210,
          statusText.invalidValue('EntityRef', '', 'You must select a vendor when you use Accounts Payable.'),
        );
      }
      if (sign === 1n) debits += amount;
      else credits += amount;
      ctx.postings.add(account, sign * amount, entity, null, text(line, 'Memo'));
      return line;
    });
    if (lines.length) ret[lineName] = lines;
  }
  if (debits !== credits) {
    throw new QbStatus(
      3210,
      statusText.invalidValue(
        'JournalEntryAdd',
        `${money(books, debits)}/${money(books, credits)}`,
        'Transaction not in balance. The total of the debits must equal the total of the credits.',
      ),
    );
  }
  if (text(ret, 'IsAdjustment') === null) ret.IsAdjustment = 'false';
}

function isDeposited(books: Books, txnId: string): boolean {
  return books.file.getMeta(`deposited.${txnId}`) !== null;
}

function postDeposit(ctx: Context): void {
  const { books, ret, type } = ctx;
  const depositTo = requireRef(books, ret, 'DepositToAccountRef', type);
  const undeposited = books.specialAccount('UndepositedFunds', 'Undeposited Funds');
  let total = 0n;
  const input = ctx.ret.__lines as QbObject;
  ret.DepositLineRet = many(input, 'DepositLineAdd').map((source) => {
    const line = clone(source);
    const paymentTxnId = text(line, 'PaymentTxnID');
    if (paymentTxnId !== null) {
      const payment = books.file.txnById(paymentTxnId);
      if (!payment || (payment.txnType !== 'ReceivePayment' && payment.txnType !== 'SalesReceipt')) {
        throw new QbStatus(3120, statusText.notFound(paymentTxnId));
      }
      const account = child(payment.ret, 'DepositToAccountRef');
      if (text(account ?? undefined, 'ListID') !== undeposited.listId || isDeposited(books, paymentTxnId)) {
        throw new QbStatus(
          3210,
          statusText.invalidValue('PaymentTxnID', paymentTxnId, 'This payment is not waiting in Undeposited Funds.'),
        );
      }
      const amount = books.moneyOf(payment.ret, 'TotalAmount') ?? 0n;
      const customerRef = child(payment.ret, 'CustomerRef');
      const customer = customerRef ? books.findList(customerRef, ['Customer']) : null;
      ctx.postings.add(undeposited, -amount, customer);
      books.file.setMeta(`deposited.${paymentTxnId}`, ctx.txnId);
      ctx.effects.push({ kind: 'deposit', target: paymentTxnId });
      total += amount;
      return compact({
        TxnType: payment.txnType,
        TxnID: paymentTxnId,
        TxnLineID: newLineId(books),
        EntityRef: customer ? books.refTo(customer) : undefined,
        AccountRef: books.refTo(undeposited),
        Memo: text(line, 'OverrideMemo') ?? undefined,
        Amount: money(books, amount),
      });
    }
    const account = requireRef(books, line, 'AccountRef', `${type} line`);
    const entity = books.resolveField(line, 'EntityRef', type, `${type} line`);
    books.resolveField(line, 'PaymentMethodRef', type, `${type} line`);
    books.resolveField(line, 'ClassRef', type, `${type} line`);
    const amount = books.moneyOf(line, 'Amount') ?? 0n;
    ctx.postings.add(account, -amount, entity);
    total += amount;
    return compact({
      TxnLineID: newLineId(books),
      EntityRef: line.EntityRef,
      AccountRef: line.AccountRef,
      Memo: line.Memo,
      CheckNumber: line.CheckNumber,
      PaymentMethodRef: line.PaymentMethodRef,
      ClassRef: line.ClassRef,
      Amount: money(books, amount),
    });
  });
  const cashBack = child(input, 'CashBackInfoAdd');
  if (cashBack) {
    const line = clone(cashBack);
    const account = requireRef(books, line, 'AccountRef', `${type} cash back`);
    const amount = books.moneyOf(line, 'Amount') ?? 0n;
    ctx.postings.add(account, amount);
    total -= amount;
    ret.CashBackInfoRet = compact({
      TxnLineID: newLineId(books),
      AccountRef: line.AccountRef,
      Memo: line.Memo,
      Amount: money(books, amount),
    });
  }
  ctx.postings.add(depositTo, total);
  ret.DepositTotal = money(books, total);
}

function postPurchase(ctx: Context): void {
  const { books, ret, type } = ctx;
  const input = ctx.ret.__lines as QbObject;
  const vendor = requireRef(books, ret, 'VendorRef', type);
  if (type === 'PurchaseOrder') {
    const lines = saleLines(ctx, 'PurchaseOrderLineAdd', true, false);
    ret.PurchaseOrderLineRet = lines.map((l) => ({ ReceivedQuantity: '0', IsManuallyClosed: 'false', ...l.ret }));
    ret.TotalAmount = money(
      books,
      lines.reduce((s, l) => s + l.amount, 0n),
    );
    ret.IsManuallyClosed ??= 'false';
    ret.IsFullyReceived ??= 'false';
    return;
  }
  const ap =
    books.resolveField(ret, 'APAccountRef', type, type) ?? books.specialAccount('AccountsPayable', 'Accounts Payable');
  ret.APAccountRef = books.refTo(ap);
  let total = 0n;
  const expenseLines = many(input, 'ExpenseLineAdd').map((source) => {
    const line = clone(source);
    const account = requireRef(books, line, 'AccountRef', `${type} line`);
    const customer = books.resolveField(line, 'CustomerRef', type, `${type} line`);
    books.resolveField(line, 'ClassRef', type, `${type} line`);
    const amount = books.moneyOf(line, 'Amount') ?? 0n;
    ctx.postings.add(account, amount, customer ?? vendor);
    total += amount;
    return compact({ TxnLineID: newLineId(books), ...line, Amount: money(books, amount) });
  });
  // Linking a whole purchase order brings its open lines in, as QuickBooks does on ItemReceiptAdd/BillAdd.
  const itemInputs = many(input, 'ItemLineAdd').map((l) => clone(l));
  for (const poId of ctx.ret.__linkTo as unknown as string[]) {
    const po = books.file.txnById(poId);
    if (po?.txnType !== 'PurchaseOrder' || po.entityId !== vendor.listId)
      throw new QbStatus(3120, statusText.notFound(poId));
    for (const poLine of many(po.ret, 'PurchaseOrderLineRet')) {
      const open =
        (parseScaled(text(poLine, 'Quantity') ?? '0', 5) ?? 0n) -
        (parseScaled(text(poLine, 'ReceivedQuantity') ?? '0', 5) ?? 0n);
      if (open <= 0n || !child(poLine, 'ItemRef')) continue;
      itemInputs.push(
        compact({
          ItemRef: child(poLine, 'ItemRef')!,
          Desc: text(poLine, 'Desc') ?? undefined,
          Quantity: formatQuantity(open),
          Cost: text(poLine, 'Rate') ?? undefined,
          LinkToTxn: { TxnID: poId, TxnLineID: text(poLine, 'TxnLineID') ?? '' },
        }),
      );
    }
  }
  const itemLines = itemInputs.map((line) => {
    const item = requireRef(books, line, 'ItemRef', `${type} line`);
    const customer = books.resolveField(line, 'CustomerRef', type, `${type} line`);
    books.resolveField(line, 'ClassRef', type, `${type} line`);
    const quantity = books.quantityOf(line, 'Quantity');
    let amount = books.moneyOf(line, 'Amount');
    let cost = text(line, 'Cost') ?? (amount === null ? text(item.ret, 'PurchaseCost') : null);
    if (amount === null) amount = extend(quantity ?? QUANTITY_SCALE, parseScaled(cost ?? '0', 5) ?? 0n);
    else if (cost === null && quantity)
      cost = formatScaled(divideRounded(amount * QUANTITY_SCALE * QUANTITY_SCALE, quantity * 100n), 5);
    const override = child(line, 'OverrideItemAccountRef');
    const account = (override ? books.findList(override, ['Account']) : null) ?? books.purchaseAccountOf(item);
    if (!account) throw new QbStatus(3270, `The item "${books.fullName(item)}" has no account to post to.`);
    if (item.listType === 'ItemInventory')
      addInventory(books, ctx.txnId, item.listId, quantity ?? QUANTITY_SCALE, amount);
    ctx.postings.add(account, amount, customer ?? vendor, item);
    total += amount;
    const link = child(line, 'LinkToTxn');
    if (link) receivePurchaseOrderLine(ctx, vendor, link, quantity ?? QUANTITY_SCALE, amount);
    const ret: QbObject = { TxnLineID: newLineId(books) };
    for (const [key, value] of Object.entries(line))
      if (key !== 'LinkToTxn' && key !== 'OverrideItemAccountRef') ret[key] = value;
    if (quantity !== null) ret.Quantity = formatQuantity(quantity);
    if (cost !== null) ret.Cost = cost;
    ret.Amount = money(books, amount);
    return compact(ret);
  });
  if (expenseLines.length) ret.ExpenseLineRet = expenseLines;
  if (itemLines.length) ret.ItemLineRet = itemLines;
  ctx.postings.add(ap, -total, vendor);
  if (type === 'Bill') {
    ret.AmountDue = money(books, total);
    ret.OpenAmount = money(books, total);
    ret.IsPaid = total === 0n ? 'true' : 'false';
  } else {
    ret.TotalAmount = money(books, total);
  }
}

function receivePurchaseOrderLine(
  ctx: Context,
  vendor: ListRow,
  link: QbObject,
  quantity: bigint,
  amount: Money,
): void {
  const { books } = ctx;
  const poId = text(link, 'TxnID') ?? '';
  const po = books.file.txnById(poId);
  if (po?.txnType !== 'PurchaseOrder' || po.entityId !== vendor.listId)
    throw new QbStatus(3120, statusText.notFound(poId));
  const lineId = text(link, 'TxnLineID') ?? '';
  const lines = many(po.ret, 'PurchaseOrderLineRet');
  const poLine = lines.find((l) => text(l, 'TxnLineID') === lineId);
  if (!poLine) throw new QbStatus(3120, statusText.notFound(lineId));
  const received = (parseScaled(text(poLine, 'ReceivedQuantity') ?? '0', 5) ?? 0n) + quantity;
  poLine.ReceivedQuantity = formatQuantity(received);
  po.ret.PurchaseOrderLineRet = lines;
  po.ret.IsFullyReceived = lines.every(
    (l) =>
      (parseScaled(text(l, 'ReceivedQuantity') ?? '0', 5) ?? 0n) >= (parseScaled(text(l, 'Quantity') ?? '0', 5) ?? 0n),
  )
    ? 'true'
    : 'false';
  if (!many(po.ret, 'LinkedTxn').some((l) => text(l, 'TxnID') === ctx.txnId))
    linkTxn(books, po, { txnId: ctx.txnId, type: ctx.type, ret: ctx.ret }, amount);
  books.file.updateTxn(po);
  ctx.effects.push({ kind: 'receivePo', target: poId, lineId, amount: formatQuantity(quantity) });
}

function postInventoryAdjustment(ctx: Context): void {
  const { books, ret, type } = ctx;
  const input = ctx.ret.__lines as QbObject;
  const account = requireRef(books, ret, 'AccountRef', type);
  const customer = books.resolveField(ret, 'CustomerRef', type, type);
  ret.InventoryAdjustmentLineRet = many(input, 'InventoryAdjustmentLineAdd').map((source) => {
    const line = clone(source);
    const item = requireRef(books, line, 'ItemRef', `${type} line`);
    if (item.listType !== 'ItemInventory') {
      throw new QbStatus(3140, statusText.invalidReference('Item', books.fullName(item), `${type} line`));
    }
    const state = books.file.inventory(item.listId);
    const adjustment = child(line, 'QuantityAdjustment') ?? child(line, 'ValueAdjustment');
    if (!adjustment) throw new QbStatus(3250, statusText.notEnabled('serial and lot number adjustments'));
    const newQuantity = books.quantityOf(adjustment, 'NewQuantity');
    const quantityDifference =
      newQuantity !== null ? newQuantity - state.quantity : (books.quantityOf(adjustment, 'QuantityDifference') ?? 0n);
    let valueDifference: Money;
    const newValue = books.moneyOf(adjustment, 'NewValue');
    const givenValueDifference = books.moneyOf(adjustment, 'ValueDifference');
    if (newValue !== null || givenValueDifference !== null) {
      valueDifference = newValue !== null ? newValue - state.value : givenValueDifference!;
      addInventory(books, ctx.txnId, item.listId, quantityDifference, valueDifference);
    } else if (quantityDifference < 0n) {
      valueDifference = -removeInventory(books, ctx.txnId, item.listId, -quantityDifference);
    } else {
      valueDifference = costAtAverage(books, item.listId, quantityDifference);
      addInventory(books, ctx.txnId, item.listId, quantityDifference, valueDifference);
    }
    const asset = books.accountOfRef(item.ret, 'AssetAccountRef')!;
    ctx.postings.add(asset, valueDifference, customer, item);
    ctx.postings.add(account, -valueDifference, customer, item);
    return {
      TxnLineID: newLineId(books),
      ItemRef: line.ItemRef!,
      QuantityDifference: formatQuantity(quantityDifference),
      ValueDifference: money(books, valueDifference),
    };
  });
}

const LINE_KEYS: Record<TxnType, readonly string[]> = {
  SalesReceipt: ['SalesReceiptLineAdd', 'SalesReceiptLineGroupAdd'],
  Invoice: ['InvoiceLineAdd', 'InvoiceLineGroupAdd'],
  SalesOrder: ['SalesOrderLineAdd', 'SalesOrderLineGroupAdd'],
  CreditMemo: ['CreditMemoLineAdd', 'CreditMemoLineGroupAdd'],
  ReceivePayment: ['AppliedToTxnAdd'],
  JournalEntry: ['JournalDebitLine', 'JournalCreditLine'],
  Deposit: ['DepositLineAdd'],
  PurchaseOrder: ['PurchaseOrderLineAdd', 'PurchaseOrderLineGroupAdd'],
  ItemReceipt: ['ExpenseLineAdd', 'ItemLineAdd', 'ItemGroupLineAdd'],
  Bill: ['ExpenseLineAdd', 'ItemLineAdd', 'ItemGroupLineAdd'],
  InventoryAdjustment: ['InventoryAdjustmentLineAdd'],
};

const ENTITY_REF: Partial<Record<TxnType, string>> = {
  SalesReceipt: 'CustomerRef',
  Invoice: 'CustomerRef',
  SalesOrder: 'CustomerRef',
  CreditMemo: 'CustomerRef',
  ReceivePayment: 'CustomerRef',
  PurchaseOrder: 'VendorRef',
  ItemReceipt: 'VendorRef',
  Bill: 'VendorRef',
  InventoryAdjustment: 'CustomerRef',
};

const POSTERS: Record<TxnType, (ctx: Context) => void> = {
  SalesReceipt: postSalesForm,
  Invoice: postSalesForm,
  SalesOrder: postSalesForm,
  CreditMemo: postSalesForm,
  ReceivePayment: postReceivePayment,
  JournalEntry: postJournalEntry,
  Deposit: postDeposit,
  PurchaseOrder: postPurchase,
  ItemReceipt: postPurchase,
  Bill: postPurchase,
  InventoryAdjustment: postInventoryAdjustment,
};

/** Adds a transaction from its `…Add` body: computes it, posts it, stores it; returns the stored row. */
export function addTransaction(books: Books, type: TxnType, input: QbObject): TxnRow {
  for (const group of [
    'SalesReceiptLineGroupAdd',
    'InvoiceLineGroupAdd',
    'SalesOrderLineGroupAdd',
    'CreditMemoLineGroupAdd',
    'PurchaseOrderLineGroupAdd',
    'ItemGroupLineAdd',
  ]) {
    if (input[group] !== undefined)
      throw new QbStatus(3250, statusText.notEnabled('group items (not modelled by the simulator)'));
  }
  const txnId = books.newTxnId();
  const now = books.timestamp();
  const lineKeys = LINE_KEYS[type];
  const ret: QbObject = {
    TxnID: txnId,
    TimeCreated: now,
    TimeModified: now,
    EditSequence: books.nextEditSequence(null),
    ...(type === 'PurchaseOrder' || type === 'SalesOrder' ? {} : { TxnNumber: String(books.newTxnNumber()) }),
    ...header(books, type, input, lineKeys),
  };
  if (text(ret, 'TxnDate') === null) ret.TxnDate = books.today();
  const lineInput: QbObject = {};
  for (const key of [...lineKeys, 'IsAutoApply', 'CashBackInfoAdd'])
    if (input[key] !== undefined) lineInput[key] = input[key];
  const linkTo = (
    Array.isArray(input.LinkToTxnID) ? input.LinkToTxnID : input.LinkToTxnID ? [input.LinkToTxnID] : []
  ) as string[];
  const { row, effects } = postTransaction(books, type, txnId, ret, lineInput, linkTo, null);
  books.file.insertTxn(row);
  writePostings(books, row, effects);
  if (effects.effects.length) books.file.setMeta(`effects.${txnId}`, JSON.stringify(effects.effects));
  return row;
}

/** What a transaction posts, computed by its poster. */
export interface PostedEffects {
  postings: readonly Posting[];
  nonPosting: readonly Posting[];
  effects: readonly Effect[];
}

/**
 * Computes a transaction from its header (`ret`, references not yet resolved) and its line elements, as
 * QuickBooks does on an …Add and again on a …Mod (then `seq` is the stored row's). Writes nothing but inventory moves.
 */
export function postTransaction(
  books: Books,
  type: TxnType,
  txnId: string,
  ret: QbObject,
  lineInput: QbObject,
  linkTo: string[],
  seq: number | null,
): { row: TxnRow; effects: PostedEffects } {
  ret.__lines = lineInput;
  ret.__linkTo = linkTo as unknown as QbObject;
  const ctx: Context = { books, type, txnId, ret, postings: new PostingBuilder(), effects: [] };
  POSTERS[type](ctx);
  delete ret.__lines;
  delete ret.__linkTo;
  const sum = ctx.postings.lines.reduce((s, l) => s + l.amount, 0n);
  if (sum !== 0n) throw new Error(`Bug: ${type} ${txnId} posts unbalanced lines (off by ${sum} hundredths)`);
  const entityRef = ENTITY_REF[type];
  const entityId = entityRef ? text(child(ret, entityRef) ?? undefined, 'ListID') : null;
  const row: TxnRow = {
    txnId,
    txnType: type,
    txnDate: text(ret, 'TxnDate')!,
    refNumber: text(ret, 'RefNumber'),
    entityId,
    seq: seq ?? books.nextSeq(),
    ret: compact(ret),
  };
  return { row, effects: { postings: ctx.postings.lines, nonPosting: ctx.nonPosting ?? [], effects: ctx.effects } };
}

/** Writes what a transaction posts to the ledger (and what a sales order would post, apart). */
export function writePostings(books: Books, row: TxnRow, effects: PostedEffects): void {
  const base = { txnId: row.txnId, txnType: row.txnType, txnDate: row.txnDate };
  for (const line of effects.postings) books.file.insertLedger({ ...base, ...line });
  for (const line of effects.nonPosting) books.file.insertLedger({ ...base, ...line }, 'non_posting_ledger');
}

/** TxnDel: removes a transaction and everything it posted, refusing when other transactions depend on it. */
export function deleteTransaction(books: Books, type: string, txnId: string): TxnRow {
  const row = books.file.txnById(txnId);
  if (!row || row.txnType !== type) throw new QbStatus(3120, statusText.notFound(txnId));
  const dependants = many(row.ret, 'LinkedTxn').filter(
    (l) => text(l, 'TxnType') !== 'SalesOrder' && text(l, 'TxnType') !== 'PurchaseOrder',
  );
  const depositedBy = books.file.getMeta(`deposited.${txnId}`);
  if (
    (dependants.length > 0 && type !== 'SalesOrder' && type !== 'PurchaseOrder') ||
    depositedBy ||
    (dependants.length > 0 && (type === 'SalesOrder' || type === 'PurchaseOrder'))
  ) {
    throw new QbStatus(
      3210,
      statusText.invalidValue(
        'TxnID',
        txnId,
        'This transaction is linked to other transactions; delete or unlink those first.',
      ),
    );
  }
  const effects = JSON.parse(books.file.getMeta(`effects.${txnId}`) ?? '[]') as Effect[];
  for (const effect of effects) {
    const target = books.file.txnById(effect.target);
    if (effect.kind === 'deposit') {
      books.file.db.prepare('DELETE FROM meta WHERE key = ?').run(`deposited.${effect.target}`);
      continue;
    }
    if (!target) continue;
    if (effect.kind === 'applyPayment') {
      const amount = books.moneyOf({ a: effect.amount ?? '0' }, 'a') ?? 0n;
      const balance = (books.moneyOf(target.ret, 'BalanceRemaining') ?? 0n) + amount;
      target.ret.BalanceRemaining = books.formatMoney(balance);
      target.ret.AppliedAmount = books.formatMoney((books.moneyOf(target.ret, 'AppliedAmount') ?? 0n) + amount);
      target.ret.IsPaid = balance === 0n ? 'true' : 'false';
    } else if (effect.kind === 'receivePo') {
      const lines = many(target.ret, 'PurchaseOrderLineRet');
      const line = lines.find((l) => text(l, 'TxnLineID') === effect.lineId);
      if (line) {
        const received =
          (parseScaled(text(line, 'ReceivedQuantity') ?? '0', 5) ?? 0n) - (parseScaled(effect.amount ?? '0', 5) ?? 0n);
        line.ReceivedQuantity = formatQuantity(received);
      }
      target.ret.PurchaseOrderLineRet = lines;
      target.ret.IsFullyReceived = 'false';
    } else if (effect.kind === 'invoiceSalesOrder') {
      const lines = many(target.ret, 'SalesOrderLineRet');
      for (const line of lines) line.Invoiced = '0';
      target.ret.SalesOrderLineRet = lines;
      target.ret.IsFullyInvoiced = 'false';
    }
    unlinkTxn(target, txnId);
    books.file.updateTxn(target);
  }
  undoInventory(books, txnId);
  books.file.deleteLedger(txnId);
  books.file.deleteLedger(txnId, 'non_posting_ledger');
  books.file.deleteTxn(txnId);
  books.file.db.prepare('DELETE FROM meta WHERE key = ?').run(`effects.${txnId}`);
  return row;
}

export function isTxnType(value: string): value is TxnType {
  return (TXN_TYPES as readonly string[]).includes(value);
}
