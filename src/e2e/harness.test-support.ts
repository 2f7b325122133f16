/**
 * End-to-end test support: the whole product on its simulators, over real HTTP — a generated Shopify shop behind
 * the Shopify simulator, the connector (`startConnector`) on a fresh SQLite file or PostgreSQL schema, a QuickBooks
 * company file and the Web Connector simulator driving it. Only the outside world is simulated; every layer of
 * the connector is the real one.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { type Config, loadConfig } from '../config/index.ts';
import type { ShopDataFile } from '../domain/index.ts';
import { localDate } from '../domain/index.ts';
import { silentLogger } from '../logger/index.ts';
import { listEntries, progress } from '../outbox/index.ts';
import { parseQwcFile, type QwcFile } from '../qbwc/qwc/index.ts';
import { parseResponseDocument } from '../qbxml/index.ts';
import { dataPeriod } from '../reconcile/index.ts';
import { type ConnectorApp, freePort, startConnector } from '../server/index.ts';
import type { ModeChoice } from '../setup/index.ts';
import { registerShopFromShopify } from '../setup/index.ts';
import { createAdminGraphqlClient } from '../shopify/index.ts';
import { openCompany, type QuickBooksCompany } from '../simulators/quickbooks/index.ts';
import { generateShop, startShopifySimulator } from '../simulators/shopify/index.ts';
import {
  reopeningProcessor,
  runWebConnectorSession,
  type SessionLog,
  type TransportFault,
} from '../simulators/webconnector/index.ts';
import { TEST_DATABASE_URL } from '../storage/engines.test-support.ts';
import type { Engine, Shop } from '../storage/index.ts';

export type ShopifySimulator = Awaited<ReturnType<typeof startShopifySimulator>>;

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
export const APP_KEY = 'e2e-app-key';
export const APP_SECRET = 'e2e-app-secret';

export interface Harness {
  engine: Engine;
  data: ShopDataFile;
  shopify: ShopifySimulator;
  /** The connector's configuration environment (what `serve` and the CLI commands read). */
  env: Record<string, string>;
  config: Config;
  dir: string;
  companyPath: string;
  /** The running connector; `restart()` replaces it (a crash and a new process on the same database). */
  app: ConnectorApp;
  /** The clock every part of the connector reads; tests move it. */
  clock: { now: Date };
  shop: Shop;
  restart(): Promise<void>;
  /** Step 1 done through the API's service; remembers the .qwc and the token for `session`. */
  issueToken(): Promise<{ appToken: string; qwc: QwcFile }>;
  /** Use a token issued elsewhere (the CLI's `setup app-token`) for the Web Connector. */
  useToken(appToken: string, qwcXml: string): void;
  session(faults?: readonly TransportFault[]): Promise<SessionLog>;
  /** Web Connector sessions until the outbox has nothing left to deliver. */
  deliverAll(maxSessions?: number): Promise<SessionLog[]>;
  /** Setup steps 1–4 with defaults (and the options given), in order. */
  setupThroughOptions(options?: {
    mode?: ModeChoice;
    schedule?: string;
    mapping?: Record<string, string>;
  }): Promise<void>;
  /** The company file, opened between Web Connector sessions (QuickBooks is single-user here). */
  withCompany<T>(work: (company: QuickBooksCompany) => T): T;
  withCompanyAsync<T>(work: (company: QuickBooksCompany) => Promise<T>): Promise<T>;
  companyFileId(): Promise<string>;
  /** The first and last business dates of the shop's data. */
  period(): { from: string; to: string };
  api(path: string, init?: { method?: string; token?: string | null; body?: unknown }): Promise<Response>;
}

