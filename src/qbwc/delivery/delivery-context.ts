/** What the parts of the delivery backend share: its settings, the audit log, finding the open session. */
import type { Logger } from '../../logger/index.ts';
import { appendAudit, inTransaction, type Queryable } from '../../storage/index.ts';
import { findOpenSession, type WebConnectorSession } from '../session/index.ts';

/** What every part of the delivery backend shares: the backend's options with their defaults applied. */
export interface DeliveryContext {
  /** The database, or the transaction a part of the backend runs in (see `atomically`). */
  storage: Queryable;
  logger: Logger;
  clock: () => Date;
  maxRequests: number;
  maxLength: number;
  idleMs: number;
  /** An open session quiet this long is taken over by a new authenticate. */
  takeoverMs: number;
  pageSize: number;
  preparing: (companyFileId: string) => Promise<boolean>;
}

export async function audit(
  ctx: DeliveryContext,
  file: { id: string; shopId: string },
  action: string,
  details: Record<string, unknown>,
) {
  await appendAudit(
    ctx.storage,
    { shopId: file.shopId, companyFileId: file.id, actor: 'web-connector', action, details },
    ctx.clock(),
  );
}

export async function sessionOf(ctx: DeliveryContext, ticket: string): Promise<WebConnectorSession | null> {
  return findOpenSession(ctx.storage, ticket, ctx.clock(), ctx.idleMs);
}

/**
 * Runs `work` in one transaction with a context whose storage is that transaction: a process killed half-way
 * leaves nothing of it behind. Inside, never call `ctx.preparing` (it reads through the server's own handle, which
 * on SQLite waits for this transaction to end).
 */
export function atomically<T>(ctx: DeliveryContext, work: (ctx: DeliveryContext) => Promise<T>): Promise<T> {
  return inTransaction(ctx.storage, (scope) => work({ ...ctx, storage: scope }));
}
