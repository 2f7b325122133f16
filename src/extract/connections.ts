import { ok, type Result } from '../errors/index.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import { documentText } from './documents.ts';

/**
 * GraphQL connections as the API returns them, and the two steps that turn them into source records: follow
 * every `pageInfo.hasNextPage` until the connection is complete, then flatten every connection to a plain array.
 */
export interface Connection<T = Record<string, unknown>> {
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  nodes?: T[];
  edges?: { node: T }[];
}

type Json = Record<string, unknown>;

export function isConnection(value: unknown): value is Connection {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0) return false;
  let hasList = false;
  for (const key of keys) {
    if (key === 'nodes' || key === 'edges') {
      if (!Array.isArray((value as Json)[key])) return false;
      hasList = true;
    } else if (key !== 'pageInfo') return false;
  }
  return hasList;
}

export function connectionNodes<T>(connection: Connection<T>): T[] {
  if (connection.nodes) return connection.nodes;
  return (connection.edges ?? []).map((edge) => edge.node);
}

/** Replaces every connection, at any depth, by the array of its nodes: the source record shape. */
export function flattenConnections<T>(value: unknown): T {
  if (Array.isArray(value)) return value.map((item) => flattenConnections(item)) as T;
  if (value === null || typeof value !== 'object') return value as T;
  if (isConnection(value)) return connectionNodes(value).map((node) => flattenConnections(node)) as T;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) out[key] = flattenConnections(item);
  return out as T;
}

/**
 * Completes `connection` in place: while it says there is a next page, asks `operation` for it (variables
 * `{ id, after }`) and appends its nodes. `pick` finds the connection in the answer.
 */
export async function completeConnection(
  client: AdminGraphqlClient,
  connection: Connection | undefined,
  operation: string,
  id: string,
  pick: (data: Json) => Connection | null | undefined,
  onNode?: (node: Json) => Promise<Result<void>>,
): Promise<Result<void>> {
  if (!connection) return ok(undefined);
  if (onNode) {
    for (const node of connectionNodes(connection)) {
      const done = await onNode(node as Json);
      if (!done.ok) return done;
    }
  }
  let pageInfo = connection.pageInfo;
  while (pageInfo?.hasNextPage) {
    const answer = await client.request<Json>(documentText(operation), { id, after: pageInfo.endCursor });
    if (!answer.ok) return answer;
    const next = pick(answer.value.data);
    if (!next) break;
    const nodes = connectionNodes(next);
    if (onNode) {
      for (const node of nodes) {
        const done = await onNode(node as Json);
        if (!done.ok) return done;
      }
    }
    if (connection.nodes) connection.nodes.push(...(nodes as Json[]));
    else connection.nodes = nodes as Json[];
    delete connection.edges;
    pageInfo = next.pageInfo;
  }
  connection.pageInfo = { hasNextPage: false, endCursor: pageInfo?.endCursor ?? null };
  return ok(undefined);
}

const field = (name: string) => (data: Json) => data[name] as Json | null | undefined;

/** Fetches the pages a return's first answer did not include: its exchange line items. */
export function completeReturn(client: AdminGraphqlClient, ret: Json): Promise<Result<void>> {
  return completeConnection(
    client,
    ret.exchangeLineItems as Connection,
    'ReturnExchangeLineItemsPage',
    ret.id as string,
    (d) => field('return')(d)?.exchangeLineItems as Connection,
  );
}

/** Fetches the pages a refund's first answer did not include: lines, shipping lines, adjustments, transactions. */
export async function completeRefund(client: AdminGraphqlClient, refund: Json): Promise<Result<void>> {
  const refundId = refund.id as string;
  const pick = (name: string) => (d: Json) => field('refund')(d)?.[name] as Connection;
  for (const [name, operation] of [
    ['refundLineItems', 'RefundLineItemsPage'],
    ['refundShippingLines', 'RefundShippingLinesPage'],
    ['orderAdjustments', 'RefundOrderAdjustmentsPage'],
    ['transactions', 'RefundTransactionsPage'],
  ] as const) {
    const done = await completeConnection(client, refund[name] as Connection, operation, refundId, pick(name));
    if (!done.ok) return done;
  }
  return ok(undefined);
}

/** Fetches the pages an order's first answer did not include: line items, shipping lines, returns, refunds. */
export async function completeOrder(client: AdminGraphqlClient, order: Json): Promise<Result<void>> {
  const id = order.id as string;
  const steps: Result<void>[] = [];
  steps.push(
    await completeConnection(
      client,
      order.lineItems as Connection,
      'OrderLineItemsPage',
      id,
      (d) => field('order')(d)?.lineItems as Connection,
    ),
  );
  steps.push(
    await completeConnection(
      client,
      order.shippingLines as Connection,
      'OrderShippingLinesPage',
      id,
      (d) => field('order')(d)?.shippingLines as Connection,
    ),
  );
  steps.push(
    await completeConnection(
      client,
      order.returns as Connection,
      'OrderReturnsPage',
      id,
      (d) => field('order')(d)?.returns as Connection,
      (ret) => completeReturn(client, ret),
    ),
  );
  for (const failed of steps) if (!failed.ok) return failed;
  for (const refund of (order.refunds as Json[] | undefined) ?? []) {
    const done = await completeRefund(client, refund);
    if (!done.ok) return done;
  }
  return ok(undefined);
}

export async function completeProduct(client: AdminGraphqlClient, product: Json): Promise<Result<void>> {
  return completeConnection(
    client,
    product.variants as Connection,
    'ProductVariantsPage',
    product.id as string,
    (d) => field('product')(d)?.variants as Connection,
  );
}

export async function completePurchaseOrder(client: AdminGraphqlClient, order: Json): Promise<Result<void>> {
  return completeConnection(
    client,
    order.lineItems as Connection,
    'PurchaseOrderLineItemsPage',
    order.id as string,
    (d) => field('inventoryPurchaseOrder')(d)?.lineItems as Connection,
  );
}

export async function completeTransfer(client: AdminGraphqlClient, transfer: Json): Promise<Result<void>> {
  return completeConnection(
    client,
    transfer.shipments as Connection,
    'TransferShipmentsPage',
    transfer.id as string,
    (d) => field('inventoryTransfer')(d)?.shipments as Connection,
    (shipment) =>
      completeConnection(
        client,
        shipment.lineItems as Connection,
        'ShipmentLineItemsPage',
        shipment.id as string,
        (d) => field('inventoryShipment')(d)?.lineItems as Connection,
      ),
  );
}
