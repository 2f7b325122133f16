/** sendRequestXML: checking the company file, then building the next message set (follow-ups, iterators, leased entries). */
import { randomUUID } from 'node:crypto';
import {
  type FollowUpQuery,
  lineIdsRead,
  lineIdsReadKey,
  transactionLineSource,
  writeSnapshotPart,
} from '../../apply/index.ts';
import { ConnectorError } from '../../errors/index.ts';
import {
  attachToMessageSet,
  enqueue,
  getEntry,
  getEntryByKey,
  heldBy,
  lease,
  markSent,
  type OutboxEntry,
  progress,
  recordFailure,
  returnLeased,
} from '../../outbox/index.ts';
import { referencedKeys, referencedLines, resolveTxnIdReferences } from '../../plan/index.ts';
import { buildRequestDocument, type QbxmlRequest } from '../../qbxml/index.ts';
import {
  bindCompany,
  type CompanyFile,
  createMessageSet,
  findMappingBySource,
  fromDbJson,
  getCompanyFile,
  getCompanyFileByFileId,
  getMessageSet,
  moveMessageSet,
} from '../../storage/index.ts';
import { negotiateDialect } from '../negotiation/index.ts';
import {
  type CompanyCheck,
  checkOpenedCompany,
  noteSessionProblem,
  readOpenedCompany,
  updateSession,
  type WebConnectorSession,
} from '../session/index.ts';
import type { SendRequestInput } from '../soap/index.ts';
import { atomically, audit, type DeliveryContext, sessionOf } from './delivery-context.ts';
import {
  asMerchantError,
  ITERABLE_QUERIES,
  iterable,
  NO_OP,
  type Outgoing,
  outgoingRequest,
} from './delivery-helpers.ts';
import {
  loseMessageSet,
  recordLastMessageSet,
  recoveryDocument,
  type WaitingWork,
  waitingWork,
} from './delivery-recovery.ts';

export async function sendRequestXML(ctx: DeliveryContext, input: SendRequestInput): Promise<string> {
  const session = await sessionOf(ctx, input.ticket);
  if (!session) return '';
  const now = ctx.clock();
  const file = await getCompanyFile(ctx.storage, session.companyFileId);
  if (!file)
    return refuse(ctx, session, 'The connection to this QuickBooks company file was removed from the connector.');

  if (!session.companyChecked) {
    const dialect = negotiateDialect(input);
    if (!dialect.ok) {
      ctx.logger.warn('sendRequestXML: QuickBooks refused before any document', { detail: dialect.error.message });
      return refuse(ctx, session, dialect.error.merchantMessage);
    }
    const problem = await checkCompany(ctx, session, file, input);
    if (problem !== null) {
      await noteSessionProblem(ctx.storage, session.id, { code: 'QBWC_COMPANY_FILE_REFUSED', message: problem });
      return refuse(ctx, session, problem);
    }
  }

  const waiting = await waitingWork(ctx, session, file.id, now);
  const outstanding = waiting.outstandingId === null ? null : await getMessageSet(ctx.storage, waiting.outstandingId);
  if (outstanding) {
    // sendRequestXML again without the response to what we sent: that response is lost.
    await loseMessageSet(ctx, outstanding, now);
  }

  // Settling sets and entries may add follow-up queries: after it, nothing of what was asked above still holds.
  const settling = outstanding !== null || waiting.unanswered || waiting.unknown;
  if (settling) {
    const recovery = await recoveryDocument(ctx, session, file, now);
    if (recovery !== null) return recovery;
  }

  const document = await nextDocument(ctx, session, file, now, settling ? undefined : waiting);
  if (document !== null) return document;

  if (await ctx.preparing(file.id)) {
    await updateSession(ctx.storage, session.id, { lastError: NO_OP });
    return NO_OP;
  }
  return refuse(ctx, session, await nothingLeftMessage(ctx, file.id));
}

