/** receiveResponseXML: applying what QuickBooks answered to each entry and follow-up query. */
import {
  type Decision,
  type DeliveryRequest,
  decide,
  type FollowUpQuery,
  identityQueryFor,
  missingReferenceName,
  REPORT_ENTRY_KIND,
  resolveFollowUp,
  snapshotPartFor,
  transactionLineSource,
  writeSnapshotPart,
} from '../../apply/index.ts';
import { ConnectorError } from '../../errors/index.ts';
import {
  countUpTo,
  getEntries,
  getEntry,
  hasWork,
  markAppliedMany,
  markNotApplied,
  markUnknown,
  type OutboxEntry,
  plansRecordNamed,
  recordFailure,
} from '../../outbox/index.ts';
import { hresultError, parseResponseDocument, type QbxmlResponse } from '../../qbxml/index.ts';
import {
  fromDbJson,
  type IdMapping,
  type MessageSet,
  moveMessageSet,
  recordMappings,
  toDbJson,
} from '../../storage/index.ts';
import { noteSessionProblem, updateSession, type WebConnectorSession } from '../session/index.ts';
import type { ReceiveResponseInput } from '../soap/index.ts';
import { atomically, type DeliveryContext, sessionOf } from './delivery-context.ts';
import { type CollectedPages, deliveryRequest, isListType } from './delivery-helpers.ts';
import {
  hasFollowUps,
  lookUpIdentity,
  loseMessageSet,
  outstandingSet,
  postponeFollowUp,
  saveFollowUp,
  setOutstanding,
} from './delivery-recovery.ts';

export async function receiveResponseXML(ctx: DeliveryContext, input: ReceiveResponseInput): Promise<number> {
  const session = await sessionOf(ctx, input.ticket);
  if (!session) return -1;
  const now = ctx.clock();
  const set = await outstandingSet(ctx, session);
  if (!set) {
    await updateSession(ctx.storage, session.id, {
      lastError: 'QuickBooks answered a request the connector was not waiting for; nothing was recorded.',
    });
    return -1;
  }
  if (input.hresult !== '' || input.response.trim() === '') {
    return quickBooksThrew(ctx, session, set, input, now);
  }
  const parsed = parseResponseDocument(input.response);
  if (!parsed.ok) {
    // We cannot tell what QuickBooks did: the set is settled later by error recovery, never re-sent blindly.
    await loseMessageSet(ctx, set, now);
    await updateSession(ctx.storage, session.id, { lastError: parsed.error.merchantMessage });
    await noteSessionProblem(ctx.storage, session.id, {
      code: parsed.error.code,
      message: `${parsed.error.merchantMessage} The documents in it are checked with QuickBooks at the next session; none is posted twice.`,
    });
    return -2;
  }
  const recorded = await atomically(ctx, (tx) =>
    applyMessageSet(tx, session, set, parsed.value.responses, input.response, now),
  );
  if (!recorded) {
    await updateSession(ctx.storage, session.id, {
      lastError: 'Another connection already recorded this answer from QuickBooks; nothing was recorded twice.',
    });
    return -1;
  }
  return percentDone(ctx, session);
}

/**
 * Applies a whole response in one transaction (call it inside `atomically`): the set is answered and every entry
 * in it reaches its outcome, or — the process dies, the database goes away — none of it happened and the set is
 * still waiting, to be recovered from QuickBooks. False when another connection recorded this set first.
 */
