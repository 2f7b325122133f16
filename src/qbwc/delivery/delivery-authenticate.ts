/** authenticate: checking the app token and opening a session only when there is work. */
import { randomBytes } from 'node:crypto';
import { countUpTo, hasWork, releaseSession } from '../../outbox/index.ts';
import { getCompanyFileByUserName, isLockedOut, recordSuccessfulLogin } from '../../storage/index.ts';
import {
  clearLoginFailures,
  closeSession,
  findOpenSessionOfCompanyFile,
  hashAppToken,
  openSession,
  recordLoginFailure,
  updateSession,
  verifyAppToken,
  WORK_AT_START_COUNTED,
} from '../session/index.ts';
import type { AuthenticateAnswer } from '../soap/index.ts';
import { audit, type DeliveryContext } from './delivery-context.ts';
import { hasFollowUps } from './delivery-recovery.ts';
import { endSession } from './delivery-session-end.ts';

/** A hash nobody's token matches: an unknown user name costs the same time as a wrong password. */
const DECOY_HASH = hashAppToken(randomBytes(16).toString('hex'));

export async function authenticate(
  ctx: DeliveryContext,
  userName: string,
  password: string,
): Promise<AuthenticateAnswer> {
  const now = ctx.clock();
  const refused: AuthenticateAnswer = { ticket: '', result: 'nvu' };
  const file = await getCompanyFileByUserName(ctx.storage, userName);
  if (!file) {
    await verifyAppToken(password, await DECOY_HASH);
    ctx.logger.warn('authenticate: unknown Web Connector user', { userName });
    return refused;
  }
  if (isLockedOut(file, now)) {
    ctx.logger.warn('authenticate: company file locked out after repeated wrong passwords', { companyFileId: file.id });
    return refused;
  }
  if (!(await verifyAppToken(password, file.appTokenHash))) {
    const locked = await recordLoginFailure(ctx.storage, file.id, now);
    ctx.logger.warn('authenticate: wrong app token', { companyFileId: file.id, locked });
    if (locked) await audit(ctx, file, 'web-connector.locked-out', { minutes: 15 });
    return refused;
  }
  await clearLoginFailures(ctx.storage, file.id);
  await recordSuccessfulLogin(ctx.storage, file.id, now);
  await retireIdleSessions(ctx, file.id, now);

  const live = await findOpenSessionOfCompanyFile(ctx.storage, file.id);
  if (live) {
    if (now.getTime() - live.lastSeenAt.getTime() < ctx.takeoverMs) {
      // Another live session holds this company file (a second Web Connector on the same .qwc): try again later.
      return { ticket: randomBytes(16).toString('base64url'), result: 'busy' };
    }
    // Its Web Connector (or the process serving it) is gone: take the file over, and what it had in flight with it.
    await endSession(ctx, live, 'A new Web Connector session took over: this one had made no call for a minute.');
    await updateSession(ctx.storage, live.id, {
      lastError: 'This Web Connector session was taken over by a newer one; nothing was sent twice.',
    });
    ctx.logger.info('Web Connector session taken over', { companyFileId: file.id, sessionId: live.id });
    await audit(ctx, file, 'web-connector.session-taken-over', {
      sessionId: live.id,
      lastCallAt: live.lastSeenAt.toISOString(),
    });
  }

  const work = (await hasWork(ctx.storage, file.id, now)) || (await hasFollowUps(ctx, file.id, now));
  if (!work && !(await ctx.preparing(file.id))) {
    // QuickBooks is never opened for nothing. The ticket is a throwaway: closeConnection answers it politely.
    return { ticket: randomBytes(16).toString('base64url'), result: 'none' };
  }
  const opened = await openSession(ctx.storage, {
    companyFileId: file.id,
    workAtStart: await countUpTo(
      ctx.storage,
      file.id,
      ['pending', 'retry_wait', 'leased', 'sent', 'unknown'],
      WORK_AT_START_COUNTED,
    ),
    now,
    idleMs: ctx.idleMs,
  });
  if (!opened.ok) return { ticket: randomBytes(16).toString('base64url'), result: 'busy' };
  ctx.logger.info('Web Connector session opened', { companyFileId: file.id, sessionId: opened.session.id });
  return { ticket: opened.ticket, result: '' };
}

/** Sessions of this company file whose Web Connector stopped calling: their work goes back to the outbox. */
export async function retireIdleSessions(ctx: DeliveryContext, companyFileId: string, now: Date): Promise<void> {
  const stale = await ctx.storage.db
    .selectFrom('qbwc_sessions')
    .select('id')
    .where('company_file_id', '=', companyFileId)
    .where('state', '=', 'open')
    .where('expires_at', '<=', now.toISOString())
    .execute();
  for (const { id } of stale) {
    await releaseSession(ctx.storage, id, now);
    await closeSession(ctx.storage, id, 'The Web Connector stopped calling; the session expired.', now);
    await ctx.storage.db.updateTable('qbwc_sessions').set({ state: 'expired' }).where('id', '=', id).execute();
  }
}
