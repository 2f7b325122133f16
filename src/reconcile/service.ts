/**
 * The reconciliation a merchant asks for (`GET /api/shops/:shop/reconciliation`, `qbd-connector reconcile`):
 * Shopify's figures from the extracted source records against QuickBooks' own answers, read through the Web
 * Connector (quickbooks-reads.ts). The answer is `ready` (the report, in total and per day) or `waiting` (the reports
 * were asked for; QuickBooks answers at the next Web Connector session).
 */
import { formatMoney } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { getIntegration, listHandEntries, listSyncRuns } from '../integration/index.ts';
import type { Queryable, Shop } from '../storage/index.ts';
import { loadTransformSources } from '../sync/index.ts';
import { reconcileByDay } from './by-day.ts';
import { loadCorrections, readThrough } from './corrections.ts';
import { heldBackFromNotes } from './held-back.ts';
import { notYetSyncedOrders } from './not-yet-synced.ts';
import { quickbooksSide } from './quickbooks-reads.ts';
import { type Period, type ReconciliationReport, reconcile } from './reconcile.ts';
import { type ReconciliationJson, reportJson } from './report.ts';

export type ReconciliationAnswer =
  | ({
      state: 'ready';
      /** When QuickBooks answered (ISO-8601). */
      asOf: string;
      /** QuickBooks' trial balance at the end of the period: its debits and credits must be equal. */
      trialBalance: { debits: string; credits: string };
      days: ({ date: string } & Omit<ReconciliationJson, 'period'>)[];
    } & ReconciliationJson)
  | { state: 'waiting'; requestedAt: string; message: string };

export interface ReconciliationResult {
  answer: ReconciliationAnswer;
  /** The whole period's report, for the text form (null while waiting). */
  report: ReconciliationReport | null;
}

export interface ReconciliationService {
  reconcile(shop: Shop, period: Period, options?: { refresh?: boolean }): Promise<Result<ReconciliationResult>>;
}

/** The longest period one reconciliation covers, three years (each day is reported too). */
export const MAX_RECONCILIATION_DAYS = 1096;

function invalid(message: string, merchantMessage: string): ConnectorError {
  return new ConnectorError({ code: 'RECONCILIATION_PERIOD_INVALID', message, merchantMessage, merchantMustAct: true });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A period from two YYYY-MM-DD strings: real dates, from ≤ to, at most MAX_RECONCILIATION_DAYS days. */
export function parsePeriod(from: string | undefined | null, to: string | undefined | null): Result<Period> {
  const isDate = (d: string | undefined | null): d is string => {
    if (typeof d !== 'string' || !DATE.test(d)) return false;
    const time = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === d;
  };
  if (!isDate(from) || !isDate(to)) {
    return err(
      invalid(
        `from=${from} to=${to} is not a period of YYYY-MM-DD dates`,
        'Give the period as two dates written YYYY-MM-DD (from and to, both included).',
      ),
    );
  }
  if (from > to)
    return err(invalid(`from ${from} is after to ${to}`, `The period starts (${from}) after it ends (${to}).`));
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_RECONCILIATION_DAYS) {
    return err(
      invalid(
        `${days} days is over ${MAX_RECONCILIATION_DAYS}`,
        `A reconciliation covers at most ${MAX_RECONCILIATION_DAYS} days; ask for a shorter period.`,
      ),
    );
  }
  return ok({ from, to });
}

export function createReconciliationService(deps: {
  storage: Queryable;
  clock?: () => Date;
  /** The Web Connector's interval from the .qwc (default 15), for the waiting message. */
  runEveryNMinutes?: number;
}): ReconciliationService {
  const clock = deps.clock ?? (() => new Date());
  return {
    async reconcile(shop, period, options = {}) {
      const integration = await getIntegration(deps.storage, shop.id);
      if (!integration?.companyFileId || !integration.options) {
        return err(
          new ConnectorError({
            code: 'RECONCILIATION_NOT_READY',
            message: `Shop ${shop.domain} has no company file or no account mapping yet`,
            merchantMessage:
              'The reconciliation compares Shopify with the QuickBooks accounts you mapped: finish the setup (connect the company file and save the account mapping) first.',
            merchantMustAct: true,
          }),
        );
      }
      const mapping = integration.options.mapping;
      // Adjustments posted after the period for days in it are read from QuickBooks too, to count them there.
      const corrections = await loadCorrections(deps.storage, integration.companyFileId);
      const side = await quickbooksSide(deps.storage, {
        companyFileId: integration.companyFileId,
        mapping,
        period,
        refresh: options.refresh ?? false,
        now: clock(),
        runEveryNMinutes: deps.runEveryNMinutes ?? 15,
        readThrough: readThrough(period, corrections),
      });
      if (!side.ok) return side;
      if (side.value.state === 'waiting') {
        return ok({
          answer: { state: 'waiting', requestedAt: side.value.requestedAt.toISOString(), message: side.value.message },
          report: null,
        });
      }
      const sources = await loadTransformSources(deps.storage, shop.id);
      if (!sources.ok) return sources;
      const reader = side.value.reader;
      // The orders the last sync held back are what QuickBooks lacks; reading every order again would find the
      // same (until the next sync) at the cost of the sync's whole read.
      const prepared = (await listSyncRuns(deps.storage, shop.id, 20)).find(
        (run) => run.summary !== null && run.state !== 'preparing',
      );
      const heldBack = prepared?.summary ? heldBackFromNotes(prepared.summary.notes) : undefined;
      // What that sync never read (or did not post yet) is pending, not a difference.
      const notYetSynced = prepared?.summary
        ? await notYetSyncedOrders(deps.storage, shop.id, prepared.summary, sources.value)
        : undefined;
      const enteredByHand = new Set((await listHandEntries(deps.storage, shop.id)).map((entry) => entry.subject));
      const known = {
        ...(heldBack ? { heldBack } : {}),
        ...(notYetSynced ? { notYetSynced } : {}),
        corrections,
        enteredByHand,
      };
      const report = await reconcile(sources.value, reader, mapping, period, known);
      const days = await reconcileByDay(sources.value, reader, mapping, period, known);
      return ok({
        answer: {
          state: 'ready',
          asOf: side.value.asOf.toISOString(),
          ...reportJson(report),
          trialBalance: {
            debits: formatMoney(side.value.trialBalance.debits),
            credits: formatMoney(side.value.trialBalance.credits),
          },
          days: days.map((day) => {
            const { period: dayPeriod, ...figures } = reportJson(day);
            return { date: dayPeriod.from, ...figures };
          }),
        },
        report,
      });
    },
  };
}
