/**
 * The chaos suite's seeded subset (the full run is bench/chaos.ts): the connector as its own process, killed and
 * starved at random points, must still post every document exactly once, reconcile to the cent and tell the truth
 * in `status`. The kill tours aim a SIGKILL at every step, so each SOAP method and sync preparation gets at least one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KILL_TARGETS } from './chaos-kills.test-support.ts';
import { type ChaosScheduleOptions, runChaosSchedule } from './chaos-schedule.test-support.ts';

const FAULTS = { 'lost-response': 0.1, 'partial-response': 0.1, garbage: 0.04, timeout: 0.05, 'open-failure': 0.05 };

const SCHEDULES: (ChaosScheduleOptions & { tour?: boolean })[] = [
  { seed: 1, engine: 'sqlite', steps: 5, faults: FAULTS, statusEvery: 2 },
  { seed: 3, engine: 'postgres', instances: 2, steps: 5, faults: FAULTS, statusEvery: 2, terminateChance: 0.3 },
  // Seven targets, a kill at every step: two more steps than targets leave room for a method a session missed.
  { seed: 5, engine: 'sqlite', steps: 9, killChance: 1, faults: FAULTS, statusEvery: 3, tour: true },
  { seed: 6, engine: 'postgres', instances: 2, steps: 9, killChance: 1, faults: FAULTS, statusEvery: 3, tour: true },
];

for (const { tour, ...schedule } of SCHEDULES) {
  const name = `chaos ${tour ? 'kill tour' : 'schedule'} ${schedule.seed} [${schedule.engine}, ${schedule.instances ?? 1} instance(s)]`;
  test(`${name}: every document once, status truthful`, async (t) => {
    const lines: string[] = [];
    const result = await runChaosSchedule({ ...schedule, log: (line) => lines.push(line) });
    const injected = Object.entries(result.faults)
      .filter(([kind]) => kind !== 'instance-switches')
      .reduce((sum, [, n]) => sum + n, 0);
    t.diagnostic(
      `${result.sessions} sessions, faults ${JSON.stringify(result.faults)}, kills ${JSON.stringify(result.kills)}, ${result.documents} documents, duplicates ${result.duplicates}, lost ${result.lost}, ${result.statusChecks} status checks, ${(result.wallMs / 1000).toFixed(1)} s`,
    );
    assert.ok(injected > 0, 'the schedule injected faults');
    assert.ok(result.documents > 0, 'documents were posted');
    assert.deepEqual(result.problems, [], lines.join('\n'));
    assert.equal(result.duplicates, 0);
    assert.equal(result.lost, 0);
    if (tour) {
      const missed = KILL_TARGETS.filter((target) => (result.kills[target] ?? 0) === 0);
      assert.deepEqual(missed, [], `no kill landed in ${missed.join(', ')}:\n${lines.join('\n')}`);
    }
  });
}
