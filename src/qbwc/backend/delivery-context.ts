/** What the parts of the delivery backend share: its settings, the audit log, finding the open session. */
import type { Logger } from '../../logger/index.ts';
import { appendAudit, type Storage } from '../../storage/index.ts';
import { findOpenSession, type WebConnectorSession } from '../session/sessions.ts';

/** What every part of the delivery backend shares: the backend's options with their defaults applied. */
export interface DeliveryContext {
  storage: Storage;
  logger: Logger;
  clock: () => Date;
  maxRequests: number;
  maxLength: number;
  idleMs: number;
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
