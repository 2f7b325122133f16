/**
 * The outbox at scale, through the real delivery path. For each size N: N pending entries are enqueued (batches of
 * 1,000 per call, as a sync run adds its plan), then Web Connector sessions run against the delivery backend the
 * SOAP service calls — authenticate, sendRequestXML, receiveResponseXML (answered at once, every add "Status OK"
 * with its record), closeConnection — and each call's latency is recorded. Then, on PostgreSQL, the same N spread
 * over SHOPS shops sharing the database, their sessions running at the same time. Goal: sendRequestXML p99 under
 * 50 ms at a million entries, and flat in N.
 *
 * The queue: 100 customers (priority 100) and receipts that each need one of them; one customer is cancelled, so
 * one receipt in a hundred is blocked for good and every lease has to step over such entries.
 *
 * Environment: BENCH_OUTBOX_ENTRIES (comma-separated sizes, default 2000), BENCH_OUTBOX_MESSAGE_SETS (measured per
 * size, default 40), BENCH_OUTBOX_SHOPS (default 10; 0 skips the shared run), BENCH_OUTBOX_ENGINES (default
 * "sqlite,postgres"), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a scratch schema,
 * dropped afterwards; PostgreSQL is skipped with a note when unreachable), BENCH_OUTBOX_SINGLE=0 (skip the one-shop run
 * on PostgreSQL, straight to the shared one), BENCH_OUTBOX_PROFILE=1 (where the shared run's time goes: each
 * statement's latency, the event loop's delay, and what the database's backends were doing, sampled every 10 ms),
 * BENCH_OUTBOX_CPU_PROFILE=file.cpuprofile (this process's CPU profile of the shared run's sessions alone).
 * A million:  BENCH_OUTBOX_ENTRIES=10000,1000000 BENCH_OUTBOX_MESSAGE_SETS=200 npm run bench -- outbox
 * (filling takes most of it: about 7 minutes on SQLite, 2 on PostgreSQL, and 2 more for the shared run). Each run
 * prints one trivial query's round trip first: on a busy machine every figure moves with it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type KyselyPlugin, sql } from 'kysely';
import pg from 'pg';
import { cancelEntry, type EnqueueInput, enqueue, getEntryByKey, progress } from '../src/outbox/index.ts';
import { createDeliveryBackend } from '../src/qbwc/delivery/index.ts';
import { findSessionByTicket, pairCompanyFile, updateSession } from '../src/qbwc/session/index.ts';
import type { WebConnectorBackend } from '../src/qbwc/soap/index.ts';
import { buildResponseDocument } from '../src/qbxml/index.ts';
import { createShop, openDatabase, type Storage } from '../src/storage/index.ts';

const SIZES = (process.env.BENCH_OUTBOX_ENTRIES ?? '2000').split(',').map(Number);
const MESSAGE_SETS = Number(process.env.BENCH_OUTBOX_MESSAGE_SETS ?? 40);
const SHOPS = Number(process.env.BENCH_OUTBOX_SHOPS ?? 10);
const ENGINES = (process.env.BENCH_OUTBOX_ENGINES ?? 'sqlite,postgres').split(',');
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SINGLE = process.env.BENCH_OUTBOX_SINGLE !== '0';
const PROFILE = process.env.BENCH_OUTBOX_PROFILE === '1';
const CPU_PROFILE = process.env.BENCH_OUTBOX_CPU_PROFILE ?? '';
/** The bench's own connections, told apart from everyone else's in pg_stat_activity. */
const APPLICATION = `bench_outbox_${process.pid}`;
const CUSTOMERS = 100;
const BATCH = 1000;
/** Message sets per Web Connector session (then closeConnection and a new authenticate). */
const SETS_PER_SESSION = 10;
const CHEAP_SCRYPT = { cost: 2 ** 10, blockSize: 8, parallelization: 1, keyLength: 32 };

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const ms = (values: readonly number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)} p99 ${percentile(values, 99).toFixed(1)} max ${Math.max(...values).toFixed(1)} ms`;

interface Shop {
  companyFileId: string;
  userName: string;
  appToken: string;
}

async function addShop(storage: Storage, index: number): Promise<Shop> {
  const shop = await createShop(storage, {
    domain: `bench-${index}.myshopify.com`,
    name: `Bench ${index}`,
    currency: 'USD',
    timeZone: 'UTC',
  });
  if (!shop.ok) throw shop.error;
  const paired = await pairCompanyFile(storage, { shopId: shop.value.id, scrypt: CHEAP_SCRYPT });
  if (!paired.ok) throw paired.error;
  return {
    companyFileId: paired.value.companyFileId,
    userName: paired.value.userName,
    appToken: paired.value.appToken,
  };
}

function entryInput(companyFileId: string, i: number): EnqueueInput {
  if (i < CUSTOMERS) {
    const name = `Customer ${i}`;
    return {
      companyFileId,
      key: `customer:${i}`,
      kind: 'customer',
      priority: 100,
      request: { type: 'CustomerAdd', body: { CustomerAdd: { Name: name } } },
    };
  }
  const customer = i % CUSTOMERS;
  return {
    companyFileId,
    key: `receipt:${i}`,
    kind: 'sales-receipt',
    priority: 10,
    dependencies: [`customer:${customer}`],
    request: {
      type: 'SalesReceiptAdd',
      body: {
        SalesReceiptAdd: {
          CustomerRef: { FullName: `Customer ${customer}` },
          TxnDate: '2026-03-01',
          RefNumber: String(i),
          SalesReceiptLineAdd: [{ ItemRef: { FullName: 'Widget' }, Quantity: '2', Rate: '10.00', Amount: '20.00' }],
        },
      },
    },
  };
}

/** Enqueues `count` entries for the shop; returns the milliseconds spent inside enqueue. */
async function fill(storage: Storage, shop: Shop, count: number): Promise<number> {
  let spent = 0;
  for (let start = 0; start < count; start += BATCH) {
    const batch: EnqueueInput[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) batch.push(entryInput(shop.companyFileId, i));
    const t0 = performance.now();
    await enqueue(storage, batch);
    spent += performance.now() - t0;
  }
  // The cancelled customer: its receipts are blocked for good and stay in the queue.
  const blocker = await getEntryByKey(storage, shop.companyFileId, `customer:${CUSTOMERS - 1}`);
  if (blocker) await cancelEntry(storage, blocker.id, { actor: 'support' });
  return spent;
}

/** What QuickBooks answers to a message set: every request "Status OK" with the record it added. */
function answer(requestXml: string): string {
  const responses = [...requestXml.matchAll(/<(CustomerAdd|SalesReceiptAdd)Rq requestID="([^"]+)"/g)].map(
    ([, type, requestID], i) => ({
      type: type as 'CustomerAdd' | 'SalesReceiptAdd',
      requestID: requestID!,
      statusCode: 0,
      statusSeverity: 'Info' as const,
      statusMessage: 'Status OK',
      rets: [
        type === 'CustomerAdd'
          ? {
              ListID: `8000${requestID}-1715000000`,
              TimeCreated: '2026-05-14T10:00:00-07:00',
              TimeModified: '2026-05-14T10:00:00-07:00',
              EditSequence: '1715000000',
              Name: `Customer ${requestID}`,
              FullName: `Customer ${requestID}`,
              IsActive: true,
              Sublevel: 0,
            }
          : {
              TxnID: `${requestID}-1715000000`,
              TimeCreated: '2026-05-14T10:00:00-07:00',
              TimeModified: '2026-05-14T10:00:00-07:00',
              EditSequence: '1715000000',
              TxnNumber: i,
              TxnDate: '2026-03-01',
            },
      ],
    }),
  );
  const id = /newMessageSetID="([^"]+)"/.exec(requestXml)?.[1];
  return buildResponseDocument({ ...(id === undefined ? {} : { newMessageSetID: id }), responses });
}

interface Timings {
  authenticate: number[];
  send: number[];
  receive: number[];
  close: number[];
  applied: number;
}

const timings = (): Timings => ({ authenticate: [], send: [], receive: [], close: [], applied: 0 });

async function timed<T>(into: number[], work: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  into.push(performance.now() - t0);
  return result;
}

/** Runs Web Connector sessions for the shop until `sets` message sets went out (or nothing is left). */
async function deliver(
  storage: Storage,
  backend: WebConnectorBackend,
  shop: Shop,
  sets: number,
  into: Timings,
): Promise<void> {
  let sent = 0;
  while (sent < sets) {
    const auth = await timed(into.authenticate, () => backend.authenticate(shop.userName, shop.appToken));
    if (auth.result === 'none') return;
    if (auth.result !== '') throw new Error(`authenticate answered "${auth.result}"`);
    // The company-file check of the first sendRequestXML is not what this measures (it reads QuickBooks' HCP answer).
    const session = await findSessionByTicket(storage, auth.ticket);
    await updateSession(storage, session!.id, { companyChecked: true });
    for (let i = 0; i < SETS_PER_SESSION && sent < sets; i++) {
      const xml = await timed(into.send, () =>
        backend.sendRequestXML({
          ticket: auth.ticket,
          hcpResponse: '',
          companyFileName: 'C:\\bench.qbw',
          country: 'US',
          majorVersion: 16,
          minorVersion: 0,
        }),
      );
      if (xml === '') {
        // The queue ran dry (a small shop): the last call says so and ends the session, as QBWC's would.
        if (/nothing left to send|Nothing more can be sent/.test(await backend.getLastError(auth.ticket))) break;
        throw new Error(`sendRequestXML sent nothing: ${await backend.getLastError(auth.ticket)}`);
      }
      sent++;
      into.applied += (xml.match(/Rq requestID=/g) ?? []).length;
      const percent = await timed(into.receive, () =>
        backend.receiveResponseXML({ ticket: auth.ticket, response: answer(xml), hresult: '', message: '' }),
      );
      if (percent < 0) throw new Error(`receiveResponseXML answered ${percent}`);
    }
    await timed(into.close, () => backend.closeConnection(auth.ticket));
  }
}

/** The floor under every figure: one trivial query's round trip on this machine, now. */
async function roundTrips(storage: Storage): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 200; i++) await timed(times, () => sql`select 1`.execute(storage.db));
  console.log(`  one query's round trip (select 1): ${ms(times)}`);
}

