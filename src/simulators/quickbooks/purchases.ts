/**
 * Purchases: purchase orders (non-posting), item receipts and bills, which receive purchase-order lines — the whole
 * order's open lines through LinkToTxnID, or line by line through each line's LinkToTxn.
 */

import type { Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { ListRow, TxnRow } from './company-file.ts';
import { divideRounded, extend, formatQuantity, formatScaled, parseScaled, QUANTITY_SCALE } from './decimal.ts';
import { addInventory } from './inventory.ts';
import { child, clone, compact, many, type QbObject, text } from './qb-object.ts';
import { saleLines } from './sales-forms.ts';
import { QbStatus, statusText } from './status.ts';
import { type Context, linkTxn, money, newLineId, requireRef } from './txn-posting.ts';

export function postPurchase(ctx: Context): void {
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
  // QuickBooks receives purchase-order lines two ways: LinkToTxnID brings in every open line of the order, and a
  // line's LinkToTxn receives that order line — its item comes from it (an ItemRef next to the link is refused),
  // and its open quantity and cost unless the line gives them. Both may be used at once, never for the same order.
  const wholeOrders = ctx.ret.__linkTo as unknown as string[];
  const itemInputs = many(input, 'ItemLineAdd').map((source) => {
    const link = child(source, 'LinkToTxn');
    if (!link) return clone(source);
    const poId = text(link, 'TxnID') ?? '';
    if (wholeOrders.includes(poId)) {
      throw new QbStatus(
        3210,
        statusText.invalidValue('LinkToTxnID', poId, 'A transaction cannot be linked as a whole and by line at once.'),
      );
    }
    if (child(source, 'ItemRef')) {
      throw new QbStatus(
        3210,
        statusText.invalidValue('ItemRef', '', 'A line linked to a purchase order line takes its item from that line.'),
      );
    }
    const poLine = purchaseOrderLine(books, vendor, poId, text(link, 'TxnLineID') ?? '');
    const open = openQuantity(poLine);
    const given = books.quantityOf(source, 'Quantity');
    const whole = given === null && open === scaled(text(poLine, 'Quantity'));
    return { ...fromOrderLine(poLine, given ?? open, whole), ...clone(source) };
  });
  for (const poId of wholeOrders) {
    const po = purchaseOrder(books, vendor, poId);
    for (const poLine of many(po.ret, 'PurchaseOrderLineRet')) {
      const open = openQuantity(poLine);
      if (open <= 0n || !child(poLine, 'ItemRef')) continue;
      itemInputs.push({
        ...fromOrderLine(poLine, open, open === scaled(text(poLine, 'Quantity'))),
        LinkToTxn: { TxnID: poId, TxnLineID: text(poLine, 'TxnLineID') ?? '' },
      });
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
  if (expenseLines.length + itemLines.length === 0)
    throw new QbStatus(3210, statusText.invalidValue(`${type}Add`, '', 'A transaction must have at least one line.'));
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
  const po = purchaseOrder(books, vendor, poId);
  const lineId = text(link, 'TxnLineID') ?? '';
  const lines = many(po.ret, 'PurchaseOrderLineRet');
  const poLine = lines.find((l) => text(l, 'TxnLineID') === lineId)!;
  const received = scaled(text(poLine, 'ReceivedQuantity')) + quantity;
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

const scaled = (value: string | null) => parseScaled(value ?? '0', 5) ?? 0n;

function openQuantity(poLine: QbObject): bigint {
  if (text(poLine, 'IsManuallyClosed') === 'true') return 0n;
  return scaled(text(poLine, 'Quantity')) - scaled(text(poLine, 'ReceivedQuantity'));
}

function purchaseOrder(books: Books, vendor: ListRow, txnId: string): TxnRow {
  const po = books.file.txnById(txnId);
  if (po?.txnType !== 'PurchaseOrder' || po.entityId !== vendor.listId)
    throw new QbStatus(3120, statusText.notFound(txnId));
  return po;
}

function purchaseOrderLine(books: Books, vendor: ListRow, txnId: string, lineId: string): QbObject {
  const line = many(purchaseOrder(books, vendor, txnId).ret, 'PurchaseOrderLineRet').find(
    (l) => text(l, 'TxnLineID') === lineId,
  );
  if (!line) throw new QbStatus(3120, statusText.notFound(lineId));
  return line;
}

/** What a receipt line takes over from the purchase-order line it receives. */
function fromOrderLine(poLine: QbObject, quantity: bigint, whole: boolean): QbObject {
  return compact({
    ItemRef: child(poLine, 'ItemRef') ?? undefined,
    Desc: text(poLine, 'Desc') ?? undefined,
    Quantity: formatQuantity(quantity),
    Cost: text(poLine, 'Rate') ?? undefined,
    ClassRef: child(poLine, 'ClassRef') ?? undefined,
    // All of the line keeps its amount to the cent; part of it is quantity × cost, as QuickBooks computes it.
    Amount: whole ? (text(poLine, 'Amount') ?? undefined) : undefined,
  });
}
