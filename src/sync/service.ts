import { readCompanySnapshot } from '../apply/index.ts';
import { documentCounts } from '../documents/index.ts';
import { localDate } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result, toConnectorError } from '../errors/index.ts';
import type { Extractor, ExtractProgress, PullSummary } from '../extract/index.ts';
import { lastRunId } from '../extract/index.ts';
import {
  claimInterruptedRun,
  createSyncRun,
  getIntegration,
  getSyncRun,
  holdSyncRunLease,
  type Integration,
  listHandEntries,
  listInterruptedRuns,
  listSyncRuns,
  preparingRunOf,
  SYNC_HEARTBEAT_MS,
  SYNC_LEASE_MS,
  SYNC_MAX_TAKEOVERS,
  type SyncRun,
  type SyncRunState,
  type SyncSummary,
  type SyncTrigger,
  savePostedDocuments,
  summaryNotes,
  tryMoveSyncRun,
} from '../integration/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { enqueue, type OutboxProgress, progress } from '../outbox/index.ts';
import { outboxInputs, planRequests } from '../plan/index.ts';
import { getCompanyFile, getShop, type Shop, type Storage } from '../storage/index.ts';
import { CATEGORIES, transform } from '../transform/index.ts';
import { checkModesFit } from './list-limits.ts';
import { reconcilePosted } from './reconcile-posted.ts';
import { loadTransformSources } from './sources.ts';

export { reconcilePosted } from './reconcile-posted.ts';

export interface SyncServiceOptions {
  storage: Storage;
  /** The extractor for a shop (its Shopify client and purchase-order source come from the integration). */
  extractorFor: (
    shop: Shop,
    integration: Integration,
    options?: { interactive?: boolean },
  ) => Promise<Result<Extractor>>;
  logger?: Logger;
  clock?: () => Date;
  /** A preparing run's lease (default SYNC_LEASE_MS, 30 s) and how often its holder renews it (10 s). */
  leaseMs?: number;
  heartbeatMs?: number;
}

export interface SyncProgress {
  run: SyncRun;
  outbox: OutboxProgress;
}

/**
 * What a sync run tells whoever watches it: the pull's progress (see ExtractProgress), then each stage after it
 * (`count`: documents made, requests planned, requests new to the outbox).
 */
export type SyncProgressEvent =
  | ExtractProgress
  | { type: 'stage'; stage: 'transform' | 'plan' | 'queue'; done: boolean; count?: number };

export interface WatchOptions {
  onProgress?: (event: SyncProgressEvent) => void;
  /** A person waits for this run: Shopify failures are not retried patiently (the run fails fast, saying why). */
  interactive?: boolean;
}

export interface SyncService {
  /** Creates a run for a started integration; refused while another is preparing for the shop. */
  start(shopId: string, trigger: SyncTrigger, options?: { scheduledDate?: string }): Promise<Result<SyncRun>>;
  /** Extract → transform → plan → outbox for a run created by `start`. Never throws for expected failures. */
  execute(run: SyncRun, watch?: WatchOptions): Promise<SyncRun>;
  /** start + execute. */
  run(
    shopId: string,
    trigger: SyncTrigger,
    options?: { scheduledDate?: string } & WatchOptions,
  ): Promise<Result<SyncRun>>;
  /** The run with its outbox counts; a delivering run whose entries are all settled is completed here. */
  progress(runId: string): Promise<SyncProgress | null>;
  history(shopId: string, limit?: number): Promise<SyncRun[]>;
  /**
   * Takes over runs whose holder died while preparing them (their lease lapsed) and prepares them to the end; a
   * run taken over SYNC_MAX_TAKEOVERS times already is failed (SYNC_INTERRUPTED) instead. Returns the runs as
   * they ended.
   */
  recoverInterrupted(): Promise<SyncRun[]>;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { storage } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const leaseMs = options.leaseMs ?? SYNC_LEASE_MS;
  const heartbeatMs = options.heartbeatMs ?? SYNC_HEARTBEAT_MS;

  /** Fails the run while `run.leaseHolder` still holds it; a holder that was taken over leaves it alone. */
  async function fail(run: SyncRun, error: ConnectorError): Promise<SyncRun> {
    const failed = await tryMoveSyncRun(storage, run, 'failed', { error: error.toJSON() }, clock(), {
      fencedBy: run.leaseHolder,
    });
    if (!failed) return lostRun(run);
    logger.warn('sync run failed', { run: run.id, shop: run.shopId, code: error.code, error: error.message });
    return failed;
  }

  /** The run as another instance left it after taking it over from us. */
  async function lostRun(run: SyncRun): Promise<SyncRun> {
    logger.warn('sync run taken over by another instance; this one stops preparing it', { run: run.id });
    return (await getSyncRun(storage, run.id)) ?? run;
  }

