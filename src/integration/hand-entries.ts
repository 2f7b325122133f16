/**
 * What the merchant entered in QuickBooks by hand instead of the connector: the answer to an attention item the
 * connector cannot post itself (a refund whose amounts fit no reading, REFUND_AMOUNTS_MISFIT). Recorded once per
 * subject with who said so and when; the sync never produces the subject again (TransformSettings.enteredByHand),
 * the attention list no longer shows it, and the reconciliation expects it in QuickBooks.
 */
import { type AuditActor, appendAudit, fromDbTime, type Queryable, toDbTime } from '../storage/index.ts';

export interface HandEntry {
  shopId: string;
  /** What was entered: the transform's key of it (`refund/<id>`). */
  subject: string;
  /** The attention code it answered. */
  code: string;
  actor: AuditActor;
  /** The person, as the merchant named them (null when not given). */
  enteredBy: string | null;
  note: string | null;
  enteredAt: Date;
}

export interface HandEntryRow {
  shop_id: string;
  subject: string;
  code: string;
  actor: string;
  entered_by: string | null;
  note: string | null;
  entered_at: string;
}

declare module '../storage/schema.ts' {
  interface Database {
    hand_entries: HandEntryRow;
  }
}

function fromRow(row: HandEntryRow): HandEntry {
  return {
    shopId: row.shop_id,
    subject: row.subject,
    code: row.code,
    actor: row.actor as AuditActor,
    enteredBy: row.entered_by,
    note: row.note,
    enteredAt: fromDbTime(row.entered_at),
  };
}

/**
 * Records that `subject` was entered by hand, and audits it. Saying so twice keeps the first record: the first
 * answer is the one the books were kept by.
 */
export async function recordHandEntry(
  q: Queryable,
  entry: Omit<HandEntry, 'enteredAt'>,
  now: Date,
): Promise<HandEntry> {
  const row: HandEntryRow = {
    shop_id: entry.shopId,
    subject: entry.subject,
    code: entry.code,
    actor: entry.actor,
    entered_by: entry.enteredBy,
    note: entry.note,
    entered_at: toDbTime(now),
  };
  await q.db
    .insertInto('hand_entries')
    .values(row)
    .onConflict((c) => c.columns(['shop_id', 'subject']).doNothing())
    .execute();
  const saved = await q.db
    .selectFrom('hand_entries')
    .selectAll()
    .where('shop_id', '=', entry.shopId)
    .where('subject', '=', entry.subject)
    .executeTakeFirstOrThrow();
  await appendAudit(
    q,
    {
      shopId: entry.shopId,
      actor: entry.actor,
      action: 'attention.entered-in-quickbooks',
      subject: entry.subject,
      details: { code: entry.code, enteredBy: entry.enteredBy, note: entry.note },
    },
    now,
  );
  return fromRow(saved);
}

/** Everything the shop's merchant entered by hand, oldest first. */
export async function listHandEntries(q: Queryable, shopId: string): Promise<HandEntry[]> {
  const rows = await q.db
    .selectFrom('hand_entries')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('entered_at')
    .orderBy('subject')
    .execute();
  return rows.map(fromRow);
}
