import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SyncRun } from '../../integration/index.ts';
import { type OptionsInput, registerSingleStore, type SetupStatus } from '../../setup/index.ts';
import { createAdminGraphqlClient } from '../../shopify/index.ts';
import { CATEGORIES } from '../../transform/index.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import {
  type CommandContext,
  findShop,
  parseFlags,
  printServiceError,
  shopFlag,
  wantsHelp,
  withContext,
} from './connector-context.ts';
import { failed, optionsInput, saveOptions, showOptions, watching } from './setup-options.ts';

const help = `Usage: qbd-connector setup <step> [options]

The integration setup, step by step, on the connector's database (the same steps the app in Shopify admin
shows). Steps must be done in order; a step out of order is refused and changes nothing.

  register                      register the shop of SHOPIFY_SHOP / SHOPIFY_ACCESS_TOKEN (single-store install)
  app-token --shop D [--qwc-out FILE]
                                1. generate the app token (printed once, stored hashed) and write the .qwc file
                                   (default ./<shop>.qwc); issuing again replaces the token
  status --shop D [--json]      which steps are done and what the next one needs
  refresh-lists --shop D        read QuickBooks' accounts, payment methods, classes and tax items again at the
                                next Web Connector session
  sales-tax-check --shop D [--create-zero-rate-item]
                                3. check QuickBooks' sales tax settings (after the Web Connector has connected:
                                   step 2); with --create-zero-rate-item, add a 0 % sales tax item at the next
                                   Web Connector session
  options --shop D --show       4. show the accounts, the proposed mapping, payment methods and classes
  options --shop D [--mode summary|detailed] [--customers M] [--inventory M] [--vendors M]
          [--schedule manual|HH:MM] [--start-date YYYY-MM-DD] [--stocky-key K] [--map category=Account …]
          [--no-create-accounts] [--no-classes]
                                4. save the mapping and options (all validated together; nothing is saved
                                   when one is wrong). --schedule HH:MM is a daily sync in the shop's time zone.
  start --shop D                5. start the integration (once) and run the first sync

--shop defaults to SHOPIFY_SHOP. Configuration comes from the environment, as for \`qbd-connector serve\`.
Run \`qbd-connector setup <step> --help\` for one step.

The database: --data-dir DIR (DATA_DIR) or --database-url URL (DATABASE_URL); the same as \`qbd-connector serve\`.`;

const STEP_HELP: Record<string, string> = {
  register: `Usage: qbd-connector setup register

Registers the shop named by SHOPIFY_SHOP, reading its name, currency and time zone from Shopify with
SHOPIFY_ACCESS_TOKEN (SHOPIFY_API_BASE_URL overrides the Admin API address). Registering again is harmless.`,
  'app-token': `Usage: qbd-connector setup app-token --shop D [--qwc-out FILE] [--user-name NAME]

Step 1. Generates the app token — the password you type into the Web Connector — and writes the .qwc file to
add to the Web Connector (default ./<shop>.qwc). The token is printed once and stored only as a hash: keep it
until it is typed in. Running this again replaces the token; the old one stops working.
Step 2 (connect) completes when the Web Connector has run once with it ("Update Selected").`,
  status: `Usage: qbd-connector setup status --shop D [--json]

Shows each setup step, whether it is done, and what it needs.`,
  'refresh-lists': `Usage: qbd-connector setup refresh-lists --shop D

Asks QuickBooks, at the next Web Connector session, for a fresh copy of its accounts, payment methods,
classes, sales tax items and list sizes (after you changed something there).`,
  'sales-tax-check': `Usage: qbd-connector setup sales-tax-check --shop D [--create-zero-rate-item]

Step 3. Checks that sales tax is on in QuickBooks and that the most common sales tax item is 0 % (the
connector posts Shopify's own tax amounts; a non-zero default item would add tax twice). On a problem it says
exactly what to change in QuickBooks. --create-zero-rate-item adds a 0 % sales tax item at the next Web
Connector session; choosing it as the most common item stays with you (qbXML cannot change preferences).`,
  options: `Usage: qbd-connector setup options --shop D --show
       qbd-connector setup options --shop D [flags]

Step 4. --show prints what QuickBooks has (accounts, payment methods, classes, list sizes), the proposed
account mapping and, per list, whether Detailed fits the 14,500 rule (the numbers when it does not). Without --show the options are validated together and saved:
  --mode M                   summary | detailed for customers, inventory and vendors (default summary)
  --customers M, --inventory M, --vendors M
  --schedule S               manual (default) or HH:MM: a daily sync at that time in the shop's time zone
  --start-date YYYY-MM-DD    history before it is not posted (no default: --show lists what each date
                             includes; the start is refused until one is chosen)
  --stocky-key K             take purchase orders from Stocky with this API key (checked before it is saved)
  --map category=Account     map a category to an existing QuickBooks account (repeatable); categories:
                             ${CATEGORIES.join(', ')}
  --no-create-accounts       do not create the accounts the proposed mapping adds
  --no-classes               do not track Shopify locations as QuickBooks classes`,
  start: `Usage: qbd-connector setup start --shop D

Step 5. Starts the integration — once: a second start is refused (support can reset it with
\`qbd-connector support reset-integration\`) — and runs the first sync. The Web Connector then delivers the
documents to QuickBooks; follow them with \`qbd-connector status\`.`,
};

