import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { attemptsLeft, DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-policy.ts';

const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000 };

test('delays double per attempt up to the cap; jitter keeps them within half to all of it', () => {
  assert.equal(
    retryDelayMs(1, policy, () => 1),
    1000,
  );
  assert.equal(
    retryDelayMs(2, policy, () => 1),
    2000,
  );
  assert.equal(
    retryDelayMs(4, policy, () => 1),
    8000,
  );
  assert.equal(
    retryDelayMs(5, policy, () => 1),
    10_000,
  );
  assert.equal(
    retryDelayMs(50, policy, () => 1),
    10_000,
  );
  assert.equal(
    retryDelayMs(3, policy, () => 0),
    2000,
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempts, r) => {
      const delay = retryDelayMs(attempts, DEFAULT_RETRY_POLICY, () => r);
      const full = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempts - 1));
      return Number.isInteger(delay) && delay >= full / 2 && delay <= full;
    }),
  );
});

test('attempts are bounded and a zero attempt count is a bug', () => {
  assert.equal(attemptsLeft(4, policy), true);
  assert.equal(attemptsLeft(5, policy), false);
  assert.throws(() => retryDelayMs(0, policy), RangeError);
});
