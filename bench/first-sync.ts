/**
 * The first sync's read from Shopify at Shopify's speed: a generated shop of `BENCH_COUNT` orders (default 10,000)
 * served by the Shopify simulator at the Standard plan's rate limit (a 2,000-point bucket restoring 100 points a
 * second) with its bulk operation duration model (src/simulators/shopify/server/bulk.ts), pulled by the extractor
 * as a first sync does (mode `backfill`, every entity) into a fresh SQLite file.
 *
 * The simulator runs in a child process, so the figures here are the connector's alone: total time; time inside
 * bulk operations (from start to finish of each, as the simulator reports them, overlaps counted once); time
 * waiting for Shopify (answers to requests, rate-limit waits, waits between bulk-operation polls); the connector's
 * own time (the rest) as a share of the total (goal < 10 %); paged calls by operation, and how many of them read
 * an order (goal: none — a bulk operation delivered every order); peak RSS.
 *
 *   node bench/first-sync.ts            BENCH_COUNT=500 node bench/first-sync.ts   (a quick check)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createExtractor } from '../src/extract/index.ts';
import { createLogger } from '../src/logger/index.ts';
import { createAdminGraphqlClient } from '../src/shopify/index.ts';
import { generateShop, startShopifySimulator } from '../src/simulators/shopify/index.ts';
import { openDatabase } from '../src/storage/index.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 10_000);
const STANDARD_PLAN = { maximumAvailable: 2000, restoreRate: 100 };

interface Served {
  url: string;
  shopDomain: string;
  accessToken: string;
}

interface BulkTiming {
  endedAt: number;
  ms: number;
  objects: number;
}

/** The child: the simulator with the shop, telling the parent its address, then each bulk operation's duration. */
async function serve(): Promise<void> {
  const data = generateShop({ seed: 'first-sync', orders: COUNT });
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const sim = await startShopifySimulator({
    data,
    throttle: STANDARD_PLAN,
    logger: createLogger({
      level: 'debug',
      write: (line) => {
        const record = JSON.parse(line) as { level: string; message: string; ms?: number; objects?: number };
        if (record.message === 'bulk operation finished') say({ bulk: { ms: record.ms, objects: record.objects } });
        else if (record.level !== 'debug') process.stderr.write(`${line}\n`);
      },
    }),
  });
  const refunds = data.orders.reduce((n, o) => n + o.refunds.length, 0);
  say({ url: sim.url, shopDomain: sim.shopDomain, accessToken: sim.accessToken, refunds });
  process.stdin.resume();
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
}

async function startChild(): Promise<{
  child: ChildProcess;
  served: Served & { refunds: number };
  bulk: BulkTiming[];
}> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const bulk: BulkTiming[] = [];
  const lines = createInterface({ input: child.stdout! });
  const served = await new Promise<Served & { refunds: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { bulk?: { ms: number; objects: number } } & Served & { refunds: number };
      if (message.bulk) bulk.push({ endedAt: performance.now(), ...message.bulk });
      else resolve(message);
    });
  });
  return { child, served, bulk };
}

/** Wall time covered by at least one of the intervals. */
function union(intervals: [number, number][]): number {
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  console.log(`generating and serving a shop of ${COUNT.toLocaleString('en-US')} orders (Standard plan rate limit)…`);
  const { child, served, bulk } = await startChild();
  const folder = mkdtempSync(join(tmpdir(), 'bench-first-sync-'));
  const storage = await openDatabase({ sqlitePath: join(folder, 'connector.sqlite') });
  const calls = new Map<string, number>();
  let answerMs = 0;
  let pollWaitMs = 0;
  const client = createAdminGraphqlClient({
    shopDomain: served.shopDomain,
    accessToken: served.accessToken,
    endpoint: served.url,
    // Times each answer, body included (buffered here, so none of the wait hides in the client's own parsing).
    fetch: async (input, init) => {
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(String(JSON.parse(String(init?.body)).query))?.[1];
      calls.set(operation ?? '(anonymous)', (calls.get(operation ?? '(anonymous)') ?? 0) + 1);
      const began = performance.now();
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      answerMs += performance.now() - began;
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  });
  const extractor = createExtractor({
    storage,
    client,
    bulkPollIntervalMs: 1_000,
    sleep: async (ms) => {
      const began = performance.now();
      await new Promise((resolve) => setTimeout(resolve, ms));
      pollWaitMs += performance.now() - began;
    },
  });
  const began = performance.now();
  const pulled = await extractor.pull({ shopId: 'first-sync', mode: 'backfill' });
  const totalMs = performance.now() - began;
  await storage.close();
  child.stdin!.end();
  rmSync(folder, { recursive: true, force: true });
  if (!pulled.ok) throw new Error(`the first sync failed: ${pulled.error.message}`);

  const rateLimitMs = client.stats().waitedMs;
  const waitingMs = answerMs + rateLimitMs + pollWaitMs;
  const ownMs = totalMs - waitingMs;
  const bulkMs = union(bulk.map((b) => [b.endedAt - b.ms, b.endedAt]));
  const bulkCalls = new Set(['BulkOperationRunQuery', 'BulkOperationById']);
  const paged = [...calls].filter(([name]) => !bulkCalls.has(name)).sort((a, b) => b[1] - a[1]);
  const pagedTotal = paged.reduce((n, [, count]) => n + count, 0);
  const orderReads = paged.filter(([name]) => /^Order|^OrdersPage$/.test(name)).reduce((n, [, c]) => n + c, 0);
  const counts = pulled.value.counts;
  console.log(
    `records: ${Object.entries(counts)
      .map(([entity, c]) => `${entity} ${c?.seen}`)
      .join(', ')}; ${served.refunds} refunds`,
  );
  console.log(`total                   ${seconds(totalMs)}`);
  console.log(
    `inside bulk operations  ${seconds(bulkMs)} (${bulk.length} operations side by side: ${bulk
      .map((b) => `${b.objects} objects in ${seconds(b.ms)}`)
      .join(', ')})`,
  );
  console.log(
    `waiting for Shopify     ${seconds(waitingMs)} (answers ${seconds(answerMs)}, rate limit ${seconds(rateLimitMs)}, between bulk polls ${seconds(pollWaitMs)})`,
  );
  console.log(
    `connector's own time    ${seconds(ownMs)} = ${((100 * ownMs) / totalMs).toFixed(1)} % of the total (goal < 10 %)`,
  );
  console.log(`paged calls             ${pagedTotal}: ${paged.map(([name, count]) => `${name} ${count}`).join(', ')}`);
  console.log(`paged calls for orders  ${orderReads} (goal 0: a bulk operation delivered every order)`);
  console.log(
    `peak RSS                ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (the connector's process)`,
  );
}

if (process.argv.includes('--serve')) await serve();
else await main();
