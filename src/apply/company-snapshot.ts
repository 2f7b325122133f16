import { fromDbJson, type Queryable, toDbJson } from '../storage/index.ts';
import '../qbwc/session/index.ts';

/**
 * What the connector last read from a company file: HostQuery, CompanyQuery and PreferencesQuery (QBWC hands these
 * to the first sendRequestXML of every session) and the answers to the list queries the setup steps enqueue
 * (AccountQuery, PaymentMethodQuery, ClassQuery, ItemQuery, ItemSalesTaxQuery…). One part per query type (per entry
 * key for the reconciliation's report queries, see `snapshotPartFor`); a query that pages through an iterator is
 * written once, complete, when its last page arrives.
 */
export interface SnapshotPart {
  /** The …Ret objects as the qbXML parser returned them (Intuit's element names; amounts as decimal strings). */
  rets: Record<string, unknown>[];
  /** Element name of each ret (`ItemInventoryRet`, …), parallel to `rets`. */
  retNames: string[];
  updatedAt: Date;
}

export interface CompanySnapshot {
  companyFileId: string;
  /** HostRet: ProductName, MajorVersion, MinorVersion, Country, SupportedQBXMLVersion… */
  host: Record<string, unknown> | null;
  /** CompanyRet: CompanyName, address, DataExtRet… */
  company: Record<string, unknown> | null;
  /** PreferencesRet: SalesTaxPreferences, PurchasesAndVendorsPreferences… */
  preferences: Record<string, unknown> | null;
  /** Every part by query type, the three above included. */
  parts: Record<string, SnapshotPart>;
}

/**
 * Outbox entries of this kind are report queries (the reconciliation's): each answer is a part of its own, named by
 * the entry's key, because several are asked for at once (one per period and what) and none may replace another.
 */
export const REPORT_ENTRY_KIND = 'report';

/** The snapshot part an applied query entry's answer is written to: its key for reports, else its query type. */
export function snapshotPartFor(entry: { kind: string; key: string; request: { type: string } }): string {
  return entry.kind === REPORT_ENTRY_KIND ? entry.key : entry.request.type;
}

interface StoredPart {
  rets: Record<string, unknown>[];
  retNames: string[];
}

/** Replaces one part of the snapshot. */
export async function writeSnapshotPart(
  scope: Queryable,
  companyFileId: string,
  part: string,
  value: StoredPart,
  now: Date,
): Promise<void> {
  const row = {
    company_file_id: companyFileId,
    part,
    data: toDbJson(value),
    complete: 1,
    updated_at: now.toISOString(),
  };
  await scope.db
    .insertInto('company_snapshots')
    .values(row)
    .onConflict((c) =>
      c.columns(['company_file_id', 'part']).doUpdateSet({ data: row.data, complete: 1, updated_at: row.updated_at }),
    )
    .execute();
}

export async function readCompanySnapshot(scope: Queryable, companyFileId: string): Promise<CompanySnapshot> {
  const rows = await scope.db
    .selectFrom('company_snapshots')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('complete', '=', 1)
    .execute();
  const parts: Record<string, SnapshotPart> = {};
  for (const row of rows) {
    const stored = fromDbJson<StoredPart>(row.data);
    parts[row.part] = { rets: stored.rets, retNames: stored.retNames, updatedAt: new Date(row.updated_at) };
  }
  const first = (part: string) => parts[part]?.rets[0] ?? null;
  return {
    companyFileId,
    host: first('HostQuery'),
    company: first('CompanyQuery'),
    preferences: first('PreferencesQuery'),
    parts,
  };
}
