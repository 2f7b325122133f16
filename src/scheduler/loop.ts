import { toConnectorError } from '../errors/index.ts';
import {
  dueScheduledRun,
  getIntegration,
  getSyncRun,
  listStartedIntegrations,
  listSyncRunsInState,
  type SyncRun,
  updateIntegration,
} from '../integration/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { getShop, type Storage } from '../storage/index.ts';
import type { SyncService } from '../sync/index.ts';

export interface SchedulerOptions {
  storage: Storage;
  sync: SyncService;
  logger?: Logger;
  clock?: () => Date;
  /** Default 60 s. Must stay well under the 15-minute window. */
  tickMs?: number;
  /**
   * How often to look for sync runs whose holder died (their lease lapsed) and take them over. Default 15 s: with
   * the 30 s lease a run is taken over within 45 s of its holder's death, whatever `tickMs` is.
   */
  leaseCheckMs?: number;
}

export interface TickResult {
  started: SyncRun[];
  recovered: SyncRun[];
  settled: SyncRun[];
}

/**
 * The automatic sync. Each tick: fail runs interrupted by a stopped server, start the daily runs that are due
 * (the database lets only one instance start a given day's run), and settle delivering runs whose documents have
 * all reached QuickBooks. Safe to run on every server instance at once.
 */
export function createScheduler(options: SchedulerOptions) {
  const { storage, sync } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const tickMs = options.tickMs ?? 60_000;
  const leaseCheckMs = options.leaseCheckMs ?? 15_000;
  let timer: NodeJS.Timeout | null = null;
  let leaseTimer: NodeJS.Timeout | null = null;
  let running: Promise<TickResult> | null = null;
  let recovering: Promise<SyncRun[]> | null = null;

  /** Takes over interrupted runs; concurrent calls share the pass in progress (a run is prepared once). */
  function recoverInterrupted(): Promise<SyncRun[]> {
    if (!recovering) {
      recovering = sync.recoverInterrupted().finally(() => {
        recovering = null;
      });
    }
    return recovering;
  }

  async function tickOnce(): Promise<TickResult> {
    const result: TickResult = { started: [], recovered: await recoverInterrupted(), settled: [] };
    for (const integration of await listStartedIntegrations(storage)) {
      const schedule = integration.options?.schedule;
      const shop = await getShop(storage, integration.shopId);
      if (!schedule || !shop) continue;
      const due = dueScheduledRun(schedule, shop.timeZone, clock(), integration.lastScheduledDate);
      // Catching up is for a server that was down at the scheduled time, not for days before the start: the
      // start ran its own first sync, and yesterday's slot must not fire the moment the integration starts.
      if (!due || (integration.startedAt && due.scheduledFor < integration.startedAt)) continue;
      const started = await sync.start(shop.id, 'schedule', { scheduledDate: due.date });
      if (!started.ok && started.error.code !== 'SYNC_ALREADY_SCHEDULED') {
        // Another sync is preparing (a manual one): try again at the next tick, still inside the window.
        logger.info('scheduled sync postponed', { shop: shop.domain, date: due.date, code: started.error.code });
        continue;
      }
      const fresh = await getIntegration(storage, shop.id);
      if (fresh) await updateIntegration(storage, fresh, { lastScheduledDate: due.date }, clock());
      if (started.ok) {
        logger.info('scheduled sync started', { shop: shop.domain, date: due.date, run: started.value.id });
        result.started.push(await sync.execute(started.value));
      }
    }
    for (const run of await listSyncRunsInState(storage, ['delivering'])) {
      let progress: Awaited<ReturnType<SyncService['progress']>>;
      try {
        progress = await sync.progress(run.id);
      } catch (error) {
        // Another instance settled this run between our read and our move: its state moved on, nothing is lost.
        const now = await getSyncRun(storage, run.id);
        if (now && now.state !== run.state) continue;
        throw error;
      }
      if (progress && progress.run.state !== 'delivering') result.settled.push(progress.run);
    }
    return result;
  }

  return {
    /** One pass; concurrent calls share the pass in progress. */
    tick(): Promise<TickResult> {
      if (!running) {
        running = tickOnce().finally(() => {
          running = null;
        });
      }
      return running;
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        this.tick().catch((error: unknown) =>
          logger.error('scheduler tick failed', { error: toConnectorError(error).toJSON() }),
        );
      }, tickMs);
      timer.unref();
      const checkLeases = () =>
        void recoverInterrupted().catch((error: unknown) =>
          logger.error('taking over interrupted sync runs failed', { error: toConnectorError(error).toJSON() }),
        );
      leaseTimer = setInterval(checkLeases, leaseCheckMs);
      leaseTimer.unref();
      // At start-up too: runs a process that died long ago left preparing are taken over at once.
      checkLeases();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      if (leaseTimer) clearInterval(leaseTimer);
      timer = null;
      leaseTimer = null;
      if (running) await running.catch(() => undefined);
      if (recovering) await recovering.catch(() => undefined);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
