/** A refund no reading of its taxes fits (REFUND_AMOUNTS_MISFIT), made from a generated order, for the tests. */
import { formatMoney, type Order, parseMoney } from '../domain/index.ts';

/** Pays `cents` more back through the refund's card transaction than its lines say: no reading of it fits. */
export function overpay(order: Order, refundIndex: number, cents: bigint): void {
  const refund = order.refunds[refundIndex]!;
  const paid = refund.transactions.find((t) => t.kind === 'REFUND')!;
  // Shopify lists it among the order's transactions too (the same one, or a copy of it).
  for (const t of new Set([...order.transactions, ...refund.transactions])) {
    if (t.id !== paid.id) continue;
    const amount = formatMoney(parseMoney(t.amountSet.shopMoney.amount) + cents);
    t.amountSet = {
      shopMoney: { ...t.amountSet.shopMoney, amount },
      presentmentMoney: { ...t.amountSet.presentmentMoney, amount },
    };
  }
}
