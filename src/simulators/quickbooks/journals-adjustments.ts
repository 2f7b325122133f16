/** Journal entries (debits equal credits) and inventory adjustments (quantity or value). */

import type { Money } from '../../domain/index.ts';
import { formatQuantity } from './decimal.ts';
import { addInventory, costAtAverage, removeInventory } from './inventory.ts';
import { child, clone, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';
import { type Context, money, newLineId, requireRef } from './txn-posting.ts';

export function postJournalEntry(ctx: Context): void {
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

export function postInventoryAdjustment(ctx: Context): void {
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
