import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo, runDemoUi } from '../../demo/index.ts';
import type { ShopDataFile } from '../../domain/index.ts';
import type { ModeChoice } from '../../setup/index.ts';
import { generateShop, readShopFile } from '../../simulators/shopify/index.ts';
import type { CliCommand } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { ProgressDisplay } from '../progress.ts';

const help = `Usage: qbd-connector demo [options]

Runs the whole product on simulators, over real HTTP: a Shopify shop, the connector on a fresh SQLite file, a
QuickBooks Desktop company file and the Web Connector. Performs the setup (app token, connect, sales tax check,
mapping and options, start), syncs, waits until every document is in QuickBooks, and prints the reconciliation of
Shopify against QuickBooks' general ledger.

Data:
  --data FILE            a shop data file (qbd-connector sim shopify generate writes one)
  --orders N             orders of a generated shop (default 150)
  --seed S               seed of the generated shop (default "demo")
  --profile P            us (tax on top), gb (VAT included), ca, au (cash rounding) — default us
QuickBooks:
  --edition E            pro | premier | enterprise (default premier)
Modes (Summary or Detailed, per list):
  --mode M               summary | detailed for customers, inventory and vendors
  --customers M, --inventory M, --vendors M
Admin app:
  --ui                   start the simulators and the connector with the admin app and keep them running until
                         Ctrl-C: prints "Admin app: <URL>" (opens the app signed in) and plays the Web Connector
                         in the terminal, so the whole setup can be clicked through
Output:
  --dir DIR              where the connector database, company file and .qwc go (default ./data/demo-<time>)
  --json                 print only the reconciliation report as JSON; exit 0 when there is no difference
                         and nothing failed, 1 otherwise`;

function mode(value: string | undefined, fallback: ModeChoice): ModeChoice | null {
  if (value === undefined) return fallback;
  return value === 'summary' || value === 'detailed' ? value : null;
}

export const command: CliCommand = {
  name: 'demo',
  summary: 'Run the whole product on simulators and print the reconciliation.',
  help,
  async run(args, io) {
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          data: { type: 'string' },
          orders: { type: 'string' },
          seed: { type: 'string' },
          profile: { type: 'string' },
          edition: { type: 'string' },
          mode: { type: 'string' },
          customers: { type: 'string' },
          inventory: { type: 'string' },
          vendors: { type: 'string' },
          dir: { type: 'string' },
          json: { type: 'boolean' },
          ui: { type: 'boolean' },
        },
      }));
    } catch (error) {
      writeLine(io.stderr, `${(error as Error).message}\n\n${help}`);
      return 2;
    }
    const all = mode(values.mode as string | undefined, 'summary');
    const modes = {
      customers: mode(values.customers as string | undefined, all ?? 'summary'),
      inventory: mode(values.inventory as string | undefined, all ?? 'summary'),
      vendors: mode(values.vendors as string | undefined, all ?? 'summary'),
    };
    if (all === null || !modes.customers || !modes.inventory || !modes.vendors) {
      writeLine(io.stderr, 'Modes are "summary" or "detailed".');
      return 2;
    }
    const edition = (values.edition as string | undefined) ?? 'premier';
    if (edition !== 'pro' && edition !== 'premier' && edition !== 'enterprise') {
      writeLine(io.stderr, 'The edition is pro, premier or enterprise.');
      return 2;
    }
    let data: ShopDataFile;
    if (values.data) {
      const path = resolve(io.cwd, values.data as string);
      if (!existsSync(path)) {
        writeLine(io.stderr, `No data file at ${path}.`);
        return 2;
      }
      try {
        data = await readShopFile(path);
      } catch (error) {
        writeLine(io.stderr, `${path} is not a shop data file: ${(error as Error).message}`);
        return 2;
      }
    } else {
      const orders = Number((values.orders as string | undefined) ?? '150');
      if (!Number.isInteger(orders) || orders < 0) {
        writeLine(io.stderr, '--orders must be a whole number.');
        return 2;
      }
      const profile = (values.profile as string | undefined) ?? 'us';
      if (!['us', 'gb', 'ca', 'au'].includes(profile)) {
        writeLine(io.stderr, '--profile is us, gb, ca or au.');
        return 2;
      }
      data = generateShop({
        seed: (values.seed as string | undefined) ?? 'demo',
        orders,
        profile: profile as 'us' | 'gb' | 'ca' | 'au',
      });
    }
    const dir = values.dir
      ? resolve(io.cwd, values.dir as string)
      : join(io.cwd, 'data', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    if (values.ui === true) {
      const stopped = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      const ui = await runDemoUi({
        data,
        dir,
        edition,
        say: (line) => writeLine(io.stdout, line),
        input: process.stdin,
        stopped,
      });
      if (!ui.ok) {
        writeLine(io.stderr, `Demo failed: ${ui.error.merchantMessage}`);
        return 1;
      }
      writeLine(io.stdout, 'Demo stopped.');
      return 0;
    }
    const json = values.json === true;
    const display = json ? null : new ProgressDisplay({ stream: io.stdout });
    const result = await runDemo({
      data,
      dir,
      edition,
      modes: { customers: modes.customers, inventory: modes.inventory, vendors: modes.vendors },
      say: json ? () => {} : (line) => writeLine(io.stdout, line),
      ...(display ? { onProgress: display.handle } : {}),
    }).finally(() => display?.finish());
    if (!result.ok) {
      writeLine(io.stderr, `Demo failed: ${result.error.merchantMessage}`);
      if (result.error.message !== result.error.merchantMessage) writeLine(io.stderr, result.error.message);
      return 1;
    }
    const demo = result.value;
    if (json) {
      writeLine(io.stdout, JSON.stringify(demo.json, null, 2));
      return demo.clean ? 0 : 1;
    }
    writeLine(io.stdout);
    writeLine(io.stdout, demo.text.trimEnd());
    writeLine(io.stdout);
    writeLine(
      io.stdout,
      `Documents: ${demo.json.documents.applied} applied, ${demo.json.documents.failed} failed, ${demo.json.documents.needsAttention} need attention. Trial balance: debits ${demo.json.trialBalance.debits}, credits ${demo.json.trialBalance.credits}.`,
    );
    writeLine(
      io.stdout,
      `${demo.figures.orders} orders → ${demo.figures.documentsPlanned} QuickBooks requests in ${demo.figures.webConnectorSessions} Web Connector sessions, ${(demo.figures.wallMs / 1000).toFixed(1)} s.`,
    );
    writeLine(io.stdout, `Connector database: ${demo.paths.connectorDatabase}`);
    writeLine(io.stdout, `QuickBooks company file (simulated): ${demo.paths.companyFile}`);
    writeLine(
      io.stdout,
      `  see it with: ${cliName(io)} sim quickbooks report trial-balance --company ${demo.paths.companyFile}`,
    );
    writeLine(io.stdout, `Web Connector file: ${demo.paths.qwc}`);
    writeLine(io.stdout, demo.clean ? 'Reconciled: no differences.' : 'Differences or problems remain: see above.');
    return demo.clean ? 0 : 1;
  },
};
