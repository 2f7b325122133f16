/**
 * Outbox throughput on both engines: enqueue (batches of 100 per transaction), then sessions that lease 50, record
 * the message set and apply each entry, until the queue is empty. Prints entries per second and lease latency.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a scratch schema dropped
 * afterwards; skipped with a note when unreachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { enqueue, lease, markApplied, markSent, progress } from '../src/outbox/index.ts';
import { createCompanyFile, createShop, openDatabase, type Storage } from '../src/storage/index.ts';

const ENTRIES = Number(process.env.BENCH_OUTBOX_ENTRIES ?? 3000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(storage: Storage): Promise<void> {
  const shop = await createShop(storage, {
    domain: 'bench.myshopify.com',
    name: 'Bench',
    currency: 'USD',
    timeZone: 'UTC',
  });
  if (!shop.ok) throw shop.error;
  const file = await createCompanyFile(storage, {
    shopId: shop.value.id,
    webConnectorUserName: 'bench',
    appTokenHash: 'x',
    ownerId: '{O}',
    fileId: '{F}',
  });
  if (!file.ok) throw file.error;
  const companyFileId = file.value.id;

  const enqueueStart = performance.now();
  for (let start = 0; start < ENTRIES; start += 100) {
    const batch = [];
    for (let i = start; i < Math.min(ENTRIES, start + 100); i++) {
      const customer = `customer:${i % 200}`;
      batch.push(
        i < 200
          ? {
              companyFileId,
              key: customer,
              kind: 'customer',
              priority: 10,
              request: { type: 'CustomerAdd', body: { Name: customer } },
            }
          : {
              companyFileId,
              key: `receipt:${i}`,
              kind: 'sales-receipt',
              dependencies: [customer],
              request: { type: 'SalesReceiptAdd', body: { RefNumber: String(i), CustomerRef: { FullName: customer } } },
            },
      );
    }
    await enqueue(storage, batch);
  }
  const enqueueMs = performance.now() - enqueueStart;

  const leaseMs: number[] = [];
  let sessions = 0;
  const deliverStart = performance.now();
  for (;;) {
    const sessionId = `session-${sessions++}`;
    const t0 = performance.now();
    const leased = await lease(storage, companyFileId, sessionId, { limit: 50 });
    leaseMs.push(performance.now() - t0);
    if (leased.length === 0) break;
    const sent = await markSent(storage, {
      companyFileId,
      sessionId,
      entries: leased.map((entry, i) => ({ entryId: entry.id, requestId: String(i) })),
    });
    if (!sent.ok) throw sent.error;
    for (const entry of leased) await markApplied(storage, entry.id, { quickbooksId: `ID-${entry.id}` });
  }
  const deliverMs = performance.now() - deliverStart;
  const done = await progress(storage, companyFileId);
  if (done.applied !== ENTRIES) throw new Error(`applied ${done.applied} of ${ENTRIES}`);
  console.log(
    `${storage.engine.padEnd(8)} enqueue ${Math.round(ENTRIES / (enqueueMs / 1000))}/s · ` +
      `lease+send+apply ${Math.round(ENTRIES / (deliverMs / 1000))} entries/s · ` +
      `lease(50) p50 ${percentile(leaseMs, 50).toFixed(2)} ms p99 ${percentile(leaseMs, 99).toFixed(2)} ms ` +
      `(${ENTRIES} entries, ${sessions - 1} message sets)`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'qbd-bench-outbox-'));
try {
  const sqlite = await openDatabase({ sqlitePath: join(folder, 'bench.sqlite') });
  try {
    await run(sqlite);
  } finally {
    await sqlite.close();
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const schema = `bench_outbox_${process.pid}`;
const admin = new pg.Client({ connectionString: url });
try {
  await admin.connect();
} catch (error) {
  console.log(`postgres skipped: cannot connect to ${url} (${(error as Error).message})`);
  process.exit(0);
}
try {
  await admin.query(`create schema ${schema}`);
  const postgres = await openDatabase({ url, schema });
  try {
    await run(postgres);
  } finally {
    await postgres.close();
  }
} finally {
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}
