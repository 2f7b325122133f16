/**
 * Deposit: money into a bank account, line by line from the accounts it comes from. Debits `depositTo` with the sum
 * of the lines; each line credits its category (a negative line, such as fees kept back, debits it). QuickBooks has
 * no negative deposit, so a changed deposit is not posted as a difference.
 */
import { sumMoney } from '../../domain/index.ts';
import type { DepositDocument } from '../documents.ts';
import type { DocumentKind } from './kind.ts';

export const deposit: DocumentKind<DepositDocument> = {
  priority: 0,
  plan(document, ctx) {
    ctx.needAccount(document.depositTo);
    for (const l of document.lines) ctx.needAccount(l.category);
    return {
      message: 'DepositAdd',
      body: {
        DepositAdd: {
          TxnDate: document.date,
          DepositToAccountRef: ctx.account(document.depositTo),
          Memo: document.memo,
          ExternalGUID: ctx.guid,
          DepositLineAdd: document.lines.map((l) => ({
            AccountRef: ctx.account(l.category),
            Memo: l.memo,
            Amount: l.amount,
          })),
        },
      },
    };
  },
  ledger(document, post) {
    post(document.depositTo, sumMoney(document.lines.map((l) => l.amount)));
    for (const line of document.lines) post(line.category, -line.amount);
  },
  total: (document) => sumMoney(document.lines.map((l) => l.amount)),
};
