/**
 * Purchases: purchase orders (non-posting), item receipts and bills, which receive purchase-order lines — the whole
 * order's open lines through LinkToTxnID, or line by line through each line's LinkToTxn.
 */

import type { Money } from '../../domain/index.ts';
import type { ListRow } from './company-file.ts';
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
