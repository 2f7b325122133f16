/**
 * Removal: takes back a transaction the connector added that the data no longer wants, with TxnDel by the TxnID
 * QuickBooks gave it — a sales order replaced by the order's sale (left open it would show as an open order for
 * good), a deposit taken on an open order once the order's final document carries the payment (left, the money
 * would count twice). No rule makes removals: the sync decides from what it posted (`src/sync/`), and only ever for
 * the connector's own transactions.
 */
import type { PlannedMessage } from './kind.ts';

/** What the connector takes back: QuickBooks' TxnDelType of each. */
export type RemovedType = 'SalesOrder' | 'ReceivePayment';

export interface RemovalTarget {
  type: RemovedType;
  /** The TxnID QuickBooks gave the transaction when it was added. */
  txnId: string;
}

export const removal = {
  priority: 0,
  /** The outbox entry's kind for each. */
  kindOf: { SalesOrder: 'sales-order-removal', ReceivePayment: 'payment-removal' } as const satisfies Record<
    RemovedType,
    string
  >,
  plan: (target: RemovalTarget): PlannedMessage<'TxnDel'> => ({
    message: 'TxnDel',
    body: { TxnDelType: target.type, TxnID: target.txnId },
  }),
};