export async function applyMessageSet(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  set: MessageSet,
  responses: readonly QbxmlResponse[],
  responseXml: string,
  now: Date,
): Promise<boolean> {
  const expected = new Set(set.entries.map((item) => item.requestId));
  const byRequestId = new Map<string, QbxmlResponse>();
  for (const response of responses) {
    const id = response.requestID;
    if (id !== null && expected.has(id) && !byRequestId.has(id)) {
      byRequestId.set(id, response);
      continue;
    }
    // Not a request of this set (or a second answer to one): it proves nothing about what we sent.
    ctx.logger.warn('receiveResponseXML: a response to a request that was not sent in this message set; ignored', {
      messageSetId: set.id,
      requestId: id,
      type: response.type,
      statusCode: response.statusCode,
    });
  }
  const target: 'answered' | 'recovered' = set.state === 'lost' ? 'recovered' : 'answered';
  const moved = await moveMessageSet(ctx.storage, set.id, set.state, target, {
    responseXml,
    now,
    entries: set.entries,
  });
  if (!moved) return false;

  const settled = newSettled();
  const entries = await getEntries(
    ctx.storage,
    set.entries.map((item) => item.entryId),
  );
  const seen = new Set<number>();
  for (const item of set.entries) {
    // An entry named twice in one set (a follow-up beside its own request) is read again once what came before
    // is written, as it would be one request at a time.
    const again = seen.has(item.entryId);
    seen.add(item.entryId);
    if (again) await writeSettled(ctx, settled, now);
    const entry = again ? await getEntry(ctx.storage, item.entryId) : entries.get(item.entryId);
    if (!entry) continue;
    const response = byRequestId.get(item.requestId);
    if (!response) {
      // continueOnError answers every request, so an answer cut short says nothing about the missing ones: QuickBooks
      // may or may not have run them. Each is looked up by identity before anything else happens to it.
      ctx.logger.warn('receiveResponseXML: no answer to a request of the message set; looking it up', {
        messageSetId: set.id,
        requestId: item.requestId,
        entryId: entry.id,
      });
      await settleUnanswered(ctx, entry, now);
      continue;
    }
    if (item.requestId.startsWith('F')) await applyFollowUp(ctx, session, settled, entry, response, now);
    else await applyResponse(ctx, session, settled, entry, response, now);
  }
  await writeSettled(ctx, settled, now);
  await updateSession(ctx.storage, session.id, { ...settled.counts, outstandingMessageSetId: null });
  return true;
}

/**
 * What a message set's answer settles that is written once for the whole set rather than once per request (a
 * statement each is a round trip every other shop on the database waits behind): the entries QuickBooks applied,
 * the links to what it created, and the session's counts. The rest (a failure, a follow-up query) is rare and
 * written as it is decided; none of it reads what is gathered here.
 */
export interface Settled {
  applied: { entryId: number; quickbooksId: string | null }[];
  mappings: Omit<IdMapping, 'updatedAt'>[];
  counts: { addApplied: number; addRecorded: number; addReportsRead: number; addFailed: number };
}

function newSettled(): Settled {
  return { applied: [], mappings: [], counts: { addApplied: 0, addRecorded: 0, addReportsRead: 0, addFailed: 0 } };
}

/** Writes the applied entries gathered so far and their links (a statement each), and forgets them. */
async function writeSettled(ctx: DeliveryContext, settled: Settled, now: Date): Promise<void> {
  await recordMappings(ctx.storage, settled.mappings, now);
  await markAppliedMany(ctx.storage, settled.applied, now);
  settled.applied = [];
  settled.mappings = [];
}

/** An entry whose outcome the response does not tell: unknown, then looked up by identity (or run again, a query). */
async function settleUnanswered(ctx: DeliveryContext, entry: OutboxEntry, now: Date): Promise<void> {
  if (entry.state === 'sent') await markUnknown(ctx.storage, [entry.id], now);
  const current = await getEntry(ctx.storage, entry.id);
  if (current?.state !== 'unknown') return;
  const pending = await ctx.storage.db
    .selectFrom('delivery_follow_ups')
    .select('entry_id')
    .where('entry_id', '=', entry.id)
    .executeTakeFirst();
  if (!pending) await lookUpIdentity(ctx, current, now);
}

/**
 * QuickBooks' request processor raised an HRESULT instead of answering. 0x80040400 (it could not parse the
 * document) means nothing in it ran. Any other HRESULT may come after QuickBooks applied the set (the response was
 * lost on its way back), so the set is treated as lost and settled by error recovery — at once, in this session.
 */
export async function quickBooksThrew(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  set: MessageSet,
  input: ReceiveResponseInput,
  now: Date,
): Promise<number> {
  const error = hresultError(input.hresult || '0x80040402', input.message);
  if (input.hresult.toLowerCase() !== '0x80040400') {
    const secondTime = set.state === 'lost';
    await loseMessageSet(ctx, set, now);
    if (secondTime) {
      await updateSession(ctx.storage, session.id, { lastError: error.merchantMessage });
      return -3;
    }
    return percentDone(ctx, session);
  }
  const refusedSet = new ConnectorError({
    code: 'QB_REQUEST_REFUSED',
    message: `QuickBooks could not parse message set ${set.id}: ${input.message}`,
    merchantMessage: `QuickBooks could not read what the connector sent (${input.message}). Nothing was recorded; the documents involved are listed in the connector for support.`,
    hresult: input.hresult,
  });
  await atomically(ctx, async (tx) => {
    const target = set.state === 'lost' ? 'recovered' : 'answered';
    const moved = await moveMessageSet(tx.storage, set.id, set.state, target, { responseXml: '', now });
    if (!moved) return;
    await setOutstanding(tx, session.id, null);
    for (const item of set.entries) {
      const entry = await getEntry(tx.storage, item.entryId);
      if (entry?.state === 'sent' || entry?.state === 'unknown') {
        await recordFailure(tx.storage, entry.id, refusedSet, { now });
        await updateSession(tx.storage, session.id, { addFailed: 1 });
      }
    }
  });
  await updateSession(ctx.storage, session.id, { lastError: refusedSet.merchantMessage });
  await noteSessionProblem(ctx.storage, session.id, { code: refusedSet.code, message: refusedSet.merchantMessage });
  return -3;
}

