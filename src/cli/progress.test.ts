import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Capture } from './cli.test-support.ts';
import { deliveredSince, deliveryLine, ProgressDisplay } from './progress.ts';

/** The output with the escape character as ⎋ (regular expressions here may not hold control characters). */
const shown = (stream: Capture) => stream.text.replaceAll('\u001b', '⎋');

test('on a terminal: one line redrawn in place with a bar, the rate-limit wait, and a permanent line per part', () => {
  const stream = new Capture();
  let now = 0;
  const display = new ProgressDisplay({ stream, tty: true, now: () => now });
  display.handle({ type: 'entity', entity: 'orders', seen: 0, total: 1000, done: false });
  now += 200;
  display.handle({ type: 'bulk', entity: 'orders', status: 'RUNNING', objects: 1200 });
  assert.match(
    shown(stream),
    /\rReading Shopify \[-{20}\] orders 0\/1,000 · Shopify is exporting them \(running, 1,200 objects so far\)⎋\[K$/,
  );
  now += 200;
  display.handle({ type: 'waiting', reason: 'rate-limit', ms: 3000 });
  assert.match(shown(stream), /waiting 3\.0 s for Shopify’s rate limit⎋\[K$/);
  now += 3000;
  display.handle({ type: 'entity', entity: 'orders', seen: 500, total: null, done: false });
  assert.match(
    shown(stream),
    /\rReading Shopify \[#{10}-{10}\] orders 500\/1,000 · Shopify is exporting them[^\r]*⎋\[K$/,
  );
  assert.doesNotMatch(shown(stream).slice(shown(stream).lastIndexOf('\r')), /waiting/, 'the wait is over');
  now += 600;
  display.handle({ type: 'entity', entity: 'orders', seen: 1000, total: null, done: true });
  assert.match(
    shown(stream),
    /\r⎋\[KRead 1,000 orders from Shopify through a bulk export \(4\.0 s, 3\.0 s of it waiting for Shopify\)\.\n$/,
  );
  display.handle({ type: 'stage', stage: 'transform', done: false });
  now += 1500;
  display.handle({ type: 'stage', stage: 'transform', done: true, count: 12 });
  assert.match(
    shown(stream),
    /Made 12 accounting document\(s\) and list record\(s\) from the Shopify data \(1\.5 s\)\.\n$/,
  );
  display.finish();
  assert.equal(display.waitedMs, 3000);
});

test('elsewhere: the permanent lines, and a plain line while a part runs, never a carriage return', async () => {
  const stream = new Capture();
  const display = new ProgressDisplay({ stream, tty: false, periodMs: 20 });
  display.handle({ type: 'entity', entity: 'customers', seen: 50, total: 120, done: false });
  await new Promise((resolve) => setTimeout(resolve, 70));
  display.handle({ type: 'entity', entity: 'customers', seen: 120, total: null, done: true });
  display.finish();
  assert.match(shown(stream), /^Reading Shopify \[#{8}-{12}\] customers 50\/120\n/);
  assert.match(shown(stream), /Read 120 customers from Shopify \([\d.]+ s\)\.\n$/);
  assert.doesNotMatch(shown(stream), /\r|⎋/);
  const lines = shown(stream).trim().split('\n').length;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(shown(stream).trim().split('\n').length, lines, 'finish stops the periodic line');
});

test('delivery numbers add up: what was waiting plus what was queued since, against what QuickBooks answered', () => {
  const state = (s: Record<string, number>, remaining: number) => ({ byState: s, remaining });
  const baseline = state({ applied: 10, pending: 30 }, 30);
  const later = state({ applied: 35, needs_attention: 2, pending: 3, sent: 2 }, 5);
  const delivered = deliveredSince(baseline, later);
  assert.deepEqual(delivered, { delivered: 27, total: 32, applied: 25, needsAttention: 2, failed: 0, remaining: 5 });
  assert.equal(
    deliveryLine(delivered, false),
    'Delivered 27 of 32: 25 in QuickBooks · 2 need attention · 0 failed; 5 still to deliver.',
  );
  assert.match(deliveryLine(delivered, true), /^\[#{16}-{4}\] 27\/32 delivered · 25 in QuickBooks/);
});
