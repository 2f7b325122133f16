import { fromDbTime, toDbTime } from './columns.ts';
import type { IdMapRow, Queryable } from './schema.ts';

/** List records carry a ListID, transactions a TxnID; both have an EditSequence needed to modify them. */
export type QuickBooksKind = 'list' | 'transaction';

/**
 * One link between a source record (a Shopify customer, a variant, an order's sales receipt…) and the QuickBooks
 * record or transaction that represents it in one company file.
 */
export interface IdMapping {
  companyFileId: string;
  /** What the source is, in the plan's words (e.g. `customer`, `item`, `sales-receipt`). */
  sourceKind: string;
  /** The source's identity (a Shopify GID, or a document key for summaries). */
  sourceId: string;
  quickbooksKind: QuickBooksKind;
  /** ListID or TxnID. */
  quickbooksId: string;
  editSequence: string | null;
  /** The QuickBooks name (lists) or RefNumber (transactions), as last seen. */
  name: string | null;
  updatedAt: Date;
}

export function idMappingFromRow(row: IdMapRow): IdMapping {
  return {
    companyFileId: row.company_file_id,
    sourceKind: row.source_kind,
    sourceId: row.source_id,
    quickbooksKind: row.quickbooks_kind as QuickBooksKind,
    quickbooksId: row.quickbooks_id,
    editSequence: row.edit_sequence,
    name: row.name,
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** Records (or replaces) the QuickBooks identity of a source record. */
export async function recordMapping(
  q: Queryable,
  mapping: Omit<IdMapping, 'updatedAt'>,
  now = new Date(),
): Promise<IdMapping> {
  await recordMappings(q, [mapping], now);
  return idMappingFromRow(idMapRowOf(mapping, now));
}

function idMapRowOf(mapping: Omit<IdMapping, 'updatedAt'>, now: Date): IdMapRow {
  return {
    company_file_id: mapping.companyFileId,
    source_kind: mapping.sourceKind,
    source_id: mapping.sourceId,
    quickbooks_kind: mapping.quickbooksKind,
    quickbooks_id: mapping.quickbooksId,
    edit_sequence: mapping.editSequence,
    name: mapping.name,
    updated_at: toDbTime(now),
  };
}

/**
 * Records (or replaces) several links in one statement: what one message set's answer brings back. When two name
 * the same source the later one wins, as it would had they been recorded one after another (and PostgreSQL refuses
 * an upsert that touches one row twice).
 */
export async function recordMappings(
  q: Queryable,
  mappings: readonly Omit<IdMapping, 'updatedAt'>[],
  now = new Date(),
): Promise<void> {
  const bySource = new Map<string, IdMapRow>();
  for (const mapping of mappings) {
    const source = JSON.stringify([mapping.companyFileId, mapping.sourceKind, mapping.sourceId]);
    bySource.delete(source);
    bySource.set(source, idMapRowOf(mapping, now));
  }
  if (bySource.size === 0) return;
  await q.db
    .insertInto('id_map')
    .values([...bySource.values()])
    .onConflict((conflict) =>
      conflict.columns(['company_file_id', 'source_kind', 'source_id']).doUpdateSet((eb) => ({
        quickbooks_kind: eb.ref('excluded.quickbooks_kind'),
        quickbooks_id: eb.ref('excluded.quickbooks_id'),
        edit_sequence: eb.ref('excluded.edit_sequence'),
        name: eb.ref('excluded.name'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function findMappingBySource(
  q: Queryable,
  companyFileId: string,
  sourceKind: string,
  sourceId: string,
): Promise<IdMapping | null> {
  const row = await q.db
    .selectFrom('id_map')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row ? idMappingFromRow(row) : null;
}

/** Several sources of one kind at once (a receipt's customer and items), keyed by source id. */
export async function findMappingsBySources(
  q: Queryable,
  companyFileId: string,
  sourceKind: string,
  sourceIds: readonly string[],
): Promise<Map<string, IdMapping>> {
  const found = new Map<string, IdMapping>();
  if (sourceIds.length === 0) return found;
  const rows = await q.db
    .selectFrom('id_map')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('source_kind', '=', sourceKind)
    .where('source_id', 'in', [...new Set(sourceIds)])
    .execute();
  for (const row of rows) found.set(row.source_id, idMappingFromRow(row));
  return found;
}

/** The source(s) mapped to a ListID/TxnID (usually one). */
export async function findMappingsByQuickBooksId(
  q: Queryable,
  companyFileId: string,
  quickbooksId: string,
): Promise<IdMapping[]> {
  const rows = await q.db
    .selectFrom('id_map')
    .selectAll()
    .where('company_file_id', '=', companyFileId)
    .where('quickbooks_id', '=', quickbooksId)
    .orderBy('source_kind')
    .orderBy('source_id')
    .execute();
  return rows.map(idMappingFromRow);
}

/** After a Mod or a re-query: the new EditSequence of every mapping to that QuickBooks id. Returns rows changed. */
export async function updateEditSequence(
  q: Queryable,
  companyFileId: string,
  quickbooksId: string,
  editSequence: string,
  now = new Date(),
): Promise<number> {
  const result = await q.db
    .updateTable('id_map')
    .set({ edit_sequence: editSequence, updated_at: toDbTime(now) })
    .where('company_file_id', '=', companyFileId)
    .where('quickbooks_id', '=', quickbooksId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listMappings(
  q: Queryable,
  companyFileId: string,
  filter: { sourceKind?: string } = {},
): Promise<IdMapping[]> {
  let query = q.db.selectFrom('id_map').selectAll().where('company_file_id', '=', companyFileId);
  if (filter.sourceKind !== undefined) query = query.where('source_kind', '=', filter.sourceKind);
  const rows = await query.orderBy('source_kind').orderBy('source_id').execute();
  return rows.map(idMappingFromRow);
}

export async function removeMapping(
  q: Queryable,
  companyFileId: string,
  sourceKind: string,
  sourceId: string,
): Promise<boolean> {
  const result = await q.db
    .deleteFrom('id_map')
    .where('company_file_id', '=', companyFileId)
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
