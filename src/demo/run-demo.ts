import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/index.ts';
import { documentCounts } from '../documents/index.ts';
import type { ShopDataFile } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import { progress } from '../outbox/index.ts';
import { parseQwcFile } from '../qbwc/qwc/index.ts';
import {
  createReconciliationService,
  dataPeriod,
  type ReconciliationJson,
  type ReconciliationReport,
  reportJson,
  reportText,
} from '../reconcile/index.ts';
import { type ConnectorApp, freePort, startConnector } from '../server/index.ts';
import type { ModeChoice } from '../setup/index.ts';
import { registerShopFromShopify } from '../setup/index.ts';
import { createAdminGraphqlClient } from '../shopify/index.ts';
import type { Edition } from '../simulators/quickbooks/index.ts';
import { openCompany } from '../simulators/quickbooks/index.ts';
import { startShopifySimulator } from '../simulators/shopify/index.ts';
import { reopeningProcessor, runWebConnectorSession, type SessionLog } from '../simulators/webconnector/index.ts';
import type { SyncProgressEvent } from '../sync/index.ts';

export interface DemoOptions {
  data: ShopDataFile;
  /** Folder for the connector's SQLite file, the company file and the .qwc. */
  dir: string;
  edition: Edition;
  modes: { customers: ModeChoice; inventory: ModeChoice; vendors: ModeChoice };
  logger?: Logger;
  /** Progress lines for people (the CLI prints them; --json passes a no-op). */
  say?: (line: string) => void;
  /** Safety stop: Web Connector sessions before giving up. */
  maxSessions?: number;
  /** Told of the first sync's progress (reading Shopify, making and planning the documents). */
  onProgress?: (event: SyncProgressEvent) => void;
}

export interface DemoResult {
  report: ReconciliationReport;
  json: ReconciliationJson & {
    documents: { applied: number; failed: number; needsAttention: number };
    trialBalance: { debits: string; credits: string };
  };
  text: string;
  figures: {
    orders: number;
    documentsPlanned: number;
    webConnectorSessions: number;
    wallMs: number;
  };
  paths: { connectorDatabase: string; companyFile: string; qwc: string };
  /** True when there is no difference, nothing failed and nothing needs attention. */
  clean: boolean;
}

const sets = (n: number) => `${n} qbXML message set${n === 1 ? '' : 's'}`;

/**
 * The sales tax rate most orders of the shop were charged (the sum of an order's tax lines, e.g. 8.875 % in New
 * York City), as the demo says it; null for a shop that charges none.
 */
export function commonTaxRate(data: ShopDataFile): string | null {
  const byRate = new Map<string, number>();
  for (const order of data.orders) {
    // Rates are Shopify's floats: summed in millionths so 0.04 + 0.045 + 0.00375 is exactly 8.875 %.
    const millionths = order.taxLines.reduce((sum, line) => sum + Math.round((line.rate ?? 0) * 1_000_000), 0);
    if (millionths === 0) continue;
    const key = String(millionths);
    byRate.set(key, (byRate.get(key) ?? 0) + 1);
  }
  const top = [...byRate.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!top) return null;
  const percent = Number(top[0]) / 10_000;
  return `${Number(percent.toFixed(4))} %`;
}

function fail(code: string, message: string): Result<never> {
  return err(new ConnectorError({ code, message, merchantMessage: message }));
}

/**
 * The whole product on its simulators, over real HTTP: a Shopify simulator serving the shop, the connector on a
 * fresh SQLite file, a QuickBooks company file and a Web Connector that polls the connector. Performs the setup
 * as a merchant would, syncs, lets the Web Connector deliver until the outbox is drained, and reconciles
 * Shopify against the reports QuickBooks answers through the Web Connector.
 */
