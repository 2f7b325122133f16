/**
 * What needs attention, for one shop: the single answer the status command, the JSON API and the admin app show.
 * "Nothing needs your attention" must be true, so everything that keeps work from reaching QuickBooks — or leaves
 * its outcome unproven — is an item: documents QuickBooks refused or could not be confirmed by it, documents stuck
 * on their way, a sync that failed or stopped, a Web Connector lockout, a session that ended with a problem, and
 * work the Web Connector has not come for.
 */

import { listHandEntries, listSyncRuns, noteSubject, type SyncRun } from '../integration/index.ts';
import { listAppliedWithoutId, listBlocked, listEntries, type OutboxEntry, readySince } from '../outbox/index.ts';
import { findOpenSessionOfCompanyFile, SESSION_TAKEOVER_MS, sessionsWithProblems } from '../qbwc/session/index.ts';
import { getCompanyFile, isLockedOut, type Queryable } from '../storage/index.ts';
import { ENTERED_BY_HAND_CODES, HELD_BACK_ORDER_CODES, heldBackWhatToDo } from '../transform/index.ts';

export type AttentionType = 'document' | 'sync' | 'connection';

export interface AttentionItem {
  /** An outbox entry's id (a number) for documents; `sync-run:<id>`, `web-connector:locked-out`, `web-connector:absent`, `web-connector-session:<id>` for the others. */
  id: number | string;
  type: AttentionType;
  /** What it is about: the document's kind (`customer`, `sales-receipt`…), `sync`, `web-connector`. */
  what: string;
  /** The document's key, the sync run's id, the company file's Web Connector user name. */
  key: string;
  /** The state behind it (an outbox state, a sync run state, `locked-out`, …). */
  state: string;
  /** What is wrong, in plain words. */
  reason: string;
  /** What to do about it, in plain words. */
  whatToDo: string;
  code: string | null;
  quickbooksStatusCode: number | null;
  /** Since when (ISO-8601). */
  since: string;
  /** Whether `retryAttention` (POST …/attention/:id/retry, `status retry`) applies. */
  retryable: boolean;
  /**
   * Whether `markEnteredInQuickBooks` (POST …/attention/:id/entered-in-quickbooks, `status entered-in-quickbooks`)
   * applies: the connector cannot post it, the merchant enters it in QuickBooks by hand and says so.
   */
  enterableByHand: boolean;
}

export interface AttentionOptions {
  shopId: string;
  /** The shop's company file; null before the Web Connector is paired (then only sync items can exist). */
  companyFileId: string | null;
  now: Date;
}

/**
 * Ready work the Web Connector has not come for in this long (and has not connected since) is an item: its
 * Auto-Run is off, the PC is off, or the application was removed from it.
 */
export const WEB_CONNECTOR_ABSENT_MS = 24 * 3_600_000;

/** Every item for the shop, documents first (oldest first), then syncs and the connection. */
export async function listAttention(q: Queryable, options: AttentionOptions): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  if (options.companyFileId !== null) {
    items.push(...(await documentItems(q, options.companyFileId, options.now)));
  }
  items.push(...(await syncItems(q, options.shopId, options.now)));
  if (options.companyFileId !== null) {
    items.push(...(await connectionItems(q, options.companyFileId, options.now)));
  }
  return items;
}

const RETRY_AFTER_FIX =
  'Fix the cause (in QuickBooks, or in the connector’s account mapping), then retry it: it goes to QuickBooks at the next Web Connector session.';

function documentItem(entry: OutboxEntry, fields: Pick<AttentionItem, 'reason' | 'whatToDo' | 'retryable'>) {
  return {
    id: entry.id,
    type: 'document' as const,
    what: entry.kind,
    key: entry.key,
    state: entry.state,
    code: entry.lastError?.code ?? null,
    quickbooksStatusCode: entry.lastError?.qbStatusCode ?? null,
    since: entry.updatedAt.toISOString(),
    enterableByHand: false,
    ...fields,
  };
}

