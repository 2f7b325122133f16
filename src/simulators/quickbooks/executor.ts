import {
  buildResponseDocument,
  defaultRetName,
  findTooLong,
  MESSAGES,
  type MessageName,
  type ParsedRequest,
  parseRequestDocument,
  type ResponseInput,
  typeInfo,
} from '../../qbxml/index.ts';
import type { Books } from './books.ts';
import { companyRet, dataExtDefAdd, dataExtSet, hostRet, preferencesRet } from './company-queries.ts';
import { LIST_TYPES } from './list-types.ts';
import { UNSUPPORTED_VERSION } from './profiles.ts';
import { type QbObject, type QbValue, text } from './qb-object.ts';
import { attachDataExt, ITEM_TYPES, queryLists, queryTransactions, shapeRet } from './queries.ts';
import { generalDetailReport, generalSummaryReport } from './report-queries.ts';
import { QbStatus, statusText } from './status.ts';
import { isModdableTxnType, type ModdableTxnType, modTransaction } from './transaction-mods.ts';
import { addTransaction, deleteTransaction, isTxnType, TXN_TYPES } from './transactions.ts';

/**
 * Executes qbXML request documents against the books, with QuickBooks' request-level behaviour: structural
 * errors are an HRESULT (no statuses), each request gets its own status, stopOnError stops at the first error,
 * iterators page through a snapshot of the result, and message sets can be replayed (error recovery).
 */
export interface Iterator {
  type: string;
  ids: string[];
  expiresAt: number;
}

export interface FaultState {
  /** The next N requests that touch this ListID/TxnID fail as "in use" (3175) or "locked" (3176). */
  locks: Map<string, { remaining: number; code: 3175 | 3176 }>;
  /** The next `remaining` requests that add, change or delete anything fail with `code`, changing nothing. */
  busy: { remaining: number; code: 3175 | 3176 | 3180 } | null;
  /** The next document is applied, but the caller gets an error instead of its response. */
  loseNextResponse: boolean;
  /** Milliseconds to wait (synchronously) before answering each document. */
  delayMs: number;
  /** The next N Mods of this ListID/TxnID find it saved by another QuickBooks user just before (a new EditSequence). */
  concurrentEdits: Map<string, number>;
}

export interface ExecutorState {
  books: Books;
  iterators: Map<string, Iterator>;
  faults: FaultState;
  hostInfo(): QbObject;
  iteratorLifetimeMs: number;
}

export type ProcessResult = { ok: true; responseXml: string } | { ok: false; hresult: string; message: string };

/** Turns the parser's values (booleans, numbers) into the text form the books store. */
function normalise(value: unknown): QbValue {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    const out: QbObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = normalise(item);
    return out;
  }
  return String(value);
}

const LIST_BY_MESSAGE: Record<string, string> = {};
for (const listType of Object.keys(LIST_TYPES)) LIST_BY_MESSAGE[listType] = listType;

const WRITES = /(Add|Mod|Del|Void)$/;

/** QuickBooks busy with its own users (a report running, a record open, a save in progress). */
function checkBusy(state: ExecutorState, type: string): void {
  const busy = state.faults.busy;
  if (!busy || !WRITES.test(type)) return;
  busy.remaining -= 1;
  if (busy.remaining <= 0) state.faults.busy = null;
  const what = type.replace(WRITES, '');
  throw new QbStatus(
    busy.code,
    busy.code === 3175
      ? statusText.inUse(what, '')
      : busy.code === 3176
        ? statusText.locked(what, '')
        : statusText.saveError(what, '', 'The record is being saved by another QuickBooks user.'),
  );
}

function checkLocks(state: ExecutorState, body: QbObject): void {
  for (const id of collectIds(body)) {
    const lock = state.faults.locks.get(id);
    if (!lock) continue;
    lock.remaining -= 1;
    if (lock.remaining <= 0) state.faults.locks.delete(id);
    throw new QbStatus(
      lock.code,
      lock.code === 3175 ? statusText.inUse('object', id) : statusText.locked('object', id),
    );
  }
}

