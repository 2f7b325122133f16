/**
 * Bulk backfill throughput: a generated shop of N orders (default 100,000) written as the JSONL of an ungrouped
 * bulk operation (the BulkOrders query's shape: one line per order, one per line item / shipping line / return,
 * children carrying __parentId), then read back three ways in the same process:
 *   1. floor      — split lines + JSON.parse, nothing else;
 *   2. stitch     — what the backfill does in memory: line bytes → BulkStitcher → record bytes + content hash
 *                   (everything but the database);
 *   3. store      — the stitched records saved as source-record versions in a fresh SQLite file, 200 per
 *                   transaction (the backfill's batch size).
 * Prints orders/s per pass, the ratio of pass 2 to the floor (goal ≤ 2×) and peak RSS (goal < 256 MB whatever N:
 * the file is generated and read as a stream, never held).
 *
 *   node bench/extract.ts [--orders 100000] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order } from '../src/domain/index.ts';
import { BulkStitcher, readLineBytes, readLines, type StitchedRoot } from '../src/extract/bulk-jsonl.ts';
import { contentHash, type SourceRecordInput, saveSourceRecords } from '../src/extract/source-records.ts';
import { generateOrders } from '../src/simulators/shopify/generator/index.ts';
import { openDatabase } from '../src/storage/index.ts';

const args = process.argv.slice(2);
const ordersArg = args.indexOf('--orders');
const ORDERS = ordersArg >= 0 ? Number(args[ordersArg + 1]) : 100_000;
const writeOnly = args.indexOf('--write-only');
const storeOnly = args.indexOf('--store-only');
const given = writeOnly >= 0 ? args[writeOnly + 1]! : storeOnly >= 0 ? args[storeOnly + 1]! : null;
const folder = given ? join(given, '..') : mkdtempSync(join(tmpdir(), 'bench-extract-'));
const file = given ?? join(folder, 'bulk-orders.jsonl');

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The lines Shopify writes for one order of the BulkOrders query (groupObjects: false). */
function bulkLines(order: Order): string[] {
  const { lineItems, shippingLines, returns, refunds, ...root } = order;
  const lines = [JSON.stringify({ ...root, refunds: refunds.map((r) => ({ id: r.id })) })];
  for (const item of lineItems) lines.push(JSON.stringify({ ...item, __parentId: order.id }));
  for (const line of shippingLines) lines.push(JSON.stringify({ ...line, __parentId: order.id }));
  for (const ret of returns) lines.push(JSON.stringify({ id: ret.id, __parentId: order.id }));
  return lines;
}

