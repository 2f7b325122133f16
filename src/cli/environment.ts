/**
 * Problems of the computer the connector runs on — a database it cannot open, a port it cannot listen on, a flag
 * for the environment — each said in one plain line with what to do, never as a stack trace.
 */
import type { Config } from '../config/index.ts';

/** Flags every command that reads the configuration accepts, for the environment variable of the same meaning. */
export const ENVIRONMENT_FLAGS: Record<string, string> = {
  '--port': 'PORT',
  '--host': 'HOST',
  '--data-dir': 'DATA_DIR',
  '--database-url': 'DATABASE_URL',
};

export const ENVIRONMENT_FLAGS_HELP = `Where it runs (flags for the environment variables of the same meaning):
  --data-dir DIR             DATA_DIR: the folder of the SQLite database and the encryption key (default: the
                             user's data folder, e.g. ~/.local/share/qbd-connector)
  --database-url URL         DATABASE_URL: postgres://… to use PostgreSQL instead
  --host HOST, --port PORT   HOST, PORT: where the server listens (default 127.0.0.1:8080)`;

/**
 * Takes the environment flags out of `args` (`--port 9000` or `--port=9000`) and returns the environment with them
 * applied; a flag without its value is an error in words.
 */
export function applyEnvironmentFlags(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { ok: true; args: string[]; env: NodeJS.ProcessEnv } | { ok: false; message: string } {
  const rest: string[] = [];
  const changed: NodeJS.ProcessEnv = { ...env };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, null];
    const variable = ENVIRONMENT_FLAGS[name];
    if (!variable) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? args[i + 1];
    if (value === undefined || (inline === null && value.startsWith('--'))) {
      return { ok: false, message: `${name} needs a value (${name} ${name === '--port' ? '9000' : 'VALUE'}).` };
    }
    if (inline === null) i++;
    changed[variable] = value;
  }
  return { ok: true, args: rest, env: changed };
}

interface ErrorWithCause {
  code?: string;
  errno?: string | number;
  message?: string;
  cause?: unknown;
  address?: string;
  port?: number;
}

/** The innermost cause with a code (pg errors carry SQLSTATE codes; Node system errors errno codes). */
function rootCause(error: unknown): ErrorWithCause {
  let current = error as ErrorWithCause | undefined;
  for (let depth = 0; current && depth < 8; depth++) {
    const next = current.cause as ErrorWithCause | undefined;
    if (!next || typeof next !== 'object') break;
    current = next;
  }
  return current ?? {};
}

/** Why the database could not be opened, in one line with the fix; `location` as the connector names it. */
export function databaseProblem(error: unknown, database: Config['database'], location: string): string {
  const cause = rootCause(error);
  const code = String(cause.code ?? '');
  if (database.engine === 'postgres') {
    const where = location;
    switch (code) {
      case 'ECONNREFUSED':
        return `PostgreSQL refused the connection at ${where}: is the server running there? Start it, or correct --database-url (DATABASE_URL).`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `The PostgreSQL host in ${where} was not found: correct the host name in --database-url (DATABASE_URL).`;
      case 'ETIMEDOUT':
        return `PostgreSQL did not answer at ${where} (timed out): check the address and the network, or correct --database-url (DATABASE_URL).`;
      case '28P01':
      case '28000':
        return `PostgreSQL refused the user or password in ${where}: correct them in --database-url (DATABASE_URL).`;
      case '3D000':
        return `The database named in ${where} does not exist: create it (createdb NAME), or correct --database-url (DATABASE_URL).`;
      case '42501':
        return `The PostgreSQL user in ${where} may not create the connector's tables: grant it CREATE on the database (or the schema), or use another user.`;
    }
    return `The PostgreSQL database at ${where} could not be opened: ${cause.message ?? String(error)}. Check --database-url (DATABASE_URL).`;
  }
  const message = String(cause.message ?? (error as Error)?.message ?? error);
  if (/readonly|read-only|EROFS/i.test(message) || code === 'EROFS') {
    return `The database file ${location} cannot be written (read-only): make it and its folder writable, or choose another folder with --data-dir (DATA_DIR).`;
  }
  if (/unable to open|cannot open|EACCES|EPERM|permission/i.test(message) || code === 'EACCES' || code === 'EPERM') {
    return `The database file ${location} cannot be opened: permission denied. Make it and its folder yours (chmod u+rw), or choose another folder with --data-dir (DATA_DIR).`;
  }
  if (/locked|busy/i.test(message)) {
    return `The database file ${location} is locked by another program: close it (another connector, a database browser) and run this again.`;
  }
  if (/not a database|malformed|corrupt/i.test(message)) {
    return `The file ${location} is not a readable connector database (damaged, or another kind of file): restore it from a backup, or choose another folder with --data-dir (DATA_DIR).`;
  }
  if (/full|ENOSPC/i.test(message)) return `The disk holding ${location} is full: free some space and run this again.`;
  return `The database file ${location} could not be opened: ${message}. Choose another folder with --data-dir (DATA_DIR) if this one cannot be used.`;
}

/** Why the server could not listen, with the fix. */
export function listenProblem(error: unknown, host: string, port: number): string | null {
  const code = String((error as ErrorWithCause).code ?? '');
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `Cannot listen on ${where}: the port is in use (another connector running?). Stop it, or choose another port with --port (PORT).`;
    case 'EACCES':
      return `Cannot listen on ${where}: permission denied (ports below 1024 need administrator rights). Choose a port above 1024 with --port (PORT).`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${where}: this computer has no such address. Use --host 127.0.0.1 (this computer only) or --host 0.0.0.0 (every network).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot listen on ${where}: the host name ${host} was not found. Use --host 127.0.0.1 or an address of this computer.`;
  }
  return null;
}

/** A TLS file that is not a certificate or key the server can use. */
export function tlsProblem(error: unknown, tls: NonNullable<Config['tls']>): string | null {
  const message = String((error as Error)?.message ?? '');
  if (!/PEM|certificate|key|ASN1|TLS|SSL/i.test(message) && !/ERR_OSSL/.test(String((error as ErrorWithCause).code)))
    return null;
  return `The TLS files cannot be used (TLS_CERT ${tls.certPath}, TLS_KEY ${tls.keyPath}): ${message}. Give a PEM certificate and its private key.`;
}