/** Another user saves the record between the connector's read and its Mod: the stored EditSequence moves on. */
function editedConcurrently(state: ExecutorState, mod: QbObject | undefined): void {
  const id = text(mod, 'TxnID') ?? text(mod, 'ListID');
  const left = id === null ? undefined : state.faults.concurrentEdits.get(id);
  if (id === null || left === undefined) return;
  if (left <= 1) state.faults.concurrentEdits.delete(id);
  else state.faults.concurrentEdits.set(id, left - 1);
  const { books } = state;
  const txn = books.file.txnById(id);
  if (txn) {
    txn.ret.EditSequence = books.nextEditSequence(text(txn.ret, 'EditSequence'));
    books.file.updateTxn(txn);
    return;
  }
  const list = books.file.listById(id);
  if (list) {
    list.ret.EditSequence = books.nextEditSequence(text(list.ret, 'EditSequence'));
    books.saveList(list);
  }
}

function collectIds(value: QbValue | undefined, out: string[] = []): string[] {
  if (value === undefined || typeof value === 'string') return out;
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, out);
    return out;
  }
  for (const [key, item] of Object.entries(value)) {
    const isId = key === 'ListID' || key === 'TxnID' || key === 'PaymentTxnID';
    if (isId && typeof item === 'string') out.push(item);
    else if (isId && Array.isArray(item)) out.push(...item.filter((i): i is string => typeof i === 'string'));
    else collectIds(item, out);
  }
  return out;
}

function renderList(
  state: ExecutorState,
  listId: string,
  body: QbObject,
  isAdd: boolean,
): { ret: QbObject; name: string } {
  const row = state.books.file.listById(listId)!;
  state.books.refreshInventoryFields(row);
  const ret = shapeRet(row.ret, body, { isTxn: false, isAdd });
  attachDataExt(state.books, ret, listId, body);
  return { ret, name: `${row.listType}Ret` };
}

function renderTxn(
  state: ExecutorState,
  txnId: string,
  body: QbObject,
  isAdd: boolean,
): { ret: QbObject; name: string } {
  const row = state.books.file.txnById(txnId)!;
  const ret = shapeRet(row.ret, body, { isTxn: true, isAdd });
  attachDataExt(state.books, ret, txnId, body);
  return { ret, name: `${row.txnType}Ret` };
}

/** QuickBooks writes iterator ids lower-case, in braces (wire r05). */
function newIteratorId(): string {
  return `{${crypto.randomUUID()}}`;
}

/**
 * Pages a result: MaxReturned, iterator Start/Continue, metaData; fills the iterator attributes, and retCount only
 * when metaData asks for it (QuickBooks writes no retCount on a plain query answer: wire r04, r05, r11).
 */
