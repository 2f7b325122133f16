import { readCompanySnapshot } from '../apply/company-snapshot.ts';
import { localDate } from '../domain/time.ts';
import { ConnectorError, err, ok, type Result, toConnectorError } from '../errors/index.ts';
import type { Extractor, PullSummary } from '../extract/extractor.ts';
import { lastRunId } from '../extract/source-records.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import {
  cancelEntry,
  type EnqueueInput,
  enqueue,
  getEntryByKey,
  type OutboxProgress,
  progress,
} from '../outbox/index.ts';
import { outboxInputs, planRequests } from '../plan/index.ts';
import { getIntegration, type Integration } from '../setup/integrations.ts';
import { getCompanyFile, getShop, type Queryable, type Shop, type Storage } from '../storage/index.ts';
import { editAdjustments, type TransactionDocument, transform } from '../transform/index.ts';
import { checkModesFit } from './list-limits.ts';
import {
  documentHash,
  loadPostedDocuments,
  type PostedDocument,
  savePostedDocuments,
  serializeDocument,
} from './posted-documents.ts';
import {
  createSyncRun,
  getSyncRun,
  listSyncRuns,
  listSyncRunsInState,
  moveSyncRun,
  type SyncRun,
  type SyncRunState,
  type SyncSummary,
  type SyncTrigger,
  tryMoveSyncRun,
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

/** The content hash of a document the connector took back: never considered again. */
const REMOVED = 'removed';

interface PostedChanges {
  toPlan: TransactionDocument[];
  toSave: { document: TransactionDocument; serialized: string; contentHash: string; editSequence: number }[];
  extra: EnqueueInput[];
  notes: { code: string; message: string }[];
  /** Invoice key → the sales order it converts (planRequests links them). */
}

/**
 * Compares the documents of this sync with the versions planned before. New ones are planned as they are; an
 * unchanged one adds nothing; a changed one (an order edited or fulfilled after it was posted) posts only the
 * difference, dated today (`editAdjustments`: posted + differences = current, so nothing is counted twice). A
 * sales order replaced by the order's invoice or receipt is removed (it posted nothing; left open it would still
 * show as an open order), and a deposit taken while the order was open is taken back once the final document
 * carries the payment; either is cancelled instead if it was never sent. Payments are replaced, not adjusted.
 */
export async function reconcilePosted(
  q: Queryable,
  companyFileId: string,
  documents: readonly TransactionDocument[],
  today: string,
): Promise<PostedChanges> {
  const before = await loadPostedDocuments(q, companyFileId);
  const changes: PostedChanges = { toPlan: [], toSave: [], extra: [], notes: [] };
  const seen = new Set<string>(documents.map((d) => d.key));
  for (const document of documents) {
    const serialized = serializeDocument(document);
    const contentHash = documentHash(serialized);
    const previous = before.get(document.key);
    if (!previous) {
      changes.toPlan.push(document);
      changes.toSave.push({ document, serialized, contentHash, editSequence: 0 });
      continue;
    }
    if (previous.contentHash === contentHash) continue;
    const editSequence = previous.editSequence + 1;
    changes.toSave.push({ document, serialized, contentHash, editSequence });
    if (previous.contentHash === REMOVED) {
      // Taken back earlier and wanted again: post it in full under a new key.
      changes.toPlan.push({ ...document, key: `${document.key}/edit/${editSequence}` });
      continue;
    }
    if (previous.document.kind === 'receivePayment') {
      // A payment is replaced, not adjusted: QuickBooks has no negative payment to post a difference with.
      const removal = await removeFromQuickBooks(
        q,
        companyFileId,
        livePaymentKey(previous),
        'ReceivePayment',
        editSequence,
      );
      if (removal.input) changes.extra.push(removal.input);
      if (removal.note) {
        // The one to replace is still on its way to QuickBooks: posting the new one now would count the payment
        // twice. Both wait for the next sync, which replaces it once it has arrived.
        changes.notes.push(removal.note);
        changes.toSave.pop();
        continue;
      }
      changes.toPlan.push({ ...document, key: `${document.key}/edit/${editSequence}` });
      continue;
    }
    if (!canAdjust(previous.document.kind)) {
      // No reversal exists for these (QuickBooks has no negative deposit, item receipt or purchase order): the change is shown and
      // not saved, so it is shown again until someone deals with it — and the rest of the sync still goes out.
      changes.toSave.pop();
      changes.notes.push({
        code: 'POSTED_DOCUMENT_CHANGED',
        message: `${document.key}: this ${previous.document.kind} changed in Shopify after it was posted; the connector does not post changes to it. Correct it in QuickBooks.`,
      });
      continue;
    }
    changes.toPlan.push(...editAdjustments(previous.document, document, { date: today, sequence: editSequence }));
    if (previous.document.kind === 'salesOrder' && document.kind !== 'salesOrder') {
      // editAdjustments posts the current document in full under `<key>/edit/<n>` (a sales order has no reversal).
      await replaceSalesOrder(q, companyFileId, previous.document.key, previous.editSequence, changes);
    }
  }
  for (const [key, previous] of before) {
    if (seen.has(key) || previous.contentHash === REMOVED) continue;
    if (previous.document.kind === 'receivePayment') {
      const editSequence = previous.editSequence + 1;
      const removal = await removeFromQuickBooks(
        q,
        companyFileId,
        livePaymentKey(previous),
        'ReceivePayment',
        editSequence,
      );
      if (removal.input) changes.extra.push(removal.input);
      if (removal.note) {
        // Still on its way to QuickBooks: kept as posted, so the next sync takes it back once it has arrived.
        changes.notes.push(removal.note);
        continue;
      }
      changes.toSave.push({
        document: previous.document,
        serialized: serializeDocument(previous.document),
        contentHash: REMOVED,
        editSequence,
      });
      continue;
    }
    if (previous.document.kind === 'salesOrder') {
      // A sales order posts nothing, so taking it back cannot double anything; left, it shows as open for good (a
      // Summary day's sales order once every order of that day is fulfilled, or one whose sale is dated today).
      // Replaced by the order's sale, or gone with every order of a Summary day; one still on its way to QuickBooks
      // stays as posted, so the next sync takes it back once it has arrived.
      const editSequence = previous.editSequence + 1;
      if (!(await replaceSalesOrder(q, companyFileId, key, previous.editSequence, changes))) continue;
      changes.toSave.push({
        document: previous.document,
        serialized: serializeDocument(previous.document),
        contentHash: REMOVED,
        editSequence,
      });
      continue;
    }
    // Never reversed automatically: a document the data no longer yields is shown, not guessed at.
    changes.notes.push({
      code: 'DOCUMENT_NO_LONGER_PRODUCED',
      message: `${key}: Shopify's data no longer produces this document; what was posted stays in QuickBooks.`,
    });
  }
  return changes;
}

/**
 * Kinds whose change after posting `editAdjustments` can post (it has a reversal or a difference for them). A
 * purchase order has neither: editAdjustments would add the whole changed order again next to the first, which the
 * receipts (linked to the first) never close.
 */
function canAdjust(kind: TransactionDocument['kind']): boolean {
  return kind !== 'deposit' && kind !== 'itemReceipt' && kind !== 'bill' && kind !== 'purchaseOrder';
}

/**
 * The outbox key of the payment QuickBooks holds for a posted payment document: a payment is replaced whole, so
 * after edit n (or after it was taken back and wanted again at edit n) the one in QuickBooks is `<key>/edit/<n>`.
 */
function livePaymentKey(posted: PostedDocument): string {
  return posted.editSequence === 0 ? posted.key : `${posted.key}/edit/${posted.editSequence}`;
}

/**
 * The sales order `salesOrderKey` is replaced by the order's final document. It is removed rather than linked
 * from the invoice: InvoiceAdd's whole-order LinkToTxnID may bring the sales order's lines into the invoice next to
 * the ones the connector sends (third-party reports say so; not verified against QuickBooks), which would double
 * the sale. Deleting a non-posting sales order the connector made cannot double anything. The plan can link
 * (`salesOrderOf`) once that behaviour is confirmed.
 */
async function replaceSalesOrder(
  q: Queryable,
  companyFileId: string,
  salesOrderKey: string,
  postedEdits: number,
  changes: PostedChanges,
): Promise<boolean> {
  const editSequence = postedEdits + 1;
  let settled = true;
  // An open order edited before it was fulfilled has a sales order per edit (`<key>/edit/<n>`, the changed lines):
  // they go with it, or each stays open in QuickBooks.
  const keys = [salesOrderKey];
  for (let n = 1; n <= postedEdits; n++) keys.push(`${salesOrderKey}/edit/${n}`);
  for (const key of keys) {
    const closing = await removeFromQuickBooks(q, companyFileId, key, 'SalesOrder', editSequence);
    if (closing.input) changes.extra.push(closing.input);
    if (closing.note) {
      changes.notes.push(closing.note);
      settled = false;
    }
  }
  return settled;
}

/**
 * Takes back a document the connector posted and the data no longer wants as it was: a sales order replaced by a
 * sales receipt, or a customer deposit (a payment taken on an open order) that the order's final document now
 * carries itself — left in place, the money would be counted twice. Deleted with TxnDel when QuickBooks has it
 * (only the connector's own documents, found by the TxnID it recorded), cancelled when it was never sent.
 */
async function removeFromQuickBooks(
  q: Queryable,
  companyFileId: string,
  key: string,
  txnDelType: 'SalesOrder' | 'ReceivePayment',
  editSequence: number,
): Promise<{ input?: EnqueueInput; note?: { code: string; message: string } }> {
  const entry = await getEntryByKey(q, companyFileId, key);
  // Only what was added as that kind: a TxnDel of another kind's TxnID would be answered "not found".
  if (entry?.request.type !== `${txnDelType}Add`) return {};
  if (entry.state === 'applied' && entry.quickbooksId) {
    return {
      input: {
        companyFileId,
        key: `${key}/edit/${editSequence}/remove`,
        kind: txnDelType === 'SalesOrder' ? 'sales-order-removal' : 'payment-removal',
        request: { type: 'TxnDel', body: { TxnDelType: txnDelType, TxnID: entry.quickbooksId } },
        priority: 0,
        source: { kind: 'order', id: key },
      },
    };
  }
  if (
    entry.state === 'pending' ||
    entry.state === 'retry_wait' ||
    entry.state === 'needs_attention' ||
    entry.state === 'failed'
  ) {
    await cancelEntry(q, entry.id, { actor: 'system', now: new Date() });
    return {};
  }
  // Cancelled (by the merchant, or by an earlier run that stopped before saving): it never reached QuickBooks.
  if (entry.state === 'cancelled') return {};
  return {
    note: {
      code: txnDelType === 'SalesOrder' ? 'SALES_ORDER_LEFT_OPEN' : 'DEPOSIT_LEFT_IN_PLACE',
      message:
        txnDelType === 'SalesOrder'
          ? `${key}: the sales order was being sent while the order was fulfilled; the next sync removes it once it has arrived in QuickBooks.`
          : `${key}: the payment was being sent while its order changed; the next sync takes it back (and posts the new one, if any) once it has arrived in QuickBooks.`,
    },
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
        const companyFile = await getCompanyFile(storage, run.companyFileId);
        const snapshot = await readCompanySnapshot(storage, run.companyFileId);
        if (companyFile?.boundCompany) {
          const fits = checkModesFit(companyFile.boundCompany.edition, snapshot, sources.value, settings.modes);
          if (fits && !fits.ok) return fail(run, fits.error);
        }
        const result = transform(sources.value, {
          modes: settings.modes,
          useClasses: settings.useClasses,
          startDate: settings.startDate,
          accountsToCreate: settings.accountsToCreate,
        });
        summary.notes = result.notes.map((note) => ({ code: note.code, message: `${note.key}: ${note.text}` }));

        // Only complete days are posted: a day's Summary document would change while the day goes on, and a
        // document never changes once posted (edits post a difference). Today's sales go out with tomorrow's sync.
        const today = localDate(clock(), shop.timeZone);
        const complete = result.documents.filter((document) => document.date < today);
        const changes = await reconcilePosted(storage, run.companyFileId, complete, today);
        summary.notes.push(...changes.notes);
        summary.documents = result.lists.length + changes.toPlan.length;
        const names = (type: string) =>
          (snapshot.parts[type]?.rets ?? [])
            .map((ret) =>
              typeof ret.FullName === 'string' ? ret.FullName : typeof ret.Name === 'string' ? ret.Name : null,
            )
            .filter((name): name is string => name !== null);
        const planned = planRequests(result.lists, changes.toPlan, settings.mapping, {
          // QuickBooks' own "Cash" or a class the merchant made is the same thing: adopt it, do not add it again.
          existingNames: { paymentMethods: names('PaymentMethodQuery'), classes: names('ClassQuery') },
        });
        // One transaction: a crash while enqueueing leaves nothing half-planned, and a re-run plans the same keys.
        const enqueued = await storage.transaction(async (scope) => {
          const added = await enqueue(
            scope,
            [
              ...outboxInputs(planned, run.companyFileId, run.id),
              ...changes.extra.map((e) => ({ ...e, syncRunId: run.id })),
            ],
            clock(),
          );
          await savePostedDocuments(scope, run.companyFileId, changes.toSave, clock());
          return added;
        });
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