function report(label: string, t: Timings): void {
  console.log(`  ${label}`);
  console.log(`    sendRequestXML      ${ms(t.send)} (${t.send.length} message sets, ${t.applied} documents)`);
  console.log(`    receiveResponseXML  ${ms(t.receive)}`);
  console.log(`    authenticate        ${ms(t.authenticate)}`);
  console.log(`    closeConnection     ${ms(t.close)}`);
}

/** Each statement's latency by kind (what it is, on which table), queue and round trip included. */
function statementTimer() {
  const started = new Map<unknown, { kind: string; at: number }>();
  const took = new Map<string, number[]>();
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const node = args.node as unknown as Record<string, unknown>;
      const table = JSON.stringify(node).match(/"table":\{"kind":"SchemableIdentifierNode".*?"name":"(\w+)"/)?.[1];
      started.set(args.queryId, {
        kind: `${args.node.kind.replace('QueryNode', '')} ${table ?? ''}`,
        at: performance.now(),
      });
      return args.node;
    },
    async transformResult(args) {
      const start = started.get(args.queryId);
      started.delete(args.queryId);
      if (start) {
        const list = took.get(start.kind) ?? [];
        list.push(performance.now() - start.at);
        took.set(start.kind, list);
      }
      return args.result;
    },
  };
  return {
    wrap(storage: Storage): Storage {
      const db = storage.db.withPlugin(plugin);
      return {
        ...storage,
        db,
        transaction: (work) => db.transaction().execute((trx) => work({ db: trx, engine: storage.engine })),
      };
    },
    report() {
      const rows = [...took].map(([kind, list]) => ({ kind, list, total: list.reduce((a, b) => a + b, 0) }));
      console.log('  statements, by total time (count, p50, p99, total):');
      for (const { kind, list, total } of rows.sort((a, b) => b.total - a.total).slice(0, 15)) {
        console.log(
          `    ${kind.padEnd(32)} ${String(list.length).padStart(6)}  ${percentile(list, 50).toFixed(1)}  ${percentile(list, 99).toFixed(1)}  ${(total / 1000).toFixed(1)} s`,
        );
      }
    },
  };
}