/** A DATABASE_URL confined to a fresh schema (pg reads `options` from the URL); dropped when the test ends. */
async function postgresUrl(t: Pick<TestContext, 'after'>): Promise<string> {
  const schema = `e2e_${process.pid}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL end-to-end tests need a server at ${TEST_DATABASE_URL} (user postgres, trust auth, database test): ${(error as Error).message}`,
    );
  }
  await admin.query(`create schema ${schema}`);
  await admin.end();
  t.after(async () => {
    const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await dropper.connect();
    await dropper.query(`drop schema if exists ${schema} cascade`);
    await dropper.end();
  });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function startHarness(
  t: Pick<TestContext, 'after'>,
  options: {
    engine?: Engine;
    orders?: number;
    seed?: string;
    now?: Date;
    /** Changes the generated shop before the simulator serves it (a shop larger than the generator makes). */
    prepareData?: (data: ShopDataFile) => void;
    /** More configuration for the connector (STOCKY_API_BASE_URL). */
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const engine = options.engine ?? 'sqlite';
  const data = generateShop({ seed: options.seed ?? 'e2e', orders: options.orders ?? 25 });
  options.prepareData?.(data);
  const dir = mkdtempSync(join(tmpdir(), 'qbd-e2e-'));
  const shopify = await startShopifySimulator({ data, clientId: APP_KEY, appSecret: APP_SECRET });
  const cleanups: (() => Promise<void> | void)[] = [
    () => rmSync(dir, { recursive: true, force: true }),
    () => shopify.close(),
  ];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    SHOPIFY_SHOP: shopify.shopDomain,
    SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
    SHOPIFY_API_BASE_URL: shopify.url,
    SHOPIFY_API_KEY: APP_KEY,
    SHOPIFY_API_SECRET: APP_SECRET,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  if (engine === 'postgres') {
    env.DATABASE_URL = await postgresUrl(t);
    // Every instance on one PostgreSQL database shares the key (the configuration refuses to start without it).
    env.ENCRYPTION_KEY = randomBytes(32).toString('hex');
  } else env.SQLITE_PATH = join(dir, 'connector.sqlite');
  env.PORT = String(await freePort());
  env.PUBLIC_URL = `http://localhost:${env.PORT}`;
  const loaded = loadConfig(env, dir);
  if (!loaded.ok) throw new Error(loaded.error.map((e) => e.message).join('; '));
  const config = loaded.value;
  const clock = { now: options.now ?? new Date() };
  const companyPath = join(dir, 'company.qbw.sqlite');
  const launch = () => startConnector(config, { logger: silentLogger, clock: () => clock.now, startScheduler: false });
  const app = await launch();
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await harness.app.close();
  });

  const client = createAdminGraphqlClient({
    shopDomain: shopify.shopDomain,
    accessToken: shopify.accessToken,
    endpoint: shopify.url,
  });
  const registered = await registerShopFromShopify(app.storage, app.setup, client);
  if (!registered.ok) throw registered.error;

  let token: { appToken: string; qwc: QwcFile } | null = null;
  const processor = reopeningProcessor(() =>
    openCompany(companyPath, { edition: 'premier', companyName: `${data.shop.name} Books` }),
  );

  const harness: Harness = {
    engine,
    data,
    shopify,
    env,
    config,
    dir,
    companyPath,
    app,
    clock,
    shop: registered.value,
    async restart() {
      closed = true;
      await harness.app.close();
      harness.app = await launch();
      closed = false;
    },
    async issueToken() {
      const issued = await harness.app.setup.issueAppToken(harness.shop.domain);
      if (!issued.ok) throw issued.error;
      const qwc = parseQwcFile(issued.value.qwc);
      if (!qwc.ok) throw qwc.error;
      token = { appToken: issued.value.appToken, qwc: qwc.value };
      return token;
    },
    useToken(appToken, qwcXml) {
      const qwc = parseQwcFile(qwcXml);
      if (!qwc.ok) throw qwc.error;
      token = { appToken, qwc: qwc.value };
    },
    session(faults = []) {
      if (!token) throw new Error('Bug in the test: issue the app token before running the Web Connector');
      return runWebConnectorSession({
        qwc: token.qwc,
        password: token.appToken,
        processor,
        openCompanyFile: companyPath,
        timeScale: 0.001,
        faults,
      });
    },
    async deliverAll(maxSessions = 12) {
      const logs: SessionLog[] = [];
      const companyFileId = await harness.companyFileId();
      for (let i = 0; i < maxSessions; i++) {
        const before = await progress(harness.app.storage, companyFileId);
        if (before.remaining === 0) return logs;
        // Entries waiting to retry become due on the connector's clock, which the test controls.
        if (before.inFlight === 0 && before.byState.pending === 0) {
          harness.clock.now = new Date(harness.clock.now.getTime() + 15 * 60_000);
        }
        const log = await harness.session();
        logs.push(log);
        // A session whose call was lost is still open on the connector's side until its lease runs out.
        if (log.outcome === 'busy' || log.outcome === 'transport-failed') {
          harness.clock.now = new Date(harness.clock.now.getTime() + 11 * 60_000);
        }
      }
      const left = await progress(harness.app.storage, companyFileId);
      if (left.remaining > 0) {
        const stuck = await listEntries(harness.app.storage, companyFileId, {
          states: ['pending', 'retry_wait', 'leased', 'sent', 'unknown'],
          limit: 5,
        });
        throw new Error(
          `Outbox not drained after ${maxSessions} sessions: ${JSON.stringify(left.byState)}; e.g. ${stuck.map((e) => `${e.key} ${e.state} ${e.lastError?.message ?? ''}`).join(' | ')}`,
        );
      }
      return logs;
    },
    async setupThroughOptions(setupOptions = {}) {
      await harness.issueToken();
      const connected = await harness.session();
      if (connected.outcome !== 'completed') throw new Error(`connect: ${connected.outcome} ${connected.message}`);
      const tax = await harness.app.setup.checkSalesTax(harness.shop.domain);
      if (!tax.ok) throw tax.error;
      if (tax.value.status !== 'pass') throw new Error(`sales tax: ${JSON.stringify(tax.value)}`);
      const mode = setupOptions.mode ?? 'summary';
      const saved = await harness.app.setup.saveOptions(harness.shop.domain, {
        modes: { customers: mode, inventory: mode, vendors: mode },
        schedule: setupOptions.schedule ?? 'manual',
        startDate: harness.period().from,
        ...(setupOptions.mapping ? { mapping: setupOptions.mapping } : {}),
      });
      if (!saved.ok) throw saved.error;
    },
    withCompany(work) {
      const company = openCompany(companyPath, { edition: 'premier' });
      try {
        return work(company);
      } finally {
        company.close();
      }
    },
    async withCompanyAsync(work) {
      const company = openCompany(companyPath, { edition: 'premier' });
      try {
        return await work(company);
      } finally {
        company.close();
      }
    },
    async companyFileId() {
      const status = await harness.app.setup.status(harness.shop.domain);
      if (!status.ok) throw status.error;
      if (!status.value.companyFile) throw new Error('No company file paired yet');
      return status.value.companyFile.id;
    },
    period: () => dataPeriodOrThrow(data),
    api(path, init = {}) {
      const token = init.token === undefined ? ADMIN_TOKEN : init.token;
      return fetch(`${harness.app.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    },
  };
  return harness;
}

/** Sends one qbXML request to the company file directly (as a QuickBooks user's own change would be made). */
export function qbRequest(company: QuickBooksCompany, inner: string): ReturnType<typeof parseResponseDocument> {
  const xml = `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${inner}</QBXMLMsgsRq></QBXML>`;
  company.open('');
  const result = company.processRequest(xml);
  if (!result.ok) throw new Error(`QuickBooks refused the request: ${result.hresult} ${result.message}`);
  return parseResponseDocument(result.responseXml);
}

/** Every transaction in the company file, as TxnType → TxnIDs (Sales Orders and Purchase Orders included). */
export function transactionsInQuickBooks(company: QuickBooksCompany): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const query of ['TransactionQueryRq', 'SalesOrderQueryRq', 'PurchaseOrderQueryRq']) {
    const parsed = qbRequest(company, `<${query} requestID="1"/>`);
    if (!parsed.ok) throw new Error(`${query}: ${JSON.stringify(parsed.error)}`);
    for (const response of parsed.value.responses) {
      for (const ret of response.rets) {
        const type = String(ret.TxnType ?? query.replace('QueryRq', ''));
        const list = byType.get(type) ?? [];
        list.push(String(ret.TxnID));
        byType.set(type, list);
      }
    }
  }
  return byType;
}

/** The TxnIDs of the sales orders QuickBooks holds open (neither closed by hand nor fully invoiced). */
export function openSalesOrdersInQuickBooks(company: QuickBooksCompany): string[] {
  const parsed = qbRequest(company, '<SalesOrderQueryRq requestID="1"/>');
  if (!parsed.ok) throw new Error(`SalesOrderQueryRq: ${JSON.stringify(parsed.error)}`);
  return parsed.value.responses
    .flatMap((response) => response.rets)
    .filter((ret) => ret.IsManuallyClosed !== true && ret.IsFullyInvoiced !== true)
    .map((ret) => String(ret.TxnID));
}

/**
 * Checks QuickBooks against the outbox: every transaction in the company file is one the outbox recorded as
 * added, exactly once. A document posted twice (a lost response resent blindly) leaves a TxnID no entry names.
 */
export async function assertNoDuplicates(harness: Harness): Promise<{ transactions: number }> {
  const companyFileId = await harness.companyFileId();
  const applied = await listEntries(harness.app.storage, companyFileId, { states: ['applied'] });
  const recorded = new Map<string, number>();
  for (const entry of applied) {
    // A Mod (a sales order closed) changes a transaction an Add made: the Add accounts for it.
    if (entry.request.type.endsWith('Mod')) continue;
    if (entry.quickbooksId) recorded.set(entry.quickbooksId, (recorded.get(entry.quickbooksId) ?? 0) + 1);
  }
  const inBooks = harness.withCompany(transactionsInQuickBooks);
  let transactions = 0;
  const strays: string[] = [];
  for (const [type, ids] of inBooks) {
    for (const id of ids) {
      transactions++;
      if (recorded.get(id) !== 1) strays.push(`${type} ${id} (recorded ${recorded.get(id) ?? 0} times)`);
    }
  }
  if (strays.length > 0)
    throw new Error(`Transactions in QuickBooks the outbox does not account for once: ${strays.join(', ')}`);
  return { transactions };
}

/** Shopify against QuickBooks: no difference, except what orders still open explain (when not counted). */
function dataPeriodOrThrow(data: ShopDataFile): { from: string; to: string } {
  const period = dataPeriod(data);
  if (!period) throw new Error('The test shop has no dated activity');
  return period;
}

/**
 * Shopify against QuickBooks over the data's period — or, with `throughToday`, up to the harness clock's day, for
 * tests whose edits post differences dated the day the connector saw them — as the merchant asks for it: the
 * reconciliation API asks QuickBooks through the Web Connector (202 until a session has answered), then shows no
 * difference, and QuickBooks' own trial balance balances.
 */
export async function assertReconciles(harness: Harness, options: { throughToday?: boolean } = {}): Promise<void> {
  const period = options.throughToday
    ? { from: harness.period().from, to: localDate(harness.clock.now, harness.shop.timeZone) }
    : harness.period();
  const path = `/api/shops/${harness.shop.domain}/reconciliation?from=${period.from}&to=${period.to}`;
  let response = await harness.api(path);
  let body = (await response.json()) as Record<string, unknown>;
  if (response.status === 202) {
    assert.equal(body.state, 'waiting');
    assert.match(String(body.message), /next Web Connector session/);
    const answered = await harness.session();
    assert.equal(answered.outcome, 'completed', answered.message);
    response = await harness.api(path);
    body = (await response.json()) as Record<string, unknown>;
  }
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.state, 'ready');
  assert.deepEqual(body.differences, [], 'unexplained differences between Shopify and QuickBooks');
  assert.equal(
    (body.days as unknown[]).length,
    Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1,
  );
  const trial = body.trialBalance as { debits: string; credits: string };
  assert.equal(trial.debits, trial.credits);
  assert.notEqual(trial.debits, '0.00', 'something was posted');
}
