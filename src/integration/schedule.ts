import { addDays, assertTimeZone, localDate, zonedTimeToInstant } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';

/**
 * When the automatic sync runs. The merchant picks a local time in the shop's time zone; the sync fires within
 * the 15-minute window after it (the scheduler ticks more often than that). A manual sync is always possible.
 */
export type SyncSchedule = { kind: 'manual' } | { kind: 'daily'; localTime: string };

export const SCHEDULE_WINDOW_MINUTES = 15;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseSchedule(input: unknown): Result<SyncSchedule, ConnectorError> {
  if (
    input === 'manual' ||
    (typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'manual')
  ) {
    return ok({ kind: 'manual' });
  }
  const localTime =
    typeof input === 'string' ? input.replace(/^daily@?/, '') : (input as { localTime?: unknown } | null)?.localTime;
  if (typeof localTime === 'string' && HH_MM.test(localTime)) return ok({ kind: 'daily', localTime });
  return err(
    new ConnectorError({
      code: 'SCHEDULE_INVALID',
      message: `Not a sync schedule: ${JSON.stringify(input)}`,
      merchantMessage: 'Choose "manual", or a daily time as HH:MM in 24-hour format (for example 02:30).',
      merchantMustAct: true,
    }),
  );
}

/** The instant of the scheduled run on a local date, in the shop's zone. */
export function scheduledInstant(schedule: SyncSchedule & { kind: 'daily' }, date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = schedule.localTime.split(':').map(Number);
  return zonedTimeToInstant(
    { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0 },
    timeZone,
  );
}

/**
 * Which scheduled run (identified by its local date) is due at `now`, if any. A run is due from its scheduled
 * instant until it has been started; `lastScheduledDate` is the local date of the last scheduled run started.
 * A server that was down at the scheduled time catches up at its next tick, once — never twice for one day.
 */
export function dueScheduledRun(
  schedule: SyncSchedule,
  timeZone: string,
  now: Date,
  lastScheduledDate: string | null,
): { date: string; scheduledFor: Date } | null {
  if (schedule.kind !== 'daily') return null;
  assertTimeZone(timeZone);
  const today = localDate(now, timeZone);
  for (const date of [today, addDays(today, -1)]) {
    if (lastScheduledDate !== null && date <= lastScheduledDate) continue;
    const at = scheduledInstant(schedule, date, timeZone);
    if (at.getTime() <= now.getTime()) return { date, scheduledFor: at };
  }
  return null;
}

/** The next scheduled instant after `now` (for status displays). */
export function nextScheduledRun(schedule: SyncSchedule, timeZone: string, now: Date): Date | null {
  if (schedule.kind !== 'daily') return null;
  const today = localDate(now, timeZone);
  const todayAt = scheduledInstant(schedule, today, timeZone);
  return todayAt.getTime() > now.getTime() ? todayAt : scheduledInstant(schedule, addDays(today, 1), timeZone);
}
