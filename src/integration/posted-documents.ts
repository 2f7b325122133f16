import { createHash } from 'node:crypto';
import type { Queryable } from '../storage/index.ts';
import type { TransactionDocument } from '../transform/index.ts';

/**
 * The last planned version of every transaction document (row↔domain at this edge). Documents hold Money as
 * bigint; JSON has no bigint, so amounts are stored tagged (`{"$money":"1250"}`) and come back as bigint.
 */
export interface PostedDocument {
  key: string;
  document: TransactionDocument;
  contentHash: string;
  /** How many edits have been posted for this document (0: only the original). */
  editSequence: number;
}

export interface PostedDocumentRow {
  company_file_id: string;
  key: string;
  kind: string;
  document: string;
  content_hash: string;
  edit_sequence: number;
  updated_at: string;
}

declare module '../storage/schema.ts' {
  interface Database {
    posted_documents: PostedDocumentRow;
  }
}

export function serializeDocument(document: TransactionDocument): string {
  return JSON.stringify(document, (_key, value) => (typeof value === 'bigint' ? { $money: value.toString() } : value));
}

export function deserializeDocument(text: string): TransactionDocument {
  return JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && typeof value.$money === 'string' && Object.keys(value).length === 1
      ? BigInt(value.$money)
      : value,
  ) as TransactionDocument;
}

export function documentHash(serialized: string): string {
  return createHash('sha256').update(serialized).digest('hex');
}

export async function loadPostedDocuments(
  q: Queryable,
  companyFileId: string,
  options: { editedOnly?: boolean } = {},
): Promise<Map<string, PostedDocument>> {
  let query = q.db.selectFrom('posted_documents').selectAll().where('company_file_id', '=', companyFileId);
  // Only those changed after posting (edits, late orders of a posted day): what the reconciliation attributes.
  if (options.editedOnly) query = query.where('edit_sequence', '>', 0);
  const rows = await query.execute();
  return new Map(
    rows.map((row) => [
      row.key,
      {
        key: row.key,
        document: deserializeDocument(row.document),
        contentHash: row.content_hash,
        editSequence: Number(row.edit_sequence),
      },
    ]),
  );
}

export async function savePostedDocuments(
  q: Queryable,
  companyFileId: string,
  documents: readonly {
    document: TransactionDocument;
    serialized: string;
    contentHash: string;
    editSequence: number;
  }[],
  now: Date,
): Promise<void> {
  for (const item of documents) {
    const row: PostedDocumentRow = {
      company_file_id: companyFileId,
      key: item.document.key,
      kind: item.document.kind,
      document: item.serialized,
      content_hash: item.contentHash,
      edit_sequence: item.editSequence,
      updated_at: now.toISOString(),
    };
    await q.db
      .insertInto('posted_documents')
      .values(row)
      .onConflict((c) =>
        c.columns(['company_file_id', 'key']).doUpdateSet({
          kind: row.kind,
          document: row.document,
          content_hash: row.content_hash,
          edit_sequence: row.edit_sequence,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }
}

/** Forgets every posted version of a company file (a support reset: a new start compares from scratch). */
export async function clearPostedDocuments(q: Queryable, companyFileId: string): Promise<void> {
  await q.db.deleteFrom('posted_documents').where('company_file_id', '=', companyFileId).execute();
}

/** The latest date among the documents planned for a company file, or null before the first sync. */
export async function lastPostedDocumentDate(q: Queryable, companyFileId: string): Promise<string | null> {
  const rows = await q.db
    .selectFrom('posted_documents')
    .select('document')
    .where('company_file_id', '=', companyFileId)
    .execute();
  let last: string | null = null;
  for (const row of rows) {
    const date = deserializeDocument(row.document).date;
    if (last === null || date > last) last = date;
  }
  return last;
}
