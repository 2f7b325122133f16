#!/usr/bin/env node
// Launcher: the connector needs Node 24 (it runs TypeScript natively). When started by an older Node, run the
// CLI with the Node 24 that `npm ci` installed into node_modules (the pinned `node` devDependency).
//
// The CLI runs as a child process, so this one stands in for it: SIGINT, SIGTERM and SIGHUP are passed on (a
// service manager stopping the launcher must stop the server, not orphan it), and the launcher ends the way the
// child ended — its exit code, or the same signal.
import { spawn } from 'node:child_process';
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

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const child = spawn(node, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of FORWARDED) process.on(signal, forward);

child.on('error', (error) => {
  process.stderr.write(`qbd-connector: could not start ${node}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  for (const name of FORWARDED) process.off(name, forward);
  if (signal !== null) {
    // Die of the same signal, so whoever started the launcher sees what happened to the connector.
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