/** Why the session ends with nothing sent: all delivered, or some documents still to be confirmed later. */
async function nothingLeftMessage(ctx: DeliveryContext, companyFileId: string): Promise<string> {
  const counts = await progress(ctx.storage, companyFileId);
  if (counts.byState.unknown > 0) {
    return `QuickBooks could not yet confirm ${counts.byState.unknown} document(s); the connector asks it again at the next session and never posts them twice.`;
  }
  if (counts.remaining > 0) {
    return `Nothing more can be sent now; ${counts.remaining} document(s) wait for a retry or for something that needs your attention in the connector.`;
  }
  return 'Everything is already in QuickBooks; there was nothing left to send.';
}

export async function refuse(ctx: DeliveryContext, session: WebConnectorSession, message: string): Promise<string> {
  await updateSession(ctx.storage, session.id, { lastError: message });
  return '';
}

/** The first sendRequestXML of a session: is QuickBooks showing the company file this shop is bound to? */
export async function checkCompany(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  file: CompanyFile,
  input: SendRequestInput,
): Promise<string | null> {
  const now = ctx.clock();
  const opened = readOpenedCompany(input.hcpResponse, file.ownerId);
  if (!opened.ok) return opened.error.merchantMessage;
  const check = await ownCompanyOnly(
    ctx,
    file,
    opened.value,
    input.companyFileName,
    checkOpenedCompany(file, opened.value, input.companyFileName),
  );
  if (check.action === 'refuse') {
    ctx.logger.warn('sendRequestXML: wrong company file', { companyFileId: file.id, detail: check.error.message });
    await audit(ctx, file, 'web-connector.wrong-company-file', {
      opened: opened.value.companyName,
      path: input.companyFileName,
    });
    return check.error.merchantMessage;
  }
  if (check.action === 'bind') {
    await bindCompany(
      ctx.storage,
      file.id,
      { companyName: opened.value.companyName, edition: opened.value.productName, version: opened.value.version },
      now,
    );
    await audit(ctx, file, 'web-connector.company-bound', {
      companyName: opened.value.companyName,
      edition: opened.value.productName,
      version: opened.value.version,
    });
  }
  for (const response of opened.value.responses) {
    if (response.statusCode < 1000 && response.rets.length > 0) {
      await writeSnapshotPart(
        ctx.storage,
        file.id,
        response.type,
        { rets: response.rets, retNames: response.retNames },
        now,
      );
    }
  }
  await updateSession(ctx.storage, session.id, { companyChecked: true });
  return null;
}

/**
 * One company file per shop: the FileID QBWC wrote into the open company names the pairing it belongs to, and a
 * company file paired with another shop is refused in words that say so — nothing is sent to it and nothing read
 * from it is kept (the HCP responses are stored only after this check). The other shop is not named: on a shared
 * service it is another merchant's.
 */
async function ownCompanyOnly(
  ctx: DeliveryContext,
  file: CompanyFile,
  opened: { companyName: string; fileId: string | null },
  path: string,
  check: CompanyCheck,
): Promise<CompanyCheck> {
  if (check.action !== 'refuse' || opened.fileId === null) return check;
  const owner = await getCompanyFileByFileId(ctx.storage, opened.fileId);
  if (!owner || owner.id === file.id || owner.shopId === file.shopId) return check;
  const label = `"${opened.companyName}"${path ? ` (${path})` : ''}`;
  return {
    action: 'refuse',
    error: new ConnectorError({
      code: 'QBWC_COMPANY_FILE_OF_ANOTHER_SHOP',
      message: `The open company ${label} carries FileID ${opened.fileId}, paired as company file ${owner.id} of shop ${owner.shopId}, not this shop's ${file.id}`,
      merchantMessage: `The QuickBooks company ${label} that is open is already connected to another shop. One QuickBooks company file serves one shop, so nothing was sent to it and nothing was read from it. Open this shop's own company file in QuickBooks${file.boundCompany ? ` ("${file.boundCompany.companyName}")` : ' (or create one for it)'} and run the Web Connector again.`,
      merchantMustAct: true,
      details: { companyName: opened.companyName },
    }),
  };
}

