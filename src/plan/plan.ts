/**
 * Plan: accounting documents → outbox-ready qbXML requests. Each record and document is planned by its kind
 * (`src/transform/kinds/`): the kind writes the body in Intuit's element names, typed against the request types
 * generated from the XSD, and names what it needs first; the qbXML builder puts the elements in schema order. List
 * records come before the transactions that use them (dependencies and priority), and every add carries
 * ExternalGUID = externalGuidFor(key) where the schema has it, so a record or transaction found in QuickBooks can
 * always be recognised as the connector's own.
 */
import { formatMoney } from '../domain/index.ts';
import type { EnqueueInput } from '../outbox/index.ts';
import type { MessageName, QbxmlRequest } from '../qbxml/index.ts';
import {
  type AccountingDocument,
  type AccountMapping,
  documentKind,
  type ListKind,
  type ListRecord,
  listKind,
  type PlannedBody,
  type PlannedMessage,
  type RemovalTarget,
  removal,
  type TransactionDocument,
} from '../transform/index.ts';
import { type PlanScope, planContexts } from './context.ts';

export { PlanError } from './context.ts';

export interface PlannedRequest {
  /** The document key (unique; the outbox's identity for the request). */
  key: string;
  kind: AccountingDocument['kind'];
  message: MessageName;
  /** The content of the `<message>Rq` element, e.g. `{ CustomerAdd: { Name: … } }`; TxnIDs may be references. */
  body: PlannedBody;
  /** Keys of the requests that must be applied first. */
  dependsOn: string[];
  /** Higher runs first among requests whose dependencies are met (as the outbox orders entries). */
  priority: number;
  externalGuid: string;
}

/** The list kinds that adopt what QuickBooks already has ('paymentMethods', 'classes'). */
type Adoptable = NonNullable<ListKind<ListRecord>['adopts']>;

export interface PlanOptions {
  /**
   * Keys of list records already in QuickBooks (from the id map): they are not planned again and are not
   * dependencies. Names stay the same, so references by FullName still resolve.
   */
  existing?: ReadonlySet<string>;
  /**
   * Payment methods and classes QuickBooks already has (names from PaymentMethodQuery / ClassQuery). A record of
   * ours with the same name (case-insensitive, as QuickBooks compares) adopts it instead of failing with 3100:
   * a "Cash" payment method is the same thing whoever created it.
   */
  existingNames?: { [K in Adoptable]?: readonly string[] };
  /**
   * Invoice key → key of the sales order it converts (the order was open, then fulfilled unpaid, selling exactly
   * the order's lines). The invoice links to it (`LinkToTxnID`) and sends no lines: QuickBooks brings the order's
   * lines into the invoice and marks the sales order invoiced; the sales order may have been
   * planned in an earlier sync, as long as its outbox entry exists.
   */
  salesOrderOf?: ReadonlyMap<string, string>;
}

/**
 * Plans list records and documents. Throws PlanError (a bug, not a merchant problem) when a document refers to a
 * list record that is neither in `lists` nor already in QuickBooks.
 */
export function planRequests(
  lists: readonly ListRecord[],
  documents: readonly TransactionDocument[],
  mapping: AccountMapping,
  options: PlanOptions = {},
): PlannedRequest[] {
  const existing = new Set<string>(options.existing ?? []);
  const adoptable = new Map<Adoptable, Set<string>>();
  const inQuickBooks = (list: Adoptable, name: string) => {
    let names = adoptable.get(list);
    if (!names) {
      names = new Set((options.existingNames?.[list] ?? []).map((n) => n.toLowerCase()));
      adoptable.set(list, names);
    }
    return names.has(name.toLowerCase());
  };
  for (const record of lists) {
    const adopts = listKind(record).adopts;
    if (adopts && inQuickBooks(adopts, record.name)) existing.add(record.key);
  }
  const contexts = planContexts(lists, documents, mapping, existing, options.salesOrderOf);
  const out: PlannedRequest[] = [];
  for (const record of lists) {
    if (existing.has(record.key)) continue;
    const kind = listKind(record);
    const scope = contexts.forList(record.key);
    out.push(request(record, kind.priority, scope, kind.plan(record, scope)));
  }
  for (const document of documents) {
    const kind = documentKind(document);
    const scope = contexts.forDocument(document.key);
    out.push(request(document, kind.priority, scope, kind.plan(document, scope)));
  }
  return out;
}

function request(
  planned: AccountingDocument,
  priority: number,
  scope: PlanScope,
  { message, body }: PlannedMessage,
): PlannedRequest {
  return {
    key: planned.key,
    kind: planned.kind,
    message,
    body,
    dependsOn: scope.dependsOn,
    priority,
    externalGuid: scope.guid,
  };
}

/**
 * A planned request as the qbXML builder takes it. Its TxnID references must be resolved first
 * (`resolveTxnIdReferences`): the builder writes a TxnID as text. Each kind pairs its message with a body of that
 * message's type (`PlannedMessage`); a PlannedRequest holds the union of both, which TypeScript cannot pair again
 * (microsoft/TypeScript#30581), hence the assertion.
 */
export function toQbxmlRequest(planned: PlannedRequest, requestID: string): QbxmlRequest {
  return { type: planned.message, requestID, body: planned.body } as QbxmlRequest;
}

/**
 * A planned body as the outbox stores it (JSON): Money leaves as the decimal string qbXML uses, since a bigint has
 * no faithful JSON form. TxnID references stay as they are, for the delivery backend to fill in.
 */
export function storableBody(value: unknown): unknown {
  if (typeof value === 'bigint') return formatMoney(value);
  if (Array.isArray(value)) return value.map(storableBody);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = storableBody(item);
    return out;
  }
  return value;
}

/** A planned body as the outbox stores it (see `storableBody`). */
function storedBody(body: PlannedBody): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(body)) out[key] = storableBody(item);
  return out;
}

/** Planned requests as outbox entries for one company file; the source is the document key's first segment. */
export function outboxInputs(
  planned: readonly PlannedRequest[],
  companyFileId: string,
  syncRunId: string | null = null,
): EnqueueInput[] {
  return planned.map((p) => ({
    companyFileId,
    key: p.key,
    kind: p.kind,
    request: { type: p.message, body: storedBody(p.body) },
    dependencies: p.dependsOn,
    priority: p.priority,
    source: { kind: p.key.slice(0, p.key.indexOf('/')), id: p.key },
    syncRunId,
  }));
}

/**
 * The outbox entry that takes back what the connector posted under `key` (see the removal kind), keyed by the
 * posted document's `editSequence`-th change so a later change can take back what that one posted.
 */
export function removalInput(
  companyFileId: string,
  key: string,
  target: RemovalTarget,
  editSequence: number,
): EnqueueInput {
  const { message, body } = removal.plan(target);
  return {
    companyFileId,
    key: `${key}/edit/${editSequence}/remove`,
    kind: removal.kindOf(target),
    request: { type: message, body: storedBody(body) },
    priority: removal.priority,
    // What is taken back is always an order's document: a sales order, or a deposit taken on an order.
    source: { kind: 'order', id: key },
  };
}
