/** Acting on an attention item: a document is sent again at the next session, a failed sync is started again. */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { SyncRun } from '../integration/index.ts';
import { type OutboxEntry, retryEntry } from '../outbox/index.ts';
import type { AuditActor, Queryable } from '../storage/index.ts';
import { type AttentionItem, type AttentionOptions, listAttention } from './attention.ts';

export interface RetryOptions extends AttentionOptions {
  /** The item's id as listed (`123`, `sync-run:7`). */
  id: string;
  actor: AuditActor;
  /** Starts a manual sync (and prepares it in the background); the sync service's `start` + `execute`. */
  startSync: () => Promise<Result<SyncRun>>;
}

export type Retried = { type: 'document'; entry: OutboxEntry } | { type: 'sync'; run: SyncRun };

/**
 * Retries one listed item, only if it is listed now for this shop and retryable: a shop never reaches another's
 * entries through its URL, and an item already fixed (or on its way) is not retried twice.
 */
export async function retryAttention(q: Queryable, options: RetryOptions): Promise<Result<Retried>> {
  const items = await listAttention(q, options);
  const item = items.find((candidate) => String(candidate.id) === options.id);
  if (!item?.retryable) return err(notRetryable(options.id, item));
  if (item.type === 'sync') {
    const started = await options.startSync();
    return started.ok ? ok({ type: 'sync', run: started.value }) : started;
  }
  const retried = await retryEntry(q, item.id as number, {
    actor: options.actor,
    shopId: options.shopId,
    now: options.now,
  });
  return retried.ok ? ok({ type: 'document', entry: retried.value }) : retried;
}

function notRetryable(id: string, item: AttentionItem | undefined): ConnectorError {
  return new ConnectorError({
    code: item ? 'ATTENTION_NOT_RETRYABLE' : 'ENTRY_UNKNOWN',
    message: item ? `Attention item ${id} cannot be retried` : `No attention item ${id}`,
    merchantMessage: item ? item.whatToDo : 'Nothing to retry there.',
    details: { id },
  });
}
