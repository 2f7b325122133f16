/** Step 5, the start, and the support reset that undoes it. */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  clearPostedDocuments,
  getIntegration,
  type Integration,
  lastPostedDocumentDate,
  updateIntegration,
} from '../integration/index.ts';
import { cancelEntry, listEntries } from '../outbox/index.ts';
import { appendAudit } from '../storage/index.ts';
import { refuse, type SetupContext } from './context.ts';
import { companyFileOf, shopOf } from './shop.ts';
import { countHistory, countsText, historyText } from './start-date.ts';
import { computeStatus, gate } from './status.ts';

export async function startIntegration(ctx: SetupContext, domain: string): Promise<Result<Integration>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const { shop, integration } = found.value;
  if (integration.state === 'started') {
    return refuse(
      'SETUP_ALREADY_STARTED',
      'The integration has already been started. Starting it again would post your history twice. If it really must be redone, support can reset it.',
    );
  }
  const status = await computeStatus(ctx, shop, integration);
  const gated = gate(status, 'start');
  if (!gated.ok) return gated;
  if (!integration.options?.startDate) {
    if (ctx.options.readHistory) {
      const read = await ctx.options.readHistory(shop);
      if (!read.ok) return read;
    }
    const counts = await countHistory(ctx.storage, shop, null);
    const first = counts.history.firstDate;
    const message = `Choose the start date in “Account mapping and options” first: history before it is not posted, and it cannot be changed after the start. ${historyText(counts)}${first ? ` From ${first} the connector posts all of it (${countsText(counts.history)}); from today, none of it.` : ''}`;
    return err(
      new ConnectorError({
        code: 'SETUP_START_DATE_NOT_CHOSEN',
        message: `Start of ${shop.domain} refused: no start date chosen`,
        merchantMessage: message,
        merchantMustAct: true,
        details: { history: counts.history },
      }),
    );
  }
  // A start whose first sync cannot even read the shop would lock the settings with nothing to show for it.
  if (ctx.options.checkShopify) {
    const reachable = await ctx.options.checkShopify(shop);
    if (!reachable.ok) {
      const cause = reachable.error;
      return err(
        new ConnectorError({
          code: cause.code,
          message: `Start of ${shop.domain} refused: Shopify check failed: ${cause.message}`,
          merchantMessage: `The integration was not started (nothing changed): ${cause.merchantMessage}`,
          merchantMustAct: true,
          retryable: cause.retryable,
          details: cause.details,
        }),
      );
    }
  }
  const started = await updateIntegration(
    ctx.storage,
    integration,
    { state: 'started', startedAt: ctx.clock() },
    ctx.clock(),
  );
  if (!started.ok) {
    // Someone started it in between: report it as the refusal the second click deserves.
    const now = await getIntegration(ctx.storage, shop.id);
    if (now?.state === 'started') return refuse('SETUP_ALREADY_STARTED', 'The integration has already been started.');
    return started;
  }
  await appendAudit(ctx.storage, { actor: 'merchant', action: 'integration.started', shopId: shop.id, details: {} });
  ctx.logger.info('integration started', { shop: shop.domain });
  return started;
}

export async function describeReset(
  ctx: SetupContext,
  domain: string,
): Promise<
  Result<{ removes: string[]; keeps: string[]; warnings: string[]; pending: number; lastPostedDate: string | null }>
> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const companyFile = await companyFileOf(ctx, found.value.integration);
  const pending = companyFile
    ? (
        await listEntries(ctx.storage, companyFile.id, {
          states: ['pending', 'retry_wait', 'needs_attention', 'failed'],
        })
      ).length
    : 0;
  const lastPostedDate = companyFile ? await lastPostedDocumentDate(ctx.storage, companyFile.id) : null;
  return ok({
    removes: [
      'the account mapping, schedule, modes, purchase-order source and start date',
      'the “started” mark, so Start integration can be pressed again',
      `${pending} request(s) not yet sent to QuickBooks (cancelled, kept in the history)`,
      'the versions of posted documents kept to detect later edits (a new start compares from scratch)',
    ],
    keeps: [
      'everything already posted in QuickBooks (nothing is ever deleted there)',
      'the record of every request QuickBooks applied, so the same documents are never posted twice',
      'the app token and the company file pairing',
      'the Shopify data already read',
    ],
    warnings: lastPostedDate
      ? [
          `Documents up to ${lastPostedDate} are already in QuickBooks. Starting again with other Summary/Detailed modes makes different documents for those days, which would post them a second time: choose a start date after ${lastPostedDate}.`,
        ]
      : [],
    pending,
    lastPostedDate,
  });
}

export async function resetIntegration(
  ctx: SetupContext,
  domain: string,
  input: { operator: string; reason?: string },
): Promise<Result<{ cancelled: number }>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const { shop, integration } = found.value;
  const companyFile = await companyFileOf(ctx, integration);
  let cancelled = 0;
  if (companyFile) {
    const open = await listEntries(ctx.storage, companyFile.id, {
      states: ['pending', 'retry_wait', 'needs_attention', 'failed'],
    });
    for (const entry of open) {
      const result = await cancelEntry(ctx.storage, entry.id, { actor: 'support', shopId: shop.id, now: ctx.clock() });
      if (result.ok) cancelled++;
    }
  }
  // Forgetting the posted versions matters: with other modes, yesterday's documents would otherwise look
  // withdrawn and be taken back from QuickBooks. Applied requests stay in the outbox, so the same keys never
  // post again.
  if (companyFile) await clearPostedDocuments(ctx.storage, companyFile.id);
  const reset = await updateIntegration(
    ctx.storage,
    integration,
    {
      state: companyFile ? 'paired' : 'new',
      options: null,
      taxCheck: null,
      startedAt: null,
      lastScheduledDate: null,
    },
    ctx.clock(),
  );
  if (!reset.ok) return reset;
  await appendAudit(ctx.storage, {
    actor: 'support',
    action: 'integration.reset',
    shopId: shop.id,
    details: {
      operator: input.operator,
      cancelled,
      reason: input.reason ?? null,
      previousOptions: integration.options,
    },
  });
  ctx.logger.warn('integration reset', { shop: shop.domain, operator: input.operator, cancelled });
  return ok({ cancelled });
}
