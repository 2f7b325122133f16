/**
 * Writes qbXML elements from plain objects in Intuit's element names, driven by the generated content models:
 * children in schema order whatever the key order, scalars in the form QuickBooks reads, text in Latin-1,
 * lengths checked. Shared by the request builder (connector side) and the response builder (simulator side).
 */

import { formatMoney } from '../domain/money.ts';
import { ConnectorError } from '../errors/index.ts';
import { toLatin1 } from './latin1.ts';
import { describeMismatch, matchContent, type TypeInfo, typeInfo } from './schema.ts';
import type { ElementParticle, ScalarDef } from './schema-types.ts';
import { escapeXml } from './xml.ts';

export interface Substitution {
  /** Where in the document, e.g. `SalesReceiptAddRq[0].SalesReceiptAdd.SalesReceiptLineAdd[2].Desc`. */
  path: string;
  original: string;
  replacement: string;
  reason: 'transliterated' | 'shortened';
}

/**
 * Free-text fields a caller may ask to have shortened to QuickBooks' limit. Names, reference numbers and ids are
 * identities: shortening them silently could merge two customers, so they are never on this list.
 */
export const SHORTENABLE_FIELDS: ReadonlySet<string> = new Set([
  'Memo',
  'Desc',
  'SalesDesc',
  'PurchaseDesc',
  'ItemDesc',
  'Notes',
  'JobDesc',
  'OverrideMemo',
  'VendorMsg',
  'Other',
  'Other1',
  'Other2',
  'Addr1',
  'Addr2',
  'Addr3',
  'Addr4',
  'Addr5',
  'Note',
]);

/** A value problem found while writing: becomes an error Result, not a throw. */
export class ValueProblem extends Error {
  readonly error: ConnectorError;
  constructor(error: ConnectorError) {
    super(error.message);
    this.error = error;
  }
}

export interface WriteContext {
  xml: string;
  substitutions: Substitution[];
  shorten: ReadonlySet<string>;
  /** Element names and indexes from the request down, joined only when a path must be reported. */
  path: (string | number)[];
  /** Requests check lengths (an error the caller must handle); responses are written as given. */
  checkLengths: boolean;
}

export function newContext(shorten: readonly string[] = [], checkLengths = true): WriteContext {
  for (const field of shorten) {
    if (!SHORTENABLE_FIELDS.has(field)) {
      throw new Error(
        `${field} cannot be shortened: only free-text fields (${[...SHORTENABLE_FIELDS].join(', ')}) may be, never names or identities`,
      );
    }
  }
  return { xml: '', substitutions: [], shorten: new Set(shorten), path: [], checkLengths };
}

export function pathString(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function bug(ctx: WriteContext, message: string): never {
  throw new ConnectorError({
    code: 'QBXML_INVALID_REQUEST',
    message: `${pathString(ctx.path)}: ${message}`,
    details: { path: pathString(ctx.path) },
  });
}

function invalid(ctx: WriteContext, name: string, value: unknown, rule: string): never {
  const path = pathString(ctx.path);
  throw new ValueProblem(
    new ConnectorError({
      code: 'QBXML_INVALID_VALUE',
      message: `${path}: ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)} is not a valid ${rule}`,
      merchantMessage: `The ${name} value "${String(value)}" cannot be sent to QuickBooks: it must be ${rule}. The record was not posted; correct the value in Shopify and sync again.`,
      merchantMustAct: true,
      details: { path, field: name, value: String(value) },
    }),
  );
}

const AMOUNT = /^([+-])?(\d+)(?:\.(\d*))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}([+-]\d{2}:\d{2})?)?)?$/;
const GUID = /^(0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\})$/;
const FLOAT = /^[+-]?\d+(\.\d+)?$/;

