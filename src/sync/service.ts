import { formatMoney } from '../domain/money.ts';
import { ConnectorError, err, ok, type Result, toConnectorError } from '../errors/index.ts';
import type { Extractor, PullSummary } from '../extract/extractor.ts';
import { lastRunId } from '../extract/source-records.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { type EnqueueInput, enqueue, type OutboxProgress, progress } from '../outbox/index.ts';
import { type PlannedRequest, planRequests } from '../plan/index.ts';
import { getIntegration, type Integration } from '../setup/integrations.ts';
import { getShop, type Shop, type Storage } from '../storage/index.ts';
import { transform } from '../transform/index.ts';
import {
  createSyncRun,
  getSyncRun,
  listSyncRuns,
  listSyncRunsInState,
  moveSyncRun,
  type SyncRun,
  type SyncSummary,
  type SyncTrigger,
} from './runs.ts';
import { loadTransformSources } from './sources.ts';

export interface SyncServiceOptions {
  storage: Storage;
  /** The extractor for a shop (its Shopify client and purchase-order source come from the integration). */
  extractorFor: (shop: Shop, integration: Integration) => Promise<Result<Extractor>>;
  logger?: Logger;
  clock?: () => Date;
  /** A run still `preparing` after this long was interrupted (its server stopped). Default 2 hours. */
  staleAfterMs?: number;
}

export interface SyncProgress {
  run: SyncRun;
  outbox: OutboxProgress;
}

export interface SyncService {
  /** Creates a run for a started integration; refused while another is preparing for the shop. */
  start(shopId: string, trigger: SyncTrigger, options?: { scheduledDate?: string }): Promise<Result<SyncRun>>;
  /** Extract → transform → plan → outbox for a run created by `start`. Never throws for expected failures. */
  execute(run: SyncRun): Promise<SyncRun>;
  /** start + execute. */
  run(shopId: string, trigger: SyncTrigger, options?: { scheduledDate?: string }): Promise<Result<SyncRun>>;
  /** The run with its outbox counts; a delivering run whose entries are all settled is completed here. */
  progress(runId: string): Promise<SyncProgress | null>;
  history(shopId: string, limit?: number): Promise<SyncRun[]>;
  /** Marks runs left `preparing` by a stopped server as failed, so the shop can sync again. */
  recoverInterrupted(options?: { all?: boolean }): Promise<SyncRun[]>;
}

/**
 * The outbox runs higher priorities first; the plan ranks lower numbers first (lists before transactions).
 * The sync is the seam between the two, so the conversion lives here.
 */
const PRIORITY_CEILING = 100;

/**
 * Planned bodies carry Money as bigint hundredths; the outbox stores requests as JSON, where a bigint has no
 * faithful form (it would come back as a string of cents and be read as whole currency units). Amounts leave the
 * domain here as the decimal strings qbXML uses.
 */
function toStorableBody(value: unknown): unknown {
  if (typeof value === 'bigint') return formatMoney(value);
  if (Array.isArray(value)) return value.map(toStorableBody);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toStorableBody(item);
    return out;
  }
  return value;
}

