#!/usr/bin/env node
// Launcher: the connector needs Node 24 (it runs TypeScript natively). When started by an older Node, run the
// CLI with the Node 24 that `npm ci` installed into node_modules (the pinned `node` devDependency).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'cli', 'main.ts');
const major = Number(process.versions.node.split('.')[0]);
const local = join(root, 'node_modules', 'node', 'bin', 'node');
const node = major >= 24 ? process.execPath : local;

if (node === local && !existsSync(local)) {
  process.stderr.write(
    'qbd-connector needs Node 24. Run `npm ci` in the project folder first (it installs Node 24 locally).\n',
  );
  process.exit(1);
}
// Hints name the program as it was started: through npm (npx, npm run: npm sets npm_command), or from the PATH.
const invokedAs = process.env.npm_command ? 'npx qbd-connector' : 'qbd-connector';
const result = spawnSync(node, [entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, QBD_CONNECTOR_INVOKED_AS: process.env.QBD_CONNECTOR_INVOKED_AS || invokedAs },
});
process.exit(result.status ?? 1);
