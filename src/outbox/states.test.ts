import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertTransition, canTransition, OUTBOX_STATES, OUTBOX_TRANSITIONS } from './states.ts';

test('every state has a row in the transition table and every target is a known state', () => {
  assert.deepEqual(Object.keys(OUTBOX_TRANSITIONS).sort(), [...OUTBOX_STATES].sort());
  for (const targets of Object.values(OUTBOX_TRANSITIONS)) {
    for (const target of targets) assert.ok(OUTBOX_STATES.includes(target));
  }
});

test('a request that may be in QuickBooks never returns to pending without an answer', () => {
  assert.equal(canTransition('sent', 'pending'), false);
  assert.equal(canTransition('sent', 'leased'), false);
  assert.equal(canTransition('sent', 'cancelled'), false);
  assert.equal(canTransition('unknown', 'cancelled'), false);
  assert.equal(canTransition('unknown', 'leased'), false);
  assert.throws(
    () => assertTransition('sent', 'pending', 'entry 7'),
    /Illegal outbox transition sent → pending for entry 7/,
  );
});

test('applied is final; the documented paths are allowed', () => {
  assert.deepEqual(OUTBOX_TRANSITIONS.applied, []);
  for (const [from, to] of [
    ['pending', 'leased'],
    ['leased', 'sent'],
    ['leased', 'failed'],
    ['sent', 'applied'],
    ['sent', 'unknown'],
    ['unknown', 'applied'],
    ['failed', 'retry_wait'],
    ['retry_wait', 'pending'],
    ['needs_attention', 'pending'],
    ['pending', 'cancelled'],
  ] as const) {
    assert.doesNotThrow(() => assertTransition(from, to));
  }
});