function toEnqueueInput(request: PlannedRequest, companyFileId: string, runId: string): EnqueueInput {
  const [sourceKind] = request.key.split('/');
  return {
    companyFileId,
    key: request.key,
    kind: request.kind,
    request: { type: request.message, body: toStorableBody(request.body) as Record<string, unknown> },
    dependencies: request.dependsOn,
    priority: PRIORITY_CEILING - request.priority,
    source: { kind: sourceKind ?? request.kind, id: request.key },
    syncRunId: runId,
  };
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { storage } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const staleAfterMs = options.staleAfterMs ?? 2 * 3_600_000;

  async function fail(run: SyncRun, error: ConnectorError): Promise<SyncRun> {
    logger.warn('sync run failed', { run: run.id, shop: run.shopId, code: error.code, error: error.message });
    return moveSyncRun(storage, run, 'failed', { error: error.toJSON() }, clock());
  }

  const service: SyncService = {
    async start(shopId, trigger, startOptions = {}) {
      const integration = await getIntegration(storage, shopId);
      if (!integration || integration.state !== 'started' || !integration.companyFileId) {
        return err(
          new ConnectorError({
            code: 'SYNC_NOT_STARTED',
            message: `Shop ${shopId} has no started integration`,
            merchantMessage: 'Finish the setup and press Start integration before syncing.',
            merchantMustAct: true,
          }),
        );
      }
      return createSyncRun(
        storage,
        {
          shopId,
          companyFileId: integration.companyFileId,
          trigger,
          scheduledDate: startOptions.scheduledDate ?? null,
        },
        clock(),
      );
    },

    async execute(run) {
      const shop = await getShop(storage, run.shopId);
      const integration = await getIntegration(storage, run.shopId);
      if (!shop || !integration?.options) {
        return fail(
          run,
          new ConnectorError({ code: 'SYNC_NOT_CONFIGURED', message: `Shop ${run.shopId} has no integration options` }),
        );
      }
      const settings = integration.options;
      const summary: SyncSummary = { extracted: {}, documents: 0, planned: 0, alreadyPlanned: 0, notes: [] };
      try {
        const extractor = await options.extractorFor(shop, integration);
        if (!extractor.ok) return fail(run, extractor.error);
        // The first pull of a shop is a backfill through bulk operations; later ones are incremental.
        const mode = (await lastRunId(storage, shop.id)) === null ? 'backfill' : 'incremental';
        const pulled: Result<PullSummary> = await extractor.value.pull({ shopId: shop.id, mode });
        if (!pulled.ok) return fail(run, pulled.error);
        for (const [entity, counts] of Object.entries(pulled.value.counts)) {
          if (counts) summary.extracted[entity] = { seen: counts.seen, inserted: counts.inserted };
        }

        const sources = await loadTransformSources(storage, shop.id);
        if (!sources.ok) return fail(run, sources.error);
        const result = transform(sources.value, {
          modes: settings.modes,
          useClasses: settings.useClasses,
          startDate: settings.startDate,
          accountsToCreate: settings.accountsToCreate,
        });
        summary.documents = result.lists.length + result.documents.length;
        summary.notes = result.notes.map((note) => ({ code: note.code, message: `${note.key}: ${note.text}` }));
        const planned = planRequests(result.lists, result.documents, settings.mapping);
        // One transaction: a crash while enqueueing leaves nothing half-planned, and a re-run plans the same keys.
        const enqueued = await enqueue(
          storage,
          planned.map((request) => toEnqueueInput(request, run.companyFileId, run.id)),
          clock(),
        );
        summary.planned = enqueued.filter((e) => e.created).length;
        summary.alreadyPlanned = enqueued.length - summary.planned;
        logger.info('sync run planned', { run: run.id, shop: shop.domain, planned: summary.planned });
        return moveSyncRun(storage, run, 'delivering', { summary }, clock());
      } catch (error) {
        return fail(run, toConnectorError(error, 'SYNC_FAILED'));
      }
    },

    async run(shopId, trigger, runOptions) {
      const started = await service.start(shopId, trigger, runOptions);
      if (!started.ok) return started;
      return ok(await service.execute(started.value));
    },

    async progress(runId) {
      let run = await getSyncRun(storage, runId);
      if (!run) return null;
      const outbox = await progress(storage, run.companyFileId, { syncRunId: run.id });
      if (run.state === 'delivering' && outbox.remaining === 0) {
        run = await moveSyncRun(
          storage,
          run,
          outbox.needsAttention > 0 || outbox.failed > 0 ? 'completed_with_attention' : 'completed',
          {},
          clock(),
        );
      } else if (
        run.state === 'completed_with_attention' &&
        outbox.remaining === 0 &&
        outbox.needsAttention === 0 &&
        outbox.failed === 0
      ) {
        run = await moveSyncRun(storage, run, 'completed', {}, clock());
      }
      return { run, outbox };
    },

    history(shopId, limit) {
      return listSyncRuns(storage, shopId, limit);
    },

    async recoverInterrupted(recoverOptions = {}) {
      const preparing = await listSyncRunsInState(storage, ['preparing']);
      const now = clock();
      const recovered: SyncRun[] = [];
      for (const run of preparing) {
        if (!recoverOptions.all && now.getTime() - run.startedAt.getTime() < staleAfterMs) continue;
        recovered.push(
          await fail(
            run,
            new ConnectorError({
              code: 'SYNC_INTERRUPTED',
              message: `Sync run ${run.id} was still preparing when its server stopped`,
              merchantMessage:
                'A sync was interrupted before it finished preparing. Nothing was posted twice; the next sync picks up where it stopped.',
              retryable: true,
            }),
          ),
        );
      }
      return recovered;
    },
  };
  return service;
}
