import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Config, databaseOf, loadConfig } from '../../config/index.ts';
import type { ConnectorError, Result } from '../../errors/index.ts';
import { createLogger, type Logger, type LogLevel } from '../../logger/index.ts';
import { createConnectorServices } from '../../services/index.ts';
import type { SetupService } from '../../setup/index.ts';
import type { TokenStore } from '../../shopify/index.ts';
import { getShopByDomain, openDatabase, redactUrl, type Shop, type Storage } from '../../storage/index.ts';
import type { SyncService } from '../../sync/index.ts';
import type { CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { databaseProblem } from '../environment.ts';

/**
 * What the operator commands (setup, sync, status, qwc, support) share: the configuration read from the
 * environment exactly as `serve` reads it, the same database, and the setup and sync services wired as the server
 * wires them — so a command and the JSON API can never disagree about a step.
 */
export interface CommandContext {
  config: Config;
  storage: Storage;
  setup: SetupService;
  sync: SyncService;
  tokens: TokenStore;
  /** Whether Shopify answers for the shop now (one quick try): interactive commands ask before long work. */
  checkShopify(shop: Shop): Promise<Result<void>>;
  logger: Logger;
  close(): Promise<void>;
}

/** Every configuration problem at once, one per line, then exit code 2. */
export function printConfigProblems(io: CliIo, problems: readonly ConnectorError[]): number {
  writeLine(io.stderr, `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const problem of problems) writeLine(io.stderr, `  - ${problem.merchantMessage} [${problem.code}]`);
  writeLine(io.stderr, `Fix ${problems.length === 1 ? 'it' : 'them'} (each line says how) and run the command again.`);
  return 2;
}

/**
 * Logs go to stderr as JSON lines. Short commands log warnings and errors only unless LOG_LEVEL says otherwise,
 * so their own output stays readable; `serve` uses the configured level (default info).
 */
export function commandLogger(io: CliIo, level: LogLevel): Logger {
  return createLogger({ level, write: (line) => io.stderr.write(line + '\n') });
}

export interface OpenOptions {
  clock?: () => Date;
  /**
   * Whether a missing SQLite database may be created (`setup register`, the first step). Every other command
   * refuses to start on a database that does not exist: an empty new one would only say "not registered".
   */
  create?: boolean;
}

export async function openContext(
  io: CliIo,
  options: OpenOptions = {},
): Promise<{ ok: true; context: CommandContext } | { ok: false; code: number }> {
  const database = databaseOf(io.env, io.cwd);
  const fresh = database.engine === 'sqlite' && !existsSync(database.sqlitePath);
  if (fresh && !options.create) {
    writeLine(
      io.stderr,
      `No connector database at ${database.sqlitePath}. Register the shop first (${cliName(io)} setup register creates it), or point at your database: --data-dir DIR (DATA_DIR), --database-url URL (DATABASE_URL).${legacyHint(io)}`,
    );
    return { ok: false, code: 2 };
  }
  const config = loadConfig(io.env, io.cwd);
  if (!config.ok) return { ok: false, code: printConfigProblems(io, config.error) };
  // Short commands log errors only unless LOG_LEVEL says otherwise: their own lines (and progress) say the rest.
  const logger = commandLogger(io, io.env.LOG_LEVEL ? config.value.logLevel : 'error');
  let storage: Storage;
  const location =
    config.value.database.engine === 'postgres'
      ? redactUrl(config.value.database.url)
      : config.value.database.sqlitePath;
  try {
    storage = await openDatabase({
      ...(config.value.database.engine === 'postgres'
        ? { url: config.value.database.url }
        : { sqlitePath: config.value.database.sqlitePath }),
      logger,
    });
  } catch (error) {
    writeLine(io.stderr, databaseProblem(error, config.value.database, location));
    return { ok: false, code: 2 };
  }
  if (fresh) writeLine(io.stderr, `Created a new connector database at ${location}.${legacyHint(io)}`);
  const services = createConnectorServices(config.value, storage, {
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ok: true,
    context: {
      config: config.value,
      storage,
      setup: services.setup,
      sync: services.sync,
      tokens: services.tokens,
      checkShopify: services.checkShopify,
      logger,
      close: () => storage.close(),
    },
  };
}

/** A database left by an earlier version in ./data of this folder (the old default), when it is not the one used. */
function legacyHint(io: CliIo): string {
  if (io.env.DATA_DIR || io.env.SQLITE_PATH || io.env.DATABASE_URL) return '';
  const old = join(io.cwd, 'data', 'connector.sqlite');
  if (!existsSync(old)) return '';
  return ` A connector database is also in ./data of this folder (where earlier versions kept it): to use that one, add --data-dir ${join(io.cwd, 'data')}.`;
}

/** Runs `work` with an open context and always closes the database afterwards. */
export async function withContext(
  io: CliIo,
  work: (context: CommandContext) => Promise<number>,
  options: OpenOptions = {},
): Promise<number> {
  const opened = await openContext(io, options);
  if (!opened.ok) return opened.code;
  try {
    return await work(opened.context);
  } finally {
    await opened.context.close();
  }
}

/** The merchant's words first, then the code (what support asks for). */
export function printError(io: CliIo, error: ConnectorError): void {
  writeLine(io.stderr, `${error.merchantMessage} [${error.code}]`);
}

export type ParsedFlags = Record<string, string | boolean | string[] | undefined>;

/**
 * parseArgs with the command's help on a bad flag. Returns the values and positionals, or the exit code 2 after
 * printing what was wrong.
 */
export function parseFlags(
  io: CliIo,
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  help: string,
  allowPositionals = false,
): { ok: true; values: ParsedFlags; positionals: string[] } | { ok: false; code: number } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals, strict: true });
    return { ok: true, values: values as ParsedFlags, positionals };
  } catch (error) {
    writeLine(io.stderr, `${(error as Error).message}\n\n${help}`);
    return { ok: false, code: 2 };
  }
}

/** `--shop`, or the single-store shop of SHOPIFY_SHOP. */
export function shopFlag(io: CliIo, values: ParsedFlags, help: string): string | null {
  const shop = (values.shop as string | undefined) ?? io.env.SHOPIFY_SHOP;
  if (!shop) {
    writeLine(io.stderr, `Name the shop with --shop my-store.myshopify.com (or set SHOPIFY_SHOP).\n\n${help}`);
    return null;
  }
  return shop.toLowerCase();
}

export async function findShop(io: CliIo, context: CommandContext, domain: string): Promise<Shop | null> {
  const shop = await getShopByDomain(context.storage, domain);
  if (!shop) writeLine(io.stderr, notRegistered(io, context, domain));
  return shop;
}

/** "Not registered", naming the database looked in, how to register and how to look elsewhere. */
export function notRegistered(io: CliIo, context: CommandContext, domain: string): string {
  return `The shop ${domain} is not registered in the connector database at ${context.storage.location}. Register it with \`${cliName(io)} setup register\` (SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN set), or point at the database that has it: --data-dir DIR or --database-url URL. [SETUP_SHOP_UNKNOWN]`;
}

/** An error from a service, in the merchant's words; "not registered" also names the database looked in. */
export function printServiceError(io: CliIo, context: CommandContext, error: ConnectorError, domain: string): void {
  if (error.code === 'SETUP_SHOP_UNKNOWN') writeLine(io.stderr, notRegistered(io, context, domain));
  else printError(io, error);
  if (error.code === 'SETUP_STEP_OUT_OF_ORDER') {
    const hint = stepCommand(io, String(error.details.needed ?? ''), domain);
    if (hint) writeLine(io.stderr, hint);
  }
}

/** The command (or action) that does a setup step, for "finish that step first". */
export function stepCommand(io: CliIo, step: string, domain: string): string | null {
  const cli = cliName(io);
  switch (step) {
    case 'appToken':
      return `Do it with: ${cli} setup app-token --shop ${domain} --qwc-out shop.qwc`;
    case 'connect':
      return 'Do it in the Web Connector: add the .qwc file, type the app token as its password, press “Update Selected” with the company file open in QuickBooks (run it once more if the lists are still being read).';
    case 'salesTax':
      return `Do it with: ${cli} setup sales-tax-check --shop ${domain}`;
    case 'options':
      return `Do it with: ${cli} setup options --shop ${domain} --show, then ${cli} setup options --shop ${domain} --start-date YYYY-MM-DD`;
    case 'start':
      return `Do it with: ${cli} setup start --shop ${domain}`;
    default:
      return null;
  }
}

/** Whether the help was asked for anywhere in a subcommand's arguments (the router only sees the first). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
