import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * The encryption key: ENCRYPTION_KEY (64 hex chars or base64 of 32 bytes), or — for the embedded single-PC
 * install — a key generated once into the data folder with owner-only permissions.
 */
function loadEncryptionKey(
  value: string | undefined,
  dataDir: string,
  engine: Config['database']['engine'],
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
  ensurePrivateDirectory(dataDir);
  if (existsSync(path)) {
    ensurePrivateFile(path);
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (key.length !== 32) return err(problem('CONFIG_ENCRYPTION_KEY', `${path} does not hold a 32-byte hex key.`));
    return ok(key);
  }
  const key = randomBytes(32);
  ensurePrivateFile(path);
  writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600 });
  return ok(key);
}

export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Result<Config, ConnectorError[]> {
  const problems: ConnectorError[] = [];
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(env.PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(problem('CONFIG_PORT', `PORT must be a number from 0 to 65535, got "${env.PORT}".`));
  }
  const dataDir = env.DATA_DIR
    ? isAbsolute(env.DATA_DIR)
      ? env.DATA_DIR
      : join(cwd, env.DATA_DIR)
    : join(cwd, 'data');

  let database: Config['database'];
  if (env.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      problems.push(problem('CONFIG_DATABASE_URL', 'DATABASE_URL must be a postgres:// or postgresql:// URL.'));
    }
    database = { engine: 'postgres', url: env.DATABASE_URL };
  } else {
    const sqlitePath = env.SQLITE_PATH ?? join(dataDir, 'connector.sqlite');
    database = { engine: 'sqlite', sqlitePath: isAbsolute(sqlitePath) ? sqlitePath : join(cwd, sqlitePath) };
    ensurePrivateDirectory(dirname(database.sqlitePath));
  }

  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`;
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

  const key = loadEncryptionKey(env.ENCRYPTION_KEY, dataDir, database.engine);
  if (!key.ok) problems.push(key.error);

  if (problems.length > 0 || !key.ok) return err(problems);
  return ok({
    host,
    port,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    database,
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