export function printSetupStatus(io: CliIo, status: SetupStatus): void {
  writeLine(io.stdout, `Setup of ${status.shop.name} (${status.shop.domain})`);
  status.steps.forEach((step, index) => {
    writeLine(io.stdout, `  ${step.done ? '[x]' : '[ ]'} ${index + 1}. ${step.title}: ${step.detail}`);
  });
  writeLine(
    io.stdout,
    status.next === null
      ? 'The integration has started.'
      : `Next: ${status.steps.find((s) => s.step === status.next)!.title}.`,
  );
  for (const warning of status.warnings) writeLine(io.stdout, `Warning: ${warning}`);
}

export function describeRun(run: SyncRun): string {
  const summary = run.summary;
  const planned = summary
    ? `${summary.planned} new request(s) planned${summary.alreadyPlanned > 0 ? `, ${summary.alreadyPlanned} already planned by earlier syncs` : ''}`
    : '';
  if (run.state === 'failed') {
    return `Sync ${run.id} failed: ${run.error?.merchantMessage ?? 'unknown error'} [${run.error?.code ?? 'SYNC_FAILED'}]`;
  }
  return `Sync ${run.id} (${run.trigger}) ${run.state.replace(/_/g, ' ')}${planned ? `: ${planned}` : ''}.`;
}

async function register(io: CliIo, context: CommandContext): Promise<number> {
  const { shopDomain, accessToken, apiBaseUrl } = context.config.shopify;
  if (!shopDomain || !accessToken) {
    writeLine(
      io.stderr,
      'setup register is for a single-store install: set SHOPIFY_SHOP (my-store.myshopify.com) and SHOPIFY_ACCESS_TOKEN (an Admin API access token of a custom app).',
    );
    return 2;
  }
  const client = createAdminGraphqlClient({
    shopDomain,
    accessToken,
    ...(apiBaseUrl ? { endpoint: apiBaseUrl } : {}),
    logger: context.logger,
    // A person waits for the answer: one quick retry, then the address and the cause.
    maxTransientRetries: 1,
    backoffMs: 300,
  });
  const shop = await registerSingleStore({
    storage: context.storage,
    setup: context.setup,
    tokens: context.tokens,
    client,
    shopDomain,
    accessToken,
  });
  if (!shop.ok) return failed(io, shop, context, shopDomain);
  writeLine(
    io.stdout,
    `Registered ${shop.value.name} (${shop.value.domain}): currency ${shop.value.currency}, time zone ${shop.value.timeZone}.`,
  );
  writeLine(
    io.stdout,
    'The Admin API access token is stored encrypted: the other commands and the server need no SHOPIFY_ACCESS_TOKEN (one set in the environment overrides the stored token).',
  );
  writeLine(io.stdout, `Next: ${cliName(io)} setup app-token --shop ${shop.value.domain}`);
  return 0;
}

