/**
 * The full chaos run (one to three minutes a schedule, 12 schedules by default; not part of `npm run bench`, which
 * runs it only when asked:
 * `npm run bench -- chaos`, or `node bench/chaos.ts [--schedules N] [--first-seed S] [--steps N]`).
 *
 * Each seeded schedule runs the connector as its own process(es) and kills it with SIGKILL at a random point inside
 * each SOAP method (authenticate, sendRequestXML, receiveResponseXML, getLastError, connectionError,
 * closeConnection) and inside sync preparation in turn, loses responses, cuts them short, answers garbage, times
 * calls out, makes QuickBooks fail to start (connectionError) or busy (3175/3176/3180), terminates its PostgreSQL
 * backends, and (one schedule in three) runs two instances on one PostgreSQL database with the Web Connector
 * switching between them. After each schedule every document must be in QuickBooks exactly once, the
 * reconciliation show no difference, `status` be truthful and nothing be stuck after one session. Prints schedules
 * run, faults injected by kind, kills landed per method, duplicates and lost documents; exits 1 when any schedule
 * found a problem or a method got no kill. PostgreSQL at 127.0.0.1:5432, database test (TEST_DATABASE_URL).
 */
import { parseArgs } from 'node:util';
import { KILL_TARGETS } from '../src/e2e/chaos-kills.test-support.ts';
import { type ChaosScheduleOptions, runChaosSchedule } from '../src/e2e/chaos-schedule.test-support.ts';

const { values } = parseArgs({
  options: {
    schedules: { type: 'string', default: '12' },
    'first-seed': { type: 'string', default: '101' },
    steps: { type: 'string', default: '10' },
    'kill-chance': { type: 'string', default: '0.5' },
    verbose: { type: 'boolean', default: false },
  },
});
const schedules = Number(values.schedules);
const firstSeed = Number(values['first-seed']);
const steps = Number(values.steps);
const killChance = Number(values['kill-chance']);
const SWITCHES = 'instance-switches';
const FAULTS = { 'lost-response': 0.1, 'partial-response': 0.1, garbage: 0.04, timeout: 0.05, 'open-failure': 0.05 };

const started = performance.now();
const faults: Record<string, number> = {};
const kills: Record<string, number> = Object.fromEntries(KILL_TARGETS.map((target) => [target, 0]));
let duplicates = 0;
let lost = 0;
let documents = 0;
let statusChecks = 0;
let failed = 0;
for (let i = 0; i < schedules; i++) {
  const seed = firstSeed + i;
  const shape: Pick<ChaosScheduleOptions, 'engine' | 'instances'> =
    i % 3 === 0 ? { engine: 'sqlite' } : i % 3 === 1 ? { engine: 'postgres' } : { engine: 'postgres', instances: 2 };
  const lines: string[] = [];
  let result: Awaited<ReturnType<typeof runChaosSchedule>>;
  try {
    result = await runChaosSchedule({
      seed,
      ...shape,
      steps,
      killChance,
      faults: FAULTS,
      log: (line) => {
        lines.push(line);
        if (values.verbose) console.log(`  ${line}`);
      },
    });
  } catch (error) {
    // The schedule could not run to its end (a process that would not start): a failure, and the run goes on.
    failed++;
    console.log(`schedule ${seed} [${shape.engine}]: did not run to its end: ${(error as Error).message}`);
    for (const line of lines) console.log(`  ${line}`);
    continue;
  }
  for (const [kind, n] of Object.entries(result.faults)) faults[kind] = (faults[kind] ?? 0) + n;
  for (const [target, n] of Object.entries(result.kills)) kills[target] = (kills[target] ?? 0) + n;
  duplicates += result.duplicates;
  lost += result.lost;
  documents += result.documents;
  statusChecks += result.statusChecks;
  const injected = Object.entries(result.faults)
    .filter(([kind]) => kind !== SWITCHES)
    .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `schedule ${seed} [${result.engine}, ${result.instances} instance(s)]: ${result.sessions} sessions, ${injected} faults, ${result.documents} documents, duplicates ${result.duplicates}, lost ${result.lost}, ${result.problems.length === 0 ? 'ok' : `${result.problems.length} problem(s)`} (${(result.wallMs / 1000).toFixed(1)} s)`,
  );
  if (result.problems.length > 0) {
    failed++;
    if (!values.verbose) for (const line of lines) console.log(`  ${line}`);
  }
}
const total = Object.entries(faults)
  .filter(([kind]) => kind !== SWITCHES)
  .reduce((sum, [, n]) => sum + n, 0);
console.log(`\nSchedules run: ${schedules} (${failed} with problems)`);
console.log(`Faults injected: ${total}`);
for (const kind of Object.keys(faults).sort()) {
  if (kind !== SWITCHES) console.log(`  ${kind.padEnd(32)} ${faults[kind]}`);
}
console.log('Kills landed, by method (each at a random database statement inside it, or as it answered):');
for (const target of KILL_TARGETS) console.log(`  ${target.padEnd(32)} ${kills[target]}`);
const unkilled = KILL_TARGETS.filter((target) => kills[target] === 0);
console.log(`Web Connector calls switched between the two instances: ${faults[SWITCHES] ?? 0}`);
console.log(`Documents checked: ${documents}; status checks: ${statusChecks}`);
console.log(`Duplicates: ${duplicates}`);
console.log(`Lost: ${lost}`);
console.log(`Wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (unkilled.length > 0) console.log(`No kill landed in: ${unkilled.join(', ')}`);
process.exitCode = failed === 0 && duplicates === 0 && lost === 0 && unkilled.length === 0 ? 0 : 1;