export async function runDemo(options: DemoOptions): Promise<Result<DemoResult>> {
  const started = Date.now();
  const say = options.say ?? (() => {});
  const logger = options.logger ?? silentLogger;
  mkdirSync(options.dir, { recursive: true });
  const paths = {
    connectorDatabase: join(options.dir, 'connector.sqlite'),
    companyFile: join(options.dir, 'company.qbw.sqlite'),
    qwc: join(options.dir, 'shopify.qwc'),
  };

  // A Shopify Plus store's GraphQL bucket (20,000 points, 1,000 restored per second): the demo shows the whole
  // flow in seconds; the tests exercise the Standard plan's and tiny buckets, where a pull slows down and never fails.
  const shopify = await startShopifySimulator({
    data: options.data,
    logger,
    throttle: { maximumAvailable: 20_000, restoreRate: 1_000 },
  });
  let app: ConnectorApp | null = null;
  try {
    say(`Shopify simulator: ${options.data.shop.name} (${shopify.shopDomain}), ${options.data.orders.length} orders`);
    const port = await freePort();
    const config = loadConfig(
      {
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://localhost:${port}`,
        DATA_DIR: options.dir,
        SQLITE_PATH: paths.connectorDatabase,
        SHOPIFY_SHOP: shopify.shopDomain,
        SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
        SHOPIFY_API_BASE_URL: shopify.url,
        LOG_LEVEL: 'error',
      },
      options.dir,
    );
    if (!config.ok) return fail('DEMO_CONFIG', config.error.map((e) => e.message).join('; '));
    app = await startConnector(config.value, { logger, startScheduler: false });
    say(`Connector: ${app.url} on SQLite ${paths.connectorDatabase}`);

    const client = createAdminGraphqlClient({
      shopDomain: shopify.shopDomain,
      accessToken: shopify.accessToken,
      endpoint: shopify.url,
      logger,
    });
    const shop = await registerShopFromShopify(app.storage, app.setup, client);
    if (!shop.ok) return shop;

    // Step: app token and .qwc
    const token = await app.setup.issueAppToken(shop.value.domain);
    if (!token.ok) return token;
    writeFileSync(paths.qwc, token.value.qwc);
    const qwc = parseQwcFile(token.value.qwc);
    if (!qwc.ok) return qwc;
    say(`Setup 1/5: app token issued; Web Connector file ${paths.qwc} (user ${token.value.userName})`);

    const processor = reopeningProcessor(() =>
      openCompany(paths.companyFile, { edition: options.edition, companyName: `${options.data.shop.name} Books` }),
    );
    let sessions = 0;
    const session = async (): Promise<SessionLog> => {
      sessions++;
      return runWebConnectorSession({
        qwc: qwc.value,
        password: token.value.appToken,
        processor,
        openCompanyFile: paths.companyFile,
        timeScale: 0.001,
      });
    };

    // Step: connect — the first session binds the company file and reads its lists.
    const first = await session();
    if (first.outcome !== 'completed')
      return fail('DEMO_CONNECT', `Web Connector session ended: ${first.outcome} ${first.message}`);
    const status = await app.setup.status(shop.value.domain);
    if (!status.ok) return status;
    const bound = status.value.companyFile?.boundCompany;
    say(`Setup 2/5: connected to "${bound?.companyName}" (${bound?.edition} ${bound?.version})`);

    // Step: sales tax
    const tax = await app.setup.checkSalesTax(shop.value.domain);
    if (!tax.ok) return tax;
    if (tax.value.status !== 'pass') return fail('DEMO_SALES_TAX', tax.value.problems.map((p) => p.message).join(' '));
    const rate = commonTaxRate(options.data);
    say(
      `Setup 3/5: sales tax on, most common item "${tax.value.mostCommonItem}" at 0 %${rate ? ` — right though the shop charges ${rate}: the connector posts Shopify's own tax amounts as lines, so QuickBooks must add none` : ''}`,
    );

    // Step: options — defaults, history from the first day of the data.
    const today = new Date().toISOString().slice(0, 10);
    const period = dataPeriod(options.data) ?? { from: today, to: today };
    const saved = await app.setup.saveOptions(shop.value.domain, {
      modes: options.modes,
      schedule: 'manual',
      startDate: period.from,
      createMissingAccounts: true,
    });
    if (!saved.ok) return saved;
    say(
      `Setup 4/5: ${Object.keys(saved.value.mapping).length} categories mapped, ${saved.value.accountsToCreate.length} accounts to create; customers ${options.modes.customers}, inventory ${options.modes.inventory}, vendors ${options.modes.vendors}`,
    );

    // Step: start, and the first sync.
    const integration = await app.setup.start(shop.value.domain);
    if (!integration.ok) return integration;
    const run = await app.sync.run(
      shop.value.id,
      'start',
      options.onProgress ? { onProgress: options.onProgress } : {},
    );
    if (!run.ok) return run;
    if (run.value.state === 'failed') return fail('DEMO_SYNC', run.value.error?.message ?? 'sync failed');
    const planned = run.value.summary?.planned ?? 0;
    say(`Setup 5/5: started. Sync ${run.value.id}: ${planned} requests planned`);

    // Delivery: the Web Connector polls until nothing is left.
    const companyFileId = integration.value.companyFileId!;
    const maxSessions = options.maxSessions ?? 50;
    for (;;) {
      const before = await progress(app.storage, companyFileId);
      if (before.remaining === 0) break;
      if (sessions >= maxSessions) return fail('DEMO_STUCK', `Outbox not drained after ${sessions} sessions`);
      const log = await session();
      const after = await documentCounts(app.storage, companyFileId);
      say(
        `Web Connector session ${sessions}: ${sets(log.requestsProcessed)}; ${after.applied}/${after.planned} documents in QuickBooks`,
      );
      if (log.outcome === 'no-work' && after.remaining > 0) {
        // Retries waiting for their time: a real Web Connector would come back later; the demo waits briefly.
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await app.scheduler.tick();
    const final = await documentCounts(app.storage, companyFileId);

    // Reconciliation: Shopify (as extracted) against what QuickBooks answers through the Web Connector — the
    // report queries go out at the next session, as they would to a real company file.
    const reconciliation = createReconciliationService({ storage: app.storage });
    let asked = await reconciliation.reconcile(shop.value, period);
    if (!asked.ok) return asked;
    if (asked.value.answer.state === 'waiting') {
      const log = await session();
      say(`Web Connector session ${sessions}: ${sets(log.requestsProcessed)}; QuickBooks sent its reports`);
      asked = await reconciliation.reconcile(shop.value, period);
      if (!asked.ok) return asked;
    }
    const { answer, report } = asked.value;
    if (answer.state !== 'ready' || report === null) {
      return fail('DEMO_RECONCILE', answer.state === 'waiting' ? answer.message : 'no reconciliation');
    }
    const json = {
      ...reportJson(report),
      documents: { applied: final.applied, failed: final.failed, needsAttention: final.needsAttention },
      trialBalance: answer.trialBalance,
    };
    const clean =
      report.differences.length === 0 &&
      final.failed === 0 &&
      final.needsAttention === 0 &&
      answer.trialBalance.debits === answer.trialBalance.credits;
    return ok({
      report,
      json,
      text: reportText(report),
      figures: {
        orders: options.data.orders.length,
        documentsPlanned: final.planned,
        webConnectorSessions: sessions,
        wallMs: Date.now() - started,
      },
      paths,
      clean,
    });
  } finally {
    await app?.close();
    await shopify.close();
  }
}
