import type { CliCommand, CliIo } from './command.ts';
import { writeLine } from './command.ts';
import { applyEnvironmentFlags } from './environment.ts';

/**
 * The command table. Each command lives in its own module, loaded only when used, so `qbd-connector qbxml
 * samples` does not start a database driver. A module exports `command: CliCommand`.
 */
const COMMANDS: Record<string, { summary: string; module: string }> = {
  serve: {
    summary: 'Run the connector server (Web Connector SOAP endpoint, webhooks, JSON API).',
    module: './commands/serve.ts',
  },
  demo: { summary: 'Run the whole product on simulators and print the reconciliation.', module: './commands/demo.ts' },
  setup: {
    summary: 'Integration setup: sales tax check, app token, mapping and options, start.',
    module: './commands/setup.ts',
  },
  sync: { summary: 'Start a sync now and follow its progress.', module: './commands/sync.ts' },
  status: { summary: 'Show the integration, recent syncs and what needs attention.', module: './commands/status.ts' },
  reconcile: {
    summary: 'Compare Shopify with QuickBooks for a period, to the cent.',
    module: './commands/reconcile.ts',
  },
  qwc: { summary: 'Write the .qwc file for the QuickBooks Web Connector.', module: './commands/qwc.ts' },
  support: { summary: 'Support operations (reset-integration).', module: './commands/support.ts' },
  qbxml: { summary: 'qbXML tools (samples, parse).', module: './commands/qbxml.ts' },
  sim: { summary: 'Simulators: quickbooks, webconnector, shopify.', module: './commands/sim/index.ts' },
};

export async function loadCommand(modulePath: string): Promise<CliCommand> {
  const loaded = (await import(new URL(modulePath, import.meta.url).href)) as { command?: CliCommand };
  if (!loaded.command) throw new Error(`${modulePath} does not export a command`);
  return loaded.command;
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: qbd-connector <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `qbd-connector <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    writeLine(io.stdout, usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    writeLine(io.stderr, `Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const command = await loadCommand(entry.module);
  // Only right after the command name: later a `--help` belongs to the command (`sim webconnector … --help`).
  if (rest[0] === '--help' || rest[0] === '-h') {
    writeLine(io.stdout, command.help);
    return 0;
  }
  if (!CONFIGURED.has(name)) return command.run(rest, io);
  const applied = applyEnvironmentFlags(rest, io.env);
  if (!applied.ok) {
    writeLine(io.stderr, `${applied.message}\n\n${command.help}`);
    return 2;
  }
  return command.run(applied.args, { ...io, env: applied.env });
}

/** The commands that read the connector's configuration: they take --port, --host, --data-dir, --database-url. */
const CONFIGURED = new Set(['serve', 'setup', 'sync', 'status', 'qwc', 'support']);

/** A bug reaching the top: one line, and where it happened only when asked for (LOG_LEVEL=debug). */
export function unexpectedError(error: unknown, env: NodeJS.ProcessEnv): string {
  const message = error instanceof Error ? error.message : String(error);
  if (env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) return `qbd-connector: ${error.stack}`;
  return `qbd-connector stopped on an unexpected error: ${message}\nThis is a fault in the connector, not in your data or settings. Run it again with LOG_LEVEL=debug to see where it happened, and report it.`;
}

if (import.meta.main) {
  // `qbd-connector status | head`: once the reader has gone, stop quietly instead of a stack trace for EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${unexpectedError(error, process.env)}\n`);
      process.exitCode = 1;
    },
  );
}
