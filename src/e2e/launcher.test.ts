/**
 * `bin/qbd-connector.js` started by an older Node (the system's Node 20) runs the CLI under the pinned Node 24 as a
 * child. SIGINT, SIGTERM and SIGHUP to the launcher must stop the real server — not leave it running — and the
 * launcher must end as the child ended: its exit code, or the same signal.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../server/index.ts';

const launcher = join(import.meta.dirname, '..', '..', 'bin', 'qbd-connector.js');

/** The Node binaries to start the launcher with: this one (24) and the system's, when that is another (20). */
function nodes(): string[] {
  const found = [process.execPath];
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
      if (!version.startsWith(`v${process.versions.node.split('.')[0]}.`)) found.push(candidate);
    } catch {
      // not installed here
    }
  }
  return found;
}

interface Started {
  launcher: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

async function serve(node: string, t: { after: (fn: () => void) => void }): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'qbd-launcher-'));
  const port = await freePort();
  const child = spawn(node, [launcher, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  t.after(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const deadline = Date.now() + 30_000;
  while (!/Connector listening/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { launcher: child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

for (const node of nodes()) {
  // Every signal through the older Node (the case that orphaned the server); SIGTERM through this one too.
  const signals = node === process.execPath ? (['SIGTERM'] as const) : (['SIGTERM', 'SIGINT', 'SIGHUP'] as const);
  for (const signal of signals) {
    test(`${signal} to the launcher (started by ${node}) stops the server cleanly and exits 0`, async (t) => {
      const started = await serve(node, t);
      assert.equal(await answers(started.url), true);
      started.launcher.kill(signal);
      const ended = await started.exited;
      assert.deepEqual(ended, { code: 0, signal: null }, started.output());
      assert.match(started.output(), /Connector stopped\./);
      assert.equal(await answers(started.url), false, 'nothing is left listening');
    });
  }

  test(`the launcher (started by ${node}) exits with the child's exit code, or dies of the child's signal`, async (t) => {
    const bad = spawn(node, [launcher, 'serve'], { env: { PATH: process.env.PATH ?? '', PORT: 'eighty' } });
    const badExit = await new Promise<number | null>((resolve) => bad.on('exit', (code) => resolve(code)));
    assert.equal(badExit, 2, 'a configuration problem exits 2 through the launcher');

    const started = await serve(node, t);
    const childPid = Number(
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(started.launcher.pid)], { encoding: 'utf8' }).trim(),
    );
    assert.ok(childPid > 0);
    process.kill(childPid, 'SIGKILL');
    const ended = await started.exited;
    assert.deepEqual(ended, { code: null, signal: 'SIGKILL' });
  });
}
