/**
 * The connector's files on disk (the SQLite database, its WAL and shared-memory files, the encryption key) hold
 * Shopify tokens and the merchant's books: owner-only, whatever the umask. A umask only removes permission bits,
 * so a mode passed at creation can come out narrower than asked (umask 0o777) or a file created by a library
 * (SQLite: 0644 under the usual 0022) wider; both are set exactly afterwards.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Names that mark a folder as the connector's data folder (so an existing one is tightened, not any folder). */
const CONNECTOR_FILES = /^(encryption\.key|.*\.sqlite(-wal|-shm|-journal)?)$/;

/**
 * Creates `path` (and missing parents) owner-only. An existing folder is tightened only when it already holds the
 * connector's files: pointing DATA_DIR at a home folder must not lock the owner's other programs out of it.
 */
export function ensurePrivateDirectory(path: string): void {
  const target = resolve(path);
  const created = makeDirectories(target);
  if (created.length > 0) {
    for (const dir of created) chmodSync(dir, PRIVATE_DIRECTORY_MODE);
    return;
  }
  if ((statSync(target).mode & 0o077) !== 0 && readdirSync(target).some((name) => CONNECTOR_FILES.test(name))) {
    chmodSync(target, PRIVATE_DIRECTORY_MODE);
  }
}

/**
 * `mkdir -p` one level at a time, returning the folders it made (outermost first). Node's own recursive mkdir
 * never returns on a path under /proc (mkdir there answers ENOENT although the parent exists, and Node retries the
 * parent forever: seen with Node 24.21), so a DATA_DIR pointed there would hang the connector at start.
 */
function makeDirectories(target: string): string[] {
  const missing: string[] = [];
  for (let dir = target; !existsSync(dir); dir = dirname(dir)) {
    missing.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  const made: string[] = [];
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: PRIVATE_DIRECTORY_MODE });
      made.push(dir);
    } catch (error) {
      // Another process (a second connector starting) made it first: it is there, just not ours to tighten.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
    }
  }
  return made;
}

/** Creates `path` empty when missing; either way it ends up readable and writable by its owner only. */
export function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if ((statSync(path).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * The SQLite database at `path` and the files SQLite keeps beside it, owner-only, before SQLite opens it. SQLite
 * creates its -wal and -shm files with the database file's permissions, so they follow.
 */
export function ensurePrivateSqliteFile(path: string): void {
  ensurePrivateDirectory(dirname(path));
  ensurePrivateFile(path);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) ensurePrivateFile(path + suffix);
  }
}
