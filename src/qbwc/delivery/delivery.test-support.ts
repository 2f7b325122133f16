/**
 * TEST HELPER for the delivery backend's tests: a shop paired with a company file, the connector's Web Connector
 * service on a free port, the QuickBooks simulator, and the Web Connector simulator to drive a session over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { externalGuidFor } from '../../domain/index.ts';
import { silentLogger } from '../../logger/index.ts';
import { type EnqueueInput, enqueue } from '../../outbox/index.ts';
import {
  buildRequestDocument,
  parseResponseDocument,
  type QbxmlRequest,
  type QbxmlResponse,
} from '../../qbxml/index.ts';
import { openCompany, type QuickBooksCompany } from '../../simulators/quickbooks/index.ts';
import {
  type QuickBooksRequestProcessor,
  runWebConnectorSession,
  type SessionLog,
  type TransportFault,
} from '../../simulators/webconnector/index.ts';
import { openTestDatabase } from '../../storage/engines.test-support.ts';
import type { Engine } from '../../storage/index.ts';
import { type CompanyFile, createShop, getCompanyFile, type Storage } from '../../storage/index.ts';
import { parseQwcFile, type QwcFile } from '../qwc/index.ts';
import { pairCompanyFile } from '../session/index.ts';
import { type RunningWebConnectorServer, startWebConnectorServer } from '../soap/index.ts';
import { createDeliveryBackend, type DeliveryBackendOptions } from './delivery-backend.ts';
import { type CompanyFileQwcOptions, companyFileQwc } from './qwc.ts';

export const CHEAP_SCRYPT = { cost: 2 ** 10, blockSize: 8, parallelization: 1, keyLength: 32 };

/** A clock tests move by hand. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = new Date('2026-03-02T10:00:00.000Z')): TestClock {
  let at = start.getTime();
  return { now: () => new Date(at), advance: (ms) => (at += ms) };
}

export interface Connector {
  storage: Storage;
  openAnother: () => Promise<Storage>;
  file: CompanyFile;
  appToken: string;
  qwc: QwcFile;
  server: RunningWebConnectorServer;
  clock: TestClock;
  folder: string;
  /** Another server instance on the same database (another process behind the load balancer). */
  startInstance(storage: Storage, extra?: Partial<DeliveryBackendOptions>): Promise<RunningWebConnectorServer>;
  /** A fresh handle on the simulated company file `name` (created on first use). */
  company(name?: string): QuickBooksCompany;
  session(
    company: QuickBooksRequestProcessor & { path?: string },
    options?: { password?: string; faults?: TransportFault[] },
  ): Promise<SessionLog>;
  enqueue(inputs: Omit<EnqueueInput, 'companyFileId'>[]): Promise<void>;
}

