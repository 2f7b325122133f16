/**
 * One chaos schedule: a generated shop behind the Shopify simulator, the connector as its own `serve` process (or
 * two on one PostgreSQL database, the Web Connector's calls alternating between them), a QuickBooks company file
 * and the Web Connector simulator. A seeded generator decides, step by step, what goes wrong: SIGKILL at a random
 * point inside a SOAP method or inside sync preparation (each in turn, chaos-kills.test-support.ts), responses
 * lost, cut short or answered with garbage, calls timing out, QuickBooks failing to start (connectionError) or busy
 * (3175/3176/3180), PostgreSQL backends terminated. After the schedule, with the faults
 * over, one Web Connector session must finish everything; then every document must be in QuickBooks exactly once,
 * the reconciliation show no difference, and `status` (run as a process) say nothing needs attention and exit 0.
 * During the schedule `status` must exit 1 whenever the database holds something that needs the merchant.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { listSyncRuns } from '../integration/index.ts';
import { listEntries } from '../outbox/index.ts';
import { parseQwcFile, type QwcFile } from '../qbwc/qwc/index.ts';
import type { WebConnectorMethod } from '../qbwc/soap/index.ts';
import { dataPeriod } from '../reconcile/index.ts';
import { freePort } from '../server/index.ts';
import { generateShop, startShopifySimulator } from '../simulators/shopify/index.ts';
import {
  createRandomFaultPlan,
  type FaultProbabilities,
  runWebConnectorSession,
  type SessionLog,
  seededRandom,
} from '../simulators/webconnector/index.ts';
import { type Engine, openDatabase, type Storage } from '../storage/index.ts';
import { checkBooks, troubleInDatabase } from './chaos-books.test-support.ts';
import { KillSchedule, NEEDS_WORK, SYNC_PREPARATION } from './chaos-kills.test-support.ts';
import { ChaosClock, ConnectorProcess, runCommand } from './chaos-processes.test-support.ts';
import { chaosProcessor, postgresSchema, terminateBackends } from './chaos-world.test-support.ts';

export interface ChaosScheduleOptions {
  seed: number;
  engine: Engine;
  /** Connector processes on one database (2 needs PostgreSQL). Default 1. */
  instances?: 1 | 2;
  orders?: number;
  /** Steps after the setup: Web Connector sessions, syncs, backend terminations. Default 8. */
  steps?: number;
  /** The Web Connector simulator's random faults, per call. */
  faults?: FaultProbabilities;
  /**
   * Per step: SIGKILL the instance at a random point inside the next target of the kill tour (a SOAP method, or
   * the preparation of a sync the step starts). Default 0.4.
   */
  killChance?: number;
  /** The first sync: SIGKILL the instance preparing it, at a random point. Default 0.6. */
  syncKillChance?: number;
  /** Per session: QuickBooks refuses the next 1–2 writes as busy. Default 0.25. */
  busyChance?: number;
  /** Per step on PostgreSQL: terminate the connector's backends during a session. Default 0.2. */
  terminateChance?: number;
  /** Run `status` as a process after every Nth step and compare it with the database (0: only at the end). Default 1. */
  statusEvery?: number;
  log?: (line: string) => void;
}

export interface ChaosScheduleResult {
  seed: number;
  engine: Engine;
  instances: number;
  sessions: number;
  documents: number;
  duplicates: number;
  lost: number;
  /** Faults injected, by kind (kills by the method or stage they hit). */
  faults: Record<string, number>;
  /** Kills that landed, by target: every SOAP method and sync preparation the tour aims at, 0 where none did. */
  kills: Record<string, number>;
  statusChecks: number;
  /** Everything that was not as it must be; empty when the schedule passed. */
  problems: string[];
  wallMs: number;
}

const ADMIN_TOKEN = 'chaos-admin-token-0123456789abcdef';
/** Calls every session that gets anywhere makes, so a termination planned for one happens. */
const TERMINATE_POINTS: WebConnectorMethod[] = ['authenticate', 'sendRequestXML', 'receiveResponseXML'];
const BUSY_CODES = [3175, 3176, 3180] as const;
/** Longer than a session take-over (60 s) and a sync run's lease (30 s): the Web Connector's next Auto-Run. */
const NEXT_AUTO_RUN_MS = 61_000;