function page(
  state: ExecutorState,
  request: ParsedRequest,
  body: QbObject,
  result: { ids: string[]; missing: string[] },
  render: (id: string) => { ret: QbObject; name: string },
): Omit<ResponseInput, 'type' | 'requestID'> {
  const iterator = request.attributes.iterator;
  const metaData = request.attributes.metaData ?? 'NoMetaData';
  const max = text(body, 'MaxReturned') === null ? null : Number(text(body, 'MaxReturned'));
  let ids = result.ids;
  let iteratorID: string | undefined;
  let remaining: number | undefined;
  if (iterator === 'Continue') {
    const id = request.attributes.iteratorID ?? '';
    const stored = state.iterators.get(id);
    if (!stored || stored.expiresAt < state.books.clock.now().getTime() || stored.type !== request.type) {
      state.iterators.delete(id);
      throw new QbStatus(3120, statusText.notFound(id));
    }
    ids = stored.ids;
  }
  if (iterator === 'Stop') {
    state.iterators.delete(request.attributes.iteratorID ?? '');
    return { statusCode: 0, statusSeverity: 'Info', statusMessage: statusText.ok, rets: [] };
  }
  const taken = max === null ? ids : ids.slice(0, max);
  if (iterator === 'Start' || iterator === 'Continue') {
    iteratorID = iterator === 'Start' ? newIteratorId() : request.attributes.iteratorID!;
    const rest = ids.slice(taken.length);
    remaining = rest.length;
    if (rest.length > 0) {
      state.iterators.set(iteratorID, {
        type: request.type,
        ids: rest,
        expiresAt: state.books.clock.now().getTime() + state.iteratorLifetimeMs,
      });
    } else state.iterators.delete(iteratorID);
  }
  const rendered = metaData === 'MetaDataOnly' ? [] : taken.map(render);
  const base = {
    rets: rendered.map((r) => r.ret),
    retNames: rendered.map((r) => r.name),
    retCount: metaData === 'NoMetaData' ? undefined : taken.length,
    iteratorID,
    iteratorRemainingCount: remaining,
  };
  if (result.missing.length) {
    return {
      ...base,
      statusCode: 500,
      statusSeverity: 'Warn',
      statusMessage: statusText.partialMatch(result.missing[0]!),
    };
  }
  if (taken.length === 0 && iterator !== 'Continue') {
    return { ...base, statusCode: 1, statusSeverity: 'Info', statusMessage: statusText.noMatch };
  }
  return { ...base, statusCode: 0, statusSeverity: 'Info', statusMessage: statusText.ok };
}

function ok(rets: QbObject[], retNames?: string[]): Omit<ResponseInput, 'type' | 'requestID'> {
  return { statusCode: 0, statusSeverity: 'Info', statusMessage: statusText.ok, rets, retNames };
}

function executeRequest(state: ExecutorState, request: ParsedRequest): Omit<ResponseInput, 'type' | 'requestID'> {
  const { books } = state;
  const type = request.type as string;
  const body = normalise(request.body) as QbObject;
  const tooLong = findTooLong(request.type as MessageName, request.body);
  if (tooLong.length) throw new QbStatus(3070, statusText.tooLong(tooLong[0]!.value, tooLong[0]!.field));
  checkBusy(state, type);
  checkLocks(state, body);

  if (type.endsWith('Add') && LIST_BY_MESSAGE[type.slice(0, -3)]) {
    const listType = type.slice(0, -3);
    const add = body[type] as QbObject;
    if (listType === 'ItemSalesTax' && !books.settings.salesTax.enabled)
      throw new QbStatus(3250, statusText.notEnabled('sales tax'));
    const row = books.addList(listType, add);
    return ok([renderList(state, row.listId, {}, true).ret]);
  }
  if (type.endsWith('Mod') && LIST_BY_MESSAGE[type.slice(0, -3)]) {
    const row = books.modList(type.slice(0, -3), body[type] as QbObject);
    return ok([renderList(state, row.listId, {}, true).ret]);
  }
  if (type.endsWith('Mod') && isModdableTxnType(type.slice(0, -3))) {
    const row = modTransaction(books, type.slice(0, -3) as ModdableTxnType, body[type] as QbObject);
    return ok([renderTxn(state, row.txnId, {}, true).ret]);
  }
  if (type.endsWith('Add') && isTxnType(type.slice(0, -3))) {
    const row = addTransaction(books, type.slice(0, -3) as (typeof TXN_TYPES)[number], body[type] as QbObject);
    return ok([renderTxn(state, row.txnId, {}, true).ret]);
  }
  if (type === 'GeneralDetailReportQuery') return ok([generalDetailReport(books, body)]);
  if (type === 'GeneralSummaryReportQuery') return ok([generalSummaryReport(books, body)]);
  if (type.endsWith('Query')) {
    const subject = type.slice(0, -5);
    if (subject === 'Item') {
      return page(state, request, body, queryLists(books, ITEM_TYPES, body), (id) =>
        renderList(state, id, body, false),
      );
    }
    if (LIST_BY_MESSAGE[subject]) {
      return page(state, request, body, queryLists(books, [subject], body), (id) => renderList(state, id, body, false));
    }
    if (isTxnType(subject)) {
      return page(state, request, body, queryTransactions(books, [subject], body), (id) =>
        renderTxn(state, id, body, false),
      );
    }
    if (subject === 'Transaction') return transactionQuery(state, request, body);
    if (subject === 'Host') return ok([hostRet(state, body)]);
    if (subject === 'Company') return ok([companyRet(state, body)]);
    if (subject === 'Preferences') return ok([preferencesRet(state, body)]);
    if (subject === 'DataExtDef') {
      const owners = text(body, 'OwnerID') === null ? null : [text(body, 'OwnerID')!];
      const defs = books.file.dataExtDefs(owners);
      if (!defs.length) return { statusCode: 1, statusSeverity: 'Info', statusMessage: statusText.noMatch, rets: [] };
      return ok(defs);
    }
  }
  if (type === 'TxnDel') {
    const row = deleteTransaction(books, text(body, 'TxnDelType') ?? '', text(body, 'TxnID') ?? '');
    return ok([
      {
        TxnDelType: row.txnType,
        TxnID: row.txnId,
        TimeDeleted: books.timestamp(),
        RefNumber: row.refNumber ?? undefined,
      },
    ]);
  }
  if (type === 'DataExtDefAdd') return dataExtDefAdd(state, body.DataExtDefAdd as QbObject);
  if (type === 'DataExtAdd' || type === 'DataExtMod')
    return dataExtSet(state, body[type] as QbObject, type === 'DataExtAdd');
  throw new QbStatus(3250, statusText.notEnabled(`${type} (not modelled by the simulator)`));
}