export async function startConnector(
  t: Pick<TestContext, 'after'>,
  engine: Engine,
  extra: Partial<DeliveryBackendOptions> = {},
): Promise<Connector> {
  const { storage, openAnother } = await openTestDatabase(t, engine);
  const folder = mkdtempSync(join(tmpdir(), 'qbd-delivery-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const shop = await createShop(storage, { domain: 'd.myshopify.com', name: 'D', currency: 'USD', timeZone: 'UTC' });
  if (!shop.ok) throw shop.error;
  const paired = await pairCompanyFile(storage, { shopId: shop.value.id, scrypt: CHEAP_SCRYPT });
  if (!paired.ok) throw paired.error;
  const clock = testClock();
  const startInstance = async (on: Storage, more: Partial<DeliveryBackendOptions> = {}) => {
    const backend = createDeliveryBackend({ storage: on, logger: silentLogger, clock: clock.now, ...extra, ...more });
    const running = await startWebConnectorServer(backend, { logger: silentLogger });
    t.after(() => running.close());
    return running;
  };
  const server = await startInstance(storage);
  const file = (await getCompanyFile(storage, paired.value.companyFileId))!;
  const qwc = qwcFor(file, server.url);
  return {
    storage,
    openAnother,
    file,
    appToken: paired.value.appToken,
    qwc,
    server,
    clock,
    folder,
    startInstance,
    company(name = 'Test Company') {
      // A fresh handle each time: the Web Connector closes QuickBooks at the end of every session.
      const company = openCompany(join(folder, `${name.replace(/\W/g, '-')}.qbw`), {
        companyName: name,
        clock: { now: clock.now },
      });
      t.after(() => {
        try {
          company.close();
        } catch {
          // already closed by the Web Connector simulator
        }
      });
      return company;
    },
    session(company, options = {}) {
      return runWebConnectorSession({
        qwc,
        password: options.password ?? paired.value.appToken,
        processor: company,
        ...(company.path === undefined ? {} : { openCompanyFile: company.path }),
        timeScale: 0.001,
        callTimeoutMs: 20_000,
        faults: options.faults ?? [],
      });
    },
    async enqueue(inputs) {
      await enqueue(
        storage,
        inputs.map((input) => ({ ...input, companyFileId: file.id })),
        clock.now(),
      );
    },
  };
}

/**
 * A second handle on the database that can be made to die: once armed with `k`, it runs `k` more queries and
 * then fails every query, as a process killed at that point would have run them and no more (a transaction open
 * at that moment is rolled back, as the database does for a connection that vanished).
 */
export function crashingStorage(storage: Storage) {
  let limit = Number.POSITIVE_INFINITY;
  let count = 0;
  let armed = false;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (armed && ++count > limit) throw new Error('the process was killed here (simulated)');
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const db = storage.db.withPlugin(plugin);
  const crashing: Storage = {
    ...storage,
    db,
    transaction: (work) => db.transaction().execute((trx) => work({ db: trx, engine: storage.engine })),
  };
  return {
    storage: crashing,
    /** From now on: `k` more queries, then every query fails. */
    arm(k: number) {
      armed = true;
      count = 0;
      limit = k;
    },
    /** Queries run since `arm`. */
    queries: () => count,
  };
}

export function qwcFor(file: CompanyFile, url: string, options: Partial<CompanyFileQwcOptions> = {}): QwcFile {
  const endpoint = new URL(url);
  const text = companyFileQwc(file, { publicUrl: endpoint.origin, soapPath: endpoint.pathname, ...options });
  if (!text.ok) throw text.error;
  const parsed = parseQwcFile(text.value);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** Runs one query straight against the simulated company (what the merchant would see in QuickBooks). */
export function queryCompany(
  company: QuickBooksCompany,
  type: QbxmlRequest['type'],
  body: Record<string, unknown> = {},
): QbxmlResponse {
  const built = buildRequestDocument({
    requests: [{ type, requestID: 'q', body } as QbxmlRequest],
    onError: 'stopOnError',
  });
  if (!built.ok) throw built.error;
  const opened = company.open('');
  if (!opened.ok) throw new Error(`${opened.hresult}: ${opened.message}`);
  const result = company.processRequest(built.value.xml);
  if (!result.ok) throw new Error(`${result.hresult}: ${result.message}`);
  const parsed = parseResponseDocument(result.responseXml);
  if (!parsed.ok) throw parsed.error;
  return parsed.value.responses[0]!;
}

/** Runs one add straight against the company (a record a QuickBooks user created by hand). */
export function addToCompany(
  company: QuickBooksCompany,
  type: QbxmlRequest['type'],
  record: Record<string, unknown>,
): QbxmlResponse {
  return queryCompany(company, type, { [type]: record });
}

// Documents the tests post: a customer, an item, and a sales receipt that needs both.
export const customerEntry = (name = 'Ada Lovelace', key = `customer:${name}`) => ({
  key,
  kind: 'customer',
  request: { type: 'CustomerAdd', body: { CustomerAdd: { Name: name, ExternalGUID: externalGuidFor(key) } } },
  priority: 100,
});

export const itemEntry = (name = 'Widget', key = `item:${name}`) => ({
  key,
  kind: 'item',
  request: {
    type: 'ItemNonInventoryAdd',
    body: {
      ItemNonInventoryAdd: {
        Name: name,
        SalesOrPurchase: { Price: '10.00', AccountRef: { FullName: 'Sales' } },
        ExternalGUID: externalGuidFor(key),
      },
    },
  },
  priority: 100,
});

export const receiptEntry = (
  ref: string,
  options: { customer?: string; item?: string; dependencies?: string[]; priority?: number } = {},
) => {
  const key = `receipt:${ref}`;
  const customer = options.customer ?? 'Ada Lovelace';
  const item = options.item ?? 'Widget';
  return {
    key,
    kind: 'sales-receipt',
    request: {
      type: 'SalesReceiptAdd',
      body: {
        SalesReceiptAdd: {
          CustomerRef: { FullName: customer },
          TxnDate: '2026-03-01',
          RefNumber: ref,
          DepositToAccountRef: { FullName: 'Undeposited Funds' },
          ExternalGUID: externalGuidFor(key),
          SalesReceiptLineAdd: [{ ItemRef: { FullName: item }, Quantity: '2', Rate: '10.00', Amount: '20.00' }],
        },
      },
    },
    dependencies: options.dependencies ?? [`customer:${customer}`, `item:${item}`],
    priority: options.priority ?? 10,
  };
};

/**
 * Another session's message set reached QuickBooks after the ones under test, so a lost answer is no longer the
 * last one QuickBooks holds and can only be settled by looking its documents up.
 */
export async function answerNewerMessageSet(connector: Connector): Promise<void> {
  const now = connector.clock.now().toISOString();
  await connector.storage.db
    .insertInto('message_sets')
    .values({
      id: 'newer-set',
      company_file_id: connector.file.id,
      session_id: 'elsewhere',
      state: 'answered',
      request_xml: null,
      response_xml: '',
      sent_at: now,
      answered_at: now,
    })
    .execute();
  await connector.storage.db
    .updateTable('qbwc_last_message_sets')
    .set({ message_set_id: 'newer-set' })
    .where('company_file_id', '=', connector.file.id)
    .execute();
}
