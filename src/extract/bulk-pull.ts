import { Readable } from 'node:stream';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { inTransaction } from '../storage/index.ts';
import { BulkStitcher, readLineBytes, type StitchedRoot } from './bulk-jsonl.ts';
import { completeRefund, completeReturn, flattenConnections } from './connections.ts';
import { type EntityCounts, maxIso, type PullContext, storeBatch } from './context.ts';
import { bulkQueryText, documentText } from './documents.ts';
import { ENTITY_SPECS, type ExtractEntity } from './entities.ts';
import {
  markBulkIngested,
  readWatermark,
  recordBulkOperation,
  recordBulkOutcome,
  resumableBulkOperation,
  writeWatermark,
} from './runs.ts';
import type { SourceRecordInput } from './source-records.ts';

/**
 * Backfill through bulk operations: one per entity that has a bulk query (entities.ts), started together so
 * Shopify runs them side by side, each then ingested as one JSONL file (see bulk-jsonl.ts). The watermark is set
 * to when the operation started, so the next incremental pull picks up whatever changed while it ran.
 *
 * Orders: the bulk file holds each order with its lines, shipping lines and return ids, and refund ids. Refunds
 * and returns themselves are read by id, many per request (RefundsByIds, ReturnsByIds), never the order again:
 * the only order re-read through the paged API is one whose children came too late in the file for the stitcher
 * (rare; see BulkStitcher.lateParents), and the same holds for a product and its variants.
 */
export interface BulkReport {
  objects: number;
  roots: number;
  lateChildren: number;
  /** Records read again through the paged API (children late in the file). */
  completedThroughPagedApi: number;
  /** Requests that read refunds and returns by id. */
  detailRequests: number;
}

export interface StartedBulk {
  id: string;
  createdAt: string;
}

type Json = Record<string, unknown>;

/**
 * Refunds or returns per `nodes` request: each id is priced as a whole refund (143 points requested with its first
 * pages and its duties) or return (9), so a request stays under Shopify's 1000-point single-query cost.
 */
const REFUNDS_PER_REQUEST = 6;
const RETURNS_PER_REQUEST = 100;
/** Orders are held for their refunds and returns until this many refunds (or orders) have gathered: full requests. */
const DETAIL_REFUNDS = 5 * REFUNDS_PER_REQUEST;
const DETAIL_ORDERS = 100;
const STORE_BATCH = 200;

const bulkError = (code: string, message: string, merchantMessage: string) =>
  err(new ConnectorError({ code, message, merchantMessage, retryable: true }));

/** Starts the entity's bulk operation, or resumes the one an earlier backfill left running or not ingested. */
export async function startBulk(ctx: PullContext, entity: ExtractEntity): Promise<Result<StartedBulk>> {
  const spec = ENTITY_SPECS[entity].bulk;
  if (!spec) throw new Error(`${entity} has no bulk query`);
  const pending = await resumableBulkOperation(ctx.storage, ctx.shopId, entity);
  if (pending) {
    ctx.logger.info('resuming bulk operation', { shopId: ctx.shopId, entity, bulkOperationId: pending.id });
    return ok(pending);
  }
  const answer = await ctx.client.request<{
    bulkOperationRunQuery: {
      bulkOperation: { id: string; status: string } | null;
      userErrors: { message: string; code: string | null }[];
    };
  }>(documentText('BulkOperationRunQuery'), { query: bulkQueryText(spec.query) });
  if (!answer.ok) return answer;
  const { bulkOperation, userErrors } = answer.value.data.bulkOperationRunQuery;
  if (!bulkOperation || userErrors.length > 0) {
    const inProgress = userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS' || e.code === 'LIMIT_REACHED');
    return err(
      new ConnectorError({
        code: 'SHOPIFY_BULK_OPERATION_REFUSED',
        message: `bulkOperationRunQuery refused: ${userErrors.map((e) => `${e.code}: ${e.message}`).join('; ')}`,
        merchantMessage: inProgress
          ? 'Shopify is still busy with another export for this store. The connector will try the history import again shortly.'
          : undefined,
        retryable: inProgress,
      }),
    );
  }
  const createdAt = ctx.nowIso();
  await recordBulkOperation(ctx.storage, {
    id: bulkOperation.id,
    shopId: ctx.shopId,
    entity,
    status: bulkOperation.status,
    createdAt,
  });
  return ok({ id: bulkOperation.id, createdAt });
}

/** Shopify refused to start the operation only because enough of the app's operations already run. */
export function isLimitReached(started: Result<StartedBulk>): boolean {
  return !started.ok && started.error.code === 'SHOPIFY_BULK_OPERATION_REFUSED' && started.error.retryable;
}

