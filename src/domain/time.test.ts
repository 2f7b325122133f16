import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays, dayBounds, localDate, localParts, offsetMinutes, zonedTimeToInstant } from './time.ts';

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

/** What Intl itself says, with no cache in between: the reference the quarter-hour offsets must agree with. */
function intlParts(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}

test('local parts agree with Intl to the second, across transitions that fall inside a quarter hour', () => {
  // Newfoundland changed its clocks at 00:01 local until 2011 (03:31 UTC, not on a quarter hour); Lord Howe moves
  // by 30 minutes; Kathmandu is 5:45 ahead; Monrovia was 44:30 behind until 1972.
  const zones = ['America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Africa/Monrovia', 'America/New_York'];
  const transitions = [
    Date.UTC(2010, 2, 14, 3, 31),
    Date.UTC(2010, 10, 7, 2, 31),
    Date.UTC(2026, 3, 4, 15, 0),
    Date.UTC(1972, 0, 7, 0, 44, 30),
  ];
  const near = fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: -3_600_000, max: 3_600_000 }))
    .map(([at, delta]) => at + delta);
  const any = fc.integer({ min: Date.UTC(1965, 0, 1), max: Date.UTC(2040, 0, 1) });
  fc.assert(
    fc.property(fc.constantFrom(...zones), fc.oneof(near, any), (zone, time) => {
      const instant = new Date(time);
      assert.deepEqual(localParts(instant, zone), intlParts(instant, zone), `${zone} ${instant.toISOString()}`);
    }),
    { numRuns: 3000 },
  );
});