/** Follow-up queries, continued iterators and newly leased entries, batched into one message set. */
export async function nextDocument(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  file: CompanyFile,
  now: Date,
  /** What is known to be waiting (waitingWork, nothing changed since): what is not is not looked for. */
  waiting?: WaitingWork,
  linesAsked = false,
): Promise<string | null> {
  const outgoing: Outgoing[] = [];
  const length = 0;
  const room = () => outgoing.length < ctx.maxRequests && length < ctx.maxLength;

  const at = now.toISOString();
  const followUps = !(waiting?.followUps ?? true)
    ? []
    : await ctx.storage.db
        .selectFrom('delivery_follow_ups')
        .selectAll()
        .where('company_file_id', '=', file.id)
        .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
        .orderBy('entry_id')
        .limit(ctx.maxRequests)
        .execute();
  for (const row of followUps) {
    const entry = await getEntry(ctx.storage, row.entry_id);
    if (!entry || (entry.state !== 'sent' && entry.state !== 'unknown')) {
      await ctx.storage.db.deleteFrom('delivery_follow_ups').where('entry_id', '=', row.entry_id).execute();
      continue;
    }
    const query: FollowUpQuery = {
      purpose: row.purpose as FollowUpQuery['purpose'],
      type: row.query_type,
      body: fromDbJson(row.query_body),
    };
    const request = { type: query.type, requestID: `F${entry.id}`, body: query.body } as QbxmlRequest;
    outgoing.push({ role: 'follow-up', entry, followUp: { entryId: entry.id, query }, request });
  }

  const iterators = !(waiting?.iterators ?? true)
    ? []
    : await ctx.storage.db.selectFrom('qbwc_iterators').selectAll().where('session_id', '=', session.id).execute();
  for (const row of iterators) {
    if (!room()) break;
    const entry = await getEntry(ctx.storage, row.entry_id);
    if (entry?.state !== 'sent') continue;
    outgoing.push({
      role: 'entry',
      entry,
      request: outgoingRequest(entry, ctx.pageSize, { iterator: 'Continue', iteratorID: row.iterator_id }),
    });
  }

  // Leasing and recording what is sent are one transaction, committed (and waited for on the disk) once: each
  // statement and commit is a round trip every other shop on the database waits behind. A lease lost meanwhile
  // rolls all of it back, and the message set is built again.
  try {
    const known = { held: waiting?.held ?? true, toRelease: waiting?.toRelease ?? true };
    const sent = await atomically(ctx, (tx) => leaseAndRecord(tx, session, file, outgoing, length, now, known));
    if (sent !== ASKED_FOR_LINES) return sent;
    // Only documents waiting for an order's line ids: the read just queued goes in this message set instead.
    return linesAsked ? null : nextDocument(ctx, session, file, now, undefined, true);
  } catch (error) {
    if (!(error instanceof LeaseGone)) throw error;
    ctx.logger.warn('sendRequestXML: lease lost before sending', { sessionId: session.id });
    return nextDocument(ctx, session, file, now);
  }
}

/** Nothing to send but a read of an order's line ids, queued by `withTxnIds` in the same transaction. */
const ASKED_FOR_LINES = Symbol('asked-for-lines');

/**
 * Adds what the session holds and newly leased entries to `outgoing`, then records the message set as sent and as
 * what this session waits on, before the XML leaves: a process that dies in between leaves either nothing (the XML
 * never left) or everything recovery needs. Call it inside `atomically`; null when there is nothing to send.
 */