async function documentItems(q: Queryable, companyFileId: string, now: Date): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  const troubled = await listEntries(q, companyFileId, { states: ['needs_attention', 'failed', 'unknown'] });
  for (const entry of troubled) {
    if (entry.state === 'unknown') {
      items.push(
        documentItem(entry, {
          reason:
            'Sent to QuickBooks, but QuickBooks’ answer never reached the connector, so it is not yet confirmed that it was recorded.',
          whatToDo:
            'Run the Web Connector (Update Selected): the connector asks QuickBooks whether it is there and records it once — it never posts it twice.',
          retryable: false,
        }),
      );
      continue;
    }
    const error = entry.lastError;
    items.push(
      documentItem(entry, {
        reason: error?.merchantMessage ?? 'QuickBooks did not accept this document.',
        whatToDo:
          entry.state === 'needs_attention'
            ? RETRY_AFTER_FIX
            : `Retry it; if it fails again, contact support with the code${error?.code ? ` ${error.code}` : ''}.`,
        retryable: true,
      }),
    );
  }

  // Documents on their way whose session stopped: nobody will bring QuickBooks' answer back for them.
  const session = await findOpenSessionOfCompanyFile(q, companyFileId);
  const liveSession =
    session?.state === 'open' && now.getTime() - session.lastSeenAt.getTime() < SESSION_TAKEOVER_MS ? session.id : null;
  for (const entry of await listEntries(q, companyFileId, { states: ['leased', 'sent'] })) {
    if (entry.lease && entry.lease.sessionId === liveSession && entry.lease.expiresAt > now) continue;
    items.push(
      documentItem(entry, {
        reason:
          entry.state === 'sent'
            ? 'Sent to QuickBooks by a Web Connector session that stopped before QuickBooks’ answer came back.'
            : 'Taken for a Web Connector session that stopped before sending it.',
        whatToDo:
          'Run the Web Connector again (Update Selected): the connector finds out from QuickBooks whether it arrived and never posts it twice.',
        retryable: false,
      }),
    );
  }

  // A cancelled document others need: they wait for it for ever.
  const blocked = await listBlocked(q, companyFileId);
  const cancelledRoots = new Map<string, number>();
  for (const b of blocked) {
    if (b.blockedBy.rootState === 'cancelled') {
      cancelledRoots.set(b.blockedBy.rootKey, (cancelledRoots.get(b.blockedBy.rootKey) ?? 0) + 1);
    }
  }
  if (cancelledRoots.size > 0) {
    for (const entry of await listEntries(q, companyFileId, { states: ['cancelled'] })) {
      const waiting = cancelledRoots.get(entry.key);
      if (waiting === undefined) continue;
      items.push(
        documentItem(entry, {
          reason: `This document was cancelled, and ${waiting} other document(s) need it in QuickBooks first, so they cannot be sent.`,
          whatToDo: 'Retry it to send it after all, or cancel the documents that need it.',
          retryable: true,
        }),
      );
    }
  }

  // "OK" with no ListID/TxnID, recorded as applied by an older version: nothing proves it is in QuickBooks once.
  for (const entry of await listAppliedWithoutId(q, companyFileId)) {
    items.push(
      documentItem(entry, {
        reason:
          'QuickBooks answered that it recorded this document but did not say under which id, so the connector cannot confirm it is there exactly once.',
        whatToDo: `Look for it in QuickBooks (${entry.key}); if it is missing or there twice, contact support with this key.`,
        retryable: false,
      }),
    );
  }

  // Ready work the Web Connector has not come for.
  const file = await getCompanyFile(q, companyFileId);
  const absentSince = new Date(now.getTime() - WEB_CONNECTOR_ABSENT_MS);
  const lastSeen = file?.lastLoginAt ?? null;
  if (file && (lastSeen === null || lastSeen < absentSince)) {
    const waiting = await readySince(q, companyFileId, absentSince);
    if (waiting !== null) {
      items.push({
        id: 'web-connector:absent',
        type: 'connection',
        what: 'web-connector',
        key: file.webConnectorUserName,
        state: 'absent',
        reason:
          lastSeen === null
            ? `Documents have been ready for QuickBooks since ${waiting.toISOString()}, and the Web Connector has never connected.`
            : `Documents have been ready for QuickBooks since ${waiting.toISOString()}, and the Web Connector has not connected since ${lastSeen.toISOString()}.`,
        whatToDo:
          'On the QuickBooks PC, open the QuickBooks Web Connector, check this application is listed with Auto-Run on and QuickBooks can open the company file, then press Update Selected.',
        code: 'QBWC_NOT_CONNECTING',
        quickbooksStatusCode: null,
        since: waiting.toISOString(),
        retryable: false,
        enterableByHand: false,
      });
    }
  }
  return items;
}

const SYNC_AGAIN = 'start a sync again (Sync now in the app, or `qbd-connector sync`)';