/** decide() is pure; for a 3140 the one fact it needs (is the missing name one we add?) is looked up first. */
export async function applyResponse(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  settled: Settled,
  entry: OutboxEntry,
  response: QbxmlResponse,
  now: Date,
) {
  if (entry.state !== 'sent' && entry.state !== 'unknown') return;
  const request = deliveryRequest(entry);
  const missing = response.statusCode === 3140 ? missingReferenceName(response.statusMessage) : null;
  const owned = missing !== null && (await ownsName(ctx, entry.companyFileId, missing));
  const decision = decide(response, request, (name) => owned && name.toLowerCase() === missing?.toLowerCase());
  if (decision.action === 'applied' && decision.quickbooksId === '' && identityQueryFor(request) !== null) {
    // "Status OK" with no record: QuickBooks says it added something but does not say what. Without its ListID or
    // TxnID nothing can link to it or prove it is there once; it is looked up by identity like a lost answer.
    ctx.logger.warn('receiveResponseXML: an add answered OK without its record; looking it up', {
      entryId: entry.id,
      type: request.type,
    });
    await settleUnanswered(ctx, entry, now);
    return;
  }
  await carryOut(ctx, session, settled, entry, request, decision, now);
}

export async function applyFollowUp(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  settled: Settled,
  entry: OutboxEntry,
  response: QbxmlResponse,
  now: Date,
) {
  const row = await ctx.storage.db
    .selectFrom('delivery_follow_ups')
    .selectAll()
    .where('entry_id', '=', entry.id)
    .executeTakeFirst();
  if (!row) return;
  await ctx.storage.db.deleteFrom('delivery_follow_ups').where('entry_id', '=', entry.id).execute();
  const query: FollowUpQuery = {
    purpose: row.purpose as FollowUpQuery['purpose'],
    type: row.query_type,
    body: fromDbJson(row.query_body),
  };
  const request = deliveryRequest(entry);
  if (query.purpose === 'identity' && response.statusCode >= 1000) {
    // QuickBooks could not look (busy, a list in use): the entry stays unknown until it can. Sending the add again
    // on a retry schedule instead could post it twice.
    await saveFollowUp(ctx, entry, query, now);
    await postponeFollowUp(ctx, entry.id, now);
    ctx.logger.info('an identity query was not answered; asking again later', {
      entryId: entry.id,
      statusCode: response.statusCode,
    });
    return;
  }
  const decision = resolveFollowUp(query, response, request);
  if (query.purpose === 'identity' && decision.action === 'resend') {
    // QuickBooks confirms the add never happened: it may go again, as it was.
    await markNotApplied(ctx.storage, entry.id, now);
    return;
  }
  await carryOut(ctx, session, settled, entry, request, decision, now);
}