/** What the bench's database backends are doing, sampled: on the CPU, waiting for a lock, the disk, or for us. */
async function sampleBackends(): Promise<{ stop: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seen = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query(
        `select state, coalesce(wait_event_type || ':' || wait_event, 'cpu') as what from pg_stat_activity where application_name = $1`,
        [APPLICATION],
      );
      samples++;
      for (const row of rows as { state: string; what: string }[]) {
        const key = row.state === 'active' ? `active ${row.what}` : row.state;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end();
      console.log(`  backends, mean number in each state over ${samples} samples:`);
      for (const [key, n] of [...seen].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
        console.log(`    ${key.padEnd(40)} ${(n / samples).toFixed(2)}`);
      }
    },
  };
}

async function runSize(
  open: () => Promise<{ storage: Storage; done: () => Promise<void> }>,
  size: number,
  engine: 'sqlite' | 'postgres',
) {
  if (SINGLE || engine === 'sqlite') await runOneShop(open, size);
  if (SHOPS > 0 && engine === 'postgres') await runShared(open, size);
}

async function runOneShop(open: () => Promise<{ storage: Storage; done: () => Promise<void> }>, size: number) {
  const { storage, done } = await open();
  try {
    const backend = createDeliveryBackend({ storage });
    const shop = await addShop(storage, 0);
    const enqueueMs = await fill(storage, shop, size);
    console.log(`${storage.engine} · ${size} entries, one shop`);
    console.log(`  enqueue ${Math.round(size / (enqueueMs / 1000))} entries/s (${(enqueueMs / 1000).toFixed(1)} s)`);
    const t = timings();
    await roundTrips(storage);
    await deliver(storage, backend, shop, MESSAGE_SETS, t);
    report(`${(await progress(storage, shop.companyFileId)).byState.pending} still pending after the run`, t);
  } finally {
    await done();
  }
}