  const interrupted = (run: SyncRun, why: string) =>
    new ConnectorError({
      code: 'SYNC_INTERRUPTED',
      message: `Sync run ${run.id} ${why}`,
      merchantMessage:
        'A sync was interrupted before it finished preparing. Nothing was posted twice; the next sync picks up where it stopped.',
      retryable: true,
    });

  const service: SyncService = {
    async start(shopId, trigger, startOptions = {}) {
      const integration = await getIntegration(storage, shopId);
      if (integration?.state !== 'started' || !integration.companyFileId) {
        return err(
          new ConnectorError({
            code: 'SYNC_NOT_STARTED',
            message: `Shop ${shopId} has no started integration`,
            merchantMessage: 'Finish the setup and press Start integration before syncing.',
            merchantMustAct: true,
          }),
        );
      }
      const input = {
        shopId,
        companyFileId: integration.companyFileId,
        trigger,
        scheduledDate: startOptions.scheduledDate ?? null,
      };
      const created = await createSyncRun(storage, input, clock(), leaseMs);
      if (created.ok || created.error.code !== 'SYNC_ALREADY_RUNNING') return created;
      // The run in the way may belong to a holder that died: this new run supersedes it.
      const blocking = await preparingRunOf(storage, shopId);
      const claimed = blocking && (await claimInterruptedRun(storage, blocking, clock(), leaseMs));
      if (!claimed) return created;
      await fail(claimed, interrupted(claimed, 'stopped while preparing and was replaced by a new sync'));
      return createSyncRun(storage, input, clock(), leaseMs);
    },

    async execute(run, watch = {}) {
      const lease = holdSyncRunLease(storage, run, { clock, heartbeatMs, leaseMs, logger });
      try {
        return await prepare(run, watch.onProgress, watch.interactive === true);
      } finally {
        await lease.stop();
      }
    },

    async run(shopId, trigger, runOptions) {
      const started = await service.start(shopId, trigger, runOptions);
      if (!started.ok) return started;
      return ok(
        await service.execute(started.value, {
          ...(runOptions?.onProgress ? { onProgress: runOptions.onProgress } : {}),
          ...(runOptions?.interactive ? { interactive: true } : {}),
        }),
      );
    },

    async progress(runId) {
      let run = await getSyncRun(storage, runId);
      if (!run) return null;
      const outbox = await progress(storage, run.companyFileId, { syncRunId: run.id });
      const troubled = outbox.needsAttention > 0 || outbox.failed > 0;
      let next: SyncRunState | null = null;
      if (run.state === 'delivering' && outbox.remaining === 0)
        next = troubled ? 'completed_with_attention' : 'completed';
      else if (run.state === 'completed_with_attention' && outbox.remaining === 0 && !troubled) next = 'completed';
      if (next) {
        // Another caller (the API, a scheduler on another instance) may settle the same run first: read it again.
        run = (await tryMoveSyncRun(storage, run, next, {}, clock())) ?? (await getSyncRun(storage, runId)) ?? run;
      }
      return { run, outbox };
    },

    history(shopId, limit) {
      return listSyncRuns(storage, shopId, limit);
    },

    async recoverInterrupted() {
      const recovered: SyncRun[] = [];
      for (const run of await listInterruptedRuns(storage, clock())) {
        const claimed = await claimInterruptedRun(storage, run, clock(), leaseMs);
        if (!claimed) continue; // renewed meanwhile, or another instance took it
        if (claimed.takeovers > SYNC_MAX_TAKEOVERS) {
          recovered.push(
            await fail(claimed, interrupted(claimed, `stopped its server ${claimed.takeovers} times while preparing`)),
          );
          continue;
        }
        logger.info('taking over a sync run whose holder stopped', { run: run.id, takeovers: claimed.takeovers });
        recovered.push(await service.execute(claimed));
      }
      return recovered;
    },
  };

