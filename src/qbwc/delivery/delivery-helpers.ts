/** What the delivery backend builds from outbox entries, and the shapes its parts pass each other. */
import type { DeliveryRequest, FollowUpQuery } from '../../apply/index.ts';
import { ConnectorError } from '../../errors/index.ts';
import type { OutboxEntry } from '../../outbox/index.ts';
import type { QbxmlRequest } from '../../qbxml/index.ts';

export const NO_OP = 'NoOp';
/** Query messages that accept iterator="Start" (qbxmlops130.xsd); AccountQuery, PaymentMethodQuery… do not. */
export const ITERABLE_QUERIES =
  /^(Customer|Vendor|Item\w*|SalesReceipt|Invoice|ReceivePayment|SalesOrder|CreditMemo|JournalEntry|Deposit|PurchaseOrder|ItemReceipt|Bill|InventoryAdjustment|Transaction)Query$/;

interface FollowUp {
  entryId: number;
  query: FollowUpQuery;
}

/** The pages of a query read so far in this session. */
export interface CollectedPages {
  rets: Record<string, unknown>[];
  retNames: string[];
}

/** A request as it goes into a message set, with what to do with its answer. */
export type Outgoing =
  | { role: 'entry'; entry: OutboxEntry; request: QbxmlRequest }
  | { role: 'follow-up'; entry: OutboxEntry; followUp: FollowUp; request: QbxmlRequest };

export function isListType(type: string): boolean {
  return /^(Customer|Vendor|Account|Class|PaymentMethod|Item\w*)(Add|Mod)$/.test(type);
}

/** The Rq content: `{ CustomerAdd: {...} }` for adds and mods (planners may give the inner record alone). */
function rqContent(type: string, body: Record<string, unknown>): Record<string, unknown> {
  if (/(Add|Mod)$/.test(type) && (typeof body[type] !== 'object' || body[type] === null)) return { [type]: body };
  return body;
}

export function deliveryRequest(entry: OutboxEntry): DeliveryRequest {
  return {
    key: entry.key,
    type: entry.request.type,
    body: rqContent(entry.request.type, entry.request.body),
    attempts: Math.max(1, entry.attempts),
    resentAfterStatus: entry.lastError?.code === 'QB_RESEND' ? (entry.lastError.qbStatusCode ?? null) : null,
  };
}

export function iterable(entry: OutboxEntry): boolean {
  const body = entry.request.body;
  return !['ListID', 'FullName', 'TxnID', 'RefNumber', 'MaxReturned'].some((k) => k in body);
}

export function outgoingRequest(
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

export function asMerchantError(error: ConnectorError, entry: OutboxEntry): ConnectorError {
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
export function withOldMessageSetId(xml: string, id: string): string {
  return xml.replace(/<QBXMLMsgsRq\b/, `<QBXMLMsgsRq oldMessageSetID="${id}"`);
}
