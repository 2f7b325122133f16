/**
 * References by key to another document's TxnID. QuickBooks links an Item Receipt or Bill to its Purchase Order and
 * an Invoice to its Sales Order by TxnID (`LinkToTxnID`), and a TxnID exists only once QuickBooks has applied the
 * other document — long after planning. So the plan writes `{ $txnIdOf: '<key>' }` where the TxnID goes and depends
 * on that key (the outbox sends nothing before its dependencies are applied); at send time the delivery backend
 * swaps each reference for the applied entry's quickbooksId with `resolveTxnIdReferences`.
 * https://developer.intuit.com/app/developer/qbdesktop/docs/develop/tutorials/linking-itemreciept-bill-to-purchase-order-invoice-to-sales-order
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { TxnIdReference } from '../transform/index.ts';

export type { TxnIdReference };

export function txnIdOf(key: string): TxnIdReference {
  return { $txnIdOf: key };
}

export function isTxnIdReference(value: unknown): value is TxnIdReference {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { $txnIdOf?: unknown }).$txnIdOf === 'string' &&
    Object.keys(value).length === 1
  );
}

/** The keys a body refers to, each once, in the order they appear. */
export function referencedKeys(body: unknown): string[] {
  const keys = new Set<string>();
  const visit = (value: unknown) => {
    if (isTxnIdReference(value)) keys.add(value.$txnIdOf);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(body);
  return [...keys];
}

/**
 * The body with every reference replaced by the TxnID `txnIdOf` gives for its key. A key without one (its entry is
 * not applied, or has no TxnID) is a bug — the plan makes every reference a dependency, so the outbox cannot hand
 * out the entry before its target is applied — and comes back as an error naming the keys; nothing is sent.
 * The body is not changed; unreferenced parts are shared with the result.
 */
export function resolveTxnIdReferences<T>(
  body: T,
  txnIdFor: (key: string) => string | null | undefined,
  context: { key: string; type: string } = { key: '(unknown)', type: '(unknown)' },
): Result<T> {
  const missing = new Set<string>();
  const resolve = (value: unknown): unknown => {
    if (isTxnIdReference(value)) {
      const id = txnIdFor(value.$txnIdOf);
      if (typeof id === 'string' && id !== '') return id;
      missing.add(value.$txnIdOf);
      return value;
    }
    if (Array.isArray(value)) {
      const items = value.map(resolve);
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (value !== null && typeof value === 'object') {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(value)) {
        out[k] = resolve(item);
        if (out[k] !== item) changed = true;
      }
      return changed ? out : value;
    }
    return value;
  };
  const resolved = resolve(body) as T;
  if (missing.size === 0) return ok(resolved);
  const keys = [...missing];
  return err(
    new ConnectorError({
      code: 'PLAN_REFERENCE_NOT_APPLIED',
      message: `${context.type} for ${context.key} refers to the TxnID of ${keys.join(', ')}, which is not applied in QuickBooks; it was not sent`,
      merchantMessage: `This document links to ${keys.length === 1 ? 'another document' : 'other documents'} (${keys.join(', ')}) that QuickBooks does not have yet, so it was not sent. This is a fault in the connector, not in your data; support can see the details.`,
      details: { key: context.key, notApplied: keys },
    }),
  );
}
