/**
 * The chaos suite's kill schedule: which SOAP method (or sync preparation) the next SIGKILL aims at, planned through
 * the files chaos-kill.test-support.ts reads inside the connector processes, and how many kills landed where.
 *
 * The targets come round in a seeded order, and a target stays next until a kill has landed in it: a method a
 * session never reached (a session with no work calls no sendRequestXML) is aimed at again in the next one. So a
 * schedule with enough kill steps reaches every method, whatever the random faults do to the sessions in between.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebConnectorMethod } from '../qbwc/soap/index.ts';
import { type KillPlan, type KillTarget, type LandedKill, SYNC_PREPARATION } from './chaos-kill.test-support.ts';

export { SYNC_PREPARATION } from './chaos-kill.test-support.ts';

/** Every point a schedule aims its kills at. */
export const KILL_TARGETS: readonly KillTarget[] = [
  'authenticate',
  'sendRequestXML',
  'receiveResponseXML',
  'getLastError',
  'connectionError',
  'closeConnection',
  SYNC_PREPARATION,
];

/** Methods a session reaches only when the connector has something to send. */
export const NEEDS_WORK = new Set<KillTarget>([
  'sendRequestXML',
  'receiveResponseXML',
  'getLastError',
  'connectionError',
]);

export class KillSchedule {
  readonly dir: string;
  /** Kills that landed, by target (every target listed, 0 when none landed). */
  readonly landed: Record<string, number> = Object.fromEntries(KILL_TARGETS.map((t) => [t, 0]));
  /** Where each landed kill hit, in order ("receiveResponseXML: statement 4 of receiveResponseXML"). */
  readonly points: string[] = [];
  private readonly order: KillTarget[];
  private turn = 0;
  private nextId = 1;
  private readonly random: () => number;

  constructor(dir: string, random: () => number) {
    this.dir = dir;
    this.random = random;
    mkdirSync(dir, { recursive: true });
    // A seeded shuffle, so schedules start their tour at different methods.
    this.order = [...KILL_TARGETS];
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j]!, this.order[i]!];
    }
  }

  /** The target the next kill aims at. */
  get next(): KillTarget {
    return this.order[this.turn % this.order.length]!;
  }

  /** Plans a kill in the next call of `target` (or the next sync's preparation), at a random point of its work. */
  arm(target: KillTarget): void {
    const plan: KillPlan = { id: this.nextId++, target, fraction: this.random() };
    writeFileSync(join(this.dir, 'plan.json.tmp'), JSON.stringify(plan));
    // Renamed into place, so a process never reads half a plan.
    renameSync(join(this.dir, 'plan.json.tmp'), join(this.dir, 'plan.json'));
  }

  /** Withdraws a plan no process claimed (the call never came). */
  disarm(): void {
    rmSync(join(this.dir, 'plan.json'), { force: true });
  }

  /** Whether a kill has landed that `collect` has not yet counted. */
  pending(): boolean {
    return readdirSync(this.dir).some((name) => name.startsWith('landed-'));
  }

  /** Counts the kills that landed since the last call; the turn moves on once the target's kill has landed. */
  collect(): LandedKill[] {
    const found: LandedKill[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      if (!name.startsWith('landed-')) continue;
      const path = join(this.dir, name);
      const kill = JSON.parse(readFileSync(path, 'utf8')) as LandedKill;
      rmSync(path);
      found.push(kill);
      this.landed[kill.target] = (this.landed[kill.target] ?? 0) + 1;
      this.points.push(`${kill.target}: ${kill.point}`);
      if (kill.target === this.next) this.turn++;
    }
    return found;
  }

  /** Which call of the target's method to aim at (1 or 2 for the methods a session calls more than once). */
  occurrence(target: KillTarget): number {
    const repeated: WebConnectorMethod[] = ['sendRequestXML', 'receiveResponseXML'];
    return repeated.includes(target as WebConnectorMethod) ? 1 + Math.floor(this.random() * 2) : 1;
  }
}
