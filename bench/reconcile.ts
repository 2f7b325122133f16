/**
 * Reconciliation throughput: the whole-period report and the per-day reports over `BENCH_COUNT`
 * generated orders (default 20,000) against the ledger their documents post. The per-day reports read only the
 * orders with something on each day, so their cost grows with orders + days, not orders × days. Figures are
 * medians of `BENCH_ROUNDS` rounds (default 3) after a warm-up, each after a collection (`--expose-gc`). The
 * held-back orders come from the transform's notes, as the service takes them from the sync's summary.
 */
import { summaryNotes } from '../src/integration/index.ts';
import { dataPeriod, documentLedger, heldBackFromNotes, reconcile, reconcileByDay } from '../src/reconcile/index.ts';
import { generateShop } from '../src/simulators/shopify/generator/index.ts';
import { proposeAccountMapping, transform } from '../src/transform/index.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    gc();
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const shop = generateShop({ seed: 'bench', orders: COUNT, profile: 'us' });
const { mapping } = proposeAccountMapping([]);
const { documents, notes } = transform(shop, {
  modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' },
  useClasses: false,
  startDate: null,
});
const reader = documentLedger(documents, mapping);
// As the service does: the orders held back are those the transform that made the documents held back.
const heldBack = heldBackFromNotes(summaryNotes(notes));
const period = dataPeriod(shop);
if (!period) throw new Error('the generated shop has no dates');
const days = (await reconcileByDay(shop, reader, mapping, period, { heldBack })).length;
console.log(
  `${COUNT.toLocaleString('en-US')} orders, ${documents.length.toLocaleString('en-US')} documents, ${days} days`,
);
const whole = await median(() => reconcile(shop, reader, mapping, period, { heldBack }));
console.log(`whole period: ${whole.toFixed(0)} ms`);
const byDay = await median(() => reconcileByDay(shop, reader, mapping, period, { heldBack }));
console.log(`every day:    ${byDay.toFixed(0)} ms (${((byDay / days) * 1000).toFixed(0)} µs a day)`);
