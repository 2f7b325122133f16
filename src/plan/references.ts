/**
 * References by key to another document's TxnID, or to the TxnLineID of one of its lines. QuickBooks links an Item
 * Receipt or Bill line to the Purchase Order line it receives (`LinkToTxn`: TxnID and TxnLineID) and an Invoice to
 * its Sales Order (`LinkToTxnID`), and those IDs exist only once QuickBooks has applied the other document — long
 * after planning. So the plan writes `{ $txnIdOf: '<key>' }` where the TxnID goes and `{ $txnLineIdOf: '<key>', line:
 * n }` where a line's TxnLineID goes, and depends on that key (the outbox sends nothing before its dependencies are
 * applied); at send time the delivery backend swaps each reference for what QuickBooks gave the applied entry
 * (its quickbooksId; the line IDs kept from its Ret) with `resolveTxnIdReferences`.
 * https://developer.intuit.com/app/developer/qbdesktop/docs/develop/tutorials/linking-itemreciept-bill-to-purchase-order-invoice-to-sales-order
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { TxnIdReference, TxnLineIdReference } from '../transform/index.ts';

export type { TxnIdReference, TxnLineIdReference };

export function txnIdOf(key: string): TxnIdReference {
  return { $txnIdOf: key };
}

export function txnLineIdOf(key: string, line: number): TxnLineIdReference {
  return { $txnLineIdOf: key, line };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isTxnIdReference(value: unknown): value is TxnIdReference {
  return isRecord(value) && typeof value.$txnIdOf === 'string' && Object.keys(value).length === 1;
}

export function isTxnLineIdReference(value: unknown): value is TxnLineIdReference {
  return (
    isRecord(value) &&
    typeof value.$txnLineIdOf === 'string' &&
    Number.isInteger(value.line) &&
    Object.keys(value).length === 2
  );
}

/** Every reference in a body, in the order they appear. */
function references(body: unknown): (TxnIdReference | TxnLineIdReference)[] {
  const found: (TxnIdReference | TxnLineIdReference)[] = [];
  const visit = (value: unknown) => {
    if (isTxnIdReference(value) || isTxnLineIdReference(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) Object.values(value).forEach(visit);
  };
  visit(body);
  return found;
}

/** The keys a body refers to (its TxnIDs and its lines' TxnLineIDs), each once, in the order they appear. */
export function referencedKeys(body: unknown): string[] {
  return [...new Set(references(body).map((r) => ('$txnIdOf' in r ? r.$txnIdOf : r.$txnLineIdOf)))];
}

/** The lines a body refers to, each once, in the order they appear. */
export function referencedLines(body: unknown): TxnLineIdReference[] {
  const seen = new Set<string>();
  return references(body).filter((r): r is TxnLineIdReference => {
    if (!isTxnLineIdReference(r) || seen.has(lineLabel(r))) return false;
    seen.add(lineLabel(r));
    return true;
  });
}

function lineLabel(reference: TxnLineIdReference): string {
  return `${reference.$txnLineIdOf} line ${reference.line + 1}`;
}

/**
 * The body with every reference replaced by the TxnID `txnIdFor` gives for its key, or the TxnLineID
 * `txnLineIdFor` gives for its line. A reference without one (its entry is not applied, or QuickBooks gave no such
 * line) is a bug — the plan makes every reference a dependency, so the outbox cannot hand out the entry before its
 * target is applied — and comes back as an error naming them; nothing is sent. The body is not changed;
 * unreferenced parts are shared with the result.
 */
export function resolveTxnIdReferences<T>(
  body: T,
  txnIdFor: (key: string) => string | null | undefined,
  context: { key: string; type: string } = { key: '(unknown)', type: '(unknown)' },
  txnLineIdFor: (key: string, line: number) => string | null | undefined = () => null,
): Result<T> {
  const missing = new Set<string>();
  const resolve = (value: unknown): unknown => {
    if (isTxnIdReference(value)) {
      const id = txnIdFor(value.$txnIdOf);
      if (typeof id === 'string' && id !== '') return id;
      missing.add(value.$txnIdOf);
      return value;
    }
    if (isTxnLineIdReference(value)) {
      const id = txnLineIdFor(value.$txnLineIdOf, value.line);
      if (typeof id === 'string' && id !== '') return id;
      missing.add(lineLabel(value));
      return value;
    }
    if (Array.isArray(value)) {
      const items = value.map(resolve);
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (isRecord(value)) {
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
      message: `${context.type} for ${context.key} refers to ${keys.join(', ')}, which QuickBooks has not applied (or gave no such line); it was not sent`,
      merchantMessage: `This document links to ${keys.length === 1 ? 'another document' : 'other documents'} (${keys.join(', ')}) that QuickBooks does not have yet, so it was not sent. This is a fault in the connector, not in your data; support can see the details.`,
      details: { key: context.key, notApplied: keys },
    }),
  );
}
