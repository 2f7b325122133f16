import type { Logger } from '../logger/index.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import { inTransaction, type Storage } from '../storage/index.ts';
import type { PageSizeName } from './entities.ts';
import type { ExtractProgressListener } from './progress.ts';
import { writeWatermark } from './runs.ts';
import { type SourceRecordInput, saveSourceRecords } from './source-records.ts';

export interface EntityCounts {
  seen: number;
  inserted: number;
  unchanged: number;
}

/** What the paged and the bulk routines share while one run pulls one shop. */
export interface PullContext {
  storage: Storage;
  client: AdminGraphqlClient;
  logger: Logger;
  shopId: string;
  runId: number;
  nowIso(): string;
  sleep(ms: number): Promise<void>;
  download: typeof fetch;
  sizes: Record<PageSizeName, number>;
  overlapMs: number;
  paymentsWindowMs: number;
  bulkPollIntervalMs: number;
  bulkWindow: number | undefined;
  onProgress: ExtractProgressListener | undefined;
  /** Called after each stored batch of an entity (the progress display's tick). */
  ticks: WeakMap<EntityCounts, () => void>;
}

/**
 * Stores one batch of records and, in the same transaction, the watermark it reaches: a crash loses at most the
 * batch in flight, and the next pull resumes from the last stored one.
 */
export async function storeBatch(
  ctx: PullContext,
  records: SourceRecordInput[],
  cursor: { entity: string; watermark: string | null } | null,
  counts: EntityCounts,
): Promise<void> {
  const outcome = await inTransaction(ctx.storage, async (scope) => {
    const now = ctx.nowIso();
    const saved = await saveSourceRecords(scope, ctx.shopId, records, { runId: ctx.runId, now });
    if (cursor) await writeWatermark(scope, ctx.shopId, cursor.entity, cursor.watermark, now);
    return saved;
  });
  counts.seen += records.length;
  counts.inserted += outcome.inserted;
  counts.unchanged += outcome.unchanged;
  ctx.ticks.get(counts)?.();
}

export function maxIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
