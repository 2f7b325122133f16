/** Column codecs shared by the row↔domain mappers (see schema.ts for why times and JSON are text). */

export function toDbTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Cannot store an invalid date');
  return date.toISOString();
}

export function fromDbTime(text: string): Date {
  return new Date(text);
}

export function fromDbTimeOrNull(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

export function toDbJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item));
}

export function fromDbJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** True for a unique-constraint violation on either engine (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode, message } = error as { code?: unknown; errcode?: unknown; message?: unknown };
  if (code === '23505') return true;
  // node:sqlite reports the extended result code: 2067 = SQLITE_CONSTRAINT_UNIQUE, 1555 = SQLITE_CONSTRAINT_PRIMARYKEY.
  if (errcode === 2067 || errcode === 1555) return true;
  return typeof message === 'string' && /UNIQUE constraint failed/.test(message);
}