async function pollBulk(ctx: PullContext, entity: ExtractEntity, id: string): Promise<Result<Json>> {
  // Soon at first (a small export is done in well under a second), then every bulkPollIntervalMs.
  for (let delay = 100; ; delay = Math.min(delay * 2, ctx.bulkPollIntervalMs)) {
    const answer = await ctx.client.request<{ bulkOperation: Json | null }>(documentText('BulkOperationById'), { id });
    if (!answer.ok) return answer;
    const operation = answer.value.data.bulkOperation;
    if (!operation) {
      // Expired or never known to this shop: forget it, so the next backfill starts a new one.
      await recordBulkOutcome(ctx.storage, id, { status: 'MISSING', finishedAt: ctx.nowIso() });
      return err(
        new ConnectorError({
          code: 'SHOPIFY_BULK_OPERATION_MISSING',
          message: `Bulk operation ${id} is unknown to Shopify`,
          retryable: true,
        }),
      );
    }
    const status = operation.status as string;
    ctx.onProgress?.({ type: 'bulk', entity, status, objects: Number(operation.objectCount ?? 0) });
    if (status !== 'CREATED' && status !== 'RUNNING' && status !== 'CANCELING') return ok(operation);
    await ctx.sleep(Math.min(delay, ctx.bulkPollIntervalMs));
  }
}

/** Waits for the operation, then stores what its file holds (and, for orders, their refunds and returns). */
export async function ingestBulk(
  ctx: PullContext,
  entity: ExtractEntity,
  started: StartedBulk,
  counts: EntityCounts,
): Promise<Result<BulkReport>> {
  const { bulk: spec, paged } = ENTITY_SPECS[entity];
  if (!spec) throw new Error(`${entity} has no bulk query`);
  const { kind, dateField } = paged[0]!;
  const polled = await pollBulk(ctx, entity, started.id);
  if (!polled.ok) return polled;
  const operation = polled.value;
  await recordBulkOutcome(ctx.storage, started.id, {
    status: operation.status as string,
    url: (operation.url as string | null) ?? null,
    errorCode: (operation.errorCode as string | null) ?? null,
    finishedAt: (operation.completedAt as string | null) ?? ctx.nowIso(),
  });
  if (operation.status !== 'COMPLETED') {
    return bulkError(
      'SHOPIFY_BULK_OPERATION_FAILED',
      `Bulk operation ${started.id} ended ${String(operation.status)} (${String(operation.errorCode ?? 'no error code')})`,
      'Shopify could not finish exporting the store’s history. The connector will start the history import again.',
    );
  }
  const stitcher = new BulkStitcher({
    childFields: spec.childFields,
    window: ctx.bulkWindow,
    keep: dateField ? [dateField, 'refunds'] : ['refunds'],
  });
  const details = spec.orderDetails ? new OrderDetails(ctx) : null;
  let batch: SourceRecordInput[] = [];
  const flush = async () => {
    await storeBatch(ctx, batch, null, counts);
    batch = [];
  };
  const take = async (roots: readonly StitchedRoot[]) => {
    for (const stitched of roots) {
      const sourceUpdatedAt = dateField ? ((stitched.root[dateField] as string | null) ?? null) : null;
      if (details?.needs(stitched)) {
        const ready = await details.hold(stitched, sourceUpdatedAt);
        if (!ready.ok) return ready;
        if (ready.value.length > 0) await storeBatch(ctx, ready.value, null, counts);
        continue;
      }
      batch.push({ kind, sourceId: stitched.root.id as string, sourceUpdatedAt, bytes: stitched.bytes });
      if (batch.length >= STORE_BATCH) await flush();
    }
    return ok(undefined);
  };
  const url = operation.url as string | null;
  if (url) {
    const failed = (detail: string) =>
      bulkError(
        'SHOPIFY_BULK_DOWNLOAD_FAILED',
        `Downloading bulk result ${started.id} failed: ${detail}`,
        'The history export from Shopify could not be downloaded. The connector will try again; what was already saved is kept.',
      );
    try {
      const response = await ctx.download(url);
      if (!response.ok || !response.body) return failed(`HTTP ${response.status}`);
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
      for await (const line of readLineBytes(body)) {
        const roots = stitcher.push(line);
        if (roots.length > 0) {
          const taken = await take(roots);
          if (!taken.ok) return taken;
        }
        if (ctx.onProgress && stitcher.stats.lines % 2000 === 0) {
          ctx.onProgress({ type: 'bulk', entity, status: 'DOWNLOADING', objects: stitcher.stats.lines });
        }
      }
    } catch (error) {
      // The operation stays recorded as not ingested: the next backfill downloads the same file again (the
      // records already stored are unchanged and add no version).
      if (error instanceof SyntaxError) throw error;
      return failed((error as Error).message);
    }
  }
  const taken = await take(stitcher.finish());
  if (!taken.ok) return taken;
  await flush();
  if (details) {
    const rest = await details.drain();
    if (!rest.ok) return rest;
    if (rest.value.length > 0) await storeBatch(ctx, rest.value, null, counts);
  }
  let reread = 0;
  for (const id of stitcher.lateParents) {
    const done = await readWhole(ctx, entity, id, counts);
    if (!done.ok) return done;
    reread += done.value;
  }
  // Everything updated before the operation started is in the file; later changes come with the next pull.
  // (Read before the transaction: on SQLite a read on the outer handle inside it would wait forever.)
  const watermark = maxIso(await readWatermark(ctx.storage, ctx.shopId, entity), started.createdAt);
  await inTransaction(ctx.storage, async (scope) => {
    await writeWatermark(scope, ctx.shopId, entity, watermark, ctx.nowIso());
    await markBulkIngested(scope, started.id, ctx.nowIso());
  });
  return ok({
    objects: stitcher.stats.lines,
    roots: stitcher.stats.roots,
    lateChildren: stitcher.stats.lateChildren,
    completedThroughPagedApi: reread,
    detailRequests: details?.requests ?? 0,
  });
}

