/**
 * Corrections posted on a later day. A document that changed after it was posted (an order edited, a late order of
 * a Summary day already posted) is never changed in QuickBooks: the difference is posted as an adjustment dated the
 * day the change was seen (`editAdjustments`), so an accountant's closed days stay as they were. Shopify counts the
 * change on the order's own day, so the reconciliation counts the adjustment on the day it corrects — the QuickBooks
 * transaction found by the TxnID QuickBooks gave it — and names the day that carried it.
 */
import { loadPostedDocuments } from '../integration/index.ts';
import { getEntryByKey } from '../outbox/index.ts';
import type { Queryable } from '../storage/index.ts';
import type { LedgerEntry, LedgerReader, Period } from './reconcile.ts';

/** An adjustment the connector posted, as QuickBooks holds it. */
export interface Correction {
  /** The TxnID QuickBooks gave it. */
  txnId: string;
  /** Its key, and the key of the document it corrects. */
  key: string;
  correctsKey: string;
  /** The day of the document it corrects: where Shopify counts what it changes. */
  corrects: string;
  /** The day it was sent with (its TxnDate). */
  sentFor: string;
}

/** How the report names a correction it counted on another day than its own. */
export interface CorrectionSummary {
  /** The adjustment's key in the connector (its QuickBooks RefNumber is `refNumber`). */
  document: string;
  refNumber: string | null;
  transactionType: string;
  /** The day QuickBooks has it on: where the money was posted. */
  postedOn: string;
  /** The day it corrects: where the reconciliation counts it. */
  corrects: string;
}

/** The adjustment keys an edited document may have had (see `correctedKey` in transform/edits.ts). */
function adjustmentKeys(key: string, edits: number): string[] {
  const keys: string[] = [];
  for (let n = 1; n <= edits; n++) keys.push(`${key}/edit/${n}`, `${key}/edit/${n}/reversal`);
  return keys;
}

/**
 * The adjustments QuickBooks holds for the documents the connector changed after posting (an Add it applied with a
 * TxnID) that are dated another day than the document they correct.
 */
export async function loadCorrections(q: Queryable, companyFileId: string): Promise<Correction[]> {
  const corrections: Correction[] = [];
  for (const posted of (await loadPostedDocuments(q, companyFileId, { editedOnly: true })).values()) {
    for (const key of adjustmentKeys(posted.key, posted.editSequence)) {
      const entry = await getEntryByKey(q, companyFileId, key);
      if (entry?.state !== 'applied' || !entry.quickbooksId || !entry.request.type.endsWith('Add')) continue;
      const inner = entry.request.body[entry.request.type] as { TxnDate?: unknown } | undefined;
      const sentFor = typeof inner?.TxnDate === 'string' ? inner.TxnDate : posted.document.date;
      if (sentFor === posted.document.date) continue;
      corrections.push({
        txnId: entry.quickbooksId,
        key,
        correctsKey: posted.key,
        corrects: posted.document.date,
        sentFor,
      });
    }
  }
  return corrections.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The last day QuickBooks must be read through for a period: its end, or the latest day a correction of a day in
 * the period was posted on after it.
 */
export function readThrough(period: Period, corrections: readonly Correction[]): string {
  let last = period.to;
  for (const c of corrections)
    if (c.corrects >= period.from && c.corrects <= period.to && c.sentFor > last) last = c.sentFor;
  return last;
}

interface Seen {
  postedOn: string;
  transactionType: string;
  refNumber: string | null;
}

/**
 * A reader that dates each correction's ledger lines on the day it corrects (found by TxnID), and remembers where
 * QuickBooks had them: `corrections(period)` names those of the period that another day carried.
 */
export function attributeCorrections(
  reader: LedgerReader,
  corrections: readonly Correction[],
): { reader: LedgerReader; corrections(period: Period): CorrectionSummary[] } {
  if (corrections.length === 0) return { reader, corrections: () => [] };
  const byTxnId = new Map(corrections.map((c) => [c.txnId, c]));
  const seen = new Map<string, Seen>();
  const attribute = (entries: LedgerEntry[], period: Period): LedgerEntry[] => {
    const out: LedgerEntry[] = [];
    for (const entry of entries) {
      const correction = entry.txnId === undefined ? undefined : byTxnId.get(entry.txnId);
      let date = entry.date;
      if (correction) {
        if (!seen.has(correction.txnId))
          seen.set(correction.txnId, {
            postedOn: entry.date,
            transactionType: entry.transactionType,
            refNumber: entry.refNumber ?? null,
          });
        date = correction.corrects;
      }
      if (date >= period.from && date <= period.to) out.push(date === entry.date ? entry : { ...entry, date });
    }
    return out;
  };
  const wider = (period: Period): Period => ({ from: period.from, to: readThrough(period, corrections) });
  const attributed: LedgerReader = {
    entries: async (account, period) => attribute(await reader.entries(account, wider(period)), period),
  };
  if (reader.openSalesOrders) {
    const open = reader.openSalesOrders.bind(reader);
    attributed.openSalesOrders = async (account, period) => attribute(await open(account, wider(period)), period);
  }
  return {
    reader: attributed,
    corrections(period) {
      const inPeriod = (day: string) => day >= period.from && day <= period.to;
      const named: CorrectionSummary[] = [];
      for (const c of corrections) {
        const where = seen.get(c.txnId);
        if (!where || where.postedOn === c.corrects) continue;
        if (!inPeriod(where.postedOn) && !inPeriod(c.corrects)) continue;
        named.push({
          document: c.key,
          refNumber: where.refNumber,
          transactionType: where.transactionType,
          postedOn: where.postedOn,
          corrects: c.corrects,
        });
      }
      return named;
    },
  };
}