export async function runChaosSchedule(options: ChaosScheduleOptions): Promise<ChaosScheduleResult> {
  const started = performance.now();
  const engine = options.engine;
  const instanceCount = options.instances ?? 1;
  if (instanceCount === 2 && engine !== 'postgres') throw new Error('Two instances need PostgreSQL');
  const random = seededRandom(options.seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const log = options.log ?? (() => {});
  const result: ChaosScheduleResult = {
    seed: options.seed,
    engine,
    instances: instanceCount,
    sessions: 0,
    documents: 0,
    duplicates: 0,
    lost: 0,
    faults: {},
    kills: {},
    statusChecks: 0,
    problems: [],
    wallMs: 0,
  };
  const count = (kind: string) => {
    result.faults[kind] = (result.faults[kind] ?? 0) + 1;
  };
  const problem = (text: string) => {
    result.problems.push(text);
    log(`PROBLEM: ${text}`);
  };

  const dir = mkdtempSync(join(tmpdir(), 'qbd-chaos-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const clock = new ChaosClock(join(dir, 'clock'));
  const kills = new KillSchedule(join(dir, 'kills'), random);
  const data = generateShop({ seed: `chaos-${options.seed}`, orders: options.orders ?? 16 });
  // The shop lives on during the schedule: its last orders come in while the connector is being knocked about,
  // so later syncs have new work (they arrive now, booked on the days they were sold).
  const byDate = [...data.orders].sort((a, b) => a.processedAt.localeCompare(b.processedAt));
  // Whole days, in order, as the shop sells them.
  const cutoffDay = byDate[Math.ceil(byDate.length * 0.6)]?.processedAt.slice(0, 10) ?? '9999';
  const heldBack = byDate.filter((order) => order.processedAt.slice(0, 10) >= cutoffDay);
  const held = new Set(heldBack.map((order) => order.id));
  const shopify = await startShopifySimulator({
    data: { ...data, orders: data.orders.filter((order) => !held.has(order.id)) },
    clientId: 'chaos-key',
    appSecret: 'chaos-secret',
    now: () => clock.now().getTime(),
  });
  cleanups.push(() => shopify.close());
  const instances: ConnectorProcess[] = [];
  let storage: Storage | null = null;
  try {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      SHOPIFY_SHOP: shopify.shopDomain,
      SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
      SHOPIFY_API_BASE_URL: shopify.url,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      SCHEDULER_TICK_MS: '1000',
      CHAOS_KILL_DIR: kills.dir,
    };
    let appName: string | null = null;
    if (engine === 'postgres') {
      const schema = await postgresSchema();
      cleanups.push(schema.drop);
      env.DATABASE_URL = schema.url;
      env.ENCRYPTION_KEY = randomBytes(32).toString('hex');
      appName = schema.appName;
    } else env.SQLITE_PATH = join(dir, 'connector.sqlite');

    log('registering');
    const registered = await runCommand(['setup', 'register'], env, clock);
    if (registered.code !== 0) throw new Error(`setup register: ${registered.stdout}${registered.stderr}`);
    for (let i = 0; i < instanceCount; i++) {
      instances.push(new ConnectorProcess(`instance ${i + 1}`, await freePort(), env, clock));
    }
    cleanups.push(async () => {
      for (const instance of instances) await instance.stop();
    });
    log('starting instances');
    for (const instance of instances) await instance.start();
    log('started');
    // The suite's own connection is not the connector's: terminating the connector's backends leaves it alone.
    const ownUrl = engine === 'postgres' ? new URL(env.DATABASE_URL!) : null;
    ownUrl?.searchParams.delete('application_name');
    storage = await openDatabase(ownUrl ? { url: ownUrl.toString() } : { sqlitePath: env.SQLITE_PATH! });

    const shop = shopify.shopDomain;
    let apiTurn = 0;
    const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const instance = instances[apiTurn++ % instances.length]!;
      try {
        const response = await fetch(`${instance.url}/api/shops/${shop}${path}`, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${ADMIN_TOKEN}`,
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown>, instance };
      } catch (error) {
        // The instance died before answering (a kill planned inside a sync that starts before the answer).
        return { status: 0, body: { error: (error as Error).message }, instance };
      }
    };
    const must = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const answer = await api(path, init);
      if (answer.status >= 300 && answer.status !== 202) {
        throw new Error(`${init.method ?? 'GET'} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer.body;
    };

    const issued = await must('/setup/app-token', { method: 'POST' });
    const parsedQwc = parseQwcFile(String(issued.qwc));
    if (!parsedQwc.ok) throw parsedQwc.error;
    const qwc: QwcFile = parsedQwc.value;
    const companyPath = join(dir, 'company.qbw.sqlite');
    const books = chaosProcessor(companyPath, clock, `${data.shop.name} Books`);
    const randomFaults = createRandomFaultPlan((options.seed * 2_654_435_761) >>> 0, options.faults ?? {});

    const session = async (extra: Partial<Parameters<typeof runWebConnectorSession>[0]> = {}): Promise<SessionLog> => {
      result.sessions++;
      const logged = await runWebConnectorSession({
        qwc,
        password: String(issued.appToken),
        processor: books.processor,
        openCompanyFile: companyPath,
        timeScale: 0.01,
        callTimeoutMs: 30_000,
        appUrls: instances.map((i) => i.soapUrl),
        ...extra,
      });
      const sets = logged.calls.filter((c) => c.method === 'receiveResponseXML').length;
      // Every call after the first goes to the other instance (a load balancer without affinity).
      if (instances.length > 1 && logged.calls.length > 1) {
        result.faults['instance-switches'] = (result.faults['instance-switches'] ?? 0) + logged.calls.length - 1;
      }
      for (let i = 0; i < logged.openFailures; i++) count('quickbooks-could-not-start');
      log(`  session ${result.sessions}: ${logged.outcome}, ${sets} message set(s): ${logged.message.slice(0, 160)}`);
      return logged;
    };
    const restartDead = async () => {
      for (const instance of instances) if (!instance.running) await instance.start();
    };

    // Setup, the way the merchant does it (no faults yet: the chaos is in delivery and syncing).
    log('setup: connecting');
    const connected = await session();
    if (connected.outcome !== 'completed') throw new Error(`connect: ${connected.outcome} ${connected.message}`);
    const tax = await must('/setup/sales-tax-check', { method: 'POST' });
    if (tax.status !== 'pass') throw new Error(`sales tax check: ${JSON.stringify(tax)}`);
    const period = dataPeriod(data);
    if (!period) throw new Error('The generated shop has no dated activity');
    await must('/setup/options', {
      method: 'PUT',
      body: {
        modes: { customers: 'summary', inventory: 'summary', vendors: 'summary' },
        schedule: 'manual',
        startDate: period.from,
      },
    });
    const companyFileId = String(((await must('/setup')) as { companyFile?: { id: string } }).companyFile?.id);

    /** Counts the kills that landed and waits for their processes to be gone. */
    const landedKills = async () => {
      for (const kill of kills.collect()) {
        count(`kill:${kill.target}`);
        log(`  killed inside ${kill.target}: ${kill.point}`);
        await instances.find((instance) => instance.pid === kill.pid)?.whenExited();
      }
    };
    /** Starts a sync (the first one through setup/start) and, when the schedule says, kills it while preparing. */
    const syncWithKill = async (path: string, kill: boolean) => {
      if (kill) kills.arm(SYNC_PREPARATION);
      const answer = await api(path, { method: 'POST' });
      if (answer.status >= 300 || (answer.status === 0 && !kills.pending())) {
        // Refused while another sync is preparing: that is the rule, not a fault.
        kills.disarm();
        log(`sync refused: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        return;
      }
      if (!kill) return;
      // The kill lands inside the preparation, at the latest as the run leaves `preparing`.
      for (let i = 0; i < 600 && !kills.pending(); i++) await delay(50);
      kills.disarm();
      await landedKills();
      // Restarted a while later: the run's lease has lapsed, so the new process takes it over as it starts.
      await clock.advance(NEXT_AUTO_RUN_MS);
      await restartDead();
    };
    /** Something for a session to send, so it reaches sendRequestXML and after: the reconciliation's reads. */
    const ensureWork = async () => {
      if ((await listEntries(storage!, companyFileId, { states: ['pending'], limit: 1 })).length > 0) return;
      const asked = await api(`/reconciliation?from=${period.from}&to=${period.to}&refresh=true`);
      log(`  no work waiting: the reconciliation's reads were asked for (${asked.status})`);
    };
    const shopId = (await latestShopId(storage, shop))!;
    /** A sync is taken over and prepared to its end within a few scheduler ticks. */
    const waitForPreparation = async () => {
      for (let i = 0; i < 600; i++) {
        const [latest] = await listSyncRuns(storage!, shopId, 1);
        if (latest?.state !== 'preparing') return;
        await delay(50);
      }
      const [stuck] = await listSyncRuns(storage!, shopId, 1);
      problem(`sync ${stuck?.id} still preparing 30 s after its instance was killed and restarted`);
    };

    log('setup: starting');
    await syncWithKill('/setup/start', chance(options.syncKillChance ?? 0.6));
    await waitForPreparation();
    log('setup: first sync prepared');

    const checkStatus = async (when: string) => {
      const trouble = await troubleInDatabase(storage!, shopId, companyFileId, clock.now());
      const status = await runCommand(['status', '--shop', shop], env, clock);
      const after = await troubleInDatabase(storage!, shopId, companyFileId, clock.now());
      // Something changed while status ran (a sync taken over): this check proves nothing either way.
      if (after !== trouble) return;
      result.statusChecks++;
      const says = status.code === 1;
      if ((trouble !== null) !== says || (status.code !== 0 && status.code !== 1)) {
        problem(
          `status ${when}: exit ${status.code} while the database holds ${trouble ?? 'nothing that needs attention'}:\n${status.stdout.slice(status.stdout.lastIndexOf('\n\n'))}${status.stderr}`,
        );
      } else if (says && !/item\(s\) need your attention/.test(status.stdout)) {
        problem(`status ${when}: exit 1 without listing what needs attention:\n${status.stdout}`);
      }
    };

    const steps = options.steps ?? 8;
    for (let step = 1; step <= steps; step++) {
      await restartDead();
      const target = chance(options.killChance ?? 0.4) ? kills.next : null;
      const roll = random();
      log(`step ${step}${target ? ` (a kill aimed at ${target})` : ''}`);
      if (target === SYNC_PREPARATION || (target === null && roll < 0.25)) {
        const nextDay = heldBack[0]?.processedAt.slice(0, 10);
        const arriving = heldBack.splice(0, heldBack.filter((o) => o.processedAt.slice(0, 10) === nextDay).length);
        for (const order of arriving) await shopify.addOrder({ ...order, updatedAt: clock.now().toISOString() });
        log(`${arriving.length} new order(s) in Shopify`);
        await syncWithKill('/sync', target !== null);
        await waitForPreparation();
      } else {
        if (target && NEEDS_WORK.has(target)) await ensureWork();
        const busyCode = chance(options.busyChance ?? 0.25) ? pick(BUSY_CODES) : null;
        if (busyCode) books.armBusy(1 + Math.floor(random() * 2), busyCode);
        const occurrence = target ? kills.occurrence(target) : 0;
        const terminate =
          !target && appName !== null && chance(options.terminateChance ?? 0.2)
            ? { method: pick(TERMINATE_POINTS), occurrence: 1, afterMs: Math.floor(random() * 15) }
            : null;
        const pending: Promise<void>[] = [];
        let armed = false;
        const logged = await session({
          randomFaults,
          // connectionError comes only when QuickBooks cannot be opened; getLastError after an answer it cannot read.
          ...(target === 'connectionError' ? { openFailures: 1 } : {}),
          ...(target === 'getLastError' ? { faults: [{ method: 'receiveResponseXML', kind: 'cut-response' }] } : {}),
          beforeCall(method, n, fault) {
            // A call that is lost on the way or is not SOAP never reaches the method: aim at the next one.
            if (
              target &&
              !armed &&
              method === target &&
              n >= occurrence &&
              (fault === undefined || fault === 'cut-response' || fault === 'partial-response')
            ) {
              kills.arm(target);
              armed = true;
            }
            if (terminate && method === terminate.method && n === terminate.occurrence) {
              pending.push(
                delay(terminate.afterMs).then(async () => {
                  if ((await terminateBackends(appName!)) > 0) count('postgres-backends-terminated');
                }),
              );
            }
          },
        });
        await Promise.all(pending);
        kills.disarm();
        await landedKills();
        if (target && !armed) log(`  the session never called ${target}: the next kill aims at it again`);
        if (books.disarmBusy() && busyCode) count(`quickbooks-busy:${busyCode}`);
        for (const call of logged.calls) if (call.injected) count(call.injected);
        if (logged.outcome !== 'completed' && logged.outcome !== 'no-work') {
          await restartDead();
          await clock.advance(NEXT_AUTO_RUN_MS);
        }
      }
      await restartDead();
      const every = options.statusEvery ?? 1;
      if (every > 0 && step % every === 0) await checkStatus(`after step ${step}`);
    }

    // The faults are over. The last orders arrive and are synced; retries come due, leases lapse; then one
    // session must finish everything.
    await restartDead();
    await waitForPreparation();
    if (heldBack.length > 0) {
      for (const order of heldBack.splice(0))
        await shopify.addOrder({ ...order, updatedAt: clock.now().toISOString() });
      await must('/sync', { method: 'POST' });
      await delay(100);
      await waitForPreparation();
    }
    await clock.advance(2 * 3_600_000);
    log('settling');
    const settling = await session();
    const left = await listEntries(storage, companyFileId, {
      states: ['pending', 'leased', 'sent', 'unknown', 'retry_wait'],
    });
    if (settling.outcome !== 'completed' && settling.outcome !== 'no-work') {
      problem(`the first session after the faults ended ${settling.outcome}: ${settling.message}`);
    }
    if (left.length > 0) {
      problem(
        `stuck after one session without faults: ${left.map((e) => `${e.key} ${e.state} ${e.lastError?.code ?? ''}`).join(', ')}`,
      );
    }
    for (let i = 0; i < 3; i++) if ((await session()).outcome === 'no-work') break;

    // Reconciliation: QuickBooks' reports come through one more session.
    const reconcilePath = `/reconciliation?from=${period.from}&to=${period.to}`;
    let reconciliation = await api(reconcilePath);
    if (reconciliation.status === 202) {
      await session();
      reconciliation = await api(reconcilePath);
    }
    const differences = reconciliation.body.differences as unknown[] | undefined;
    if (reconciliation.status !== 200 || !Array.isArray(differences) || differences.length > 0) {
      problem(`reconciliation: ${reconciliation.status} ${JSON.stringify(reconciliation.body).slice(0, 600)}`);
    }

    log('reconciled');
    const finalStatus = await runCommand(['status', '--shop', shop], env, clock);
    result.statusChecks++;
    if (finalStatus.code !== 0 || !/Nothing needs your attention\./.test(finalStatus.stdout)) {
      problem(`final status: exit ${finalStatus.code}\n${finalStatus.stdout}${finalStatus.stderr}`);
    }

    Object.assign(result.kills, kills.landed);
    const entries = await listEntries(storage, companyFileId, {});
    const booksCheck = books.withCompany((company) => checkBooks(entries, company));
    result.documents = booksCheck.documents;
    result.duplicates = booksCheck.duplicates;
    result.lost = booksCheck.lost;
    for (const text of booksCheck.problems) problem(text);
    if (result.problems.length > 0) {
      for (const instance of instances) log(`${instance.name} log tail:\n${instance.logTail.slice(-10).join('\n')}`);
    }
  } finally {
    await storage?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
    result.wallMs = Math.round(performance.now() - started);
  }
  return result;
}

async function latestShopId(storage: Storage, domain: string): Promise<string | null> {
  const row = await storage.db.selectFrom('shops').select('id').where('domain', '=', domain).executeTakeFirst();
  return row ? String(row.id) : null;
}
