import { existsSync } from 'node:fs';
import { loadConfig } from '../../config/index.ts';
import { ConnectorError } from '../../errors/index.ts';
import { SOAP_PATH, startConnector, WEBHOOK_PATH } from '../../server/index.ts';
import { redactUrl } from '../../storage/index.ts';
import type { CliCommand } from '../command.ts';
import { writeLine } from '../command.ts';
import { databaseProblem, ENVIRONMENT_FLAGS_HELP, listenProblem, tlsProblem } from '../environment.ts';
import { commandLogger, parseFlags, printConfigProblems } from './connector-context.ts';

const help = `Usage: qbd-connector serve [--port PORT] [--host HOST] [--data-dir DIR] [--database-url URL]

Runs the connector: one HTTP server with the QuickBooks Web Connector's SOAP endpoint (${SOAP_PATH}), Shopify
webhooks (${WEBHOOK_PATH}), the JSON API (/api/shops/…), a health check (/healthz), and the daily sync schedule.
Logs are JSON lines on stderr. Stops cleanly on Ctrl-C (SIGINT), SIGTERM or SIGHUP.

${ENVIRONMENT_FLAGS_HELP}

Configuration (environment variables; every problem is listed at start-up, exit code 2):
  HOST, PORT                 where to listen (default 127.0.0.1:8080)
  PUBLIC_URL                 the address the Web Connector reaches (https://, or http://localhost)
  DATABASE_URL               postgres://… for PostgreSQL; without it SQLite at SQLITE_PATH (default
                             DATA_DIR/connector.sqlite)
  DATA_DIR                   the SQLite database, the generated encryption key (default: the user's data
                             folder: ~/.local/share/qbd-connector, ~/Library/Application Support/qbd-connector
                             on macOS, %LOCALAPPDATA%\\qbd-connector on Windows)
  ENCRYPTION_KEY             32 bytes (64 hex characters or base64); required with PostgreSQL (the same on
                             every instance); on SQLite default: a key generated once in DATA_DIR
  SHOPIFY_SHOP, SHOPIFY_ACCESS_TOKEN
                             single-store install: the shop and an Admin API access token
  SHOPIFY_API_KEY, SHOPIFY_API_SECRET
                             Shopify app install: session tokens, token exchange, webhooks
  SHOPIFY_API_BASE_URL       Admin API address (a simulator's, for tests and demos)
  ADMIN_API_TOKEN            bearer token for the JSON API outside Shopify admin (at least 24 characters)
  TLS_CERT, TLS_KEY          serve HTTPS with these PEM files
  LOG_LEVEL                  debug | info | warn | error | silent (default info)
  MAX_BODY_BYTES             largest request body accepted (default 20 MB)
  STOCKY_API_BASE_URL        Stocky API address (a simulator's, for tests and demos)
  SCHEDULER_TICK_MS          how often the schedule is checked (1000–300000, default 60000)`;

export const command: CliCommand = {
  name: 'serve',
  summary: 'Run the connector server (Web Connector SOAP endpoint, webhooks, JSON API).',
  help,
  async run(args, io) {
    const parsed = parseFlags(io, args, {}, help);
    if (!parsed.ok) return parsed.code;
    const config = loadConfig(io.env, io.cwd);
    if (!config.ok) return printConfigProblems(io, config.error);
    const logger = commandLogger(io, config.value.logLevel);

    // Handlers go on before start-up: a signal during the start must still stop the server once it is up.
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    // `on`, not `once`: a Ctrl-C reaches both the launcher and this process, so the launcher's forwarded copy may
    // arrive while stopping, and must not kill the process half-way through closing the database.
    const onSignal = (signal: NodeJS.Signals) => stop(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, onSignal);
    const database = config.value.database;
    const fresh = database.engine === 'sqlite' && !existsSync(database.sqlitePath);
    try {
      const app = await startConnector(config.value, { logger });
      if (fresh) writeLine(io.stdout, `Created a new connector database at ${app.storage.location}.`);
      writeLine(
        io.stdout,
        `Connector listening on ${app.url} (${app.storage.engine}: ${app.storage.location}). Web Connector endpoint: ${config.value.publicUrl}${SOAP_PATH}`,
      );
      const signal = await stopped;
      logger.info('stopping', { signal });
      await app.close();
      logger.info('stopped', { signal });
      writeLine(io.stdout, 'Connector stopped.');
      return 0;
    } catch (error) {
      const listen = listenProblem(error, config.value.host, config.value.port);
      const tls = config.value.tls ? tlsProblem(error, config.value.tls) : null;
      const line =
        listen ??
        tls ??
        (error instanceof ConnectorError && error.code.startsWith('STORAGE_')
          ? databaseProblem(
              error,
              database,
              database.engine === 'postgres' ? redactUrl(database.url) : database.sqlitePath,
            )
          : null);
      if (line === null) throw error;
      writeLine(io.stderr, line);
      return 1;
    } finally {
      for (const signal of signals) process.removeListener(signal, onSignal);
    }
  },
};
