import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Config, loadConfig } from '../../config/index.ts';
import type { ConnectorError } from '../../errors/index.ts';
import { createLogger, type Logger, type LogLevel } from '../../logger/index.ts';
import { createConnectorServices } from '../../server/app.ts';
import type { SetupService } from '../../setup/service.ts';
import type { TokenStore } from '../../shopify/index.ts';
import { getShopByDomain, openDatabase, type Shop, type Storage } from '../../storage/index.ts';
import type { SyncService } from '../../sync/service.ts';
import type { CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';

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
  logger: Logger;
  close(): Promise<void>;
}

/** Every configuration problem at once, one per line, then exit code 2. */
export function printConfigProblems(io: CliIo, problems: readonly ConnectorError[]): number {
  writeLine(io.stderr, `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const problem of problems) writeLine(io.stderr, `  - ${problem.merchantMessage} [${problem.code}]`);
  writeLine(io.stderr, 'Fix the environment variables above and run the command again.');
  return 2;
}

/**
 * Logs go to stderr as JSON lines. Short commands log warnings and errors only unless LOG_LEVEL says otherwise,
 * so their own output stays readable; `serve` uses the configured level (default info).
 */
export function commandLogger(io: CliIo, level: LogLevel): Logger {
  return createLogger({ level, write: (line) => io.stderr.write(line + '\n') });
}

export async function openContext(
  io: CliIo,
  options: { clock?: () => Date } = {},
): Promise<{ ok: true; context: CommandContext } | { ok: false; code: number }> {
  const config = loadConfig(io.env, io.cwd);
  if (!config.ok) return { ok: false, code: printConfigProblems(io, config.error) };
  const logger = commandLogger(io, io.env.LOG_LEVEL ? config.value.logLevel : 'warn');
  const storage = await openDatabase({
    ...(config.value.database.engine === 'postgres'
      ? { url: config.value.database.url }
      : { sqlitePath: config.value.database.sqlitePath }),
    logger,
  });
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
      logger,
      close: () => storage.close(),
    },
  };
}

/** Runs `work` with an open context and always closes the database afterwards. */
export async function withContext(io: CliIo, work: (context: CommandContext) => Promise<number>): Promise<number> {
  const opened = await openContext(io);
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
  if (!shop) {
    writeLine(
      io.stderr,
      `The shop ${domain} is not registered with this connector. Run \`${cliName(io)} setup register\` first. [SETUP_SHOP_UNKNOWN]`,
    );
  }
  return shop;
}

/** Whether the help was asked for anywhere in a subcommand's arguments (the router only sees the first). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
