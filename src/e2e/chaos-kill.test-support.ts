/**
 * Preloaded (`node --import`) into the `serve` processes the chaos suite starts, beside the clock: the suite plans
 * a SIGKILL inside one SOAP method (or inside sync preparation) and the process that gets that call delivers it to
 * itself at a random point of the work, so every planned kill lands inside its method. A kill sent from outside
 * after a delay races the method: getLastError and closeConnection answer in a millisecond or two, so such kills
 * only ever landed in the slower methods.
 *
 * The point is a database statement: the suite's plan carries a fraction, and the process dies just before
 * statement 1 + ⌊fraction × (N + 1)⌋ of the method, N being how many statements the method's last complete call
 * ran (kept in the plan folder, shared by the instances); when the method has run fewer by the time it answers,
 * the process dies as it writes the answer (the work is done and committed, the Web Connector never hears). Sync
 * preparation is planned on the request that starts the sync and ends at the statement that moves the run out of
 * `preparing`. Kills between two statements of one transaction, between transactions and after the last commit are
 * all reached. Protocol, all files in CHAOS_KILL_DIR:
 *
 * - `plan.json` `{ id, target, fraction }`: written by the suite just before the call goes out; the process that gets
 *   the call claims it by renaming it (atomic: with two instances only one can), so it fires once.
 * - `landed-<id>.json` `{ id, target, pid, point }`: written just before the process kills itself.
 * - `statements-<target>`: the statements the target's last complete call ran.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { StatementSync } from 'node:sqlite';
import pg from 'pg';

/** What the suite can aim at: a SOAP method, or the sync's preparation. */
export type KillTarget = string;
export const SYNC_PREPARATION = 'sync-preparation';

export interface KillPlan {
  id: number;
  target: KillTarget;
  /** Where in the target's work, from 0 (before its first statement) to 1 (as it answers). */
  fraction: number;
}

export interface LandedKill {
  id: number;
  target: KillTarget;
  /** The process that killed itself. */
  pid: number;
  /** Which statement it died before ("statement 3 of 7"), or "as it answered" / "as preparation ended". */
  point: string;
}

const dir = process.env.CHAOS_KILL_DIR;
if (dir) install(dir);

function install(dir: string): void {
  const planFile = join(dir, 'plan.json');
  const statementsFile = (target: string) => join(dir, `statements-${target}`);

  /** Statements run so far by the SOAP call being answered and by the sync being prepared (they may overlap). */
  const tracked = new Map<string, number>();
  let armed: { plan: KillPlan; atStatement: number | null } | null = null;

  const die = (point: string): never => {
    const plan = armed!.plan;
    const landed: LandedKill = { id: plan.id, target: plan.target, pid: process.pid, point };
    writeFileSync(join(dir, `landed-${plan.id}.json`), JSON.stringify(landed));
    process.kill(process.pid, 'SIGKILL');
    // SIGKILL to oneself is delivered before the call returns; nothing after it runs.
    throw new Error('unreachable');
  };

  const claim = (target: string): void => {
    let plan: KillPlan;
    try {
      plan = JSON.parse(readFileSync(planFile, 'utf8')) as KillPlan;
    } catch {
      return;
    }
    if (plan.target !== target) return;
    try {
      renameSync(planFile, join(dir, `claimed-${plan.id}.json`));
    } catch {
      return; // Another instance claimed it first.
    }
    let known = 0;
    try {
      known = Number(readFileSync(statementsFile(target), 'utf8')) || 0;
    } catch {
      // Never seen complete: it dies as it answers.
    }
    const position = 1 + Math.floor(plan.fraction * (known + 1));
    armed = { plan, atStatement: position <= known ? position : null };
  };

  const finish = (target: string) => {
    const statements = tracked.get(target);
    if (statements === undefined) return;
    tracked.delete(target);
    const tmp = `${statementsFile(target)}.${process.pid}`;
    writeFileSync(tmp, String(statements));
    renameSync(tmp, statementsFile(target));
  };

  const beforeStatement = (sql: string, parameters: unknown[]) => {
    for (const [target, statements] of tracked) tracked.set(target, statements + 1);
    const target = armed?.plan.target;
    const reached = target === undefined ? undefined : tracked.get(target);
    if (reached !== undefined && armed!.atStatement !== null && reached >= armed!.atStatement) {
      die(`statement ${reached} of ${target}`);
    }
    const ending = /^update "sync_runs" set "state" = /i.test(sql) && parameters[0] !== 'preparing';
    if (ending && tracked.has(SYNC_PREPARATION)) {
      if (target === SYNC_PREPARATION) die('as preparation ended');
      finish(SYNC_PREPARATION);
    }
  };

  const serverEmit = http.Server.prototype.emit as (event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function emit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') onRequest(args[0] as http.IncomingMessage, args[1] as http.ServerResponse);
    return serverEmit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;

  function onRequest(request: http.IncomingMessage, response: http.ServerResponse) {
    const action = request.headers.soapaction;
    if (request.method === 'POST' && typeof action === 'string') {
      const method = action.replace(/"/g, '').split('/').pop() ?? '';
      tracked.set(method, 0);
      claim(method);
      const answering = (original: (...args: never[]) => unknown) =>
        function (this: http.ServerResponse, ...args: never[]) {
          if (armed?.plan.target === method) die('as it answered');
          return original.apply(this, args);
        };
      response.writeHead = answering(response.writeHead) as typeof response.writeHead;
      response.end = answering(response.end) as typeof response.end;
      response.on('finish', () => finish(method));
      return;
    }
    if (request.method === 'POST' && /^\/api\/shops\/[^/]+\/(sync|setup\/start)$/.test(request.url ?? '')) {
      tracked.set(SYNC_PREPARATION, 0);
      claim(SYNC_PREPARATION);
      response.on('finish', () => {
        if (response.statusCode < 300) return;
        // Refused (another sync is preparing): nothing of this request is prepared, so nothing to kill in.
        tracked.delete(SYNC_PREPARATION);
        if (armed?.plan.target === SYNC_PREPARATION) armed = null;
      });
    }
  }

  for (const name of ['all', 'get', 'run', 'iterate'] as const) {
    const original = StatementSync.prototype[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(StatementSync.prototype, name, {
      value: function statement(this: StatementSync, ...args: unknown[]) {
        beforeStatement(this.sourceSQL, args);
        return original.apply(this, args);
      },
      writable: true,
      configurable: true,
    });
  }
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
    const sql = typeof config === 'string' ? config : (config?.text ?? '');
    beforeStatement(sql, Array.isArray(values) ? values : typeof config === 'object' ? (config.values ?? []) : []);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}
