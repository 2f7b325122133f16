import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { CliIo } from '../../command.ts';
import { command } from './webconnector.ts';

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let errText = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    errText += chunk;
  });
  const value: CliIo = { stdout, stderr, stdin: new PassThrough(), env: {}, cwd };
  return { value, out: () => out, err: () => errText };
}

test('refuses missing or bad options with exit code 2 and says which', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wc-cli-'));
  try {
    const missing = io(dir);
    assert.equal(await command.run(['--qwc', 'x.qwc'], missing.value), 2);
    assert.match(missing.err(), /--qwc, --company and --password \(or QBWC_PASSWORD\) are required/);
    const edition = io(dir);
    assert.equal(
      await command.run(['--qwc', 'x', '--company', 'c', '--password', 'p', '--edition', 'gold'], edition.value),
      2,
    );
    assert.match(edition.err(), /--edition must be pro, premier or enterprise/);
    const unknown = io(dir);
    assert.equal(await command.run(['--bogus'], unknown.value), 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('explains an unreadable or damaged .qwc file with exit code 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wc-cli-'));
  try {
    const absent = io(dir);
    assert.equal(await command.run(['--qwc', 'absent.qwc', '--company', 'c', '--password', 'p'], absent.value), 1);
    assert.match(absent.err(), /Cannot read the \.qwc file/);
    await writeFile(join(dir, 'bad.qwc'), '<QBWCXML><AppName>x</AppName></QBWCXML>');
    const bad = io(dir);
    assert.equal(await command.run(['--qwc', 'bad.qwc', '--company', 'c', '--password', 'p'], bad.value), 1);
    assert.match(bad.err(), /The \.qwc file is incomplete/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
