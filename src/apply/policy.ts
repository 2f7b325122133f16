import { externalGuidFor, shortHash } from '../domain/index.ts';
import { ConnectorError } from '../errors/index.ts';
import { DEFAULT_RETRY_POLICY } from '../outbox/index.ts';
import { type QbxmlResponse, responseError } from '../qbxml/index.ts';
import { decideLineIds, lineIdsOf, lineIdsReadTarget } from './line-ids.ts';

/**
 * What to do with QuickBooks' answer to one outbox request. Pure: no I/O, no clock — the delivery backend carries
 * the decision out (id map, outbox transitions, follow-up queries). Status policy (qbXML status codes, see
 * ../shared/research/qbwc-qbxml.md §3.2 and consolibyte's Callbacks/SQL/Errors.php, which groups them the same way):
 * - 0–999: done (1 = a query found nothing, 500–999 = warnings that still return data);
 * - 3100 name in use: look the name up; ours (same ExternalGUID) → adopt it, else add under a disambiguated name;
 * - 3200 edit sequence out of date: re-read the record's EditSequence and send the Mod again, once (a second 3200
 *   right after means someone is editing it in QuickBooks: the merchant);
 * - 3170/3175/3176/3180 record in use or locked by a QuickBooks user: try again later;
 * - 3120 on a TxnDel (the transaction is already gone): done — a TxnDel sent again after a lost answer ends so;
 * - 3140 invalid reference: when the missing record is one the connector itself adds, wait for it; else the merchant;
 * - 3231 not processed (skipped after an earlier error under stopOnError): send it again;
 * - everything else that the merchant can fix (3070 too long, 3210 invalid value, 3250/3260 permissions…): needs
 *   attention, with the reason in plain words.
 */

/** The request an outbox entry carries, as the planner wrote it. */
export interface DeliveryRequest {
  /** The outbox entry's deterministic key (its ExternalGUID is derived from it). */
  key: string;
  /** qbXML message, e.g. 'CustomerAdd', 'SalesReceiptAdd', 'AccountQuery'. */
  type: string;
  /** The content of the `<type>Rq` element, e.g. `{ CustomerAdd: { Name: 'Ada', … } }`. */
  body: Record<string, unknown>;
  /** Attempts made so far, this one included. */
  attempts: number;
  /** When this send is the request sent again after a follow-up: the status that led to it (3200 after a re-read). */
  resentAfterStatus?: number | null;
}

/** A query the connector sends on its own to settle an outcome; the answer goes back to `resolveFollowUp`. */
export interface FollowUpQuery {
  purpose: 'name-in-use' | 'edit-sequence' | 'identity';
  type: string;
  body: Record<string, unknown>;
}

export type Decision =
  | {
      action: 'applied';
      quickbooksId: string;
      editSequence: string | null;
      name: string | null;
      /** The TxnLineIDs of a sales or purchase order's lines, in order: what other documents link to. */
      lineIds?: string[];
      /** Whose lines those are when not the entry's own: the order a line-ids read asked for (line-ids.ts). */
      linesOf?: string;
    }
  | {
      action: 'query-answered';
      rets: Record<string, unknown>[];
      retNames: string[];
      iteratorID: string | null;
      remaining: number;
    }
  | { action: 'follow-up'; query: FollowUpQuery }
  /**
   * Send again right away with this body (a fresh EditSequence, a disambiguated name); `statusCode` is the status
   * that led to it, recorded with the entry so the next answer knows it is a second try.
   */
  | { action: 'resend'; body: Record<string, unknown>; statusCode?: number }
  /** Back off (the outbox's retry policy decides how long) and send again. */
  | { action: 'retry-later'; error: ConnectorError }
  /** Wait for the outbox entry that adds the missing record (the reference is the connector's own). */
  | { action: 'wait-for-reference'; referenceName: string; error: ConnectorError }
  | { action: 'needs-attention'; error: ConnectorError };

/** Sends allowed per request before it is left for the merchant: the outbox's retry policy. */
export const MAX_ATTEMPTS = DEFAULT_RETRY_POLICY.maxAttempts;

