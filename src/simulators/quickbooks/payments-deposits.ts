/** Receive Payments (applied to invoices) and Deposits (of Undeposited Funds, or any account). */

import type { Money } from '../../domain/index.ts';
import type { Books } from './books.ts';
import type { TxnRow } from './company-file.ts';
import { child, clone, compact, many, type QbObject, text } from './qb-object.ts';
import { QbStatus, statusText } from './status.ts';
import { type Context, linkTxn, money, newLineId, requireRef } from './txn-posting.ts';

export function postReceivePayment(ctx: Context): void {
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

function isDeposited(books: Books, txnId: string): boolean {
  return books.file.getMeta(`deposited.${txnId}`) !== null;
}

export function postDeposit(ctx: Context): void {
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