  /** Extract → transform → plan → outbox for a run this execution holds. */
  async function prepare(run: SyncRun, onProgress?: WatchOptions['onProgress'], interactive = false): Promise<SyncRun> {
    const stage = (name: 'transform' | 'plan' | 'queue', done: boolean, count?: number) =>
      onProgress?.({ type: 'stage', stage: name, done, ...(count === undefined ? {} : { count }) });
    const shop = await getShop(storage, run.shopId);
    const integration = await getIntegration(storage, run.shopId);
    if (!shop || !integration?.options?.startDate) {
      return fail(
        run,
        new ConnectorError({ code: 'SYNC_NOT_CONFIGURED', message: `Shop ${run.shopId} has no integration options` }),
      );
    }
    const settings = integration.options;
    const summary: SyncSummary = { extracted: {}, documents: 0, planned: 0, alreadyPlanned: 0, notes: [] };
    try {
      const extractor = await options.extractorFor(shop, integration, interactive ? { interactive } : {});
      if (!extractor.ok) return fail(run, extractor.error);
      // The first pull of a shop is a backfill through bulk operations; later ones are incremental.
      const mode = (await lastRunId(storage, shop.id)) === null ? 'backfill' : 'incremental';
      const pulled: Result<PullSummary> = await extractor.value.pull({
        shopId: shop.id,
        mode,
        ...(onProgress ? { onProgress } : {}),
      });
      if (!pulled.ok) return fail(run, pulled.error);
      for (const [entity, counts] of Object.entries(pulled.value.counts)) {
        if (counts) summary.extracted[entity] = { seen: counts.seen, inserted: counts.inserted };
      }

      stage('transform', false);
      // What this sync reads: the reconciliation tells orders pulled after it (not synced yet) from differences.
      summary.readThroughRun = await lastRunId(storage, shop.id);
      const sources = await loadTransformSources(storage, shop.id);
      if (!sources.ok) return fail(run, sources.error);
      const companyFile = await getCompanyFile(storage, run.companyFileId);
      const snapshot = await readCompanySnapshot(storage, run.companyFileId);
      if (companyFile?.boundCompany) {
        const fits = checkModesFit(companyFile.boundCompany.edition, snapshot, sources.value, settings.modes);
        if (fits && !fits.ok) return fail(run, fits.error);
      }
      const result = transform(sources.value, {
        modes: settings.modes,
        useClasses: settings.useClasses,
        startDate: integration.options.startDate,
        accountsToCreate: settings.accountsToCreate,
        mappedCategories: CATEGORIES.filter((category) => Boolean(settings.mapping[category])),
        // What the merchant entered in QuickBooks by hand is never produced again: it would be posted twice.
        enteredByHand: (await listHandEntries(storage, shop.id)).map((entry) => entry.subject),
      });
      summary.notes = summaryNotes(result.notes);

      // Only complete days are posted: a day's Summary document would change while the day goes on, and a
      // document never changes once posted (edits post a difference). Today's sales go out with tomorrow's sync.
      const today = localDate(clock(), shop.timeZone);
      summary.postedBefore = today;
      const complete = result.documents.filter((document) => document.date < today);
      const changes = await reconcilePosted(storage, run.companyFileId, complete, today);
      summary.notes.push(...changes.notes);
      summary.documents = result.lists.length + changes.toPlan.length;
      stage('transform', true, summary.documents);
      stage('plan', false);
      const names = (type: string) =>
        (snapshot.parts[type]?.rets ?? [])
          .map((ret) =>
            typeof ret.FullName === 'string' ? ret.FullName : typeof ret.Name === 'string' ? ret.Name : null,
          )
          .filter((name): name is string => name !== null);
      const planned = planRequests(result.lists, changes.toPlan, settings.mapping, {
        // QuickBooks' own "Cash" or a class the merchant made is the same thing: adopt it, do not add it again.
        existingNames: { paymentMethods: names('PaymentMethodQuery'), classes: names('ClassQuery') },
        salesOrderOf: changes.salesOrderOf,
      });
      stage('plan', true, planned.length);
      stage('queue', false);
      // One transaction: a crash while enqueueing leaves nothing half-planned, and a re-run plans the same keys.
      // The move to delivering is in it, fenced by our lease: a holder that was taken over commits nothing.
      const delivering = await storage.transaction(async (scope) => {
        const added = await enqueue(
          scope,
          [
            ...outboxInputs(planned, run.companyFileId, run.id),
            ...changes.extra.map((e) => ({ ...e, syncRunId: run.id })),
          ],
          clock(),
        );
        await savePostedDocuments(scope, run.companyFileId, changes.toSave, clock());
        summary.planned = added.filter((e) => e.created).length;
        // Everything earlier syncs planned, re-produced by this one or not (posted documents that did not change are
        // not planned again): with `planned` it adds up to the documents the outbox holds for the company file.
        const documents = await documentCounts(scope, run.companyFileId);
        summary.alreadyPlanned = documents.planned - summary.planned;
        const moved = await tryMoveSyncRun(scope, run, 'delivering', { summary }, clock(), {
          fencedBy: run.leaseHolder,
        });
        if (!moved) throw new LeaseLost();
        return moved;
      });
      stage('queue', true, summary.planned);
      logger.info('sync run planned', { run: run.id, shop: shop.domain, planned: summary.planned });
      return delivering;
    } catch (error) {
      if (error instanceof LeaseLost) return lostRun(run);
      return fail(run, toConnectorError(error, 'SYNC_FAILED'));
    }
  }

  return service;
}

/** Thrown inside the planning transaction when our lease was taken over: it rolls back, nothing is committed. */
class LeaseLost extends Error {}
