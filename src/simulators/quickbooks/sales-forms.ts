/**
 * Sales forms (sales receipts, invoices, sales orders, credit memos): lines filled in the way QuickBooks fills them
 * (quantity × rate, percentages, subtotals, sales tax) and what each form posts. Sales orders post nothing.
 */

import type { Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { ListRow, TxnRow } from './company-file.ts';
import { divideRounded, extend, formatQuantity, formatScaled, parseScaled, QUANTITY_SCALE } from './decimal.ts';
import { addInventory, costAtAverage, removeInventory } from './inventory.ts';
import { child, clone, compact, isObject, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';
import { type Context, formatPercent, linkTxn, money, newLineId, PostingBuilder, requireRef } from './txn-posting.ts';

export interface SaleLine {
  ret: QbObject;
  item: ListRow | null;
  amount: Money;
  quantity: bigint | null;
  taxable: boolean;
  /** The sales-order line this line invoices (LinkToTxn: TxnID, TxnLineID). */
  link: QbObject | null;
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
export function saleLines(ctx: Context, lineAdd: string, priceFromCost: boolean, purchase: boolean): SaleLine[] {
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
    lines.push({ ret: compact(ret), item, amount, quantity, taxable, link: child(line, 'LinkToTxn') });
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

export function postSalesForm(ctx: Context): void {
  const { books, ret, type } = ctx;
  const lineAdd = `${type}LineAdd`;
  const customer =
    type === 'SalesReceipt'
      ? books.resolveField(ret, 'CustomerRef', type, type)
      : requireRef(books, ret, 'CustomerRef', type);
  if (type === 'Invoice') bringInSalesOrderLines(ctx, customer!);
  const lines = saleLines(ctx, lineAdd, false, false);
  if (type === 'Invoice' && lines.length === 0)
    throw new QbStatus(3210, statusText.invalidValue('InvoiceAdd', '', 'A transaction must have at least one line.'));
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
    invoiceSalesOrderLines(ctx, lines);
  } else {
    ret.TotalAmount = money(books, totals.total);
    ret.CreditRemaining = money(books, owed);
  }
}

// Invoicing sales orders --------------------------------------------------------------------------------------

const scaled = (value: string | null) => parseScaled(value ?? '0', 5) ?? 0n;

/** A sales-order line's quantity as invoicing counts it: a line without one is a single unit. */
function orderedQuantity(line: QbObject): bigint {
  const quantity = text(line, 'Quantity');
  return quantity === null ? QUANTITY_SCALE : scaled(quantity);
}

function openQuantity(line: QbObject): bigint {
  if (text(line, 'IsManuallyClosed') === 'true') return 0n;
  return orderedQuantity(line) - scaled(text(line, 'Invoiced'));
}

function salesOrderFor(books: Books, txnId: string, customer: ListRow): TxnRow {
  const so = books.file.txnById(txnId);
  if (so?.txnType !== 'SalesOrder' || so.entityId !== customer.listId)
    throw new QbStatus(3120, statusText.notFound(txnId));
  return so;
}

/** The elements of a sales-order line an invoice line takes over when it links to it. */
function fromOrderLine(orderLine: QbObject, quantity: bigint, whole: boolean): QbObject {
  const line: QbObject = {};
  for (const key of ['ItemRef', 'Desc', 'ClassRef', 'SalesTaxCodeRef', 'OverrideItemAccountRef']) {
    if (orderLine[key] !== undefined) line[key] = clone(orderLine[key] as QbObject);
  }
  const percent = text(orderLine, 'RatePercent');
  if (percent !== null) line.RatePercent = percent;
  else if (text(orderLine, 'Rate') !== null) line.Rate = text(orderLine, 'Rate')!;
  if (text(orderLine, 'Quantity') !== null) line.Quantity = formatQuantity(quantity);
  // The whole line keeps its amount to the cent; part of it is quantity × rate, as QuickBooks computes it.
  if (whole && text(orderLine, 'Amount') !== null) line.Amount = text(orderLine, 'Amount')!;
  return line;
}

/**
 * What QuickBooks does with an InvoiceAdd that links to sales orders: LinkToTxnID brings every open line of the
 * order into the invoice (before the invoice's own lines), and a line's LinkToTxn brings in that order line's item
 * (a line that names its own ItemRef as well is refused), its open quantity unless the line gives one, its rate
 * unless the line gives one. Both may be used in one request, but not for the same order.
 */
function bringInSalesOrderLines(ctx: Context, customer: ListRow): void {
  const { books } = ctx;
  const lineAdd = 'InvoiceLineAdd';
  const input = ctx.ret.__lines as QbObject;
  const wholeOrders = ctx.ret.__linkTo as unknown as string[];
  const own = many(input, lineAdd).map((source) => {
    const link = child(source, 'LinkToTxn');
    if (!link) return source;
    const txnId = text(link, 'TxnID') ?? '';
    if (wholeOrders.includes(txnId)) {
      throw new QbStatus(
        3210,
        statusText.invalidValue('LinkToTxnID', txnId, 'A transaction cannot be linked as a whole and by line at once.'),
      );
    }
    if (child(source, 'ItemRef')) {
      throw new QbStatus(
        3210,
        statusText.invalidValue('ItemRef', '', 'A line linked to a sales order line takes its item from that line.'),
      );
    }
    const so = salesOrderFor(books, txnId, customer);
    const lineId = text(link, 'TxnLineID') ?? '';
    const orderLine = many(so.ret, 'SalesOrderLineRet').find((l) => text(l, 'TxnLineID') === lineId);
    if (!orderLine) throw new QbStatus(3120, statusText.notFound(lineId));
    const open = openQuantity(orderLine);
    const given = books.quantityOf(source, 'Quantity');
    const taken = fromOrderLine(orderLine, given ?? open, given === null && open === orderedQuantity(orderLine));
    const line: QbObject = { ...taken, ...clone(source) };
    if (text(source, 'Rate') !== null || text(source, 'Amount') !== null) delete line.RatePercent;
    if (text(source, 'Quantity') !== null && text(source, 'Amount') === null) delete line.Amount;
    return line;
  });
  const brought: QbObject[] = [];
  for (const txnId of wholeOrders) {
    const so = salesOrderFor(books, txnId, customer);
    for (const orderLine of many(so.ret, 'SalesOrderLineRet')) {
      const open = openQuantity(orderLine);
      if (open <= 0n) continue;
      brought.push({
        ...fromOrderLine(orderLine, open, open === orderedQuantity(orderLine)),
        LinkToTxn: { TxnID: txnId, TxnLineID: text(orderLine, 'TxnLineID') ?? '' },
      });
    }
  }
  (ctx.ret.__lines as QbObject)[lineAdd] = [...brought, ...own];
}

/** Marks the linked sales-order lines invoiced (by the quantity invoiced), and each order linked to the invoice. */
function invoiceSalesOrderLines(ctx: Context, lines: readonly SaleLine[]): void {
  const { books, ret, type } = ctx;
  const byOrder = new Map<string, SaleLine[]>();
  for (const line of lines) {
    if (!line.link) continue;
    const txnId = text(line.link, 'TxnID') ?? '';
    byOrder.set(txnId, [...(byOrder.get(txnId) ?? []), line]);
  }
  for (const [txnId, linked] of byOrder) {
    const so = books.file.txnById(txnId)!;
    const orderLines = many(so.ret, 'SalesOrderLineRet');
    for (const line of linked) {
      const lineId = text(line.link!, 'TxnLineID');
      const orderLine = orderLines.find((l) => text(l, 'TxnLineID') === lineId)!;
      const quantity = line.quantity ?? QUANTITY_SCALE;
      orderLine.Invoiced = formatQuantity(scaled(text(orderLine, 'Invoiced')) + quantity);
      ctx.effects.push({
        kind: 'invoiceSalesOrder',
        target: txnId,
        lineId: lineId ?? '',
        amount: formatQuantity(quantity),
      });
    }
    so.ret.SalesOrderLineRet = orderLines;
    so.ret.IsFullyInvoiced = orderLines.every((l) => openQuantity(l) <= 0n) ? 'true' : 'false';
    const amount = linked.reduce((sum, l) => sum + l.amount, 0n);
    linkTxn(books, so, { txnId: ctx.txnId, type, ret }, amount);
    books.file.updateTxn(so);
  }
}