async function syncItems(q: Queryable, shopId: string, now: Date): Promise<AttentionItem[]> {
  // Only the latest run speaks for the shop: a failure a later run got past is history, not news.
  const recent = await listSyncRuns(q, shopId, 5);
  const [latest] = recent;
  if (!latest) return [];
  const entered = new Set((await listHandEntries(q, shopId)).map((entry) => entry.subject));
  const items = heldBackOrders(recent, entered);
  if (latest.state === 'failed') {
    const error = latest.error;
    return [
      ...items,
      syncItem(latest, {
        state: 'failed',
        reason: `The last sync failed: ${error?.merchantMessage ?? 'something went wrong inside the connector.'}`,
        whatToDo: error?.merchantMustAct
          ? `Do what the message says, then ${SYNC_AGAIN}.`
          : `${SYNC_AGAIN[0]!.toUpperCase()}${SYNC_AGAIN.slice(1)}; if it fails again, contact support with the code${error?.code ? ` ${error.code}` : ''}.`,
        code: error?.code ?? 'SYNC_FAILED',
        since: (latest.finishedAt ?? latest.startedAt).toISOString(),
        retryable: true,
      }),
    ];
  }
  if (latest.state === 'preparing' && (latest.leaseExpiresAt === null || latest.leaseExpiresAt <= now)) {
    return [
      ...items,
      syncItem(latest, {
        state: 'interrupted',
        reason: 'A sync stopped while preparing: the server running it stopped.',
        whatToDo:
          'Nothing, if the connector is running: it takes the sync over within a minute. If it is not running, start it again.',
        code: 'SYNC_INTERRUPTED',
        since: (latest.leaseExpiresAt ?? latest.startedAt).toISOString(),
        retryable: false,
      }),
    ];
  }
  return items;
}

/**
 * Orders the last prepared sync held back because their data is damaged (each sync checks every order again, so the
 * latest run that got as far as transforming speaks for all of them). They are not retryable here: the fix is in
 * Shopify, and the next sync posts the corrected order — or, for a refund no reading fits, the merchant enters it
 * in QuickBooks and says so (`entered`: those subjects are answered, whatever that sync's notes say).
 */
function heldBackOrders(recent: SyncRun[], entered: ReadonlySet<string>): AttentionItem[] {
  const prepared = recent.find((run) => run.summary !== null && run.state !== 'preparing');
  if (!prepared?.summary) return [];
  return prepared.summary.notes
    .filter((note) => HELD_BACK_ORDER_CODES.includes(note.code))
    .map((note) => ({ note, ...noteSubject(note) }))
    .filter(({ key }) => !entered.has(key))
    .map(({ note, key, text: reason }) => {
      return {
        id: `held-back:${key}`,
        type: 'document' as const,
        what: 'order',
        key,
        state: 'held-back',
        reason,
        whatToDo: heldBackWhatToDo(note.code),
        code: note.code,
        quickbooksStatusCode: null,
        since: (prepared.finishedAt ?? prepared.startedAt).toISOString(),
        retryable: false,
        enterableByHand: ENTERED_BY_HAND_CODES.includes(note.code),
      };
    });
}

function syncItem(
  run: SyncRun,
  fields: Pick<AttentionItem, 'state' | 'reason' | 'whatToDo' | 'code' | 'since' | 'retryable'>,
): AttentionItem {
  return {
    id: `sync-run:${run.id}`,
    type: 'sync',
    what: 'sync',
    key: run.id,
    quickbooksStatusCode: null,
    enterableByHand: false,
    ...fields,
  };
}

async function connectionItems(q: Queryable, companyFileId: string, now: Date): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  const file = await getCompanyFile(q, companyFileId);
  if (!file) return items;
  if (isLockedOut(file, now) && file.lockedUntil) {
    const minutes = Math.ceil((file.lockedUntil.getTime() - now.getTime()) / 60_000);
    items.push({
      id: 'web-connector:locked-out',
      type: 'connection',
      what: 'web-connector',
      key: file.webConnectorUserName,
      state: 'locked-out',
      reason: `The Web Connector is locked out after 5 wrong passwords in a row: until ${file.lockedUntil.toISOString()} (${minutes} more minute${minutes === 1 ? '' : 's'}) even the right app token is refused.`,
      whatToDo:
        'Wait until then. Meanwhile make sure the Web Connector has the current app token as this application’s password (if it was lost, issue a new one with `qbd-connector setup app-token` and type it in the Web Connector), then press Update Selected.',
      code: 'QBWC_LOCKED_OUT',
      quickbooksStatusCode: null,
      since: file.updatedAt.toISOString(),
      retryable: false,
      enterableByHand: false,
    });
  }
  for (const session of await sessionsWithProblems(q, companyFileId)) {
    if (!session.problem) continue;
    items.push({
      id: `web-connector-session:${session.id}`,
      type: 'connection',
      what: 'web-connector',
      key: file.webConnectorUserName,
      state: session.state,
      reason: session.problem.message,
      whatToDo:
        'Fix what the message says, then run the Web Connector again (Update Selected); this item goes away with the next session.',
      code: session.problem.code,
      quickbooksStatusCode: null,
      since: session.lastSeenAt.toISOString(),
      retryable: false,
      enterableByHand: false,
    });
  }
  return items;
}