/** A decimal string with at most `decimals` decimals (trailing zeros beyond them are fine) and `digits` digits. */
function decimal(
  ctx: WriteContext,
  name: string,
  value: string,
  digits: number,
  decimals: number,
  fixed: boolean,
  rule: string,
): string {
  const match = AMOUNT.exec(value);
  if (!match) invalid(ctx, name, value, rule);
  const sign = match[1] === '-' ? '-' : '';
  let whole = match[2]!.replace(/^0+(?=\d)/, '');
  let fraction = match[3] ?? '';
  if (fraction.length > decimals) {
    if (/[1-9]/.test(fraction.slice(decimals))) invalid(ctx, name, value, rule);
    fraction = fraction.slice(0, decimals);
  }
  if (whole.length > digits) invalid(ctx, name, value, rule);
  if (whole === '') whole = '0';
  if (fixed) return `${sign}${whole}.${fraction.padEnd(decimals, '0')}`;
  return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Formats one scalar as its qbXML text (not yet escaped). */
export function formatScalar(ctx: WriteContext, name: string, s: ScalarDef, value: unknown): string {
  switch (s.k) {
    case 'AMTTYPE':
      if (typeof value === 'bigint') {
        const text = formatMoney(value);
        if (text.replace(/^-/, '').length > 16) invalid(ctx, name, value, 'an amount of at most 13 digits');
        return text;
      }
      if (typeof value !== 'string') bug(ctx, `${name} must be Money (bigint) or a decimal string`);
      return decimal(ctx, name, value, 13, 2, true, 'an amount with at most two decimals');
    case 'PRICETYPE':
    case 'QUANTYPE':
    case 'PERCENTTYPE':
      if (typeof value === 'bigint' && s.k === 'PRICETYPE') return formatMoney(value);
      if (typeof value === 'number' && s.k === 'QUANTYPE') {
        if (!Number.isSafeInteger(value)) bug(ctx, `${name} as a number must be an integer; pass decimals as strings`);
        return String(value);
      }
      if (typeof value !== 'string') bug(ctx, `${name} must be a decimal string`);
      return decimal(ctx, name, value, 10, 5, false, 'a number with at most 10 digits and 5 decimals');
    case 'DATETYPE':
      if (typeof value !== 'string') bug(ctx, `${name} must be a YYYY-MM-DD string`);
      if (!validDate(value)) invalid(ctx, name, value, 'a date written YYYY-MM-DD');
      return value;
    case 'DATETIMETYPE':
      if (typeof value !== 'string') bug(ctx, `${name} must be a date-time string`);
      if (!DATETIME.test(value)) invalid(ctx, name, value, 'a date and time written YYYY-MM-DDThh:mm:ss');
      return value;
    case 'BOOLTYPE':
      if (typeof value !== 'boolean') bug(ctx, `${name} must be a boolean`);
      return value ? 'true' : 'false';
    case 'INTTYPE':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) bug(ctx, `${name} must be an integer`);
      return String(value);
    case 'GUIDTYPE':
      if (typeof value !== 'string' || !GUID.test(value)) bug(ctx, `${name} must be a GUID like {8-4-4-4-12}`);
      return value;
    case 'FLOATTYPE':
      if (typeof value !== 'string' || !FLOAT.test(value)) bug(ctx, `${name} must be a decimal string`);
      return value;
    case 'ENUMTYPE':
      if (typeof value !== 'string' || (s.en && !s.en.includes(value))) {
        bug(ctx, `${name} must be one of ${(s.en ?? []).join(', ')}; got ${JSON.stringify(value)}`);
      }
      return value;
    default: {
      if (typeof value !== 'string') bug(ctx, `${name} must be a string`);
      let text = toLatin1(value);
      if (text !== value) {
        ctx.substitutions.push({
          path: pathString(ctx.path),
          original: value,
          replacement: text,
          reason: 'transliterated',
        });
      }
      if (s.len !== undefined && text.length > s.len && ctx.checkLengths) {
        if (ctx.shorten.has(name)) {
          const shortened = text.slice(0, s.len);
          ctx.substitutions.push({
            path: pathString(ctx.path),
            original: text,
            replacement: shortened,
            reason: 'shortened',
          });
          text = shortened;
        } else {
          const path = pathString(ctx.path);
          throw new ValueProblem(
            new ConnectorError({
              code: 'QBXML_VALUE_TOO_LONG',
              message: `${path} is ${text.length} characters long; QuickBooks allows at most ${s.len}`,
              merchantMessage: `The ${name} "${text}" is ${text.length} characters long, but QuickBooks allows at most ${s.len} characters for it. Nothing was cut short, because that could mix up two records: shorten it in Shopify (or in the connector's mapping) and sync again.`,
              merchantMustAct: true,
              details: { path, field: name, limit: s.len, length: text.length, value: text },
            }),
          );
        }
      }
      return text;
    }
  }
}

function writeChild(ctx: WriteContext, p: ElementParticle, value: unknown, names: string[]): void {
  names.push(p.n);
  if (p.t) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) bug(ctx, `${p.n} must be an object`);
    const info = typeInfo(p.t);
    ctx.xml += `<${p.n}>`;
    writeContent(ctx, info, value as Record<string, unknown>);
    ctx.xml += `</${p.n}>`;
    return;
  }
  const text = formatScalar(ctx, p.n, p.s!, value);
  ctx.xml += text === '' ? `<${p.n}/>` : `<${p.n}>${escapeXml(text)}</${p.n}>`;
}

/** Writes the children of an element of type `info` from `obj`, in schema order, and checks the result. */
export function writeContent(ctx: WriteContext, info: TypeInfo, obj: Record<string, unknown>): void {
  for (const key in obj) {
    if (!info.byName.has(key) && obj[key] !== undefined) {
      bug(ctx, `<${key}> is not an element of ${info.id} (allowed: ${info.order.map((c) => c.particle.n).join(', ')})`);
    }
  }
  const names: string[] = [];
  const path = ctx.path;
  for (const child of info.order) {
    const p = child.particle;
    const value = obj[p.n];
    if (value === undefined || value === null) continue;
    if (child.repeated) {
      if (!Array.isArray(value)) bug(ctx, `${p.n} repeats: pass an array`);
      for (let i = 0; i < value.length; i++) {
        path.push(p.n, i);
        writeChild(ctx, p, value[i], names);
        path.length -= 2;
      }
    } else {
      if (Array.isArray(value)) bug(ctx, `${p.n} occurs at most once: pass a single value`);
      path.push(p.n);
      writeChild(ctx, p, value, names);
      path.length -= 1;
    }
  }
  // The same shapes recur (every line of every receipt): remember the child sequences already proven valid.
  const signature = names.join(',');
  if (info.validSignatures.has(signature)) return;
  const mismatch = matchContent(info.def.c, names);
  if (mismatch) bug(ctx, describeMismatch(info.id, names, mismatch));
  if (info.validSignatures.size < 256) info.validSignatures.add(signature);
}

/** Writes `name="value"` pairs, escaped, in the order given. */
export function writeAttributes(attributes: readonly [string, string | number | undefined][]): string {
  let out = '';
  for (const [name, value] of attributes) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeXml(toLatin1(String(value)))}"`;
  }
  return out;
}