export async function carryOut(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  settled: Settled,
  entry: OutboxEntry,
  request: DeliveryRequest,
  decision: Decision,
  now: Date,
): Promise<void> {
  switch (decision.action) {
    case 'applied': {
      if (decision.quickbooksId !== '') {
        settled.mappings.push({
          companyFileId: entry.companyFileId,
          sourceKind: entry.source?.kind ?? entry.kind,
          sourceId: entry.source?.id ?? entry.key,
          quickbooksKind: isListType(request.type) ? 'list' : 'transaction',
          quickbooksId: decision.quickbooksId,
          editSequence: decision.editSequence,
          name: decision.name,
        });
      }
      // An order's lines, kept for the documents that link to them; a line-ids read (no id of its own) keeps those
      // of the order it asked for.
      if (decision.quickbooksId !== '' || decision.linesOf !== undefined) {
        for (const [line, id] of (decision.lineIds ?? []).entries()) {
          if (id === '') continue;
          const source = transactionLineSource(decision.linesOf ?? entry.key, line);
          settled.mappings.push({
            companyFileId: entry.companyFileId,
            sourceKind: source.kind,
            sourceId: source.id,
            quickbooksKind: 'transaction',
            quickbooksId: id,
            editSequence: null,
            name: null,
          });
        }
      }
      settled.applied.push({ entryId: entry.id, quickbooksId: decision.quickbooksId || null });
      settled.counts.addApplied++;
      settled.counts.addRecorded++;
      return;
    }
    case 'query-answered': {
      const state = await ctx.storage.db
        .selectFrom('qbwc_iterators')
        .selectAll()
        .where('entry_id', '=', entry.id)
        .executeTakeFirst();
      const collected: CollectedPages = state ? fromDbJson(state.collected) : { rets: [], retNames: [] };
      collected.rets.push(...decision.rets);
      collected.retNames.push(...decision.retNames);
      if (decision.remaining > 0 && decision.iteratorID !== null) {
        const row = {
          entry_id: entry.id,
          session_id: session.id,
          iterator_id: decision.iteratorID,
          remaining: decision.remaining,
          collected: toDbJson(collected),
          updated_at: now.toISOString(),
        };
        await ctx.storage.db
          .insertInto('qbwc_iterators')
          .values(row)
          .onConflict((c) =>
            c.column('entry_id').doUpdateSet({
              session_id: row.session_id,
              iterator_id: row.iterator_id,
              remaining: row.remaining,
              collected: row.collected,
              updated_at: row.updated_at,
            }),
          )
          .execute();
        return;
      }
      await ctx.storage.db.deleteFrom('qbwc_iterators').where('entry_id', '=', entry.id).execute();
      await writeSnapshotPart(ctx.storage, entry.companyFileId, snapshotPartFor(entry), collected, now);
      settled.applied.push({ entryId: entry.id, quickbooksId: null });
      settled.counts.addApplied++;
      if (entry.kind === REPORT_ENTRY_KIND) settled.counts.addReportsRead++;
      return;
    }
    case 'follow-up':
      await saveFollowUp(ctx, entry, decision.query, now);
      return;
    case 'resend':
      await recordFailure(
        ctx.storage,
        entry.id,
        new ConnectorError({
          code: 'QB_RESEND',
          message: `${request.type} for ${entry.key} goes again with a corrected request`,
          retryable: true,
          ...(decision.statusCode === undefined ? {} : { qbStatusCode: decision.statusCode }),
        }),
        { now, retryAfterMs: 0, request: { type: request.type, body: decision.body } },
      );
      return;
    case 'retry-later':
    case 'wait-for-reference':
      await recordFailure(ctx.storage, entry.id, decision.error, { now });
      settled.counts.addFailed++;
      return;
    case 'needs-attention':
      await recordFailure(ctx.storage, entry.id, decision.error, { now });
      settled.counts.addFailed++;
      return;
  }
}

/** Whether the connector itself plans a record of this name (a 3140 it will fix by itself). */
export function ownsName(ctx: DeliveryContext, companyFileId: string, name: string): Promise<boolean> {
  return plansRecordNamed(ctx.storage, companyFileId, name);
}

export async function percentDone(ctx: DeliveryContext, session: WebConnectorSession): Promise<number> {
  const now = ctx.clock();
  const fresh = await sessionRow(ctx, session.id);
  const more =
    (await hasWork(ctx.storage, session.companyFileId, now)) || (await hasFollowUps(ctx, session.companyFileId, now));
  const inSession = await ctx.storage.db
    .selectFrom('qbwc_iterators')
    .select('entry_id')
    .where('session_id', '=', session.id)
    .limit(1)
    .executeTakeFirst();
  if (!more && !inSession && !(await ctx.preparing(session.companyFileId))) return 100;
  const done = (fresh?.entries_applied ?? 0) + (fresh?.entries_failed ?? 0);
  // floor(100·done / (done + left)) is 0 for every left ≥ 99·done, so counting further changes nothing shown.
  const left = await countUpTo(
    ctx.storage,
    session.companyFileId,
    ['pending', 'leased', 'sent', 'unknown'],
    Math.max(1, 99 * done),
  );
  const total = done + left;
  return total === 0 ? 99 : Math.min(99, Math.floor((done * 100) / total));
}

export async function sessionRow(ctx: DeliveryContext, id: string) {
  return ctx.storage.db.selectFrom('qbwc_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}
