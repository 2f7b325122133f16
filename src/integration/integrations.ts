import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { fromDbJson, type Queryable, toDbJson } from '../storage/index.ts';
import type { AccountMapping, AccountProposal, Modes } from '../transform/index.ts';
import type { SyncSchedule } from './schedule.ts';

/** The outcome of the sales-tax step, kept on the integration (the check itself lives in setup). */
export type SalesTaxCheck =
  | { status: 'pass'; mostCommonItem: string }
  | {
      status: 'fix';
      problems: { code: 'SALES_TAX_OFF' | 'DEFAULT_TAX_ITEM_NOT_ZERO' | 'DEFAULT_TAX_ITEM_MISSING'; message: string }[];
      /** A 0 % item already in the file the merchant can pick, or null: then the connector offers to create one. */
      zeroRateItem: string | null;
      offerToCreate: { name: string } | null;
    };

/**
 * A shop's integration: the answers to the setup steps and whether it has started. One row per shop. Every
 * change goes through `updateIntegration` with the version it read, so two people (or two server instances)
 * clicking "Start integration" at once cannot both win.
 */
export type IntegrationState = 'new' | 'paired' | 'configured' | 'started';

export type PurchaseOrderSource =
  | { kind: 'shopify' }
  /** Stocky's API key is a secret: stored encrypted (AES-256-GCM with the server's key), never logged. */
  | { kind: 'stocky'; storeName: string; encryptedApiKey: string };

export interface IntegrationOptions {
  mapping: AccountMapping;
  /** Accounts the start step creates in QuickBooks (proposed by the default mapping and accepted). */
  accountsToCreate: AccountProposal[];
  schedule: SyncSchedule;
  modes: Modes;
  purchaseOrderSource: PurchaseOrderSource;
  /**
   * YYYY-MM-DD in the shop's time zone: history before it is not posted. Null until the merchant chooses one (the
   * start is refused until then: a default would silently skip or include history).
   */
  startDate: string | null;
  /** Locations become QuickBooks classes. */
  useClasses: boolean;
}

export interface RecordedTaxCheck {
  result: SalesTaxCheck;
  checkedAt: string;
}

export interface Integration {
  shopId: string;
  companyFileId: string | null;
  state: IntegrationState;
  options: IntegrationOptions | null;
  taxCheck: RecordedTaxCheck | null;
  /** Bumped each time the setup asks QuickBooks for a fresh copy of its lists (read keys include it). */
  readGeneration: number;
  startedAt: Date | null;
  /** Local date of the last scheduled sync that was started. */
  lastScheduledDate: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface IntegrationRow {
  shop_id: string;
  company_file_id: string | null;
  state: string;
  options: string | null;
  tax_check: string | null;
  read_generation: number;
  started_at: string | null;
  last_scheduled_date: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

declare module '../storage/schema.ts' {
  interface Database {
    integrations: IntegrationRow;
  }
}

const STATES: readonly IntegrationState[] = ['new', 'paired', 'configured', 'started'];

export function integrationFromRow(row: IntegrationRow): Integration {
  if (!STATES.includes(row.state as IntegrationState)) throw new Error(`Unknown integration state ${row.state}`);
  return {
    shopId: row.shop_id,
    companyFileId: row.company_file_id,
    state: row.state as IntegrationState,
    options: row.options === null ? null : fromDbJson<IntegrationOptions>(row.options),
    taxCheck: row.tax_check === null ? null : fromDbJson<RecordedTaxCheck>(row.tax_check),
    readGeneration: Number(row.read_generation),
    startedAt: row.started_at === null ? null : new Date(row.started_at),
    lastScheduledDate: row.last_scheduled_date,
    version: Number(row.version),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function getIntegration(q: Queryable, shopId: string): Promise<Integration | null> {
  const row = await q.db.selectFrom('integrations').selectAll().where('shop_id', '=', shopId).executeTakeFirst();
  return row ? integrationFromRow(row) : null;
}

/** The shop's integration, created in state `new` the first time it is asked for. */
export async function ensureIntegration(q: Queryable, shopId: string, now: Date): Promise<Integration> {
  await q.db
    .insertInto('integrations')
    .values({
      shop_id: shopId,
      company_file_id: null,
      state: 'new',
      options: null,
      tax_check: null,
      read_generation: 0,
      started_at: null,
      last_scheduled_date: null,
      version: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .onConflict((c) => c.column('shop_id').doNothing())
    .execute();
  const integration = await getIntegration(q, shopId);
  if (!integration) throw new Error(`Integration of shop ${shopId} vanished after insert`);
  return integration;
}

export interface IntegrationChanges {
  companyFileId?: string | null;
  state?: IntegrationState;
  options?: IntegrationOptions | null;
  taxCheck?: RecordedTaxCheck | null;
  readGeneration?: number;
  startedAt?: Date | null;
  lastScheduledDate?: string | null;
}

/**
 * Applies `changes` only if the row still has `expectedVersion`: a concurrent change in between is the expected
 * failure INTEGRATION_CHANGED (the caller re-reads and decides again), never a silent overwrite.
 */
export async function updateIntegration(
  q: Queryable,
  current: Integration,
  changes: IntegrationChanges,
  now: Date,
): Promise<Result<Integration>> {
  const result = await q.db
    .updateTable('integrations')
    .set({
      ...(changes.companyFileId !== undefined ? { company_file_id: changes.companyFileId } : {}),
      ...(changes.state !== undefined ? { state: changes.state } : {}),
      ...(changes.options !== undefined
        ? { options: changes.options === null ? null : toDbJson(changes.options) }
        : {}),
      ...(changes.taxCheck !== undefined
        ? { tax_check: changes.taxCheck === null ? null : toDbJson(changes.taxCheck) }
        : {}),
      ...(changes.readGeneration !== undefined ? { read_generation: changes.readGeneration } : {}),
      ...(changes.startedAt !== undefined
        ? { started_at: changes.startedAt === null ? null : changes.startedAt.toISOString() }
        : {}),
      ...(changes.lastScheduledDate !== undefined ? { last_scheduled_date: changes.lastScheduledDate } : {}),
      version: current.version + 1,
      updated_at: now.toISOString(),
    })
    .where('shop_id', '=', current.shopId)
    .where('version', '=', current.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    return err(
      new ConnectorError({
        code: 'INTEGRATION_CHANGED',
        message: `Integration of shop ${current.shopId} changed since version ${current.version}`,
        merchantMessage:
          'The integration settings were changed at the same time from somewhere else. Reload and try again.',
        merchantMustAct: true,
      }),
    );
  }
  const updated = await getIntegration(q, current.shopId);
  if (!updated) throw new Error(`Integration of shop ${current.shopId} vanished after update`);
  return ok(updated);
}

export async function listStartedIntegrations(q: Queryable): Promise<Integration[]> {
  const rows = await q.db.selectFrom('integrations').selectAll().where('state', '=', 'started').execute();
  return rows.map(integrationFromRow);
}

export async function deleteIntegration(q: Queryable, shopId: string): Promise<void> {
  await q.db.deleteFrom('integrations').where('shop_id', '=', shopId).execute();
}
