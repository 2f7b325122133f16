/** The heartbeat that keeps a preparing run's lease while its holder works on it. */
import { type Logger, silentLogger } from '../logger/index.ts';
import type { Queryable } from '../storage/index.ts';
import { renewSyncRunLease, SYNC_HEARTBEAT_MS, SYNC_LEASE_MS, type SyncRun } from './sync-runs.ts';

export interface HeldSyncRunLease {
  /** True once a renewal found the run no longer ours (taken over after a pause longer than the lease). */
  lost(): boolean;
  /** Resolves after the next renewal has been written (tests, and callers that want a fresh lease). */
  renewed(): Promise<void>;
  /** Stops renewing; resolves once a renewal in progress has finished. */
  stop(): Promise<void>;
}

export interface HoldOptions {
  clock: () => Date;
  heartbeatMs?: number;
  leaseMs?: number;
  logger?: Logger;
}

/**
 * Renews `run`'s lease every `heartbeatMs` until stopped or lost. Renewals go through their own statements, never
 * the holder's transaction, so a long planning transaction does not starve them (on SQLite they wait their turn
 * behind it, which the lease allows for three times over).
 */
export function holdSyncRunLease(
  q: Queryable,
  run: Pick<SyncRun, 'id' | 'leaseHolder'>,
  options: HoldOptions,
): HeldSyncRunLease {
  const logger = options.logger ?? silentLogger;
  const heartbeatMs = options.heartbeatMs ?? SYNC_HEARTBEAT_MS;
  const leaseMs = options.leaseMs ?? SYNC_LEASE_MS;
  let lost = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let beating: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];

  const beat = async () => {
    try {
      if (!(await renewSyncRunLease(q, run, options.clock(), leaseMs))) {
        lost = true;
        logger.warn('sync run lease lost: another instance took the run over', { run: run.id });
      }
    } catch (error) {
      // A failed renewal is not a lost lease: the next one may succeed well before the lease runs out.
      logger.warn('sync run lease renewal failed', { run: run.id, error });
    }
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
    schedule();
  };
  const schedule = () => {
    if (stopped || lost) return;
    timer = setTimeout(() => {
      beating = beat();
    }, heartbeatMs);
    timer.unref();
  };
  schedule();
  return {
    lost: () => lost,
    renewed: () =>
      stopped || lost
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await beating;
      for (const wake of waiters) wake();
      waiters = [];
    },
  };
}
