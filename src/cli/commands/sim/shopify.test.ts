import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { generateShop, readShopFile, serializeShop } from '../../../simulators/shopify/index.ts';
import type { CliIo } from '../../command.ts';
import { main } from '../../main.ts';

function io(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd }, out: () => out, err: () => err };
}

test('sim shopify generate writes the same file for the same seed, and it reads back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
  try {
    const a = io(dir);
    assert.equal(
      await main(['sim', 'shopify', 'generate', '--orders', '300', '--seed', 'cli', '--out', 'a.json'], a.io),
      0,
    );
    const b = io(dir);
    assert.equal(
      await main(['sim', 'shopify', 'generate', '--orders', '300', '--seed', 'cli', '--out', 'b.json'], b.io),
      0,
    );
    const fileA = await readFile(join(dir, 'a.json'), 'utf8');
    assert.equal(fileA, await readFile(join(dir, 'b.json'), 'utf8'));
    assert.equal(fileA, serializeShop(generateShop({ seed: 'cli', orders: 300 })));
    assert.deepEqual(await readShopFile(join(dir, 'a.json')), JSON.parse(fileA));
    const bad = io(dir);
    assert.equal(await main(['sim', 'shopify', 'generate', '--orders', 'many'], bad.io), 2);
    assert.match(bad.err(), /--orders must be a whole number/);
    assert.match(bad.err(), /--seed is required/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
