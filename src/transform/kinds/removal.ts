/**
 * Removal: takes back a transaction the connector added that the data no longer wants, by the TxnID QuickBooks
 * gave it — a sales order replaced by the order's sale (left open it would show as an open order for good), a
 * deposit taken on an open order once the order's final document carries the payment (left, the money would count
 * twice). A sales order is closed (SalesOrderMod IsManuallyClosed), as QuickBooks users close one: it stays in the
 * company file with its history and is no longer open; a payment is deleted (TxnDel). No rule makes removals: the
 * sync decides from what it posted (`src/sync/`), and only ever for the connector's own transactions.
 */
import type { PlannedMessage } from './kind.ts';

/** What the connector takes back: QuickBooks' TxnDelType of each. */
export type RemovedType = 'SalesOrder' | 'ReceivePayment';

export interface RemovalTarget {
  type: RemovedType;
  /** The TxnID QuickBooks gave the transaction when it was added. */
  txnId: string;
  /**
   * Its EditSequence as last seen (a Mod needs one; when QuickBooks has a newer one it answers 3200 and the delivery
   * re-reads it). A sales order without one is deleted instead of closed.
   */
  editSequence?: string | null;
}

function closes(target: RemovalTarget): target is RemovalTarget & { editSequence: string } {
  return target.type === 'SalesOrder' && typeof target.editSequence === 'string' && target.editSequence !== '';
}

export const removal = {
  priority: 0,
  /** The outbox entry's kind. */
  kindOf(target: RemovalTarget): 'sales-order-close' | 'sales-order-removal' | 'payment-removal' {
    if (target.type === 'ReceivePayment') return 'payment-removal';
    return closes(target) ? 'sales-order-close' : 'sales-order-removal';
  },
  plan(target: RemovalTarget): PlannedMessage<'TxnDel' | 'SalesOrderMod'> {
    if (closes(target)) {
      return {
        message: 'SalesOrderMod',
        body: {
          SalesOrderMod: { TxnID: target.txnId, EditSequence: target.editSequence, IsManuallyClosed: true },
        },
      };
    }
    return { message: 'TxnDel', body: { TxnDelType: target.type, TxnID: target.txnId } };
  },
};
