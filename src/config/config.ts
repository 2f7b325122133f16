import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { LogLevel } from '../logger/index.ts';
import { ensurePrivateDirectory, ensurePrivateFile } from '../storage/index.ts';

/**
 * The server's configuration, read from the environment once at start-up and validated as a whole, so a
 * misconfigured install stops with every problem listed instead of failing later in the middle of a sync.
 */
export interface Config {
  /** Where the server listens. */
  host: string;
  port: number;
  /** The base URL the Web Connector reaches (goes into the .qwc AppURL). HTTPS unless localhost. */
  publicUrl: string;
  database: { engine: 'sqlite'; sqlitePath: string } | { engine: 'postgres'; url: string };
  /** Where the SQLite file, the generated encryption key and other local files live (DATA_DIR). */
  dataDir: string;
  /** 32-byte key encrypting Shopify tokens and the Stocky key at rest. */
  encryptionKey: Buffer;
  logLevel: LogLevel;
  /** Largest HTTP request body accepted, in bytes (SOAP responses from QuickBooks can be large). */
  maxBodyBytes: number;
  shopify: {
    /** Admin API base, e.g. https://{shop}.myshopify.com — a simulator URL in demos and tests. */
    apiBaseUrl: string | null;
    apiKey: string | null;
    apiSecret: string | null;
    /** Single-store install: the shop domain and an Admin API access token. */
    shopDomain: string | null;
    accessToken: string | null;
  };
  tls: { certPath: string; keyPath: string } | null;
  /**
   * Bearer token for the JSON API outside Shopify admin (the CLI on another machine, scripts). Compared in
   * constant time; null disables that way in (the embedded app uses Shopify session tokens).
   */
  adminApiToken: string | null;
  /** Stocky API base URL (its simulator in demos and tests); default Stocky's own. */
  stockyApiBaseUrl: string | null;
  /** How often the scheduler looks for due syncs. Default 60 s: well inside the 15-minute window. */
  schedulerTickMs: number;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

function problem(code: string, message: string): ConnectorError {
  return new ConnectorError({ code, message, merchantMessage: message, merchantMustAct: true });
}

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}

/** What went wrong with a file or folder, in plain words (the fix follows in the caller's sentence). */
function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the disk is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  return (error as Error).message;
}

/**
 * The encryption key: ENCRYPTION_KEY (64 hex chars or base64 of 32 bytes), or — for the embedded single-PC
 * install — a key generated once into the data folder with owner-only permissions. A key file other users of the
 * computer can read is refused: with it and a copy of the database, anyone can read the stored Shopify tokens.
 */
function loadEncryptionKey(
  value: string | undefined,
  dataDir: string,
  engine: Config['database']['engine'],
  platform: NodeJS.Platform,
): Result<Buffer, ConnectorError> {
  if (!value && engine === 'postgres') {
    // Every instance on the database must decrypt what the others saved: a key made per instance cannot.
    return err(
      problem(
        'CONFIG_ENCRYPTION_KEY_REQUIRED',
        'ENCRYPTION_KEY must be set when DATABASE_URL is PostgreSQL: every connector instance on that database must use the same key to read the Shopify tokens and Stocky keys the others saved. Generate one with `openssl rand -hex 32` and give every instance the same value.',
      ),
    );
  }
  if (value) {
    const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) {
      return err(problem('CONFIG_ENCRYPTION_KEY', 'ENCRYPTION_KEY must be 32 bytes: 64 hex characters or base64.'));
    }
    return ok(key);
  }
  const path = join(dataDir, 'encryption.key');
  try {
    ensurePrivateDirectory(dataDir);
    if (existsSync(path)) {
      // Windows has no POSIX permission bits: its files get the folder's access list.
      const mode = statSync(path).mode & 0o777;
      if (platform !== 'win32' && (mode & 0o077) !== 0) {
        return err(
          problem(
            'CONFIG_ENCRYPTION_KEY_PERMISSIONS',
            `${path} can be read by other users of this computer (permissions ${mode.toString(8).padStart(3, '0')}); make it yours alone: chmod 600 ${shellQuote(path)}`,
          ),
        );
      }
      const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
      if (key.length !== 32) return err(problem('CONFIG_ENCRYPTION_KEY', `${path} does not hold a 32-byte hex key.`));
      return ok(key);
    }
    const key = randomBytes(32);
    ensurePrivateFile(path);
    writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600 });
    return ok(key);
  } catch (error) {
    return err(
      problem(
        'CONFIG_DATA_DIR',
        `The encryption key ${path} cannot be read or written: ${fsReason(error)}. Choose a data folder you can write to (--data-dir or DATA_DIR).`,
      ),
    );
  }
}

