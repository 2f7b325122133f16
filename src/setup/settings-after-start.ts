/**
 * The settings once the integration has started: what may still change and what stays as the start fixed it.
 * The account mapping may change for documents not yet planned (what QuickBooks already holds keeps its accounts:
 * the mapping is applied when a document is planned, and a planned document never changes); the schedule may
 * change at any time. Modes, the start date and the purchase-order source are locked: changing them would make
 * different documents for days already posted, which would post them twice. Support can reset the integration.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import {
  type IntegrationOptions,
  nextScheduledRun,
  parseSchedule,
  type SyncSchedule,
  updateIntegration,
} from '../integration/index.ts';
import { appendAudit, listMappings } from '../storage/index.ts';
import {
  type AccountMapping,
  type AccountProposal,
  type AccountType,
  CATEGORIES,
  CATEGORY_RULES,
  type Category,
  proposeAccountMapping,
  type QuickBooksAccount,
  validateAccountMapping,
} from '../transform/index.ts';
import { accountsFrom, snapshotFacts } from './company-lists.ts';
import { refuse, type SetupContext } from './context.ts';
import { companyFileOf, shopOf } from './shop.ts';

export interface SettingsAfterStart {
  mapping: AccountMapping;
  accountsToCreate: AccountProposal[];
  schedule: SyncSchedule;
  /** ISO instant of the next scheduled sync, or null for manual syncs. */
  nextScheduledRun: string | null;
  /** The accounts in the company file (what the mapping may pick) and new ones it may create. */
  accounts: QuickBooksAccount[];
  proposedNewAccounts: AccountProposal[];
  /** Each category's allowed account types (the first is a new account's), for a mapping picker. */
  categories: { category: Category; types: readonly AccountType[] }[];
  changeable: ('mapping' | 'schedule')[];
  locked: { setting: 'modes' | 'startDate' | 'purchaseOrderSource' | 'useClasses'; value: unknown }[];
}

export interface SettingsChange {
  mapping?: Partial<Record<Category, string>>;
  schedule?: string | SyncSchedule;
}

async function startedOptions(ctx: SetupContext, domain: string) {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const { shop, integration } = found.value;
  if (integration.state !== 'started' || !integration.options) {
    return refuse(
      'SETTINGS_NOT_STARTED',
      'These settings apply once the integration has started. Before that, change them in the setup.',
    );
  }
  const companyFile = await companyFileOf(ctx, integration);
  if (!companyFile) throw new Error(`Started integration of ${shop.domain} has no company file`);
  const { part } = await snapshotFacts(ctx, companyFile.id);
  const accounts = accountsFrom(part('AccountQuery') ?? []);
  // The setup read the accounts before the start; the ones the connector has created since are in QuickBooks too
  // (the id map holds each under its category), so the mapping shows them as accounts, not as still to create.
  const created = new Set(
    (await listMappings(ctx.storage, companyFile.id, { sourceKind: 'account' })).map((m) => m.sourceId),
  );
  const known = new Set(accounts.map((a) => a.fullName.toLowerCase()));
  for (const proposal of integration.options.accountsToCreate) {
    if (!created.has(`account/${proposal.category}`) || known.has(proposal.fullName.toLowerCase())) continue;
    accounts.push({ fullName: proposal.fullName, type: proposal.type });
    known.add(proposal.fullName.toLowerCase());
  }
  return ok({ shop, integration, options: integration.options, accounts });
}

export async function settingsAfterStart(ctx: SetupContext, domain: string): Promise<Result<SettingsAfterStart>> {
  const found = await startedOptions(ctx, domain);
  if (!found.ok) return found;
  const { shop, options, accounts } = found.value;
  const next = nextScheduledRun(options.schedule, shop.timeZone, ctx.clock());
  const known = new Set(accounts.map((a) => a.fullName.toLowerCase()));
  return ok({
    mapping: options.mapping,
    accountsToCreate: options.accountsToCreate.filter((p) => !known.has(p.fullName.toLowerCase())),
    schedule: options.schedule,
    nextScheduledRun: next?.toISOString() ?? null,
    accounts,
    proposedNewAccounts: proposeAccountMapping(accounts).toCreate.filter((p) => !known.has(p.fullName.toLowerCase())),
    categories: CATEGORIES.map((category) => ({ category, types: CATEGORY_RULES[category].types })),
    changeable: ['mapping', 'schedule'],
    locked: [
      { setting: 'modes', value: options.modes },
      { setting: 'startDate', value: options.startDate },
      { setting: 'purchaseOrderSource', value: options.purchaseOrderSource.kind },
      { setting: 'useClasses', value: options.useClasses },
    ],
  });
}

export async function changeSettings(
  ctx: SetupContext,
  domain: string,
  change: SettingsChange & Record<string, unknown>,
): Promise<Result<SettingsAfterStart>> {
  const found = await startedOptions(ctx, domain);
  if (!found.ok) return found;
  const { shop, integration, options, accounts } = found.value;
  const lockedAsked = Object.keys(change).filter((key) => key !== 'mapping' && key !== 'schedule');
  const problems: string[] = [];
  if (lockedAsked.length > 0) {
    problems.push(
      `${lockedAsked.join(', ')} cannot change after the start: documents already in QuickBooks were made with them. Support can reset the integration.`,
    );
  }
  let mapping = options.mapping;
  let accountsToCreate = options.accountsToCreate;
  let mappingProblems: unknown[] = [];
  if (change.mapping) {
    mapping = { ...options.mapping, ...change.mapping };
    // New accounts the mapping now needs: the ones proposed for the file, added to those the start created.
    const wanted = new Set(Object.values(mapping).map((name) => name.toLowerCase()));
    const existing = new Set(accounts.map((a) => a.fullName.toLowerCase()));
    const proposed = proposeAccountMapping(accounts).toCreate.filter(
      (p) => wanted.has(p.fullName.toLowerCase()) && !existing.has(p.fullName.toLowerCase()),
    );
    const merged = new Map(accountsToCreate.map((p) => [p.fullName.toLowerCase(), p]));
    for (const p of proposed) if (!merged.has(p.fullName.toLowerCase())) merged.set(p.fullName.toLowerCase(), p);
    accountsToCreate = [...merged.values()];
    const valid = validateAccountMapping(mapping, accounts, accountsToCreate);
    if (!valid.ok) {
      problems.push(valid.error.merchantMessage);
      mappingProblems = (valid.error.details?.problems as unknown[] | undefined) ?? [];
    } else mapping = valid.value;
  }
  let schedule = options.schedule;
  if (change.schedule !== undefined) {
    const parsed = parseSchedule(change.schedule);
    if (parsed.ok) schedule = parsed.value;
    else problems.push(parsed.error.merchantMessage);
  }
  if (problems.length > 0) {
    return err(
      new ConnectorError({
        code: 'SETTINGS_INVALID',
        message: `Settings of ${shop.domain} refused: ${problems.join(' | ')}`,
        merchantMessage: problems.join('\n'),
        merchantMustAct: true,
        details: { problems, mappingProblems },
      }),
    );
  }
  const updated: IntegrationOptions = { ...options, mapping, accountsToCreate, schedule };
  const saved = await updateIntegration(ctx.storage, integration, { options: updated }, ctx.clock());
  if (!saved.ok) return saved;
  await appendAudit(ctx.storage, {
    actor: 'merchant',
    action: 'settings.changed',
    shopId: shop.id,
    details: {
      ...(change.mapping ? { mapping: change.mapping } : {}),
      ...(change.schedule !== undefined ? { schedule } : {}),
    },
  });
  return settingsAfterStart(ctx, domain);
}