function transactionQuery(state: ExecutorState, request: ParsedRequest, body: QbObject) {
  const { books } = state;
  const types = TXN_TYPES.filter((t) => t !== 'SalesOrder' && t !== 'PurchaseOrder');
  const result = queryTransactions(books, types, body);
  return page(state, request, body, result, (id) => {
    const row = books.file.txnById(id)!;
    const lines = books.file.ledgerLines({ txnId: id });
    const first = lines[0];
    const account = first ? books.file.listById(first.accountId) : null;
    const entityId = row.entityId ?? first?.entityId ?? null;
    const entity = entityId ? books.file.listById(entityId) : null;
    const ret: QbObject = {
      TxnType: row.txnType,
      TxnID: row.txnId,
      TimeCreated: text(row.ret, 'TimeCreated') ?? undefined,
      TimeModified: text(row.ret, 'TimeModified') ?? undefined,
      EntityRef: entity ? books.refTo(entity) : undefined,
      AccountRef: account ? books.refTo(account) : undefined,
      TxnDate: row.txnDate,
      RefNumber: row.refNumber ?? undefined,
      Amount: books.formatMoney(first ? first.amount : 0n),
    };
    for (const key of Object.keys(ret)) if (ret[key] === undefined) delete ret[key];
    return { ret, name: 'TransactionRet' };
  });
}

type TypeInfo = ReturnType<typeof typeInfo>;

/**
 * Stored records are text; the response writer wants booleans and integers typed. Elements the Ret type does
 * not have (write-only fields of an Add) are left out, so every response stays valid against the schema.
 */
function typed(value: QbObject, info: TypeInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const known = info.byName.get(key);
    if (!known || item === undefined) continue;
    const convert = (v: QbValue): unknown => {
      if (known.particle.t)
        return typeof v === 'object' && !Array.isArray(v) ? typed(v, typeInfo(known.particle.t)) : undefined;
      if (typeof v !== 'string') return undefined;
      if (known.particle.s?.k === 'BOOLTYPE') return v === 'true' || v === '1';
      if (known.particle.s?.k === 'INTTYPE') return Number(v);
      return v;
    };
    const converted = (Array.isArray(item) ? item : [item]).map(convert).filter((v) => v !== undefined);
    if (converted.length === 0) continue;
    out[key] = known.repeated ? converted : converted[0];
  }
  return out;
}

