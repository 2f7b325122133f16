/**
 * Bulk operations (https://shopify.dev/docs/api/usage/bulk-operations/queries): `createBulkRunner` accepts or
 * refuses a query as Shopify does (bulk-query.ts), runs it in the background over every record, a slice of root
 * objects at a time (bounded memory), writes each object as one JSONL line, serves the file at
 * `/bulk-results/<id>.jsonl`, and announces the end with the `bulk_operations/finish` webhook.
 *
 * Duration model. Shopify documents no throughput for bulk operations; what its guide does say is that an
 * operation is queued (status CREATED) before it runs, that `objectCount` grows as it runs, and (from API 2026-01)
 * that up to five bulk query operations of an app run at a time per shop. The simulator models exactly that and
 * nothing more: an operation takes `startupMs` before it starts (CREATED → RUNNING), then exports
 * `objectsPerSecond` objects a second (every JSONL line is one object, as `objectCount` counts them), so
 *
 *     duration = startupMs + objects / objectsPerSecond
 *
 * and concurrent operations each run at that rate, independently of each other and of the rate limit (bulk
 * operations do not draw on the query cost bucket). It is a floor: where the simulator's own execution of the
 * query is slower (a large shop, several operations at once on a busy machine), an operation takes that long.
 * The defaults (250 ms, 5,000 objects/s) are an assumption, not a measurement; a bench that wants another figure
 * passes its own `bulkSpeed`. What the connector does with the file does not depend on these numbers — only how
 * long the simulated Shopify makes it wait.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { execute } from 'graphql';
import type { Logger } from '../../../logger/index.ts';
import { type BulkShape, checkBulkQuery, flattenBulkResult } from './bulk-query.ts';
import type { BulkOperationRecord, ResolverContext } from './resolvers.ts';
import { fieldResolver, typeResolver } from './resolvers.ts';

export { type BulkShape, type BulkUserError, checkBulkQuery, flattenBulkResult } from './bulk-query.ts';

/** How fast the simulated Shopify runs a bulk operation (see the model above). */
export interface BulkSpeed {
  startupMs: number;
  objectsPerSecond: number;
}

export const DEFAULT_BULK_SPEED: BulkSpeed = { startupMs: 250, objectsPerSecond: 5_000 };

/** From API 2026-01 an app may run up to five bulk query operations at a time per shop. */
export const MAX_CONCURRENT_BULK_QUERIES = 5;
const BULK_SLICE = 250;

export interface BulkRunnerOptions {
  schemaFor(query: string): GraphQLSchema;
  contextFor(bulk: ResolverContext['bulk']): ResolverContext;
  directory: string;
  speed?: BulkSpeed;
  /** Bulk queries an app may run at a time (default 5, API 2026-01 on; 1 before). */
  concurrency?: number;
  /** The simulator's clock (ms), for the operation's own timestamps. */
  now(): number;
  log: Logger;
  baseUrl(): string;
  closed(): boolean;
  /** Keeps the background run visible to close() and webhooksSettled(). */
  track<T>(work: Promise<T>): Promise<T>;
  finished(operation: BulkOperationRecord): Promise<void>;
}

export interface BulkRunner {
  operations: BulkOperationRecord[];
  runQuery(query: string, groupObjects: boolean): { bulkOperation: BulkOperationRecord | null; userErrors: unknown[] };
  serveFile(res: ServerResponse, name: string): Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function createBulkRunner(options: BulkRunnerOptions): BulkRunner {
  const speed = options.speed ?? DEFAULT_BULK_SPEED;
  const concurrency = options.concurrency ?? MAX_CONCURRENT_BULK_QUERIES;
  const operations: BulkOperationRecord[] = [];
  const fileOf = (operation: BulkOperationRecord) => `${operation.id.split('/').pop()}.jsonl`;

  async function run(operation: BulkOperationRecord, schema: GraphQLSchema, shape: BulkShape): Promise<void> {
    // Real time, not the simulator's clock: the model is about how long the connector waits.
    const queued = performance.now();
    await wait(speed.startupMs);
    operation.status = 'RUNNING';
    const started = performance.now();
    const path = join(options.directory, fileOf(operation));
    const file = await open(path, 'w');
    let objects = 0;
    let roots = 0;
    try {
      for (let offset = 0; !options.closed(); offset += BULK_SLICE) {
        const result = await execute({
          schema,
          document: shape.document,
          contextValue: options.contextFor({ offset, limit: BULK_SLICE }),
          fieldResolver,
          typeResolver,
        });
        if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
        const page = flattenBulkResult(schema, shape, result.data as Record<string, unknown>);
        // The slice is counted once the model says Shopify would have exported it.
        await wait(started + ((objects + page.lines.length) * 1000) / speed.objectsPerSecond - performance.now());
        if (page.lines.length > 0) await file.write(page.lines.join('\n') + '\n');
        objects += page.lines.length;
        roots += page.roots;
        operation.objectCount = String(objects);
        operation.rootObjectCount = String(roots);
        if (page.roots < BULK_SLICE) break;
      }
      await file.close();
      operation.fileSize = String((await stat(path)).size);
      // Shopify gives no URL for an operation that found nothing.
      operation.url = objects > 0 ? `${options.baseUrl()}/bulk-results/${fileOf(operation)}` : null;
      operation.status = 'COMPLETED';
    } catch (error) {
      await file.close().catch(() => {});
      operation.status = 'FAILED';
      operation.errorCode = 'INTERNAL_SERVER_ERROR';
      options.log.warn('bulk operation failed', { id: operation.id, error: (error as Error).message });
    }
    operation.completedAt = isoSeconds(options.now());
    options.log.debug('bulk operation finished', {
      id: operation.id,
      objects,
      ms: Math.round(performance.now() - queued),
    });
    if (!options.closed()) await options.finished(operation);
  }

  return {
    operations,
    runQuery(query, groupObjects) {
      void groupObjects; // Lines come out depth-first either way, which satisfies both orderings Shopify documents.
      const running = operations.filter(
        (op) => op.type === 'QUERY' && (op.status === 'CREATED' || op.status === 'RUNNING'),
      );
      if (running.length >= concurrency) {
        return {
          bulkOperation: null,
          userErrors: [
            {
              field: null,
              message: `A maximum of ${concurrency} bulk query operations can run at a time.`,
              code: 'LIMIT_REACHED',
            },
          ],
        };
      }
      const schema = options.schemaFor(query);
      const shape = checkBulkQuery(schema, query);
      if (Array.isArray(shape)) return { bulkOperation: null, userErrors: shape };
      const operation: BulkOperationRecord = {
        id: `gid://shopify/BulkOperation/${1_000_000 + operations.length + 1}`,
        status: 'CREATED',
        errorCode: null,
        type: 'QUERY',
        query,
        createdAt: isoSeconds(options.now()),
        completedAt: null,
        objectCount: '0',
        rootObjectCount: '0',
        fileSize: null,
        url: null,
        partialDataUrl: null,
      };
      operations.push(operation);
      options.track(run(operation, schema, shape));
      return { bulkOperation: operation, userErrors: [] };
    },
    async serveFile(res, name) {
      const path = /^\d+\.jsonl$/.test(name) ? join(options.directory, name) : null;
      const info = path ? await stat(path).catch(() => null) : null;
      if (!path || !info) {
        const text = JSON.stringify({ errors: 'Not Found' });
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end(text);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/jsonl', 'content-length': info.size });
      createReadStream(path).pipe(res);
    },
  };
}

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
