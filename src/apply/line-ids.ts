/**
 * The TxnLineIDs of an order's lines, which receipts and invoices link to (`LinkToTxn`). The delivery keeps them
 * from the order's own Ret when it is applied (`transactionLineSource`); an order applied before the connector kept
 * them has none, so a receipt linking to its lines would be refused before sending. Then QuickBooks is asked for
 * the order with its lines (`PurchaseOrderQuery` by TxnID, `IncludeLineItems`) as an outbox entry of its own, and its
 * answer fills the line ids in — the lines come back in the order they were added, as QuickBooks keeps them.
 */
import { ConnectorError } from '../errors/index.ts';
import type { QbxmlResponse } from '../qbxml/index.ts';
import type { Decision, DeliveryRequest } from './policy.ts';

/** The outbox kind of the read that fills an order's line ids in. */
export const LINE_IDS_ENTRY_KIND = 'line-ids';

const SUFFIX = '/line-ids';

/** Before the documents that wait for it (a purchase order's own priority is 50). */
const LINE_IDS_PRIORITY = 60;

/** The lines other documents link to by TxnLineID: a purchase order's (receipts) and a sales order's (invoices). */
const LINKED_LINES = ['PurchaseOrderLineRet', 'SalesOrderLineRet'];

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

/** The TxnLineIDs of a purchase or sales order's Ret, in order ('' for a line without one); none for others. */
export function lineIdsOf(ret: Record<string, unknown>): { lineIds?: string[] } {
  const lines = LINKED_LINES.flatMap((name) => (ret[name] === undefined ? [] : [ret[name]].flat()));
  if (lines.length === 0) return {};
  const idOfLine = (line: unknown) =>
    (line && typeof line === 'object' ? text((line as Record<string, unknown>).TxnLineID) : null) ?? '';
  return { lineIds: lines.map(idOfLine) };
}

function innerOf(request: DeliveryRequest): Record<string, unknown> {
  return request.body && typeof request.body === 'object' ? request.body : {};
}

/** The query for an order's lines, by the type of the request that added it; null for any other type. */
function queryTypeFor(addType: string): string | null {
  if (addType === 'PurchaseOrderAdd') return 'PurchaseOrderQuery';
  if (addType === 'SalesOrderAdd') return 'SalesOrderQuery';
  return null;
}

/**
 * The outbox entry (without its company file) that asks QuickBooks for the lines of the order applied under
 * `orderKey` as `txnId`; null when the order's type has no lines to link to.
 */
export function lineIdsRead(orderKey: string, txnId: string, addType: string) {
  const type = queryTypeFor(addType);
  if (type === null) return null;
  return {
    key: `${orderKey}${SUFFIX}`,
    kind: LINE_IDS_ENTRY_KIND,
    request: { type, body: { TxnID: [txnId], IncludeLineItems: true } },
    priority: LINE_IDS_PRIORITY,
    source: { kind: 'order-lines', id: orderKey },
  };
}

/** The key of the line-ids read of the order `orderKey`. */
export function lineIdsReadKey(orderKey: string): string {
  return `${orderKey}${SUFFIX}`;
}

/** The order whose lines a line-ids read asks for, from the read's key; null for any other key. */
export function lineIdsReadTarget(key: string): string | null {
  return key.endsWith(SUFFIX) ? key.slice(0, -SUFFIX.length) : null;
}

/**
 * QuickBooks' answer to a line-ids read (status below 1000): the order's lines' ids, to keep under the order's key
 * (`linesOf`); the order must be the one asked for. An order QuickBooks no longer has (deleted by hand) is the merchant's to know about: the
 * documents linking to it cannot be sent.
 */
export function decideLineIds(response: QbxmlResponse, request: DeliveryRequest, orderKey: string): Decision {
  const ret = response.rets[0];
  const lines = ret ? lineIdsOf(ret).lineIds : undefined;
  const asked = text([innerOf(request).TxnID].flat()[0]);
  const id = ret ? text(ret.TxnID) : null;
  if (ret && id !== null && id === asked && lines && lines.length > 0) {
    // No id of its own (a read adds nothing to QuickBooks, and the order's TxnID is its Add's): only the lines.
    return { action: 'applied', quickbooksId: '', editSequence: null, name: null, lineIds: lines, linesOf: orderKey };
  }
  return {
    action: 'needs-attention',
    error: new ConnectorError({
      code: 'QB_ORDER_LINES_MISSING',
      message: `${request.type} for ${orderKey}: QuickBooks returned ${ret ? 'the order without lines' : 'no order'} (status ${response.statusCode} ${response.statusMessage.trim()})`,
      merchantMessage: `The connector asked QuickBooks for the lines of ${orderKey}, which documents received against it link to, and QuickBooks ${ret ? 'sent the order without its lines' : 'no longer has that order (was it deleted?)'}. Those documents cannot be sent until it is there: contact support with this message.`,
      merchantMustAct: true,
      details: { key: orderKey },
    }),
  };
}