async function appToken(io: CliIo, context: CommandContext, domain: string, values: Record<string, unknown>) {
  const issued = await context.setup.issueAppToken(
    domain,
    values['user-name'] ? { userName: values['user-name'] as string } : {},
  );
  if (!issued.ok) return failed(io, issued, context, domain);
  const path = resolve(
    io.cwd,
    (values['qwc-out'] as string | undefined) ?? `${domain.replace(/[^a-z0-9.-]/g, '')}.qwc`,
  );
  writeFileSync(path, issued.value.qwc);
  writeLine(io.stdout, `App token (the Web Connector password — shown this once, keep it until it is typed in):`);
  writeLine(io.stdout);
  writeLine(io.stdout, `  ${issued.value.appToken}`);
  writeLine(io.stdout);
  writeLine(io.stdout, `Web Connector user name: ${issued.value.userName}`);
  writeLine(io.stdout, `Web Connector file: ${path}`);
  writeLine(
    io.stdout,
    `Next: in the Web Connector, "Add an application" with that file, type the app token as its password, open the company file in QuickBooks and press "Update Selected". Then: ${cliName(io)} setup sales-tax-check --shop ${domain}`,
  );
  return 0;
}

async function salesTaxCheck(io: CliIo, context: CommandContext, domain: string, createItem: boolean) {
  const check = await context.setup.checkSalesTax(domain);
  if (!check.ok) return failed(io, check, context, domain);
  if (check.value.status === 'pass') {
    writeLine(
      io.stdout,
      `Sales tax check passed: sales tax is on and the most common sales tax item is “${check.value.mostCommonItem}” at 0 %. That is right whatever tax your shop charges: the connector posts the tax Shopify charged on each sale as lines of its own, so QuickBooks must add none.`,
    );
    return 0;
  }
  writeLine(io.stdout, 'Sales tax settings to change in QuickBooks:');
  for (const problem of check.value.problems) writeLine(io.stdout, `  - ${problem.message}`);
  if (createItem) {
    const created = await context.setup.createZeroRateTaxItem(domain);
    if (!created.ok) return failed(io, created, context, domain);
    writeLine(
      io.stdout,
      `The 0 % sales tax item “${created.value.name}” will be created at the next Web Connector session. Choose it as the most common sales tax item in QuickBooks, then run this check again.`,
    );
  } else if (check.value.offerToCreate) {
    writeLine(
      io.stdout,
      `The company file has no 0 % sales tax item: add --create-zero-rate-item to have the connector create “${check.value.offerToCreate.name}”.`,
    );
  }
  return 1;
}

async function start(io: CliIo, context: CommandContext, domain: string): Promise<number> {
  const shop = await findShop(io, context, domain);
  if (!shop) return 1;
  const started = await context.setup.start(domain);
  if (!started.ok) {
    printServiceError(io, context, started.error, domain);
    if (started.error.code === 'SETUP_START_DATE_NOT_CHOSEN') {
      writeLine(io.stderr, `Choose it with: ${cliName(io)} setup options --shop ${domain} --start-date YYYY-MM-DD`);
    }
    return 1;
  }
  writeLine(io.stdout, `Integration of ${shop.name} started. Running the first sync…`);
  const run = await watching(io, (onProgress) => context.sync.run(shop.id, 'start', { onProgress }));
  if (!run.ok) return failed(io, run, context, domain);
  writeLine(io.stdout, describeRun(run.value));
  if (run.value.state === 'failed') return 1;
  writeLine(
    io.stdout,
    `The Web Connector delivers the documents to QuickBooks at its next runs; follow them with: ${cliName(io)} status --shop ${domain}`,
  );
  return 0;
}

