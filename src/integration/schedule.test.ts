import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueScheduledRun, nextScheduledRun, parseSchedule } from './schedule.ts';

const daily = { kind: 'daily' as const, localTime: '02:30' };
const zone = 'America/New_York';

test('schedules are validated with a message the merchant can act on', () => {
  assert.deepEqual(parseSchedule('manual'), { ok: true, value: { kind: 'manual' } });
  assert.deepEqual(parseSchedule('daily@02:30'), { ok: true, value: daily });
  assert.deepEqual(parseSchedule({ kind: 'daily', localTime: '23:59' }), {
    ok: true,
    value: { kind: 'daily', localTime: '23:59' },
  });
  const bad = parseSchedule('25:00');
  assert.ok(!bad.ok);
  assert.match(bad.error.merchantMessage, /HH:MM/);
});

test('a daily sync is due from its local time in the shop zone, once per day', () => {
  // 02:30 EST = 07:30Z in winter.
  assert.equal(dueScheduledRun(daily, zone, new Date('2026-01-10T07:29:00Z'), '2026-01-09'), null);
  const due = dueScheduledRun(daily, zone, new Date('2026-01-10T07:31:00Z'), '2026-01-09');
  assert.deepEqual(due, { date: '2026-01-10', scheduledFor: new Date('2026-01-10T07:30:00Z') });
  assert.equal(dueScheduledRun(daily, zone, new Date('2026-01-10T07:40:00Z'), '2026-01-10'), null);
  // In summer the same local time is 06:30Z.
  assert.ok(dueScheduledRun(daily, zone, new Date('2026-07-10T06:31:00Z'), '2026-07-09'));
  assert.equal(dueScheduledRun({ kind: 'manual' }, zone, new Date(), null), null);
});

test('a server that was down at the scheduled time catches up once', () => {
  // Down from 02:00 to 09:00 local on the 10th; the 10th's run is still due, the 9th's is not repeated.
  const due = dueScheduledRun(daily, zone, new Date('2026-01-10T14:00:00Z'), '2026-01-09');
  assert.equal(due?.date, '2026-01-10');
  // Just after local midnight, yesterday's missed run is still caught up.
  const late = dueScheduledRun(daily, zone, new Date('2026-01-11T05:10:00Z'), '2026-01-09');
  assert.equal(late?.date, '2026-01-10');
});

test('the next run is shown in the future', () => {
  assert.equal(
    nextScheduledRun(daily, zone, new Date('2026-01-10T08:00:00Z'))?.toISOString(),
    '2026-01-11T07:30:00.000Z',
  );
  assert.equal(
    nextScheduledRun(daily, zone, new Date('2026-01-10T07:00:00Z'))?.toISOString(),
    '2026-01-10T07:30:00.000Z',
  );
});