async function writeFile(): Promise<void> {
  const out = createWriteStream(file);
  let buffer = '';
  for (const order of generateOrders({ seed: 'bench-extract', orders: ORDERS })) {
    buffer += bulkLines(order).join('\n') + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

async function floor(): Promise<{ ms: number; objects: number }> {
  const started = performance.now();
  let objects = 0;
  for await (const line of readLines(createReadStream(file))) {
    if (line.length === 0) continue;
    JSON.parse(line);
    objects += 1;
  }
  return { ms: performance.now() - started, objects };
}

async function stitch(
  onRecord?: (record: SourceRecordInput) => Promise<void>,
): Promise<{ ms: number; roots: number; toPagedApi: number }> {
  const started = performance.now();
  const stitcher = new BulkStitcher({
    childFields: { LineItem: 'lineItems', ShippingLine: 'shippingLines', Return: 'returns' },
    keep: ['updatedAt', 'refunds'],
  });
  let roots = 0;
  let toPagedApi = 0;
  const take = async (batch: readonly StitchedRoot[]) => {
    for (const { root, bytes, childCounts } of batch) {
      roots += 1;
      // As in the backfill: orders with refunds or returns are read again through the paged API, not stored here.
      if ((root.refunds as unknown[]).length > 0 || (childCounts.returns ?? 0) > 0) {
        toPagedApi += 1;
        continue;
      }
      if (onRecord) {
        await onRecord({
          kind: 'order',
          sourceId: root.id as string,
          sourceUpdatedAt: root.updatedAt as string,
          bytes,
        });
      } else {
        contentHash(bytes);
      }
    }
  };
  for await (const line of readLineBytes(createReadStream(file))) {
    const done = stitcher.push(line);
    if (done.length > 0) await take(done);
  }
  await take(stitcher.finish());
  return { ms: performance.now() - started, roots, toPagedApi };
}

async function store(
  name = 'bench.sqlite',
): Promise<{ ms: number; roots: number; inserted: number; toPagedApi: number }> {
  const storage = await openDatabase({ sqlitePath: join(folder, name) });
  let batch: SourceRecordInput[] = [];
  let inserted = 0;
  const flush = async () => {
    const outcome = await saveSourceRecords(storage, 'bench-shop', batch, { runId: 1, now: new Date().toISOString() });
    inserted += outcome.inserted;
    batch = [];
  };
  try {
    const result = await stitch(async (record) => {
      batch.push(record);
      if (batch.length >= 200) await flush();
    });
    await flush();
    return { ...result, inserted };
  } finally {
    await storage.close();
  }
}

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');

if (writeOnly >= 0) {
  await writeFile();
  process.exit(0);
}
if (storeOnly >= 0) {
  await store(`bench-store-${process.pid}.sqlite`);
  console.log(peakRssMb());
  process.exit(0);
}

try {
  // The shop is generated in a child process, so the peak RSS below is the backfill's alone.
  const started = performance.now();
  const child = spawnSync(process.execPath, [import.meta.filename, '--orders', String(ORDERS), '--write-only', file], {
    stdio: 'inherit',
  });
  if (child.status !== 0) throw new Error(`generating the bulk file failed (${child.status})`);
  console.log(
    `generated ${ORDERS.toLocaleString('en-US')} orders as bulk JSONL: ${(statSync(file).size / 1048576).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s (child process)`,
  );
  const base = await floor();
  console.log(
    `floor   JSON.parse of every line: ${base.objects.toLocaleString('en-US')} objects in ${(base.ms / 1000).toFixed(2)} s = ${rate(ORDERS, base.ms)} orders/s (peak RSS ${peakRssMb()} MB)`,
  );
  const stitched = await stitch();
  console.log(
    `stitch  line bytes → stitched order bytes + hash: ${stitched.roots.toLocaleString('en-US')} orders in ${(stitched.ms / 1000).toFixed(2)} s = ${rate(stitched.roots, stitched.ms)} orders/s, ${(stitched.ms / base.ms).toFixed(2)}× the floor (goal ≤ 2×); ${stitched.toPagedApi.toLocaleString('en-US')} orders with refunds/returns left to the paged API (peak RSS ${peakRssMb()} MB)`,
  );
  const stored = await store();
  console.log(
    `store   stitch + save as source-record versions in SQLite: ${stored.inserted.toLocaleString('en-US')} versions in ${(stored.ms / 1000).toFixed(2)} s = ${rate(stored.roots, stored.ms)} orders/s, ${(stored.ms / base.ms).toFixed(2)}× the floor`,
  );
  console.log(`peak RSS ${peakRssMb()} MB for all three passes in one process, default heap settings (goal < 256 MB)`);
  // maxRSS above is the whole process's (floor and stitch passes included); the store pass alone, in a fresh
  // process with default settings, is the backfill's own figure. The run with a smaller young generation shows how
  // much of what remains is V8 sizing its young generation (which grows while objects keep surviving minor GCs).
  const alone = spawnSync(process.execPath, [import.meta.filename, '--store-only', file], { encoding: 'utf8' });
  console.log(`peak RSS ${alone.stdout.trim()} MB for the store pass alone (fresh process, default heap settings)`);
  const small = spawnSync(process.execPath, ['--max-semi-space-size=4', import.meta.filename, '--store-only', file], {
    encoding: 'utf8',
  });
  console.log(
    `peak RSS ${small.stdout.trim()} MB for the same store pass with node --max-semi-space-size=4 (comparison only)`,
  );
  if (stitched.roots !== ORDERS || stored.roots !== ORDERS || stored.inserted + stored.toPagedApi !== ORDERS) {
    console.log(`MISMATCH: expected ${ORDERS} orders, stitched ${stitched.roots}, stored ${stored.inserted}`);
    process.exitCode = 1;
  }
} finally {
  if (!args.includes('--keep')) rmSync(folder, { recursive: true, force: true });
}
