import { ok, type Result } from '../errors/index.ts';
import { type Connection, connectionNodes, flattenConnections, isConnection } from './connections.ts';
import { type EntityCounts, maxIso, type PullContext, storeBatch } from './context.ts';
import { documentText } from './documents.ts';
import type { ExtractEntity, PagedSpec } from './entities.ts';
import { readWatermark } from './runs.ts';
import type { SourceRecordInput } from './source-records.ts';

type Json = Record<string, unknown>;

/** The one paged read: every page of `spec`, stored page by page, starting where its cursor says (entities.ts). */
export async function pullPaged(
  ctx: PullContext,
  entity: ExtractEntity,
  spec: PagedSpec,
  counts: EntityCounts,
  fromScratch: boolean,
): Promise<Result<void>> {
  const stored = spec.cursor === 'updatedAt' || spec.cursor === 'window';
  let watermark = stored && !fromScratch ? await readWatermark(ctx.storage, ctx.shopId, entity) : null;
  const since =
    spec.cursor === 'updatedAt' && watermark ? new Date(Date.parse(watermark) - ctx.overlapMs).toISOString() : null;
  const stopBefore = spec.cursor === 'window' && watermark ? Date.parse(watermark) - ctx.paymentsWindowMs : null;
  const first = typeof spec.first === 'string' ? ctx.sizes[spec.first] : spec.first;
  let after: string | null = null;
  for (;;) {
    const variables: Json = {};
    if (spec.cursor !== 'single') variables.after = after;
    if (first !== undefined) variables.first = first;
    if (spec.cursor === 'updatedAt') variables.query = since ? `updated_at:>='${since}'` : null;
    const answer = await ctx.client.request<Json>(documentText(spec.operation), variables);
    if (!answer.ok) return answer;
    let value: unknown = answer.value.data;
    for (const key of spec.path) value = (value as Json | null)?.[key] ?? null;
    // A null on the way (a shop without Shopify Payments has no account): nothing to pull, not an error.
    if (value === null) return ok(undefined);
    const connection = isConnection(value) ? (value as Connection) : null;
    const nodes = connection ? (connectionNodes(connection) as Json[]) : [value as Json];
    const hasNextPage = connection?.pageInfo?.hasNextPage ?? false;
    const records: SourceRecordInput[] = [];
    let reachedWindow = false;
    for (const node of nodes) {
      const date = spec.dateField ? ((node[spec.dateField] as string | null) ?? null) : null;
      if (stopBefore !== null && date !== null && Date.parse(date) < stopBefore) {
        reachedWindow = true;
        break;
      }
      if (spec.complete) {
        const done = await spec.complete(ctx.client, node);
        if (!done.ok) return done;
      }
      records.push({
        kind: spec.kind,
        sourceId: node.id as string,
        sourceUpdatedAt: date,
        payload: flattenConnections(node),
      });
      if (stored) watermark = maxIso(watermark, date);
    }
    const last = reachedWindow || !hasNextPage;
    // Oldest-first pages advance the watermark page by page; newest-first ones only once the window is read.
    const cursor = spec.cursor === 'updatedAt' || (spec.cursor === 'window' && last) ? { entity, watermark } : null;
    await storeBatch(ctx, records, cursor, counts);
    if (last) return ok(undefined);
    after = connection?.pageInfo?.endCursor ?? null;
  }
}
