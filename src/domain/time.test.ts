import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, dayBounds, localDate, offsetMinutes, zonedTimeToInstant } from './time.ts';

test('local dates follow the shop time zone, not UTC', () => {
  assert.equal(localDate('2026-03-06T04:30:00Z', 'America/New_York'), '2026-03-05');
  assert.equal(localDate('2026-03-06T04:30:00Z', 'Europe/Stockholm'), '2026-03-06');
  assert.equal(offsetMinutes(new Date('2026-07-01T12:00:00Z'), 'America/New_York'), -240);
  assert.equal(offsetMinutes(new Date('2026-01-01T12:00:00Z'), 'America/New_York'), -300);
});

test('local wall-clock times convert to instants across DST changes', () => {
  const summer = zonedTimeToInstant(
    { year: 2026, month: 7, day: 1, hour: 2, minute: 0, second: 0 },
    'America/New_York',
  );
  assert.equal(summer.toISOString(), '2026-07-01T06:00:00.000Z');
  // 2026-03-08 02:30 does not exist in New York (clocks jump 02:00 → 03:00).
  const gap = zonedTimeToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York');
  assert.equal(gap.toISOString(), '2026-03-08T07:30:00.000Z');
  // 2026-11-01 01:30 happens twice; the earlier one (EDT) is chosen.
  const overlap = zonedTimeToInstant(
    { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 },
    'America/New_York',
  );
  assert.equal(overlap.toISOString(), '2026-11-01T05:30:00.000Z');
});

test('day bounds span 23 or 25 hours on DST days', () => {
  const spring = dayBounds('2026-03-08', 'America/New_York');
  assert.equal((spring.end.getTime() - spring.start.getTime()) / 3600000, 23);
  const autumn = dayBounds('2026-11-01', 'America/New_York');
  assert.equal((autumn.end.getTime() - autumn.start.getTime()) / 3600000, 25);
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
});
