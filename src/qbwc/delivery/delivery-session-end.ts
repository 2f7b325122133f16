/** The rest of the protocol: connectionError, getLastError, closeConnection, and a method that failed. */
import { toConnectorError } from '../../errors/index.ts';
import { releaseSession } from '../../outbox/index.ts';
import { getCompanyFile } from '../../storage/index.ts';
import {
  closeSession,
  findSessionByTicket,
  noteSessionProblem,
  updateSession,
  type WebConnectorSession,
} from '../session/index.ts';
import type { ConnectionErrorInput, MethodFailure } from '../soap/index.ts';
import { atomically, audit, type DeliveryContext, sessionOf } from './delivery-context.ts';
import { loseMessageSet, outstandingSet } from './delivery-recovery.ts';

export async function endSession(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  reason: string,
): Promise<WebConnectorSession | null> {
  const now = ctx.clock();
  return atomically(ctx, async (tx) => {
    const outstanding = await outstandingSet(tx, session);
    if (outstanding) await loseMessageSet(tx, outstanding, now);
    await releaseSession(tx.storage, session.id, now);
    await tx.storage.db.deleteFrom('qbwc_iterators').where('session_id', '=', session.id).execute();
    return closeSession(tx.storage, session.id, reason, now);
  });
}

export async function connectionError(ctx: DeliveryContext, input: ConnectionErrorInput): Promise<string> {
  const session = await sessionOf(ctx, input.ticket);
  if (!session) return 'done';
  const reason = `QuickBooks could not open the company file (${input.hresult}: ${input.message}).`;
  const advice = `${reason} Make sure QuickBooks is installed, the company file exists, and this application is allowed to access it (QuickBooks: Edit > Preferences > Integrated Applications), then run the Web Connector again.`;
  await updateSession(ctx.storage, session.id, { lastError: advice });
  await noteSessionProblem(ctx.storage, session.id, { code: 'QBWC_CONNECTION_ERROR', message: advice });
  const ended = await endSession(ctx, session, reason);
  const file = await getCompanyFile(ctx.storage, session.companyFileId);
  if (file && ended)
    await audit(ctx, file, 'web-connector.connection-error', { hresult: input.hresult, message: input.message });
  return 'done';
}

export async function getLastError(ctx: DeliveryContext, ticket: string): Promise<string> {
  const session = await findSessionByTicket(ctx.storage, ticket);
  if (!session) {
    return 'This Web Connector session is over or unknown. Run the Web Connector again to continue; nothing was posted twice.';
  }
  return session.lastError ?? 'No error was recorded for this session.';
}

export async function closeConnection(ctx: DeliveryContext, ticket: string): Promise<string> {
  const session = await findSessionByTicket(ctx.storage, ticket);
  if (!session) return 'OK';
  const ended = session.state === 'open' ? await endSession(ctx, session, 'closeConnection') : session;
  const summary = ended ?? session;
  const file = await getCompanyFile(ctx.storage, session.companyFileId);
  if (file && session.state === 'open') {
    await audit(ctx, file, 'web-connector.session-closed', {
      sessionId: session.id,
      applied: summary.entriesApplied,
      recorded: summary.documentsRecorded,
      failed: summary.entriesFailed,
      messageSets: summary.messageSetsSent,
    });
  }
  return closingMessage(summary);
}

/** What QBWC shows when the session ends: what was recorded, what was only read, what needs a look. */
export function closingMessage(
  summary: Pick<WebConnectorSession, 'entriesApplied' | 'documentsRecorded' | 'reportsRead' | 'entriesFailed'>,
): string {
  const lists = summary.entriesApplied - summary.documentsRecorded - summary.reportsRead;
  const reads = [count(lists, 'list'), count(summary.reportsRead, 'report')].filter((part) => part !== '');
  const parts: string[] = [];
  if (reads.length > 0) parts.push(`read ${reads.join(' and ')} from QuickBooks`);
  if (summary.documentsRecorded > 0)
    parts.push(`recorded ${count(summary.documentsRecorded, 'document')} in QuickBooks`);
  else parts.push(summary.entriesFailed > 0 ? 'nothing recorded in QuickBooks' : 'nothing to record');
  const failed = summary.entriesFailed;
  const attention =
    failed > 0 ? `, ${failed} ${failed === 1 ? 'document needs' : 'documents need'} a look in the connector` : '';
  return `Complete: ${parts.join('; ')}${attention}.`;
}

function count(n: number, noun: string): string {
  return n <= 0 ? '' : `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export async function methodFailed(ctx: DeliveryContext, failure: MethodFailure): Promise<void> {
  const session = await findSessionByTicket(ctx.storage, failure.ticket);
  if (!session) return;
  const error = toConnectorError(failure.error);
  await updateSession(ctx.storage, session.id, { lastError: error.merchantMessage });
  await noteSessionProblem(ctx.storage, session.id, {
    code: error.code,
    message: `The connector failed while answering the Web Connector (${failure.method}): ${error.merchantMessage} Nothing was posted twice; run the Web Connector again.`,
  });
}