const RETRY_LATER = new Set([3170, 3175, 3176, 3180]);

/** The record inside the body (`{ CustomerAdd: {...} }` → the inner object). */
export function innerBody(request: Pick<DeliveryRequest, 'type' | 'body'>): Record<string, unknown> {
  const inner = request.body[request.type];
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function idOf(ret: Record<string, unknown>): string | null {
  return text(ret.TxnID) ?? text(ret.ListID);
}

/**
 * Where the delivery keeps the TxnLineID QuickBooks gave line `line` (from 0, in the order sent) of the entry with
 * `key`: an id-map source of its own, so a receipt sent later can link to that line.
 */
export function transactionLineSource(key: string, line: number): { kind: string; id: string } {
  return { kind: 'transaction-line', id: `${key}#${line}` };
}

/** Item list records (ItemInventory, ItemService…) are all found by ItemQuery; an ItemReceipt is a transaction. */
function isItemList(base: string): boolean {
  return base.startsWith('Item') && base !== 'ItemReceipt';
}

/** The …Query that finds a record of an Add by name, or null for transactions. */
function listQueryFor(type: string): string | null {
  if (!type.endsWith('Add')) return null;
  const base = type.slice(0, -3);
  if (isItemList(base)) return 'ItemQuery';
  return ['Customer', 'Vendor', 'Account', 'Class', 'PaymentMethod'].includes(base) ? `${base}Query` : null;
}

function isTransaction(type: string): boolean {
  return type.endsWith('Add') && listQueryFor(type) === null && type !== 'DataExtAdd' && type !== 'DataExtDefAdd';
}

/** The query that finds what an Add may already have created in QuickBooks, by its identity. */
export function identityQueryFor(request: Pick<DeliveryRequest, 'type' | 'body'>): FollowUpQuery | null {
  const inner = innerBody(request);
  const listQuery = listQueryFor(request.type);
  if (listQuery) {
    const name = text(inner.Name);
    return name === null ? null : { purpose: 'identity', type: listQuery, body: { FullName: [name] } };
  }
  if (!isTransaction(request.type)) return null;
  const query = `${request.type.slice(0, -3)}Query`;
  const ref = text(inner.RefNumber);
  const date = text(inner.TxnDate);
  // An order found this way is adopted with its lines' TxnLineIDs, which the documents linking to it need.
  const lines =
    request.type === 'PurchaseOrderAdd' || request.type === 'SalesOrderAdd' ? { IncludeLineItems: true } : {};
  if (ref !== null) return { purpose: 'identity', type: query, body: { RefNumber: [ref], ...lines } };
  if (date !== null) {
    return {
      purpose: 'identity',
      type: query,
      body: { TxnDateRangeFilter: { FromTxnDate: date, ToTxnDate: date }, ...lines },
    };
  }
  return null;
}

/** The catalogue's wording (src/qbxml status.ts), with this policy's verdict on who acts and whether to retry. */
function statusError(response: QbxmlResponse, request: DeliveryRequest, mustAct: boolean, retryable: boolean) {
  const described = responseError(response, { record: describeRequest(request) });
  return new ConnectorError({
    code: described.code,
    message: `${request.type} for ${request.key}: ${described.message}`,
    merchantMessage: described.merchantMessage,
    merchantMustAct: mustAct,
    retryable,
    qbStatusCode: response.statusCode,
    details: { ...described.details, key: request.key },
  });
}

function describeRequest(request: DeliveryRequest): string {
  const inner = innerBody(request);
  const label = request.type.replace(/(Add|Mod|Query)$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
  const name = text(inner.Name) ?? text(inner.RefNumber);
  return name === null ? label : `${label} "${name}"`;
}

/** The record name a 3140 message says is missing: `…invalid reference to QuickBooks Customer "Ada" in the…`. */
export function missingReferenceName(statusMessage: string): string | null {
  const match = /reference to QuickBooks [^"]*"([^"]*)"/.exec(statusMessage);
  return match ? match[1]! : null;
}

/**
 * A deterministic, different name for a record whose name belongs to something that is not ours: the same key
 * always gets the same suffix, so a retry never creates a second variant. Stays within QuickBooks' length limit
 * (41 for names, 31 for items and accounts).
 */
export function disambiguatedName(name: string, key: string, type: string): string {
  const limit = type.startsWith('Item') || type === 'AccountAdd' || type === 'PaymentMethodAdd' ? 31 : 41;
  const suffix = ` (${shortHash(key, 4)})`;
  return name.slice(0, limit - suffix.length).trimEnd() + suffix;
}

/** Decides the outcome of one response to one outbox request. `ownedNames` are names the connector itself adds. */
export function decide(
  response: QbxmlResponse,
  request: DeliveryRequest,
  ownedNames: (name: string) => boolean = () => false,
): Decision {
  const code = response.statusCode;
  if (code < 1000) {
    const order = lineIdsReadTarget(request.key);
    if (order !== null && request.type.endsWith('Query')) return decideLineIds(response, request, order);
    if (request.type.endsWith('Query')) {
      return {
        action: 'query-answered',
        rets: response.rets,
        retNames: response.retNames,
        iteratorID: response.iteratorID,
        remaining: response.iteratorRemainingCount ?? 0,
      };
    }
    const ret = response.rets[0];
    const id = ret ? idOf(ret) : null;
    if (ret && id !== null) {
      return {
        action: 'applied',
        quickbooksId: id,
        editSequence: text(ret.EditSequence),
        name: text(ret.FullName) ?? text(ret.Name),
        ...lineIdsOf(ret),
      };
    }
    // responseData="includeNone" or a Del: no Ret, nothing to record but the success.
    return { action: 'applied', quickbooksId: '', editSequence: null, name: null };
  }

  if (code === 3120 && request.type === 'TxnDel') {
    // The transaction to delete is not there: an earlier TxnDel whose answer was lost (an abandoned message set is
    // looked up by sending it again) or the merchant already removed it. Either way what was wanted is done.
    return { action: 'applied', quickbooksId: '', editSequence: null, name: null };
  }
  const tooMany = request.attempts >= MAX_ATTEMPTS;
  if (code === 3100) {
    const lookup = identityQueryFor(request);
    if (lookup && !tooMany) return { action: 'follow-up', query: { ...lookup, purpose: 'name-in-use' } };
  }
  if (code === 3200 && request.resentAfterStatus === 3200) {
    // Re-read and sent again once already, and changed again in between: someone is editing it in QuickBooks.
    return {
      action: 'needs-attention',
      error: new ConnectorError({
        code: 'QB_EDIT_SEQUENCE_OUT_OF_DATE',
        message: `${request.type} for ${request.key}: the record changed in QuickBooks again after it was re-read (${response.statusMessage.trim()})`,
        merchantMessage: `${describeRequest(request)} keeps changing in QuickBooks while the connector updates it. Close it in QuickBooks (and wait for whoever is editing it), then retry it from the connector.`,
        merchantMustAct: true,
        qbStatusCode: 3200,
      }),
    };
  }
  if (code === 3200 && !tooMany) {
    const inner = innerBody(request);
    const id = text(inner.ListID) ?? text(inner.TxnID);
    if (id !== null) {
      const base = request.type.replace(/Mod$/, '');
      const key = text(inner.TxnID) !== null ? 'TxnID' : 'ListID';
      const queryType = isItemList(base) ? 'ItemQuery' : `${base}Query`;
      return { action: 'follow-up', query: { purpose: 'edit-sequence', type: queryType, body: { [key]: [id] } } };
    }
  }
  if (RETRY_LATER.has(code)) {
    const error = statusError(response, request, false, true);
    if (tooMany) return { action: 'needs-attention', error: withAttemptsExhausted(error, request) };
    return { action: 'retry-later', error };
  }
  if (code === 3140) {
    const missing = missingReferenceName(response.statusMessage);
    if (missing !== null && ownedNames(missing) && !tooMany) {
      return {
        action: 'wait-for-reference',
        referenceName: missing,
        error: statusError(response, request, false, true),
      };
    }
    return { action: 'needs-attention', error: statusError(response, request, true, false) };
  }
  if (code === 3231) {
    // Skipped because an earlier request of the message set failed under stopOnError: it was never processed, so
    // it goes again (it is not this request's fault), until the attempts run out.
    const error = statusError(response, request, false, true);
    if (tooMany) return { action: 'needs-attention', error: withAttemptsExhausted(error, request) };
    return { action: 'retry-later', error };
  }
  const mustAct = code >= 3000 && code < 9100;
  const error = statusError(response, request, mustAct, !mustAct);
  if (!mustAct && !tooMany) return { action: 'retry-later', error };
  return { action: 'needs-attention', error: tooMany ? withAttemptsExhausted(error, request) : error };
}

function withAttemptsExhausted(error: ConnectorError, request: DeliveryRequest): ConnectorError {
  return new ConnectorError({
    code: error.code,
    message: `${error.message} (gave up after ${request.attempts} attempts)`,
    merchantMessage: `${error.merchantMessage} The connector tried ${request.attempts} times and stopped; retry it from the connector once the cause is gone.`,
    merchantMustAct: true,
    retryable: false,
    qbStatusCode: error.qbStatusCode ?? undefined,
    details: error.details,
  });
}

/**
 * The answer to a follow-up query, turned into a decision for the original request:
 * - name-in-use / identity: a record or transaction carrying our ExternalGUID is ours → adopt it (never add it
 *   twice); for name-in-use, a record that is not ours → add ours under a disambiguated name; for identity, nothing
 *   found → the original was never applied, send it again.
 * - edit-sequence: send the Mod again with the current EditSequence.
 */
export function resolveFollowUp(query: FollowUpQuery, answer: QbxmlResponse, request: DeliveryRequest): Decision {
  if (answer.statusCode >= 1000) {
    return {
      action: 'retry-later',
      error: statusError(answer, request, false, true),
    };
  }
  const ours = externalGuidFor(request.key).toUpperCase();
  const inner = innerBody(request);
  if (query.purpose === 'edit-sequence') {
    const editSequence = answer.rets[0] ? text(answer.rets[0].EditSequence) : null;
    if (editSequence === null) {
      return {
        action: 'needs-attention',
        error: new ConnectorError({
          code: 'QB_RECORD_GONE',
          message: `${request.type} for ${request.key}: the record to change is no longer in QuickBooks`,
          merchantMessage: `The ${describeRequest(request)} was deleted in QuickBooks, so the change could not be made.`,
          merchantMustAct: true,
        }),
      };
    }
    return { action: 'resend', body: { [request.type]: { ...inner, EditSequence: editSequence } }, statusCode: 3200 };
  }
  const adopted = answer.rets.find((ret) => text(ret.ExternalGUID)?.toUpperCase() === ours);
  if (adopted) {
    const id = idOf(adopted);
    if (id !== null) {
      return {
        action: 'applied',
        quickbooksId: id,
        editSequence: text(adopted.EditSequence),
        name: text(adopted.FullName) ?? text(adopted.Name),
        ...lineIdsOf(adopted),
      };
    }
  }
  if (query.purpose === 'identity') return { action: 'resend', body: request.body };
  const name = text(inner.Name) ?? '';
  const renamed = disambiguatedName(name, request.key, request.type);
  if (renamed === name || request.attempts >= MAX_ATTEMPTS) {
    return {
      action: 'needs-attention',
      error: new ConnectorError({
        code: 'QB_STATUS_3100',
        message: `${request.type} for ${request.key}: name ${name} is in use by a record that is not the connector's`,
        merchantMessage: `The name "${name}" is already used in QuickBooks by another customer, vendor, employee or other name. Rename one of them, then sync again.`,
        merchantMustAct: true,
        qbStatusCode: 3100,
      }),
    };
  }
  return { action: 'resend', body: { [request.type]: { ...inner, Name: renamed } } };
}
