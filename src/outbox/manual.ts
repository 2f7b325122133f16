/** Retry and cancel, asked for by the merchant or support. */
import type { Updateable } from 'kysely';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  type AuditActor,
  appendAudit,
  inTransaction,
  type OutboxEntryRow,
  type Queryable,
  toDbTime,
} from '../storage/index.ts';
import type { OutboxEntry } from './entries.ts';
import type { OutboxState } from './states.ts';
import { moveEntry, selectForUpdate } from './transitions.ts';

// ---------------------------------------------------------------------------------------------------------------
// Merchant and support actions: a state that does not allow them is an expected answer, not a bug.

export interface ManualAction {
  actor: AuditActor;
  now?: Date;
  /** For the audit log. */
  shopId?: string | null;
}

/** Try again after a fix: `failed`, `needs_attention` or `cancelled` → `pending`, with the attempt count reset. */
export function retryEntry(q: Queryable, entryId: number, action: ManualAction): Promise<Result<OutboxEntry>> {
  return manual(q, entryId, 'pending', ['failed', 'needs_attention', 'cancelled'], action, 'outbox.retried', {
    attempts: 0,
    next_attempt_at: toDbTime(action.now ?? new Date()),
    last_error: null,
  });
}

/** Stop an entry that has not reached QuickBooks. Entries in flight (`leased`, `sent`, `unknown`) cannot be. */
export function cancelEntry(q: Queryable, entryId: number, action: ManualAction): Promise<Result<OutboxEntry>> {
  return manual(
    q,
    entryId,
    'cancelled',
    ['pending', 'failed', 'retry_wait', 'needs_attention'],
    action,
    'outbox.cancelled',
    {},
  );
}

async function manual(
  q: Queryable,
  entryId: number,
  to: OutboxState,
  allowed: readonly OutboxState[],
  action: ManualAction,
  auditAction: string,
  changes: Updateable<OutboxEntryRow>,
): Promise<Result<OutboxEntry>> {
  const now = action.now ?? new Date();
  return inTransaction(q, async (scope) => {
    const row = await selectForUpdate(scope, entryId);
    const state = row.state as OutboxState;
    if (!allowed.includes(state)) {
      return err(
        new ConnectorError({
          code: 'OUTBOX_ENTRY_STATE_CONFLICT',
          message: `Cannot move outbox entry ${entryId} (${row.key}) from ${state} to ${to}`,
          merchantMessage:
            state === 'applied'
              ? 'This item is already in QuickBooks.'
              : state === 'leased' || state === 'sent' || state === 'unknown'
                ? 'This item is on its way to QuickBooks right now; wait for the Web Connector to finish, then try again.'
                : 'This item cannot be changed in its current state.',
          details: { entryId, state, requested: to },
        }),
      );
    }
    const entry = await moveEntry(scope, entryId, to, changes, now);
    await appendAudit(
      scope,
      {
        shopId: action.shopId ?? null,
        companyFileId: entry.companyFileId,
        actor: action.actor,
        action: auditAction,
        subject: entry.key,
        details: { entryId, from: state, to },
      },
      now,
    );
    return ok(entry);
  });
}