async function leaseAndRecord(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  file: CompanyFile,
  outgoing: Outgoing[],
  lengthSoFar: number,
  now: Date,
  /** What may be there (false: known not to be): entries this session holds, leases run out or retries due. */
  may: { held: boolean; toRelease: boolean },
): Promise<string | null | typeof ASKED_FOR_LINES> {
  let length = lengthSoFar;
  const room = () => outgoing.length < ctx.maxRequests && length < ctx.maxLength;
  // Entries this session leased earlier but had no room for come first, then new ones.
  const leased: OutboxEntry[] = may.held ? await heldBy(ctx.storage, file.id, session.id) : [];
  if (room() && leased.length < ctx.maxRequests) {
    const limit = ctx.maxRequests - leased.length;
    leased.push(...(await lease(ctx.storage, file.id, session.id, { limit, now, sweep: may.toRelease })));
  }
  const fresh: OutboxEntry[] = [];
  const refused: { entry: OutboxEntry; error: ConnectorError }[] = [];
  let askedForLines = false;
  for (const leasedEntry of leased) {
    const entry = await withTxnIds(ctx, session, leasedEntry);
    if (entry === 'waits-for-lines') askedForLines = true;
    if (entry === null || entry === 'waits-for-lines') continue;
    const request = outgoingRequest(
      entry,
      ctx.pageSize,
      ITERABLE_QUERIES.test(entry.request.type) && iterable(entry) ? { iterator: 'Start' } : undefined,
    );
    const alone = buildRequestDocument({ requests: [request], onError: 'continueOnError' });
    if (!alone.ok) {
      refused.push({ entry, error: alone.error });
      continue;
    }
    if (!room() && outgoing.length > 0) break;
    length += alone.value.xml.length;
    outgoing.push({ role: 'entry', entry, request });
    fresh.push(entry);
  }
  // Leased but left out for lack of room: sent in this session's next message set (or released when it ends).
  if (refused.length > 0) await refuseBeforeSending(ctx, session, file, refused, now);
  if (outgoing.length === 0) return askedForLines ? ASKED_FOR_LINES : null;

  const messageSetId = randomUUID();
  const built = buildRequestDocument({
    requests: outgoing.map((o) => o.request),
    onError: 'continueOnError',
    newMessageSetID: messageSetId,
  });
  if (!built.ok) throw built.error;
  const xml = built.value.xml;

  const records = outgoing.map((o) => ({ entryId: o.entry.id, requestId: o.request.requestID }));
  if (fresh.length > 0) {
    const freshIds = new Set(fresh.map((e) => e.id));
    const sent = await markSent(ctx.storage, {
      companyFileId: file.id,
      sessionId: session.id,
      messageSetId,
      requestXml: xml,
      entries: records.filter((r) => freshIds.has(r.entryId)),
      now,
    });
    // Roll back whatever markSent moved inside this shared transaction before it found the lease gone.
    if (!sent.ok) throw new LeaseGone();
    await attachToMessageSet(
      ctx.storage,
      messageSetId,
      records.filter((r) => !freshIds.has(r.entryId)),
    );
  } else {
    await createMessageSet(
      ctx.storage,
      { id: messageSetId, companyFileId: file.id, sessionId: session.id, requestXml: xml, entries: records },
      now,
    );
  }
  await recordLastMessageSet(ctx, file.id, messageSetId);
  await updateSession(ctx.storage, session.id, {
    addMessageSets: 1,
    lastError: null,
    outstandingMessageSetId: messageSetId,
  });
  return xml;
}

class LeaseGone extends Error {}

/**
 * The entry with each `{ $txnIdOf: key }` in its body replaced by that entry's TxnID (a receipt's purchase order,
 * an invoice's sales order), and each line reference by that line's TxnLineID. The outbox leases nothing before its
 * dependencies are applied, so a TxnID that does not resolve is a bug: the entry is not sent and fails with the
 * reason; null. An applied order whose line ids were never kept (applied by a connector that did not keep them) is
 * asked for its lines first (`lineIdsRead`): the entry goes back to pending and `waits-for-lines` until QuickBooks
 * has answered; a read that answered without them, or failed, fails the entry instead.
 */
