/**
 * `demo --ui`: the simulators and the connector with the admin app, left running for a person to click through
 * the whole setup. The terminal plays the Web Connector's part: paste the app token the app shows, and the
 * simulated Web Connector adds the application and runs it every few seconds (Auto-Run, time scaled), as the
 * real one would every 15 minutes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildWeb } from '../../scripts/build-web.ts';
import { loadConfig } from '../config/index.ts';
import type { ShopDataFile } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { silentLogger } from '../logger/index.ts';
import { parseQwcFile } from '../qbwc/qwc/index.ts';
import { dataPeriod } from '../reconcile/index.ts';
import { freePort, startConnector } from '../server/index.ts';
import { registerShopFromShopify } from '../setup/index.ts';
import { createAdminGraphqlClient } from '../shopify/index.ts';
import { type Edition, openCompany } from '../simulators/quickbooks/index.ts';
import { startShopifySimulator } from '../simulators/shopify/index.ts';
import { reopeningProcessor, runWebConnectorSession } from '../simulators/webconnector/index.ts';

export interface DemoUiOptions {
  data: ShopDataFile;
  dir: string;
  edition: Edition;
  say: (line: string) => void;
  input: NodeJS.ReadableStream;
  /** Seconds between the simulated Web Connector's runs. */
  intervalSeconds?: number;
  /** Resolves when the demo should stop (Ctrl-C). */
  stopped: Promise<void>;
}

export async function runDemoUi(options: DemoUiOptions): Promise<Result<void>> {
  const { say } = options;
  mkdirSync(options.dir, { recursive: true });
  const built = await buildWeb({ quiet: true });
  if (built.built) say('Admin app built (dist/web).');
  const shopify = await startShopifySimulator({
    data: options.data,
    logger: silentLogger,
    throttle: { maximumAvailable: 20_000, restoreRate: 1_000 },
  });
  const port = await freePort();
  const config = loadConfig(
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      DATA_DIR: options.dir,
      SQLITE_PATH: join(options.dir, 'connector.sqlite'),
      SHOPIFY_SHOP: shopify.shopDomain,
      SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
      SHOPIFY_API_BASE_URL: shopify.url,
      // The operator's token for this run only; the link below signs the browser in without it.
      ADMIN_API_TOKEN: randomBytes(24).toString('base64url'),
      LOG_LEVEL: 'error',
      SCHEDULER_TICK_MS: '5000',
    },
    options.dir,
  );
  if (!config.ok) {
    await shopify.close();
    return err(
      new ConnectorError({
        code: 'DEMO_CONFIG',
        message: config.error.map((e) => e.message).join('; '),
        merchantMessage: config.error.map((e) => e.merchantMessage).join('; '),
      }),
    );
  }
  const app = await startConnector(config.value, { logger: silentLogger });
  let timer: ReturnType<typeof setTimeout> | null = null;
  const lines = createInterface({ input: options.input });
  try {
    const client = createAdminGraphqlClient({
      shopDomain: shopify.shopDomain,
      accessToken: shopify.accessToken,
      endpoint: shopify.url,
    });
    const shop = await registerShopFromShopify(app.storage, app.setup, client);
    if (!shop.ok) return shop;
    say(`Shopify simulator: ${options.data.shop.name} (${shopify.shopDomain}), ${options.data.orders.length} orders`);
    // The demo's history is not today's: the app's defaults (start date today, the reconciliation's last 30 days)
    // would show a newcomer nothing, so the dates that do are said here.
    const period = dataPeriod(options.data);
    if (period) {
      say(
        `  its history runs from ${period.from} to ${period.to}: choose ${period.from} as the start date, and that period in the reconciliation`,
      );
    }
    say(`Connector: ${app.url} on SQLite ${join(options.dir, 'connector.sqlite')}`);
    say(`Admin app: ${app.url}${await app.adminSessions.createSignInLink()}`);
    say('  (the link signs one browser in, once, within 10 minutes)');
    say('');
    say('Web Connector (simulated): after "Generate app token" in the app, paste the token here and press Enter.');

    const companyPath = join(options.dir, 'company.qbw.sqlite');
    const processor = reopeningProcessor(() =>
      openCompany(companyPath, { edition: options.edition, companyName: `${options.data.shop.name} Books` }),
    );
    const interval = (options.intervalSeconds ?? 10) * 1000;
    let password: string | null = null;
    let running = false;
    const runOnce = async () => {
      if (!password || running) return;
      running = true;
      try {
        const qwcXml = await app.setup.qwcFile(shop.value.domain);
        const qwc = qwcXml.ok ? parseQwcFile(qwcXml.value) : qwcXml;
        if (!qwc.ok) {
          say(`Web Connector: ${qwc.error.merchantMessage}`);
          return;
        }
        const log = await runWebConnectorSession({
          qwc: qwc.value,
          password,
          processor,
          openCompanyFile: companyPath,
          timeScale: 0.001,
        });
        if (log.outcome !== 'no-work') {
          say(
            `Web Connector: ${log.outcome}, ${log.requestsProcessed} request document(s)${log.message ? ` — ${log.message}` : ''}`,
          );
        }
      } finally {
        running = false;
      }
    };
    const schedule = () => {
      timer = setTimeout(async () => {
        await runOnce();
        schedule();
      }, interval);
    };
    lines.on('line', (line) => {
      const token = line.trim();
      if (!token) {
        void runOnce();
        return;
      }
      password = token;
      say(
        `Web Connector: application added; Update Selected now, then Auto-Run every ${interval / 1000} s (Enter runs it at once).`,
      );
      void runOnce();
    });
    schedule();
    say('Ctrl-C stops the demo.');
    await options.stopped;
    return ok(undefined);
  } finally {
    if (timer) clearTimeout(timer);
    lines.close();
    await app.close();
    await shopify.close();
  }
}