const OPTION_FLAGS = {
  shop: { type: 'string' },
  json: { type: 'boolean' },
  'qwc-out': { type: 'string' },
  'user-name': { type: 'string' },
  'create-zero-rate-item': { type: 'boolean' },
  show: { type: 'boolean' },
  mode: { type: 'string' },
  customers: { type: 'string' },
  inventory: { type: 'string' },
  vendors: { type: 'string' },
  schedule: { type: 'string' },
  'start-date': { type: 'string' },
  'stocky-key': { type: 'string' },
  map: { type: 'string', multiple: true },
  'no-create-accounts': { type: 'boolean' },
  'no-classes': { type: 'boolean' },
} as const;

/** Which flags each step accepts (a flag of another step is a mistake worth saying). */
const STEP_FLAGS: Record<string, readonly (keyof typeof OPTION_FLAGS)[]> = {
  register: [],
  'app-token': ['shop', 'qwc-out', 'user-name'],
  status: ['shop', 'json'],
  'refresh-lists': ['shop'],
  'sales-tax-check': ['shop', 'create-zero-rate-item'],
  options: [
    'shop',
    'json',
    'show',
    'mode',
    'customers',
    'inventory',
    'vendors',
    'schedule',
    'start-date',
    'stocky-key',
    'map',
    'no-create-accounts',
    'no-classes',
  ],
  start: ['shop'],
};

export const command: CliCommand = {
  name: 'setup',
  summary: 'Integration setup: sales tax check, app token, mapping and options, start.',
  help,
  async run(args, io) {
    const [step, ...rest] = args;
    if (!step || step === '--help' || step === '-h') {
      writeLine(step ? io.stdout : io.stderr, help);
      return step ? 0 : 2;
    }
    const allowed = STEP_FLAGS[step];
    if (!allowed) {
      writeLine(io.stderr, `Unknown setup step "${step}".\n\n${help}`);
      return 2;
    }
    const stepHelp = STEP_HELP[step]!;
    if (wantsHelp(rest)) {
      writeLine(io.stdout, stepHelp);
      return 0;
    }
    const options = Object.fromEntries(allowed.map((name) => [name, OPTION_FLAGS[name]]));
    const parsed = parseFlags(io, rest, options, stepHelp);
    if (!parsed.ok) return parsed.code;
    const values = parsed.values;
    let domain = '';
    if (step !== 'register') {
      const shop = shopFlag(io, values, stepHelp);
      if (!shop) return 2;
      domain = shop;
    }
    let input: OptionsInput | null = null;
    if (step === 'options' && values.show !== true) {
      input = optionsInput(io, values);
      if (!input) return 2;
    }
    return withContext(
      io,
      async (context) => {
        switch (step) {
          case 'register':
            return register(io, context);
          case 'app-token':
            return appToken(io, context, domain, values);
          case 'status': {
            const status = await context.setup.status(domain);
            if (!status.ok) return failed(io, status, context, domain);
            if (values.json === true) {
              const { shop, integration, companyFile, steps, next, warnings } = status.value;
              writeLine(
                io.stdout,
                JSON.stringify(
                  {
                    shop: { domain: shop.domain, name: shop.name, timeZone: shop.timeZone },
                    state: integration.state,
                    companyFile: companyFile?.boundCompany ?? null,
                    steps,
                    next,
                    warnings,
                  },
                  null,
                  2,
                ),
              );
            } else printSetupStatus(io, status.value);
            return 0;
          }
          case 'refresh-lists': {
            const refreshed = await context.setup.refreshCompanyLists(domain);
            if (!refreshed.ok) return failed(io, refreshed, context, domain);
            writeLine(io.stdout, 'QuickBooks lists will be read again at the next Web Connector session.');
            return 0;
          }
          case 'sales-tax-check':
            return salesTaxCheck(io, context, domain, values['create-zero-rate-item'] === true);
          case 'options':
            return input
              ? saveOptions(io, context, domain, input)
              : showOptions(io, context, domain, values.json === true);
          case 'start':
            return start(io, context, domain);
          default:
            throw new Error(`Bug: setup step ${step} has flags but no handler`);
        }
      },
      { create: step === 'register' },
    );
  },
};