export async function withTxnIds(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  entry: OutboxEntry,
): Promise<OutboxEntry | null | 'waits-for-lines'> {
  const keys = referencedKeys(entry.request.body);
  if (keys.length === 0) return entry;
  const ids = new Map<string, string>();
  const targets = new Map<string, OutboxEntry>();
  for (const key of keys) {
    const target = await getEntryByKey(ctx.storage, entry.companyFileId, key);
    if (target?.state === 'applied' && target.quickbooksId) {
      ids.set(key, target.quickbooksId);
      targets.set(key, target);
    }
  }
  const lineIds = new Map<string, string>();
  const linesMissing = new Set<string>();
  for (const reference of referencedLines(entry.request.body)) {
    const source = transactionLineSource(reference.$txnLineIdOf, reference.line);
    const mapping = await findMappingBySource(ctx.storage, entry.companyFileId, source.kind, source.id);
    if (mapping) lineIds.set(source.id, mapping.quickbooksId);
    else linesMissing.add(reference.$txnLineIdOf);
  }
  if (await askForLines(ctx, entry, linesMissing, targets)) {
    // Back to pending, not held: the session goes on while it waits, and it is leased again once the lines are in.
    await returnLeased(ctx.storage, session.id, [entry.id], ctx.clock());
    return 'waits-for-lines';
  }
  const resolved = resolveTxnIdReferences(
    entry.request.body,
    (key) => ids.get(key),
    { key: entry.key, type: entry.request.type },
    (key, line) => lineIds.get(transactionLineSource(key, line).id),
  );
  if (resolved.ok) return { ...entry, request: { ...entry.request, body: resolved.value } };
  ctx.logger.error('sendRequestXML: a TxnID reference does not resolve', { entryId: entry.id, error: resolved.error });
  await recordFailure(ctx.storage, entry.id, resolved.error, { now: ctx.clock() });
  await updateSession(ctx.storage, session.id, { addFailed: 1 });
  return null;
}

/**
 * For each applied order whose line ids are missing: queues the read of its lines when there is none yet. True
 * while one of those reads is still to be answered (the entry waits); false when every read has answered (the
 * lines QuickBooks gave are in the id map, or it gave none and the entry fails as it would without the read).
 */
async function askForLines(
  ctx: DeliveryContext,
  entry: OutboxEntry,
  orders: ReadonlySet<string>,
  applied: ReadonlyMap<string, OutboxEntry>,
): Promise<boolean> {
  let waiting = false;
  for (const orderKey of orders) {
    const order = applied.get(orderKey);
    if (!order?.quickbooksId) continue;
    const read = await getEntryByKey(ctx.storage, entry.companyFileId, lineIdsReadKey(orderKey));
    if (read && ['applied', 'failed', 'needs_attention', 'cancelled'].includes(read.state)) continue;
    if (!read) {
      const input = lineIdsRead(orderKey, order.quickbooksId, order.request.type);
      if (!input) continue;
      await enqueue(ctx.storage, [{ ...input, companyFileId: entry.companyFileId }], ctx.clock());
      ctx.logger.info('sendRequestXML: asking QuickBooks for the line ids of an order', {
        entryId: entry.id,
        order: orderKey,
      });
    }
    waiting = true;
  }
  return waiting;
}

/** Requests the qbXML layer refuses to write (a value QuickBooks would reject): recorded as failed, never sent. */
export async function refuseBeforeSending(
  ctx: DeliveryContext,
  session: WebConnectorSession,
  file: CompanyFile,
  refused: { entry: OutboxEntry; error: ConnectorError }[],
  now: Date,
): Promise<void> {
  const sent = await markSent(ctx.storage, {
    companyFileId: file.id,
    sessionId: session.id,
    requestXml: null,
    entries: refused.map((r) => ({ entryId: r.entry.id, requestId: String(r.entry.id) })),
    now,
  });
  if (!sent.ok) return;
  await moveMessageSet(ctx.storage, sent.value.id, 'sent', 'answered', { responseXml: '', now });
  for (const { entry, error } of refused) {
    await recordFailure(ctx.storage, entry.id, asMerchantError(error, entry), { now });
    await updateSession(ctx.storage, session.id, { addFailed: 1 });
  }
}
