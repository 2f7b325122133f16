import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decryptSecret, encryptSecret } from './token-crypto.ts';

test('a secret survives the round trip, never appears in clear, and differs on every encryption', () => {
  const key = randomBytes(32);
  const secret = 'shpat_0123456789abcdef';
  const first = encryptSecret(secret, key);
  const second = encryptSecret(secret, key);
  assert.notEqual(first, second);
  assert.ok(!first.includes(secret));
  const back = decryptSecret(first, key);
  assert.ok(back.ok);
  assert.equal(back.value, secret);
});

test('another key or a tampered value is refused, with a reconnect message', () => {
  const key = randomBytes(32);
  const stored = encryptSecret('shpat_secret', key);
  const wrongKey = decryptSecret(stored, randomBytes(32));
  assert.ok(!wrongKey.ok);
  assert.equal(wrongKey.error.code, 'SECRET_UNREADABLE');
  assert.equal(wrongKey.error.merchantMustAct, true);
  const parts = stored.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[0] = body[0]! ^ 1;
  parts[3] = body.toString('base64url');
  assert.ok(!decryptSecret(parts.join('.'), key).ok);
  assert.ok(!decryptSecret('plain-token', key).ok);
  assert.throws(() => encryptSecret('x', randomBytes(16)), RangeError);
});

test('a truncated authentication tag is refused: only the full 16-byte tag authenticates', () => {
  const key = randomBytes(32);
  const stored = encryptSecret('shpat_secret', key);
  const parts = stored.split('.');
  const tag = Buffer.from(parts[2]!, 'base64url');
  assert.equal(tag.length, 16);
  for (const length of [4, 8, 12, 15]) {
    // The genuine tag's first bytes: GCM would accept them if short tags were allowed.
    const cut = [parts[0], parts[1], tag.subarray(0, length).toString('base64url'), parts[3]].join('.');
    const read = decryptSecret(cut, key);
    assert.ok(!read.ok, `a ${length}-byte tag was accepted`);
    assert.equal(read.error.code, 'SECRET_UNREADABLE');
  }
  const longNonce = [parts[0], randomBytes(16).toString('base64url'), parts[2], parts[3]].join('.');
  assert.ok(!decryptSecret(longNonce, key).ok);
  assert.ok(decryptSecret(stored, key).ok);
});