function shellQuote(path: string): string {
  return /^[\w./:@%+-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/**
 * The default data folder: the user's own application-data folder, so every command finds the same database
 * whatever folder it runs in — `~/.local/share/qbd-connector` (or `$XDG_DATA_HOME/qbd-connector`) on Linux,
 * `~/Library/Application Support/qbd-connector` on macOS, `%LOCALAPPDATA%\qbd-connector` on Windows.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'qbd-connector');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'qbd-connector');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'qbd-connector');
}

/** DATA_DIR as given (relative to the current folder), or the default data folder. */
export function dataDirOf(env: NodeJS.ProcessEnv, cwd: string, platform: NodeJS.Platform = process.platform): string {
  if (!env.DATA_DIR) return defaultDataDir(env, platform);
  return isAbsolute(env.DATA_DIR) ? env.DATA_DIR : join(cwd, env.DATA_DIR);
}

/**
 * Where the database is, without touching the disk: PostgreSQL's address (password hidden) or the SQLite file —
 * what the commands name at start-up and when something is not found.
 */
export function databaseOf(
  env: NodeJS.ProcessEnv,
  cwd: string,
  platform: NodeJS.Platform = process.platform,
): Config['database'] {
  if (env.DATABASE_URL) return { engine: 'postgres', url: env.DATABASE_URL };
  const sqlitePath = env.SQLITE_PATH ?? join(dataDirOf(env, cwd, platform), 'connector.sqlite');
  return { engine: 'sqlite', sqlitePath: isAbsolute(sqlitePath) ? sqlitePath : join(cwd, sqlitePath) };
}

export interface LoadConfigOptions {
  platform?: NodeJS.Platform;
}

export function loadConfig(
  env: NodeJS.ProcessEnv,
  cwd: string,
  options: LoadConfigOptions = {},
): Result<Config, ConnectorError[]> {
  const platform = options.platform ?? process.platform;
  const problems: ConnectorError[] = [];
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(env.PORT ?? '8080');
  const portValid = /^\d+$/.test(env.PORT ?? '8080') && port >= 0 && port <= 65535;
  if (!portValid) {
    problems.push(problem('CONFIG_PORT', `PORT (--port) must be a number from 0 to 65535, got "${env.PORT}".`));
  }
  const dataDir = dataDirOf(env, cwd, platform);
  const database = databaseOf(env, cwd, platform);
  if (database.engine === 'postgres') {
    if (!/^postgres(ql)?:\/\/[^/]/.test(database.url)) {
      problems.push(
        problem(
          'CONFIG_DATABASE_URL',
          'DATABASE_URL (--database-url) must be a postgres:// or postgresql:// URL, such as postgres://user@host:5432/connector.',
        ),
      );
    }
  } else {
    try {
      ensurePrivateDirectory(dirname(database.sqlitePath));
    } catch (error) {
      problems.push(
        problem(
          'CONFIG_DATA_DIR',
          `The data folder ${dirname(database.sqlitePath)} cannot be created: ${fsReason(error)}. Choose a folder you can write to (--data-dir or DATA_DIR).`,
        ),
      );
    }
  }

  // Without a usable port there is no default address to check: the port's problem is the one to report.
  const publicUrl = env.PUBLIC_URL ?? (portValid ? `http://localhost:${port}` : null);
  if (publicUrl !== null) {
    try {
      const url = new URL(publicUrl);
      // QBWC refuses a plain-HTTP AppURL unless it is localhost (Web Connector Programmer's Guide, ch. 4).
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) {
        problems.push(
          problem(
            'CONFIG_PUBLIC_URL',
            `PUBLIC_URL must be https:// (the Web Connector refuses plain HTTP except on localhost), got ${publicUrl}.`,
          ),
        );
      }
    } catch {
      problems.push(problem('CONFIG_PUBLIC_URL', `PUBLIC_URL is not a URL: ${publicUrl}.`));
    }
  }

  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(problem('CONFIG_LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`));
  }
  const maxBodyBytes = Number(env.MAX_BODY_BYTES ?? String(20 * 1024 * 1024));
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024) {
    problems.push(problem('CONFIG_MAX_BODY_BYTES', 'MAX_BODY_BYTES must be an integer of at least 1024.'));
  }

  let tls: Config['tls'] = null;
  if (env.TLS_CERT || env.TLS_KEY) {
    if (!env.TLS_CERT || !env.TLS_KEY) {
      problems.push(problem('CONFIG_TLS', 'Set both TLS_CERT and TLS_KEY (paths to PEM files), or neither.'));
    } else {
      for (const path of [env.TLS_CERT, env.TLS_KEY]) {
        if (!existsSync(path)) problems.push(problem('CONFIG_TLS', `TLS file not found: ${path}.`));
      }
      tls = { certPath: env.TLS_CERT, keyPath: env.TLS_KEY };
    }
  }

  const shopDomain = env.SHOPIFY_SHOP ?? null;
  if (shopDomain && !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shopDomain)) {
    problems.push(
      problem('CONFIG_SHOPIFY_SHOP', `SHOPIFY_SHOP must look like my-store.myshopify.com, got "${shopDomain}".`),
    );
  }
  if (env.SHOPIFY_ACCESS_TOKEN && !shopDomain) {
    problems.push(
      problem('CONFIG_SHOPIFY_SHOP', 'SHOPIFY_ACCESS_TOKEN is set: set SHOPIFY_SHOP to the store it belongs to.'),
    );
  }
  if (env.SHOPIFY_API_BASE_URL) {
    try {
      new URL(env.SHOPIFY_API_BASE_URL);
    } catch {
      problems.push(problem('CONFIG_SHOPIFY_API_BASE_URL', 'SHOPIFY_API_BASE_URL is not a URL.'));
    }
  }

  const adminApiToken = env.ADMIN_API_TOKEN ?? null;
  if (adminApiToken !== null && adminApiToken.length < 24) {
    problems.push(
      problem('CONFIG_ADMIN_API_TOKEN', 'ADMIN_API_TOKEN must be at least 24 characters (a random secret).'),
    );
  }
  const schedulerTickMs = Number(env.SCHEDULER_TICK_MS ?? '60000');
  if (!Number.isInteger(schedulerTickMs) || schedulerTickMs < 1000 || schedulerTickMs > 5 * 60_000) {
    problems.push(
      problem(
        'CONFIG_SCHEDULER_TICK_MS',
        'SCHEDULER_TICK_MS must be between 1000 and 300000 so syncs fire within 15 minutes.',
      ),
    );
  }

  const dataDirProblem = problems.some((p) => p.code === 'CONFIG_DATA_DIR');
  const key = dataDirProblem ? null : loadEncryptionKey(env.ENCRYPTION_KEY, dataDir, database.engine, platform);
  if (key && !key.ok) problems.push(key.error);

  if (problems.length > 0 || !key?.ok || publicUrl === null) return err(problems);
  return ok({
    host,
    port,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    database,
    dataDir,
    encryptionKey: key.value,
    logLevel,
    maxBodyBytes,
    shopify: {
      apiBaseUrl: env.SHOPIFY_API_BASE_URL ?? null,
      apiKey: env.SHOPIFY_API_KEY ?? null,
      apiSecret: env.SHOPIFY_API_SECRET ?? null,
      shopDomain,
      accessToken: env.SHOPIFY_ACCESS_TOKEN ?? null,
    },
    tls,
    adminApiToken,
    stockyApiBaseUrl: env.STOCKY_API_BASE_URL ?? null,
    schedulerTickMs,
  });
}
