/**
 * The shape qbXML data takes inside the simulator: an object keyed by Intuit's element names whose values are
 * text, a nested aggregate, or an array when the element repeats. Stored records (`…Ret`) and request bodies
 * (`…Add`, `…Mod`, queries) share it, so a record is kept exactly as QuickBooks would return it.
 */
export type QbValue = string | QbObject | QbValue[];
export interface QbObject {
  [element: string]: QbValue | undefined;
}

export function isObject(value: QbValue | undefined): value is QbObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a scalar element, or null when absent. */
export function text(body: QbObject | undefined, key: string): string | null {
  const value = body?.[key];
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

export function child(body: QbObject | undefined, key: string): QbObject | null {
  const value = body?.[key];
  if (value === undefined) return null;
  if (isObject(value)) return value;
  if (Array.isArray(value) && isObject(value[0])) return value[0];
  return null;
}

/** Every occurrence of a repeatable element, whether the parser gave one value or an array. */
export function many(body: QbObject | undefined, key: string): QbObject[] {
  const value = body?.[key];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

export function manyText(body: QbObject | undefined, key: string): string[] {
  const value = body?.[key];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function bool(body: QbObject | undefined, key: string): boolean | null {
  const value = text(body, key);
  if (value === null) return null;
  return value === 'true' || value === '1';
}

export function clone<T extends QbValue>(value: T): T {
  return structuredClone(value);
}

/** Removes undefined keys so stored JSON and written XML carry only present elements. */
export function compact(body: QbObject): QbObject {
  const out: QbObject = {};
  for (const [key, value] of Object.entries(body)) if (value !== undefined) out[key] = value;
  return out;
}
