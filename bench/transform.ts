/**
 * Accounting engine throughput: 100,000 generated orders transformed to documents and planned to
 * qbXML request documents, in Detailed and in Summary mode, against the floor of JSON.parse of the same source
 * records in the same run. Goal: within 3x of JSON.parse. Figures are medians of `BENCH_ROUNDS` rounds (default 3)
 * after a warm-up, each after a collection (`--expose-gc`). `BENCH_COUNT` changes the number of orders.
 */
import { spawnSync } from 'node:child_process';
import { getHeapStatistics } from 'node:v8';
import { planRequests, resolveTxnIdReferences, toQbxmlRequest } from '../src/plan/index.ts';
import { buildRequestDocument } from '../src/qbxml/index.ts';
import { generateShop } from '../src/simulators/shopify/generator/index.ts';
import { type Mode, proposeAccountMapping, type TransformSources, transform } from '../src/transform/index.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void): number {
  gc();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// 100,000 orders of source records are several GB as objects: rerun with a heap that holds them.
if (getHeapStatistics().heap_size_limit < 12e9 && !process.env.BENCH_CHILD) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', import.meta.filename], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}

console.log(`generating ${COUNT.toLocaleString('en-US')} orders…`);
// The source records as extract stores them: one JSON text per order (one file of 100,000 orders would pass V8's
// longest string), and the rest of the shop as one more.
let texts: string[];
let rest: string;
{
  const {
    format: _format,
    orders,
    ...shop
  } = generateShop({ seed: 'bench', orders: COUNT, profile: 'us', ordersPerDay: 400 });
  texts = orders.map((o) => JSON.stringify(o));
  rest = JSON.stringify({ ...shop, orders: [] });
}
console.log(`source records: ${((texts.reduce((n, t) => n + t.length, 0) + rest.length) / 1e6).toFixed(1)} MB of JSON`);
const parse = (): TransformSources => {
  const sources = JSON.parse(rest) as TransformSources;
  sources.orders = texts.map((t) => JSON.parse(t));
  return sources;
};
const { mapping, toCreate } = proposeAccountMapping([]);

let requests = 0;
let xmlBytes = 0;
function engine(sources: TransformSources, mode: Mode): void {
  const result = transform(sources, {
    modes: { customers: mode, inventory: mode, vendors: mode },
    useClasses: true,
    startDate: null,
    accountsToCreate: toCreate,
  });
  const planned = planRequests(result.lists, result.documents, mapping);
  requests = planned.length;
  xmlBytes = 0;
  for (let i = 0; i < planned.length; i++) {
    // Links carry another document's TxnID (and a line's TxnLineID), filled in at send time (as the delivery backend
    // does); any id stands in.
    const body = resolveTxnIdReferences(
      planned[i]!.body,
      () => '1A-1700000000',
      undefined,
      (_, line) => `${line + 2}A-1700000000`,
    );
    if (!body.ok) throw body.error;
    const request = toQbxmlRequest({ ...planned[i]!, body: body.value }, String(i));
    const built = buildRequestDocument({ requests: [request], onError: 'stopOnError' });
    if (!built.ok) throw built.error;
    xmlBytes += built.value.xml.length;
  }
}

const parseTimes: number[] = [];
const runs: Record<Mode, number[]> = { detailed: [], summary: [] };
let parsed: TransformSources = parse();
// Warm-up on a slice, so the first measured round is not the JIT's.
engine({ ...parsed, orders: parsed.orders.slice(0, Math.min(2000, COUNT)) }, 'detailed');
for (let round = 0; round < ROUNDS; round++) {
  parseTimes.push(
    time(() => {
      parsed = parse();
    }),
  );
  for (const mode of round % 2 === 0 ? (['detailed', 'summary'] as const) : (['summary', 'detailed'] as const)) {
    runs[mode].push(time(() => engine(parsed, mode)));
    if (round === 0)
      console.log(`${mode}: ${requests.toLocaleString('en-US')} requests, ${(xmlBytes / 1e6).toFixed(1)} MB of qbXML`);
  }
}

const parseMs = median(parseTimes);
console.log(
  `JSON.parse of the source records: ${parseMs.toFixed(0)} ms (${Math.round(COUNT / (parseMs / 1000)).toLocaleString('en-US')} orders/s)`,
);
for (const mode of ['detailed', 'summary'] as const) {
  const ms = median(runs[mode]);
  console.log(
    `transform + plan + qbXML, ${mode}: ${ms.toFixed(0)} ms, ${Math.round(COUNT / (ms / 1000)).toLocaleString('en-US')} orders/s, ${(ms / parseMs).toFixed(2)}x JSON.parse (goal ≤ 3x)`,
  );
}