function typedResponse(response: ResponseInput): ResponseInput {
  // Reports are built typed, with their attributes and interleaved rows (report-queries.ts).
  if (!response.rets?.length || response.type.endsWith('ReportQuery')) return response;
  const rsInfo = typeInfo(MESSAGES[response.type].rs);
  const rets = response.rets.map((ret, i) => {
    const name = response.retNames?.[i] ?? defaultRetName(response.type);
    const child = name ? rsInfo.byName.get(name) : undefined;
    return typed(ret as QbObject, child?.particle.t ? typeInfo(child.particle.t) : rsInfo);
  });
  return { ...response, rets };
}

function sleep(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Executes a request document: parse, error recovery, per-request execution in savepoints, response document.
 * `injectFaults: false` is for the Host/Company/Preferences queries the Web Connector itself makes: an injected
 * lost response or delay is meant for the service's requests, not for QBWC's own.
 */
export function processDocument(
  state: ExecutorState,
  xml: string,
  options: { injectFaults?: boolean; versions?: readonly string[] } = {},
): ProcessResult {
  const injectFaults = options.injectFaults ?? true;
  if (injectFaults) sleep(state.faults.delayMs);
  const parsed = parseRequestDocument(xml);
  if (!parsed.ok) return { ok: false, hresult: parsed.error.hresult, message: parsed.error.message };
  const doc = parsed.value;
  // QuickBooks reads a document in the qbXML version it names, and only in one it speaks.
  if (options.versions && !options.versions.includes(doc.version)) return { ok: false, ...UNSUPPORTED_VERSION };
  const db = state.books.file;
  if (doc.oldMessageSetID !== null) {
    const stored = db.storedResponse(doc.oldMessageSetID);
    if (stored !== null) return { ok: true, responseXml: stored };
  }
  const responses: ResponseInput[] = [];
  let stopped = false;
  for (const request of doc.requests) {
    if (stopped) {
      // Under stopOnError QuickBooks answers every request after the failed one, each with 3231.
      responses.push({
        type: request.type,
        requestID: request.requestID ?? undefined,
        statusCode: 3231,
        statusSeverity: 'Error',
        statusMessage: statusText.notProcessed,
      });
      continue;
    }
    // Another user's save happens whatever becomes of this request: before its savepoint.
    if (request.type.endsWith('Mod')) {
      editedConcurrently(state, (normalise(request.body) as QbObject)[request.type] as QbObject | undefined);
    }
    db.db.exec('SAVEPOINT request');
    let outcome: Omit<ResponseInput, 'type' | 'requestID'>;
    try {
      outcome = executeRequest(state, request);
      db.db.exec('RELEASE request');
    } catch (error) {
      db.db.exec('ROLLBACK TO request');
      db.db.exec('RELEASE request');
      if (!(error instanceof QbStatus)) throw error;
      outcome = { statusCode: error.statusCode, statusSeverity: error.severity, statusMessage: error.message };
    }
    responses.push({ type: request.type, requestID: request.requestID ?? undefined, ...outcome });
    if (doc.onError === 'stopOnError' && outcome.statusSeverity === 'Error') stopped = true;
  }
  if (doc.responseData === 'includeNone') for (const r of responses) r.rets = [];
  const responseXml = buildResponseDocument({
    responses: responses.map(typedResponse),
    newMessageSetID: doc.newMessageSetID ?? undefined,
    messageSetStatusCode: doc.newMessageSetID ? 0 : undefined,
  });
  if (doc.newMessageSetID !== null) db.storeResponse(doc.newMessageSetID, responseXml);
  if (injectFaults && state.faults.loseNextResponse) {
    state.faults.loseNextResponse = false;
    return {
      ok: false,
      hresult: '0x80040402',
      message: 'The response from QuickBooks was lost after the request was applied (injected fault).',
    };
  }
  return { ok: true, responseXml };
}
