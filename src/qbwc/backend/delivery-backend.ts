import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Decision,
  type DeliveryRequest,
  decide,
  type FollowUpQuery,
  identityQueryFor,
  missingReferenceName,
  resolveFollowUp,
  writeSnapshotPart,
} from '../../apply/index.ts';
import { ConnectorError, toConnectorError } from '../../errors/index.ts';
import { type Logger, silentLogger } from '../../logger/index.ts';
import {
  getEntry,
  getEntryByKey,
  hasWork,
  lease,
  markApplied,
  markNotApplied,
  markSent,
  markUnknown,
  type OutboxEntry,
  progress,
  recordFailure,
  releaseSession,
} from '../../outbox/index.ts';
import { referencedKeys, resolveTxnIdReferences } from '../../plan/index.ts';
import {
  buildRequestDocument,
  hresultError,
  parseResponseDocument,
  type QbxmlRequest,
  type QbxmlResponse,
} from '../../qbxml/index.ts';
import {
  appendAudit,
  bindCompany,
  type CompanyFile,
  createMessageSet,
  fromDbJson,
  getCompanyFile,
  getCompanyFileByUserName,
  getMessageSet,
  isLockedOut,
  listUnansweredMessageSets,
  type MessageSet,
  moveMessageSet,
  recordMapping,
  recordSuccessfulLogin,
  type Storage,
  toDbJson,
} from '../../storage/index.ts';
import { hashAppToken, verifyAppToken } from '../session/app-token.ts';
import { checkOpenedCompany, readOpenedCompany } from '../session/company-check.ts';
import {
  clearLoginFailures,
  closeSession,
  findOpenSession,
  findSessionByTicket,
  openSession,
  recordLoginFailure,
  SESSION_IDLE_MS,
  updateSession,
  type WebConnectorSession,
} from '../session/sessions.ts';
import type {
  AuthenticateAnswer,
  ConnectionErrorInput,
  MethodFailure,
  ReceiveResponseInput,
  SendRequestInput,
  WebConnectorBackend,
} from '../soap/index.ts';
import '../session/tables.ts';

/**
 * The Web Connector backend that delivers the outbox to QuickBooks. Stateless per call: the session (found by its
 * hashed ticket), the message set it waits on, follow-up queries and iterators all live in the database, so any
 * number of server instances behind a load balancer can serve one Web Connector, and a server restarted mid-session
 * carries on.
 *
 * Exactly once: every message set is recorded (entries `sent`) before its qbXML leaves sendRequestXML, and carries
 * newMessageSetID = its id. A message set whose response never came back is never re-sent blindly: when it is the
 * last one this company file received, it goes again with oldMessageSetID, and QuickBooks answers with the stored
 * response instead of running it twice (qbXML error recovery; QuickBooks keeps the outcome of the last message set
 * per application); otherwise each of its adds is looked up in QuickBooks by identity (name, RefNumber/date, then
 * ExternalGUID) and adopted when found, re-sent only when QuickBooks confirms it is absent.
 */
export interface DeliveryBackendOptions {
  storage: Storage;
  logger?: Logger;
  clock?: () => Date;
  /** True while a sync run is still planning for this company file: the session answers NoOp instead of ending. */
  isPreparingWork?: (companyFileId: string) => Promise<boolean> | boolean;
  /** Requests per message set. QBWC gives each call a time budget; QuickBooks takes ~50–200 ms per add. */
  maxRequestsPerMessageSet?: number;
  /** Characters of qbXML per message set. */
  maxMessageSetLength?: number;
  /** A session that stops calling for this long is over (its Web Connector vanished). Default 10 minutes. */
  sessionIdleMs?: number;
  /** Records per page of a query that pages through an iterator. Default 100. */
  queryPageSize?: number;
  /** What serverVersion answers. */
  version?: string;
}

const DEFAULT_MAX_REQUESTS = 25;
const DEFAULT_MAX_LENGTH = 2_000_000;
const NO_OP = 'NoOp';
/** Query messages that accept iterator="Start" (qbxmlops130.xsd); AccountQuery, PaymentMethodQuery… do not. */
const ITERABLE_QUERIES =
  /^(Customer|Vendor|Item\w*|SalesReceipt|Invoice|ReceivePayment|SalesOrder|CreditMemo|JournalEntry|Deposit|PurchaseOrder|ItemReceipt|Bill|InventoryAdjustment|Transaction)Query$/;
const DEFAULT_PAGE_SIZE = 100;
/** A hash nobody's token matches: an unknown user name costs the same time as a wrong password. */
const DECOY_HASH = hashAppToken(randomBytes(16).toString('hex'));

interface FollowUp {
  entryId: number;
  query: FollowUpQuery;
}