async function runShared(open: () => Promise<{ storage: Storage; done: () => Promise<void> }>, size: number) {
  const shared = await open();
  try {
    const backend = createDeliveryBackend({ storage: shared.storage });
    const shops: Shop[] = [];
    for (let i = 0; i < SHOPS; i++) shops.push(await addShop(shared.storage, i));
    const per = Math.floor(size / SHOPS);
    const t0 = performance.now();
    for (const shop of shops) await fill(shared.storage, shop, per);
    const enqueueMs = performance.now() - t0;
    console.log(`postgres · ${per * SHOPS} entries, ${SHOPS} shops of ${per} sharing the database`);
    console.log(`  enqueue ${Math.round((per * SHOPS) / (enqueueMs / 1000))} entries/s`);
    const t = timings();
    await roundTrips(shared.storage);
    const timer = PROFILE ? statementTimer() : null;
    const storage = timer ? timer.wrap(shared.storage) : shared.storage;
    const profiled = timer ? createDeliveryBackend({ storage }) : backend;
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    const sampler = PROFILE ? await sampleBackends() : null;
    const inspector = CPU_PROFILE ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    loopDelay.enable();
    await Promise.all(shops.map((shop) => deliver(storage, profiled, shop, Math.ceil(MESSAGE_SETS / 2), t)));
    loopDelay.disable();
    if (inspector) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(CPU_PROFILE, JSON.stringify(profile));
      inspector.disconnect();
    }
    report(`${SHOPS} Web Connectors at the same time`, t);
    console.log(
      `    event loop delay    p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
    await sampler?.stop();
    timer?.report();
  } finally {
    await shared.done();
  }
}

async function openSqliteFresh() {
  const folder = mkdtempSync(join(tmpdir(), 'qbd-bench-outbox-'));
  const storage = await openDatabase({ sqlitePath: join(folder, 'bench.sqlite') });
  return {
    storage,
    done: async () => {
      await storage.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

let scratch = 0;
async function openPostgresFresh() {
  const schema = `bench_outbox_${process.pid}_${scratch++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const storage = await openDatabase({
    url: `${url}${url.includes('?') ? '&' : '?'}application_name=${APPLICATION}`,
    schema,
  });
  return {
    storage,
    done: async () => {
      await storage.close();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

if (ENGINES.includes('sqlite')) {
  for (const size of SIZES) await runSize(openSqliteFresh, size, 'sqlite');
}
if (ENGINES.includes('postgres')) {
  const probe = new pg.Client({ connectionString: url });
  let reachable = true;
  try {
    await probe.connect();
    await probe.end();
  } catch (error) {
    reachable = false;
    console.log(`postgres skipped: cannot connect to ${url} (${(error as Error).message})`);
  }
  if (reachable) for (const size of SIZES) await runSize(openPostgresFresh, size, 'postgres');
}