/** A record the stitcher could not complete (a child arrived after it was emitted): read whole, once. */
async function readWhole(
  ctx: PullContext,
  entity: ExtractEntity,
  id: string,
  counts: EntityCounts,
): Promise<Result<number>> {
  const { bulk, paged } = ENTITY_SPECS[entity];
  const [operation, field] = bulk?.byId ?? [];
  if (!operation || !field) throw new Error(`${entity} has children in its bulk file but no query by id`);
  const answer = await ctx.client.request<Json>(documentText(operation), { id });
  if (!answer.ok) return answer;
  const node = answer.value.data[field] as Json | null;
  if (!node) return ok(0);
  const spec = paged[0]!;
  const done = spec.complete ? await spec.complete(ctx.client, node) : ok(undefined);
  if (!done.ok) return done;
  const sourceUpdatedAt = spec.dateField ? ((node[spec.dateField] as string | null) ?? null) : null;
  await storeBatch(
    ctx,
    [{ kind: spec.kind, sourceId: id, sourceUpdatedAt, payload: flattenConnections(node) }],
    null,
    counts,
  );
  return ok(1);
}

interface HeldOrder {
  stitched: StitchedRoot;
  sourceUpdatedAt: string | null;
}

/**
 * Orders from the bulk file that have refunds or returns, held until enough refund and return ids have gathered
 * to read them by id in full requests; then each order's `refunds` and `returns` are replaced, in place, by the
 * records read — the same fields in the same order as the paged OrderFields gives, so the text is the same.
 */
class OrderDetails {
  readonly #ctx: PullContext;
  #held: HeldOrder[] = [];
  #refunds = 0;
  requests = 0;

  constructor(ctx: PullContext) {
    this.#ctx = ctx;
  }

  needs(stitched: StitchedRoot): boolean {
    const refunds = (stitched.root.refunds as unknown[] | undefined) ?? [];
    return refunds.length > 0 || (stitched.childCounts.returns ?? 0) > 0;
  }

  async hold(stitched: StitchedRoot, sourceUpdatedAt: string | null): Promise<Result<SourceRecordInput[]>> {
    this.#held.push({ stitched, sourceUpdatedAt });
    this.#refunds += ((stitched.root.refunds as unknown[] | undefined) ?? []).length;
    if (this.#refunds < DETAIL_REFUNDS && this.#held.length < DETAIL_ORDERS) return ok([]);
    return this.drain();
  }

  async drain(): Promise<Result<SourceRecordInput[]>> {
    const held = this.#held;
    this.#held = [];
    this.#refunds = 0;
    if (held.length === 0) return ok([]);
    const orders = held.map(({ stitched }) => JSON.parse(stitched.text) as Json);
    const ids = (field: 'refunds' | 'returns') =>
      orders.flatMap((order) => ((order[field] as { id: string }[] | undefined) ?? []).map((r) => r.id));
    const refunds = await this.#read('RefundsByIds', ids('refunds'), REFUNDS_PER_REQUEST, completeRefund);
    if (!refunds.ok) return refunds;
    const returns = await this.#read('ReturnsByIds', ids('returns'), RETURNS_PER_REQUEST, completeReturn);
    if (!returns.ok) return returns;
    return ok(
      orders.map((order, index) => {
        const fill = (field: 'refunds' | 'returns', found: Map<string, Json>) => {
          // One no longer there (a return removed meanwhile) is left out; the next incremental pull re-reads it.
          order[field] = ((order[field] as { id: string }[]) ?? []).flatMap((r) => found.get(r.id) ?? []);
        };
        fill('refunds', refunds.value);
        fill('returns', returns.value);
        return {
          kind: 'order' as const,
          sourceId: order.id as string,
          sourceUpdatedAt: held[index]!.sourceUpdatedAt,
          text: JSON.stringify(order),
        };
      }),
    );
  }

  async #read(
    operation: string,
    ids: string[],
    perRequest: number,
    complete: (client: PullContext['client'], node: Json) => Promise<Result<void>>,
  ): Promise<Result<Map<string, Json>>> {
    const found = new Map<string, Json>();
    for (let start = 0; start < ids.length; start += perRequest) {
      const answer = await this.#ctx.client.request<{ nodes: (Json | null)[] }>(documentText(operation), {
        ids: ids.slice(start, start + perRequest),
      });
      this.requests += 1;
      if (!answer.ok) return answer;
      for (const node of answer.value.data.nodes) {
        if (!node?.id) continue;
        const done = await complete(this.#ctx.client, node);
        if (!done.ok) return done;
        found.set(node.id as string, flattenConnections(node));
      }
    }
    return ok(found);
  }
}