/** The pages of a query read so far in this session. */
interface CollectedPages {
  rets: Record<string, unknown>[];
  retNames: string[];
}

/** A request as it goes into a message set, with what to do with its answer. */
type Outgoing =
  | { role: 'entry'; entry: OutboxEntry; request: QbxmlRequest }
  | { role: 'follow-up'; entry: OutboxEntry; followUp: FollowUp; request: QbxmlRequest };

export function createDeliveryBackend(options: DeliveryBackendOptions): WebConnectorBackend {
  const storage = options.storage;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const maxRequests = options.maxRequestsPerMessageSet ?? DEFAULT_MAX_REQUESTS;
  const maxLength = options.maxMessageSetLength ?? DEFAULT_MAX_LENGTH;
  const idleMs = options.sessionIdleMs ?? SESSION_IDLE_MS;
  const pageSize = options.queryPageSize ?? DEFAULT_PAGE_SIZE;
  const preparing = async (companyFileId: string) => (await options.isPreparingWork?.(companyFileId)) ?? false;

  async function audit(file: { id: string; shopId: string }, action: string, details: Record<string, unknown>) {
    await appendAudit(
      storage,
      { shopId: file.shopId, companyFileId: file.id, actor: 'web-connector', action, details },
      clock(),
    );
  }

  async function sessionOf(ticket: string): Promise<WebConnectorSession | null> {
    return findOpenSession(storage, ticket, clock(), idleMs);
  }

  // -------------------------------------------------------------------------------------------------------------
  // authenticate

  async function authenticate(userName: string, password: string): Promise<AuthenticateAnswer> {
    const now = clock();
    const refused: AuthenticateAnswer = { ticket: '', result: 'nvu' };
    const file = await getCompanyFileByUserName(storage, userName);
    if (!file) {
      await verifyAppToken(password, await DECOY_HASH);
      logger.warn('authenticate: unknown Web Connector user', { userName });
      return refused;
    }
    if (isLockedOut(file, now)) {
      logger.warn('authenticate: company file locked out after repeated wrong passwords', { companyFileId: file.id });
      return refused;
    }
    if (!(await verifyAppToken(password, file.appTokenHash))) {
      const locked = await recordLoginFailure(storage, file.id, now);
      logger.warn('authenticate: wrong app token', { companyFileId: file.id, locked });
      if (locked) await audit(file, 'web-connector.locked-out', { minutes: 15 });
      return refused;
    }
    await clearLoginFailures(storage, file.id);
    await recordSuccessfulLogin(storage, file.id, now);
    await retireIdleSessions(file.id, now);

    // Another live session holds this company file (a second Web Connector on the same .qwc): try again later.
    const live = await storage.db
      .selectFrom('qbwc_sessions')
      .select('id')
      .where('company_file_id', '=', file.id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    if (live) return { ticket: randomBytes(16).toString('base64url'), result: 'busy' };

    const work = (await hasWork(storage, file.id, now)) || (await hasFollowUps(file.id));
    if (!work && !(await preparing(file.id))) {
      // QuickBooks is never opened for nothing. The ticket is a throwaway: closeConnection answers it politely.
      return { ticket: randomBytes(16).toString('base64url'), result: 'none' };
    }
    const counts = await progress(storage, file.id);
    const opened = await openSession(storage, {
      companyFileId: file.id,
      workAtStart: counts.remaining,
      now,
      idleMs,
    });
    if (!opened.ok) return { ticket: randomBytes(16).toString('base64url'), result: 'busy' };
    logger.info('Web Connector session opened', { companyFileId: file.id, sessionId: opened.session.id });
    return { ticket: opened.ticket, result: '' };
  }

  /** Sessions of this company file whose Web Connector stopped calling: their work goes back to the outbox. */
  async function retireIdleSessions(companyFileId: string, now: Date): Promise<void> {
    const stale = await storage.db
      .selectFrom('qbwc_sessions')
      .select('id')
      .where('company_file_id', '=', companyFileId)
      .where('state', '=', 'open')
      .where('expires_at', '<=', now.toISOString())
      .execute();
    for (const { id } of stale) {
      await releaseSession(storage, id, now);
      await closeSession(storage, id, 'The Web Connector stopped calling; the session expired.', now);
      await storage.db.updateTable('qbwc_sessions').set({ state: 'expired' }).where('id', '=', id).execute();
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // sendRequestXML

  async function sendRequestXML(input: SendRequestInput): Promise<string> {
    const session = await sessionOf(input.ticket);
    if (!session) return '';
    const now = clock();
    const file = await getCompanyFile(storage, session.companyFileId);
    if (!file) return refuse(session, 'The connection to this QuickBooks company file was removed from the connector.');

    if (!session.companyChecked) {
      const problem = await checkCompany(session, file, input);
      if (problem !== null) return refuse(session, problem);
    }

    const outstanding = await outstandingSet(session);
    if (outstanding) {
      // sendRequestXML again without the response to what we sent: that response is lost.
      await loseMessageSet(outstanding, now);
    }

    const recovery = await recoveryDocument(session, file, now);
    if (recovery !== null) return recovery;

    const document = await nextDocument(session, file, now);
    if (document !== null) return document;

    if (await preparing(file.id)) {
      await updateSession(storage, session.id, { lastError: NO_OP });
      return NO_OP;
    }
    return refuse(session, 'Everything is already in QuickBooks; there was nothing left to send.');
  }

  async function refuse(session: WebConnectorSession, message: string): Promise<string> {
    await updateSession(storage, session.id, { lastError: message });
    return '';
  }

  /** The first sendRequestXML of a session: is QuickBooks showing the company file this shop is bound to? */
  async function checkCompany(
    session: WebConnectorSession,
    file: CompanyFile,
    input: SendRequestInput,
  ): Promise<string | null> {
    const now = clock();
    const opened = readOpenedCompany(input.hcpResponse, file.ownerId);
    if (!opened.ok) return opened.error.merchantMessage;
    const check = checkOpenedCompany(file, opened.value, input.companyFileName);
    if (check.action === 'refuse') {
      logger.warn('sendRequestXML: wrong company file', { companyFileId: file.id, detail: check.error.message });
      await audit(file, 'web-connector.wrong-company-file', {
        opened: opened.value.companyName,
        path: input.companyFileName,
      });
      return check.error.merchantMessage;
    }
    if (check.action === 'bind') {
      await bindCompany(
        storage,
        file.id,
        { companyName: opened.value.companyName, edition: opened.value.productName, version: opened.value.version },
        now,
      );
      await audit(file, 'web-connector.company-bound', {
        companyName: opened.value.companyName,
        edition: opened.value.productName,
        version: opened.value.version,
      });
    }
    for (const response of opened.value.responses) {
      if (response.statusCode < 1000 && response.rets.length > 0) {
        await writeSnapshotPart(
          storage,
          file.id,
          response.type,
          { rets: response.rets, retNames: response.retNames },
          now,
        );
      }
    }
    await updateSession(storage, session.id, { companyChecked: true });
    return null;
  }

  async function outstandingSet(session: WebConnectorSession): Promise<MessageSet | null> {
    const row = await storage.db
      .selectFrom('qbwc_sessions')
      .select('outstanding_message_set_id')
      .where('id', '=', session.id)
      .executeTakeFirst();
    const id = row?.outstanding_message_set_id ?? null;
    return id === null ? null : getMessageSet(storage, id);
  }

  /** The set this session now waits on; also the last one QuickBooks received for the company file. */
  async function setOutstanding(sessionId: string, messageSetId: string | null, companyFileId?: string): Promise<void> {
    await storage.db
      .updateTable('qbwc_sessions')
      .set({ outstanding_message_set_id: messageSetId })
      .where('id', '=', sessionId)
      .execute();
    if (messageSetId === null || companyFileId === undefined) return;
    const row = { company_file_id: companyFileId, message_set_id: messageSetId, sent_at: clock().toISOString() };
    await storage.db
      .insertInto('qbwc_last_message_sets')
      .values(row)
      .onConflict((c) =>
        c.column('company_file_id').doUpdateSet({ message_set_id: row.message_set_id, sent_at: row.sent_at }),
      )
      .execute();
  }

  async function loseMessageSet(set: MessageSet, now: Date): Promise<void> {
    const sentIds: number[] = [];
    for (const item of set.entries) {
      const entry = await getEntry(storage, item.entryId);
      if (entry?.state === 'sent') sentIds.push(entry.id);
    }
    if (sentIds.length > 0) await markUnknown(storage, sentIds, now);
    if (set.state === 'sent') await moveMessageSet(storage, set.id, 'sent', 'lost', { now });
    await storage.db
      .updateTable('qbwc_sessions')
      .set({ outstanding_message_set_id: null })
      .where('outstanding_message_set_id', '=', set.id)
      .execute();
  }

  /**
   * Settles message sets whose response never came back. The last one the company file received is asked again with
   * oldMessageSetID (QuickBooks returns its stored response, or runs it if it never arrived); older ones are
   * abandoned and each of their entries looked up by identity.
   */
  async function recoveryDocument(session: WebConnectorSession, file: CompanyFile, now: Date): Promise<string | null> {
    const unanswered = await listUnansweredMessageSets(storage, file.id);
    if (unanswered.length === 0) return null;
    const latest = await storage.db
      .selectFrom('qbwc_last_message_sets')
      .select('message_set_id as id')
      .where('company_file_id', '=', file.id)
      .executeTakeFirst();
    for (const set of unanswered) {
      if (set.state === 'sent') {
        // Only a session that is over leaves a set 'sent' here: its entries' response is lost.
        const owner = await storage.db
          .selectFrom('qbwc_sessions')
          .select('state')
          .where('id', '=', set.sessionId)
          .executeTakeFirst();
        if (owner?.state === 'open' && set.sessionId !== session.id) continue;
        await loseMessageSet(set, now);
        set.state = 'lost';
      }
      const onlyQueries = set.entries.every((item) => item.requestId.startsWith('F')) || (await allQueries(set));
      if (set.id === latest?.id && set.requestXml !== null && !onlyQueries) {
        await setOutstanding(session.id, set.id, file.id);
        await updateSession(storage, session.id, { addMessageSets: 1 });
        logger.info('re-sending a message set whose response was lost, with oldMessageSetID', { messageSetId: set.id });
        return withOldMessageSetId(set.requestXml, set.id);
      }
      await moveMessageSet(storage, set.id, 'lost', 'abandoned', { now });
      for (const item of set.entries) {
        const entry = await getEntry(storage, item.entryId);
        if (entry?.state !== 'unknown') continue;
        await lookUpIdentity(entry, now);
      }
    }
    return null;
  }

  /** Queries change nothing in QuickBooks: a lost set of them is simply run again (an iterator cannot resume). */
  async function allQueries(set: MessageSet): Promise<boolean> {
    for (const item of set.entries) {
      const entry = await getEntry(storage, item.entryId);
      if (entry && !entry.request.type.endsWith('Query')) return false;
    }
    return true;
  }

  /** An unknown entry: a query needs no settling (run it again); an add is looked for in QuickBooks first. */
  async function lookUpIdentity(entry: OutboxEntry, now: Date): Promise<void> {
    const request = deliveryRequest(entry);
    const query = request.type.endsWith('Add') ? identityQueryFor(request) : null;
    if (query === null) {
      await markNotApplied(storage, entry.id, now);
      await storage.db.deleteFrom('qbwc_iterators').where('entry_id', '=', entry.id).execute();
      return;
    }
    await saveFollowUp(entry, query, now);
  }

  async function saveFollowUp(entry: OutboxEntry, query: FollowUpQuery, now: Date): Promise<void> {
    const row = {
      entry_id: entry.id,
      company_file_id: entry.companyFileId,
      purpose: query.purpose,
      query_type: query.type,
      query_body: toDbJson(query.body),
      created_at: now.toISOString(),
    };
    await storage.db
      .insertInto('delivery_follow_ups')
      .values(row)
      .onConflict((c) =>
        c
          .column('entry_id')
          .doUpdateSet({ purpose: row.purpose, query_type: row.query_type, query_body: row.query_body }),
      )
      .execute();
  }

  async function hasFollowUps(companyFileId: string): Promise<boolean> {
    const row = await storage.db
      .selectFrom('delivery_follow_ups')
      .select('entry_id')
      .where('company_file_id', '=', companyFileId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Follow-up queries, continued iterators and newly leased entries, batched into one message set. */
  async function nextDocument(session: WebConnectorSession, file: CompanyFile, now: Date): Promise<string | null> {
    const outgoing: Outgoing[] = [];
    let length = 0;
    const room = () => outgoing.length < maxRequests && length < maxLength;

    const followUps = await storage.db
      .selectFrom('delivery_follow_ups')
      .selectAll()
      .where('company_file_id', '=', file.id)
      .orderBy('entry_id')
      .limit(maxRequests)
      .execute();
    for (const row of followUps) {
      const entry = await getEntry(storage, row.entry_id);
      if (!entry || (entry.state !== 'sent' && entry.state !== 'unknown')) {
        await storage.db.deleteFrom('delivery_follow_ups').where('entry_id', '=', row.entry_id).execute();
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

    const iterators = await storage.db
      .selectFrom('qbwc_iterators')
      .selectAll()
      .where('session_id', '=', session.id)
      .execute();
    for (const row of iterators) {
      if (!room()) break;
      const entry = await getEntry(storage, row.entry_id);
      if (entry?.state !== 'sent') continue;
      outgoing.push({
        role: 'entry',
        entry,
        request: outgoingRequest(entry, pageSize, { iterator: 'Continue', iteratorID: row.iterator_id }),
      });
    }

    // Entries this session leased earlier but had no room for come first, then new ones.
    const held = await storage.db
      .selectFrom('outbox_entries')
      .select('id')
      .where('company_file_id', '=', file.id)
      .where('state', '=', 'leased')
      .where('lease_session_id', '=', session.id)
      .orderBy('priority', 'desc')
      .orderBy('id')
      .execute();
    const leased: OutboxEntry[] = [];
    for (const { id } of held) {
      const entry = await getEntry(storage, id);
      if (entry) leased.push(entry);
    }
    if (room() && leased.length < maxRequests) {
      leased.push(...(await lease(storage, file.id, session.id, { limit: maxRequests - leased.length, now })));
    }
    const fresh: OutboxEntry[] = [];
    const refused: { entry: OutboxEntry; error: ConnectorError }[] = [];
    for (const leasedEntry of leased) {
      const entry = await withTxnIds(session, leasedEntry);
      if (entry === null) continue;
      const request = outgoingRequest(
        entry,
        pageSize,
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
    if (refused.length > 0) await refuseBeforeSending(session, file, refused, now);
    if (outgoing.length === 0) {
      return null;
    }

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
      const sent = await markSent(storage, {
        companyFileId: file.id,
        sessionId: session.id,
        messageSetId,
        requestXml: xml,
        entries: records.filter((r) => freshIds.has(r.entryId)),
        now,
      });
      if (!sent.ok) {
        logger.warn('sendRequestXML: lease lost before sending', { sessionId: session.id });
        return nextDocument(session, file, now);
      }
      const others = records.filter((r) => !freshIds.has(r.entryId));
      if (others.length > 0) {
        await storage.db
          .insertInto('message_set_entries')
          .values(others.map((r) => ({ message_set_id: messageSetId, entry_id: r.entryId, request_id: r.requestId })))
          .execute();
      }
    } else {
      await createMessageSet(
        storage,
        { id: messageSetId, companyFileId: file.id, sessionId: session.id, requestXml: xml, entries: records },
        now,
      );
    }
    await setOutstanding(session.id, messageSetId, file.id);
    await updateSession(storage, session.id, { addMessageSets: 1, lastError: null });
    return xml;
  }

  /**
   * The entry with each `{ $txnIdOf: key }` in its body replaced by that entry's TxnID (a receipt's purchase order,
   * an invoice's sales order). The outbox leases nothing before its dependencies are applied, so a reference that
   * does not resolve is a bug: the entry is not sent and fails with the reason; null.
   */
  async function withTxnIds(session: WebConnectorSession, entry: OutboxEntry): Promise<OutboxEntry | null> {
    const keys = referencedKeys(entry.request.body);
    if (keys.length === 0) return entry;
    const ids = new Map<string, string>();
    for (const key of keys) {
      const target = await getEntryByKey(storage, entry.companyFileId, key);
      if (target?.state === 'applied' && target.quickbooksId) ids.set(key, target.quickbooksId);
    }
    const resolved = resolveTxnIdReferences(entry.request.body, (key) => ids.get(key), {
      key: entry.key,
      type: entry.request.type,
    });
    if (resolved.ok) return { ...entry, request: { ...entry.request, body: resolved.value } };
    logger.error('sendRequestXML: a TxnID reference does not resolve', { entryId: entry.id, error: resolved.error });
    await recordFailure(storage, entry.id, resolved.error, { now: clock() });
    await updateSession(storage, session.id, { addFailed: 1 });
    return null;
  }

  /** Requests the qbXML layer refuses to write (a value QuickBooks would reject): recorded as failed, never sent. */
  async function refuseBeforeSending(
    session: WebConnectorSession,
    file: CompanyFile,
    refused: { entry: OutboxEntry; error: ConnectorError }[],
    now: Date,
  ): Promise<void> {
    const sent = await markSent(storage, {
      companyFileId: file.id,
      sessionId: session.id,
      requestXml: null,
      entries: refused.map((r) => ({ entryId: r.entry.id, requestId: String(r.entry.id) })),
      now,
    });
    if (!sent.ok) return;
    await moveMessageSet(storage, sent.value.id, 'sent', 'answered', { responseXml: '', now });
    for (const { entry, error } of refused) {
      await recordFailure(storage, entry.id, asMerchantError(error, entry), { now });
      await updateSession(storage, session.id, { addFailed: 1 });
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // receiveResponseXML

  async function receiveResponseXML(input: ReceiveResponseInput): Promise<number> {
    const session = await sessionOf(input.ticket);
    if (!session) return -1;
    const now = clock();
    const set = await outstandingSet(session);
    if (!set) {
      await updateSession(storage, session.id, {
        lastError: 'QuickBooks answered a request the connector was not waiting for; nothing was recorded.',
      });
      return -1;
    }
    if (input.hresult !== '' || input.response.trim() === '') {
      return quickBooksThrew(session, set, input, now);
    }
    const parsed = parseResponseDocument(input.response);
    if (!parsed.ok) {
      // We cannot tell what QuickBooks did: the set is settled later by error recovery, never re-sent blindly.
      await loseMessageSet(set, now);
      await updateSession(storage, session.id, { lastError: parsed.error.merchantMessage });
      return -2;
    }
    const byRequestId = new Map<string, QbxmlResponse>();
    for (const response of parsed.value.responses) {
      if (response.requestID !== null) byRequestId.set(response.requestID, response);
    }
    const target: 'answered' | 'recovered' = set.state === 'lost' ? 'recovered' : 'answered';
    const moved = await moveMessageSet(storage, set.id, set.state, target, { responseXml: input.response, now });
    if (!moved) {
      await updateSession(storage, session.id, {
        lastError: 'Another connection already recorded this answer from QuickBooks; nothing was recorded twice.',
      });
      return -1;
    }
    await setOutstanding(session.id, null);

    for (const item of set.entries) {
      const entry = await getEntry(storage, item.entryId);
      if (!entry) continue;
      const response = byRequestId.get(item.requestId);
      if (!response) {
        // continueOnError answers every request; a missing one was not run.
        if (entry.state === 'sent') await markUnknown(storage, [entry.id], now);
        continue;
      }
      try {
        if (item.requestId.startsWith('F')) await applyFollowUp(session, entry, response, now);
        else await applyResponse(session, entry, response, now);
      } catch (error) {
        logger.error('applying a QuickBooks response failed', { entryId: entry.id, error: toConnectorError(error) });
        throw error;
      }
    }
    return percentDone(session);
  }

  /**
   * QuickBooks' request processor raised an HRESULT instead of answering. 0x80040400 (it could not parse the
   * document) means nothing in it ran. Any other HRESULT may come after QuickBooks applied the set (the response was
   * lost on its way back), so the set is treated as lost and settled by error recovery — at once, in this session.
   */
  async function quickBooksThrew(
    session: WebConnectorSession,
    set: MessageSet,
    input: ReceiveResponseInput,
    now: Date,
  ): Promise<number> {
    const error = hresultError(input.hresult || '0x80040402', input.message);
    if (input.hresult.toLowerCase() !== '0x80040400') {
      const secondTime = set.state === 'lost';
      await loseMessageSet(set, now);
      if (secondTime) {
        await updateSession(storage, session.id, { lastError: error.merchantMessage });
        return -3;
      }
      return percentDone(session);
    }
    const refusedSet = new ConnectorError({
      code: 'QB_REQUEST_REFUSED',
      message: `QuickBooks could not parse message set ${set.id}: ${input.message}`,
      merchantMessage: `QuickBooks could not read what the connector sent (${input.message}). Nothing was recorded; the documents involved are listed in the connector for support.`,
      hresult: input.hresult,
    });
    await moveMessageSet(storage, set.id, set.state, set.state === 'lost' ? 'recovered' : 'answered', {
      responseXml: '',
      now,
    });
    await setOutstanding(session.id, null);
    for (const item of set.entries) {
      const entry = await getEntry(storage, item.entryId);
      if (entry?.state === 'sent' || entry?.state === 'unknown') {
        await recordFailure(storage, entry.id, refusedSet, { now });
        await updateSession(storage, session.id, { addFailed: 1 });
      }
    }
    await updateSession(storage, session.id, { lastError: refusedSet.merchantMessage });
    return -3;
  }

  /** decide() is pure; for a 3140 the one fact it needs (is the missing name one we add?) is looked up first. */
  async function applyResponse(session: WebConnectorSession, entry: OutboxEntry, response: QbxmlResponse, now: Date) {
    if (entry.state !== 'sent' && entry.state !== 'unknown') return;
    const request = deliveryRequest(entry);
    const missing = response.statusCode === 3140 ? missingReferenceName(response.statusMessage) : null;
    const owned = missing !== null && (await ownsName(entry.companyFileId, missing));
    const decision = decide(response, request, (name) => owned && name.toLowerCase() === missing?.toLowerCase());
    await carryOut(session, entry, request, decision, now);
  }

  async function applyFollowUp(session: WebConnectorSession, entry: OutboxEntry, response: QbxmlResponse, now: Date) {
    const row = await storage.db
      .selectFrom('delivery_follow_ups')
      .selectAll()
      .where('entry_id', '=', entry.id)
      .executeTakeFirst();
    if (!row) return;
    await storage.db.deleteFrom('delivery_follow_ups').where('entry_id', '=', entry.id).execute();
    const query: FollowUpQuery = {
      purpose: row.purpose as FollowUpQuery['purpose'],
      type: row.query_type,
      body: fromDbJson(row.query_body),
    };
    const request = deliveryRequest(entry);
    const decision = resolveFollowUp(query, response, request);
    if (query.purpose === 'identity' && decision.action === 'resend') {
      // QuickBooks confirms the add never happened: it may go again, as it was.
      await markNotApplied(storage, entry.id, now);
      return;
    }
    await carryOut(session, entry, request, decision, now);
  }

  async function carryOut(
    session: WebConnectorSession,
    entry: OutboxEntry,
    request: DeliveryRequest,
    decision: Decision,
    now: Date,
  ): Promise<void> {
    switch (decision.action) {
      case 'applied': {
        if (decision.quickbooksId !== '') {
          await recordMapping(
            storage,
            {
              companyFileId: entry.companyFileId,
              sourceKind: entry.source?.kind ?? entry.kind,
              sourceId: entry.source?.id ?? entry.key,
              quickbooksKind: isListType(request.type) ? 'list' : 'transaction',
              quickbooksId: decision.quickbooksId,
              editSequence: decision.editSequence,
              name: decision.name,
            },
            now,
          );
        }
        await markApplied(storage, entry.id, { quickbooksId: decision.quickbooksId || null, now });
        await updateSession(storage, session.id, { addApplied: 1 });
        return;
      }
      case 'query-answered': {
        const state = await storage.db
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
          await storage.db
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
        await storage.db.deleteFrom('qbwc_iterators').where('entry_id', '=', entry.id).execute();
        await writeSnapshotPart(storage, entry.companyFileId, request.type, collected, now);
        await markApplied(storage, entry.id, { quickbooksId: null, now });
        await updateSession(storage, session.id, { addApplied: 1 });
        return;
      }
      case 'follow-up':
        await saveFollowUp(entry, decision.query, now);
        return;
      case 'resend':
        await recordFailure(
          storage,
          entry.id,
          new ConnectorError({
            code: 'QB_RESEND',
            message: `${request.type} for ${entry.key} goes again with a corrected request`,
            retryable: true,
          }),
          { now, retryAfterMs: 0, request: { type: request.type, body: decision.body } },
        );
        return;
      case 'retry-later':
      case 'wait-for-reference':
        await recordFailure(storage, entry.id, decision.error, { now });
        await updateSession(storage, session.id, { addFailed: 1 });
        return;
      case 'needs-attention':
        await recordFailure(storage, entry.id, decision.error, { now });
        await updateSession(storage, session.id, { addFailed: 1 });
        return;
    }
  }

  /** Whether the connector itself plans a record of this name (a 3140 it will fix by itself). */
  async function ownsName(companyFileId: string, name: string): Promise<boolean> {
    const rows = await storage.db
      .selectFrom('outbox_entries')
      .select(['request_type', 'request_body'])
      .where('company_file_id', '=', companyFileId)
      .where('state', 'not in', ['cancelled', 'needs_attention', 'failed'])
      .where('request_type', 'like', '%Add')
      .execute();
    const wanted = name.toLowerCase();
    return rows.some((row) => {
      const body = fromDbJson<Record<string, unknown>>(row.request_body);
      const inner = (body[row.request_type] as Record<string, unknown> | undefined) ?? body;
      return typeof inner.Name === 'string' && inner.Name.toLowerCase() === wanted;
    });
  }
  async function percentDone(session: WebConnectorSession): Promise<number> {
    const now = clock();
    const fresh = await sessionRow(session.id);
    const more = (await hasWork(storage, session.companyFileId, now)) || (await hasFollowUps(session.companyFileId));
    const inSession = await storage.db
      .selectFrom('qbwc_iterators')
      .select('entry_id')
      .where('session_id', '=', session.id)
      .limit(1)
      .executeTakeFirst();
    if (!more && !inSession && !(await preparing(session.companyFileId))) return 100;
    const counts = await progress(storage, session.companyFileId);
    const done = (fresh?.entries_applied ?? 0) + (fresh?.entries_failed ?? 0);
    const left = counts.byState.pending + counts.byState.leased + counts.byState.sent + counts.byState.unknown;
    const total = done + left;
    return total === 0 ? 99 : Math.min(99, Math.floor((done * 100) / total));
  }

  async function sessionRow(id: string) {
    return storage.db.selectFrom('qbwc_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  // -------------------------------------------------------------------------------------------------------------
  // the rest of the protocol

  async function endSession(session: WebConnectorSession, reason: string): Promise<WebConnectorSession | null> {
    const now = clock();
    const outstanding = await outstandingSet(session);
    if (outstanding) await loseMessageSet(outstanding, now);
    await releaseSession(storage, session.id, now);
    await storage.db.deleteFrom('qbwc_iterators').where('session_id', '=', session.id).execute();
    return closeSession(storage, session.id, reason, now);
  }

  async function connectionError(input: ConnectionErrorInput): Promise<string> {
    const session = await sessionOf(input.ticket);
    if (!session) return 'done';
    const reason = `QuickBooks could not open the company file (${input.hresult}: ${input.message}).`;
    await updateSession(storage, session.id, {
      lastError: `${reason} Make sure QuickBooks is installed, the company file exists, and this application is allowed to access it (QuickBooks: Edit > Preferences > Integrated Applications), then run the Web Connector again.`,
    });
    const ended = await endSession(session, reason);
    const file = await getCompanyFile(storage, session.companyFileId);
    if (file && ended)
      await audit(file, 'web-connector.connection-error', { hresult: input.hresult, message: input.message });
    return 'done';
  }

  async function getLastError(ticket: string): Promise<string> {
    const session = await findSessionByTicket(storage, ticket);
    if (!session) {
      return 'This Web Connector session is over or unknown. Run the Web Connector again to continue; nothing was posted twice.';
    }
    return session.lastError ?? 'No error was recorded for this session.';
  }

  async function closeConnection(ticket: string): Promise<string> {
    const session = await findSessionByTicket(storage, ticket);
    if (!session) return 'OK';
    const ended = session.state === 'open' ? await endSession(session, 'closeConnection') : session;
    const summary = ended ?? session;
    const file = await getCompanyFile(storage, session.companyFileId);
    if (file && session.state === 'open') {
      await audit(file, 'web-connector.session-closed', {
        sessionId: session.id,
        applied: summary.entriesApplied,
        failed: summary.entriesFailed,
        messageSets: summary.messageSetsSent,
      });
    }
    const parts = [`${summary.entriesApplied} recorded in QuickBooks`];
    if (summary.entriesFailed > 0) parts.push(`${summary.entriesFailed} need a look in the connector`);
    return `Complete: ${parts.join(', ')}.`;
  }

  async function methodFailed(failure: MethodFailure): Promise<void> {
    const session = await findSessionByTicket(storage, failure.ticket);
    if (!session) return;
    const error = toConnectorError(failure.error);
    await updateSession(storage, session.id, { lastError: error.merchantMessage });
  }

  return {
    serverVersion: () => options.version ?? 'qbd-connector',
    clientVersion: () => '',
    authenticate,
    sendRequestXML,
    receiveResponseXML,
    connectionError,
    getLastError,
    closeConnection,
    methodFailed,
  };
}

function isListType(type: string): boolean {
  return /^(Customer|Vendor|Account|Class|PaymentMethod|Item\w*)(Add|Mod)$/.test(type);
}

/** The Rq content: `{ CustomerAdd: {...} }` for adds and mods (planners may give the inner record alone). */
function rqContent(type: string, body: Record<string, unknown>): Record<string, unknown> {
  if (/(Add|Mod)$/.test(type) && (typeof body[type] !== 'object' || body[type] === null)) return { [type]: body };
  return body;
}

function deliveryRequest(entry: OutboxEntry): DeliveryRequest {
  return {
    key: entry.key,
    type: entry.request.type,
    body: rqContent(entry.request.type, entry.request.body),
    attempts: Math.max(1, entry.attempts),
  };
}

function iterable(entry: OutboxEntry): boolean {
  const body = entry.request.body;
  return !['ListID', 'FullName', 'TxnID', 'RefNumber', 'MaxReturned'].some((k) => k in body);
}

function outgoingRequest(
  entry: OutboxEntry,
  pageSize: number,
  attributes?: { iterator: 'Start' | 'Continue'; iteratorID?: string },
): QbxmlRequest {
  let body = rqContent(entry.request.type, entry.request.body);
  if (attributes) body = { ...body, MaxReturned: pageSize };
  return {
    type: entry.request.type,
    requestID: String(entry.id),
    body,
    ...(attributes ? { attributes } : {}),
  } as QbxmlRequest;
}

function asMerchantError(error: ConnectorError, entry: OutboxEntry): ConnectorError {
  return new ConnectorError({
    code: error.code,
    message: `${entry.request.type} for ${entry.key} cannot be written as qbXML: ${error.message}`,
    merchantMessage: error.merchantMessage,
    merchantMustAct: error.merchantMustAct,
    retryable: false,
    details: { ...error.details, key: entry.key },
  });
}

/** The same document, asking QuickBooks for the stored outcome of `id` (and storing it again under `id`). */
function withOldMessageSetId(xml: string, id: string): string {
  return xml.replace(/<QBXMLMsgsRq\b/, `<QBXMLMsgsRq oldMessageSetID="${id}"`);
}

export const DEFAULT_SESSION_IDLE_MS = SESSION_IDLE_MS;
