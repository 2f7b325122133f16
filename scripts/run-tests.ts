/**
 * The test command (`npm test`): type-check, lint, the import rules, then every `*.test.ts` beside the code, through Node's own
 * test runner. Says plainly when ../shared (Intuit's schemas, Shopify's schema) is missing: the tests that need
 * it fail with that message rather than passing silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const shared = join(root, '..', 'shared');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const skipStatic = args.includes('--no-static');

function step(title: string, command: string, commandArgs: string[]): void {
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stdout.write(`✖ ${title} failed\n`);
    process.exit(result.status ?? 1);
  }
}

function findTests(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

if (!existsSync(join(shared, 'qbxml', 'schema', 'qbxmlops130.xsd'))) {
  process.stdout.write(
    `NOTE: ${shared} is missing: tests that validate against Intuit's XSD or Shopify's schema will fail and say so.\n`,
  );
}

if (!skipStatic) {
  step('Type-check (tsc --noEmit)', join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.']);
  step('Type-check the admin app (tsc --noEmit -p src/web)', join(root, 'node_modules', '.bin', 'tsc'), [
    '--noEmit',
    '-p',
    'src/web',
  ]);
  step('Lint and format check (biome)', join(root, 'node_modules', '.bin', 'biome'), ['check', '.']);
  step('Import rules (each folder through its index.ts, no cycle)', process.execPath, [
    join(root, 'scripts', 'check-imports.ts'),
  ]);
}

// The browser tests drive the built admin app: build it (skipped when the build is current).
step('Build the admin app (vite)', process.execPath, [join(root, 'scripts', 'build-web.ts'), '--quiet']);

const files = [...findTests(join(root, 'src'), []), ...findTests(join(root, 'scripts'), [])]
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
step(`Tests (${files.length} files)`, process.execPath, [
  '--test',
  `--test-concurrency=${Math.max(2, availableParallelism())}`,
  '--test-timeout=300000',
  ...files,
]);
