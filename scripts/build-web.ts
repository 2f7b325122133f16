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
import type { Plugin } from 'vite';

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

/**
 * The page's entry only asks for data and then imports the app's root chunk (src/web/main.tsx); the root and the
 * chunks it imports are named in the page as `modulepreload`, so they download with the page, not after the entry.
 */
function preloadAppRoot(): Plugin {
  return {
    name: 'qbd-preload-app-root',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const bundle = context.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const root = chunks.find((c) => c.facadeModuleId?.endsWith('/root.tsx'));
        if (!root) throw new Error('The admin app has no root chunk (src/web/root.tsx, imported by main.tsx)');
        const files = new Set<string>();
        const visit = (fileName: string) => {
          if (files.has(fileName)) return;
          files.add(fileName);
          const chunk = chunks.find((c) => c.fileName === fileName);
          for (const imported of chunk?.imports ?? []) visit(imported);
        };
        visit(root.fileName);
        // The entry itself is the page's script already.
        for (const entry of chunks.filter((c) => c.isEntry)) files.delete(entry.fileName);
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/app/${file}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
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
    plugins: [react(), preloadAppRoot()],
    build: {
      outDir: WEB_BUILD_DIR,
      emptyOutDir: true,
      // Polaris' stylesheet and the app are one screen's worth; source maps stay out of what is served.
      sourcemap: false,
      chunkSizeWarningLimit: 2048,
      // The charts are imported lazily (the reconciliation screen), so they are a chunk of their own.
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
