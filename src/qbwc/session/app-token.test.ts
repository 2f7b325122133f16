import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_SCRYPT,
  generateAppToken,
  hashAppToken,
  newQuickBooksGuid,
  normalizeAppToken,
  verifyAppToken,
} from './app-token.ts';

const CHEAP = { cost: 2 ** 10, blockSize: 8, parallelization: 1, keyLength: 32 };

test('tokens are six groups of four unambiguous symbols and never repeat', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const token = generateAppToken();
    assert.match(token, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    seen.add(token);
  }
  assert.equal(seen.size, 200);
});

test('the stored hash names its parameters and never contains the token', async () => {
  const token = generateAppToken();
  const stored = await hashAppToken(token, CHEAP);
  assert.match(stored, /^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.ok(!stored.includes(token.replace(/-/g, '')));
  assert.notEqual(await hashAppToken(token, CHEAP), stored, 'salted: the same token hashes differently');
});

test('verification accepts the token however it is typed and refuses anything else', async () => {
  const token = generateAppToken();
  const stored = await hashAppToken(token, CHEAP);
  assert.equal(await verifyAppToken(token, stored), true);
  assert.equal(await verifyAppToken(token.toLowerCase().replace(/-/g, ' '), stored), true);
  const wrong = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
  assert.equal(await verifyAppToken(wrong, stored), false);
  assert.equal(await verifyAppToken('', stored), false);
  assert.equal(await verifyAppToken(token, 'plain-text'), false);
  assert.equal(await verifyAppToken(token, 'scrypt$99999999$8$1$AAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA'), false);
});

test('look-alike letters are read as digits', () => {
  assert.equal(normalizeAppToken('oil0-1lI0 abcd'), '0110-1110-ABCD');
});

test('the default parameters verify (the cost a real login pays)', async () => {
  const stored = await hashAppToken('ABCD-EFGH', DEFAULT_SCRYPT);
  assert.equal(await verifyAppToken('abcd efgh', stored), true);
});

test('QuickBooks GUIDs are braced upper-case UUIDs', () => {
  assert.match(newQuickBooksGuid(), /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
});
