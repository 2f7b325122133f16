/**
 * The orders the last sync has not posted because it never got to them: pulled in an extraction run after the one
 * it read through (a pull whose sync stopped, or one still preparing), or sold on or after the day it posted up to
 * (only complete days are posted). The reconciliation names them as pending instead of counting a difference.
 */
import { localDate } from '../domain/index.ts';
import { createSourceRecordReader } from '../extract/index.ts';
import type { SyncSummary } from '../integration/index.ts';
import type { Queryable } from '../storage/index.ts';
import type { TransformSources } from '../transform/index.ts';

const PAGE = 1000;

/** Ids of the orders `summary`'s sync did not post for want of having them; empty for a summary without the marks. */
export async function notYetSyncedOrders(
  q: Queryable,
  shopId: string,
  summary: SyncSummary,
  sources: TransformSources,
): Promise<Set<string>> {
  const ids = new Set<string>();
  if (summary.postedBefore !== undefined) {
    const zone = sources.shop.ianaTimezone;
    for (const order of sources.orders)
      if (localDate(order.processedAt, zone) >= summary.postedBefore) ids.add(order.id);
  }
  if (summary.readThroughRun === undefined) return ids;
  const reader = createSourceRecordReader(q);
  const after = summary.readThroughRun;
  let afterRecordId: number | undefined;
  for (;;) {
    const page = await reader.changedSince(shopId, after, {
      kind: 'order',
      limit: PAGE,
      ...(afterRecordId === undefined ? {} : { afterRecordId }),
    });
    for (const record of page) {
      // Changed since, and new since: its first version came after the run the sync read through. An order the sync
      // posted and that changed since is not pending: its change is a difference until the next sync.
      const first = record.version === 1 ? record : (await reader.versions(shopId, 'order', record.sourceId))[0];
      if (after === null || (first?.runId !== null && first?.runId !== undefined && first.runId > after))
        ids.add(record.sourceId);
    }
    if (page.length < PAGE) return ids;
    afterRecordId = page[page.length - 1]!.recordId;
  }
}
