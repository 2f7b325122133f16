import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.ts';

test('log lines are JSON and never carry secrets', () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: () => new Date('2026-01-01T00:00:00Z') });
  log.info('authenticated', { user: 'shop-1', strPassword: 'hunter2', nested: { accessToken: 'shpat_x', ok: 1 } });
  log.debug('hidden at info level');
  assert.equal(lines.length, 1);
  const record = JSON.parse(lines[0]!);
  assert.equal(record.message, 'authenticated');
  assert.equal(record.user, 'shop-1');
  assert.equal(record.strPassword, '[redacted]');
  assert.equal(record.nested.accessToken, '[redacted]');
  assert.equal(record.nested.ok, 1);
  assert.ok(!lines[0]!.includes('hunter2'));
});
