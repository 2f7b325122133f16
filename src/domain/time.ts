/**
 * Calendar arithmetic in a named IANA time zone, with no dependency beyond Intl. The books are kept in the
 * shop's time zone: a sale at 23:30 in New York on the 5th is on the 5th even though it is the 6th in UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Throws a RangeError for a zone name Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/**
 * The UTC offset (ms) of each quarter hour already seen, per zone; null when it changes inside that quarter hour.
 * `formatToParts` is the connector's hottest call when it reads a shop's history (every transaction's date), and
 * an offset almost never changes within a quarter hour: it is measured at both ends, so a transition inside one
 * (Newfoundland's used to fall at 00:01 local) is seen, and that quarter hour is read the slow way.
 */
const QUARTER_HOUR = 900_000;
const offsetCache = new Map<string, Map<number, number | null>>();

function exactOffsetMs(at: number, timeZone: string): number {
  const p = formattedParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
}

function quarterOffset(time: number, timeZone: string): number | null {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const quarter = Math.floor(time / QUARTER_HOUR);
  let offset = zone.get(quarter);
  if (offset === undefined) {
    const start = quarter * QUARTER_HOUR;
    const first = exactOffsetMs(start, timeZone);
    offset = exactOffsetMs(start + QUARTER_HOUR - 1000, timeZone) === first ? first : null;
    zone.set(quarter, offset);
  }
  return offset;
}

/** The years Date and Intl agree on without question (no proleptic or two-digit years). */
const CACHED_FROM = Date.UTC(1900, 0, 1);
const CACHED_TO = Date.UTC(9999, 0, 1);

export function localParts(instant: Date, timeZone: string): LocalDateTime {
  const time = instant.getTime();
  if (time >= CACHED_FROM && time < CACHED_TO) {
    const offset = quarterOffset(time, timeZone);
    if (offset !== null) {
      // Intl drops the milliseconds; so does reading whole seconds of the shifted instant.
      const local = new Date(Math.floor(time / 1000) * 1000 + offset);
      return {
        year: local.getUTCFullYear(),
        month: local.getUTCMonth() + 1,
        day: local.getUTCDate(),
        hour: local.getUTCHours(),
        minute: local.getUTCMinutes(),
        second: local.getUTCSeconds(),
      };
    }
  }
  return formattedParts(instant, timeZone);
}

function formattedParts(instant: Date, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date | string, timeZone: string): string {
  const p = localParts(typeof instant === 'string' ? new Date(instant) : instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes that `timeZone` is ahead of UTC at `instant`. */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. In a DST gap (the local time
 * does not exist) it moves forward by the gap's length (02:30 → 03:30), in an overlap it is the earlier of the
 * two — the same choices as Temporal's "compatible" disambiguation.
 */
export function zonedTimeToInstant(local: LocalDateTime, timeZone: string): Date {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Two rounds settle the offset except inside a gap, where the second offset moves us past the gap.
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60000;
  const second = guess - offsetMinutes(new Date(first), timeZone) * 60000;
  const earlier = Math.min(first, second);
  const check = localParts(new Date(earlier), timeZone);
  const matches =
    check.year === local.year &&
    check.month === local.month &&
    check.day === local.day &&
    check.hour === local.hour &&
    check.minute === local.minute;
  return new Date(matches ? earlier : Math.max(first, second));
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y!, m! - 1, d! + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** [start, end) instants of a local calendar day. */
export function dayBounds(date: string, timeZone: string): { start: Date; end: Date } {
  const [y, m, d] = date.split('-').map(Number);
  const next = addDays(date, 1).split('-').map(Number);
  return {
    start: zonedTimeToInstant({ year: y!, month: m!, day: d!, hour: 0, minute: 0, second: 0 }, timeZone),
    end: zonedTimeToInstant(
      { year: next[0]!, month: next[1]!, day: next[2]!, hour: 0, minute: 0, second: 0 },
      timeZone,
    ),
  };
}
