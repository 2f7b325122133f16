/**
 * Builds the admin app (`src/web/`) with Vite into `dist/web/`, which the connector serves under `/app`.
 * Skips the build when nothing it reads has changed since the last one (a hash of the sources, the lockfile and
 * this script, kept in `dist/web/.build-hash`), so `npm ci`, `npm test` and `demo --ui` can each ask for it.
 *
 *   node scripts/build-web.ts [--force] [--quiet]
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
export const WEB_SOURCE_DIR = join(root, 'src', 'web');
export const WEB_BUILD_DIR = join(root, 'dist', 'web');
const HASH_FILE = join(WEB_BUILD_DIR, '.build-hash');

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else if (!name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const path of [...filesUnder(WEB_SOURCE_DIR), join(root, 'package-lock.json'), import.meta.filename]) {
    hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex');
}

/** True when `dist/web/` holds a build of the current sources. */
export function webBuildIsCurrent(): boolean {
  return existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === inputsHash();
}

export async function buildWeb(options: { force?: boolean; quiet?: boolean } = {}): Promise<{ built: boolean }> {
  const hash = inputsHash();
  if (!options.force && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === hash) {
    return { built: false };
  }
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  rmSync(WEB_BUILD_DIR, { recursive: true, force: true });
  await build({
    root: WEB_SOURCE_DIR,
    // Served under /app by the connector (src/server/static-files.ts).
    base: '/app/',
    configFile: false,
    logLevel: options.quiet ? 'warn' : 'info',
    plugins: [react()],
    build: {
      outDir: WEB_BUILD_DIR,
      emptyOutDir: true,
      // Polaris' stylesheet and the app are one screen's worth; source maps stay out of what is served.
      sourcemap: false,
      chunkSizeWarningLimit: 2048,
      rolldownOptions: {
        output: {
          // Charts load only with the reconciliation screen; the first screen stays small.
          advancedChunks: {
            groups: [
              { name: 'charts', test: /node_modules[\\/](@shopify[\\/]polaris-viz|d3-|@react-spring|@juggle)/ },
              { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            ],
          },
        },
      },
    },
  });
  writeFileSync(HASH_FILE, `${hash}\n`);
  return { built: true };
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const started = Date.now();
  const result = await buildWeb({ force: args.includes('--force'), quiet: args.includes('--quiet') });
  process.stdout.write(
    result.built
      ? `Admin app built into ${relative(root, WEB_BUILD_DIR)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
      : `Admin app in ${relative(root, WEB_BUILD_DIR)}/ is current\n`,
  );
}
