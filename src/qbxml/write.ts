/**
 * Writes qbXML elements from plain objects in Intuit's element names, driven by the generated content models:
 * children in schema order whatever the key order, scalars in the form QuickBooks reads, text in Latin-1,
 * lengths checked. Shared by the request builder (connector side) and the response builder (simulator side).
 */

import { formatMoney } from '../domain/index.ts';
import { ConnectorError } from '../errors/index.ts';
import { escapeXml } from '../xml/index.ts';
import { toLatin1 } from './latin1.ts';
import {
  type ChildInfo,
  describeMismatch,
  matchContent,
  type SequenceNode,
  type TypeInfo,
  typeInfo,
} from './schema.ts';
import type { ScalarDef } from './schema-types.ts';

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
  /** Written after each element: "" for requests, "\n" for responses (QuickBooks puts each element on a line). */
  newline: string;
}

const NOTHING: ReadonlySet<string> = new Set();

export function newContext(shorten: readonly string[] = [], checkLengths = true, newline = ''): WriteContext {
  for (const field of shorten) {
    if (!SHORTENABLE_FIELDS.has(field)) {
      throw new Error(
        `${field} cannot be shortened: only free-text fields (${[...SHORTENABLE_FIELDS].join(', ')}) may be, never names or identities`,
      );
    }
  }
  return {
    xml: '',
    substitutions: [],
    shorten: shorten.length === 0 ? NOTHING : new Set(shorten),
    path: [],
    checkLengths,
    newline,
  };
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

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

function validDate(text: string): boolean {
  if (!DATE_SHAPE.test(text)) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  if (month !== 2) return day <= DAYS_IN_MONTH[month - 1]!;
  // Date.UTC reads years 0-99 as 1900-1999; the check always did too, so "0000-02-29" stays refused.
  const y = year < 100 ? year + 1900 : year;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return day <= (leap ? 29 : 28);
}

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** `formatMoney`, without BigInt division for the amounts a double holds exactly (every real one). */
function moneyText(amount: bigint): string {
  if (amount < SAFE_MIN || amount > SAFE_MAX) return formatMoney(amount);
  const n = Number(amount);
  const abs = n < 0 ? -n : n;
  const cents = abs % 100;
  const whole = (abs - cents) / 100;
  return `${n < 0 ? '-' : ''}${whole}${cents < 10 ? '.0' : '.'}${cents}`;
}

/** Decimal strings already in the form `decimal` would return (most are): returned as they are. */
const CANONICAL_AMOUNT = /^-?(?:0|[1-9]\d{0,12})\.\d\d$/;
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d{0,9})(?:\.\d{1,5})?$/;

/** Formats one scalar as its qbXML text (not yet escaped). */
export function formatScalar(ctx: WriteContext, name: string, s: ScalarDef, value: unknown): string {
  switch (s.k) {
    case 'AMTTYPE':
      if (typeof value === 'bigint') {
        const text = moneyText(value);
        if (text.length - (value < 0n ? 1 : 0) > 16) invalid(ctx, name, value, 'an amount of at most 13 digits');
        return text;
      }
      if (typeof value !== 'string') bug(ctx, `${name} must be Money (bigint) or a decimal string`);
      if (CANONICAL_AMOUNT.test(value)) return value;
      return decimal(ctx, name, value, 13, 2, true, 'an amount with at most two decimals');
    case 'PRICETYPE':
    case 'QUANTYPE':
    case 'PERCENTTYPE':
      if (typeof value === 'bigint' && s.k === 'PRICETYPE') return moneyText(value);
      if (typeof value === 'number' && s.k === 'QUANTYPE') {
        if (!Number.isSafeInteger(value)) bug(ctx, `${name} as a number must be an integer; pass decimals as strings`);
        return String(value);
      }
      if (typeof value !== 'string') bug(ctx, `${name} must be a decimal string`);
      if (CANONICAL_DECIMAL.test(value)) return value;
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

/**
 * Text that needs no work before it is written: Latin-1 (so `toLatin1` returns it unchanged) and free of the five
 * characters `escapeXml` replaces. Most values are like this, so one test spares both passes.
 */
const NEEDS_WORK = /[^\t\n\r\x20\x21\x23-\x25\x28-\x3b\x3d\x3f-\x7e\xa0-\xff]/;

/** Attributes of an element (`@name` keys, the parser's form), in schema order, checked against its type. */
function elementAttributes(ctx: WriteContext, info: TypeInfo, obj: Record<string, unknown>): string {
  let out = '';
  for (const def of info.def.a ?? []) {
    const value = obj[`@${def.name}`];
    if (value === undefined || value === null) {
      if (def.required) bug(ctx, `attribute ${def.name} of ${info.id} is required`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') bug(ctx, `attribute ${def.name} must be text`);
    const text = String(value);
    if (def.en && !def.en.includes(text))
      bug(ctx, `attribute ${def.name}="${text}" is not one of ${def.en.join(', ')}`);
    out += ` ${def.name}="${escapeXml(toLatin1(text))}"`;
  }
  return out;
}

function hasElements(obj: Record<string, unknown>): boolean {
  for (const key in obj)
    if (key.charCodeAt(0) !== 64 /* @ */ && obj[key] !== undefined && obj[key] !== null) return true;
  return false;
}

function writeChild(ctx: WriteContext, child: ChildInfo, value: unknown): void {
  const p = child.particle;
  const writeAs = child.writeAs;
  if (writeAs === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) bug(ctx, `${p.n} must be an object`);
    child.info ??= typeInfo(p.t!);
    const obj = value as Record<string, unknown>;
    if (child.info.attributeNames.size > 0) {
      const attributes = elementAttributes(ctx, child.info, obj);
      if (!hasElements(obj)) {
        ctx.xml += `<${p.n}${attributes} />${ctx.newline}`;
        return;
      }
      ctx.xml += `<${p.n}${attributes}>${ctx.newline}`;
    } else ctx.xml += child.open + ctx.newline;
    writeContent(ctx, child.info, obj);
    ctx.xml += child.close + ctx.newline;
    return;
  }
  const s = p.s!;
  if (
    writeAs === 'text' &&
    typeof value === 'string' &&
    (s.len === undefined || value.length <= s.len) &&
    !NEEDS_WORK.test(value)
  ) {
    ctx.xml += (value === '' ? child.empty : child.open + value + child.close) + ctx.newline;
    return;
  }
  const text = formatScalar(ctx, p.n, s, value);
  if (text === '') ctx.xml += child.empty;
  // Only free text and enumerations can hold a character XML must escape: every other kind was checked against
  // a pattern of digits, signs and separators.
  else if (writeAs !== 'plain') ctx.xml += child.open + escapeXml(text) + child.close;
  else ctx.xml += child.open + text + child.close;
  ctx.xml += ctx.newline;
}

/** The children `obj` writes, in schema order; unknown keys with a value are programming errors. */
function planOf(ctx: WriteContext, info: TypeInfo, obj: Record<string, unknown>): readonly ChildInfo[] {
  // The common case first: the same key order as the last object of this type, checked without allocating.
  const last = info.lastPlan;
  if (last !== null) {
    const keys = last.keys;
    let at = 0;
    let same = true;
    for (const key in obj) {
      if (keys[at] !== key) {
        same = false;
        break;
      }
      at++;
    }
    if (same && at === keys.length) return last.children;
  }
  const keys: string[] = [];
  for (const key in obj) keys.push(key);
  for (const plan of info.plans) {
    if (plan.keys.length === keys.length && plan.keys.every((key, i) => key === keys[i])) {
      info.lastPlan = plan;
      return plan.children;
    }
  }
  const children: ChildInfo[] = [];
  let cacheable = true;
  for (const key of keys) {
    const known = info.byName.get(key);
    if (known !== undefined) children.push(known);
    else if (key.charCodeAt(0) === 64 /* @ */ && info.attributeNames.has(key.slice(1))) {
      // An attribute: written on the element's own start tag.
    } else if (obj[key] !== undefined) {
      bug(ctx, `<${key}> is not an element of ${info.id} (allowed: ${info.order.map((c) => c.particle.n).join(', ')})`);
    } else {
      // An unknown key is allowed only while its value is undefined: such a shape cannot be cached.
      cacheable = false;
    }
  }
  children.sort((x, y) => x.index - y.index);
  if (cacheable && info.plans.length < 32) {
    const plan = { keys, children };
    info.plans.push(plan);
    info.lastPlan = plan;
  }
  return children;
}

const MAX_SEQUENCE_NODES = 4096;

function step(info: TypeInfo, node: SequenceNode | null, index: number): SequenceNode | null {
  if (node === null) return null;
  let next = node.next[index];
  if (next === undefined) {
    if (info.sequenceNodes >= MAX_SEQUENCE_NODES) return null;
    next = { valid: false, next: [] };
    node.next[index] = next;
    info.sequenceNodes++;
  }
  return next;
}

/**
 * The children of a type whose content interleaves a repeated choice (a report's ReportData: DataRow, TextRow,
 * SubtotalRow, TotalRow in row order), given in their order as `#sequence: [name, value][]`.
 */
export const SEQUENCE_KEY = '#sequence';

function writeSequence(ctx: WriteContext, info: TypeInfo, sequence: unknown): void {
  if (!Array.isArray(sequence)) bug(ctx, `${SEQUENCE_KEY} must be an array of [element, value] pairs`);
  const names: string[] = [];
  for (let i = 0; i < sequence.length; i++) {
    const pair = sequence[i] as unknown;
    if (!Array.isArray(pair) || typeof pair[0] !== 'string') bug(ctx, `${SEQUENCE_KEY}[${i}] must be [element, value]`);
    const child = info.byName.get(pair[0]);
    if (!child) bug(ctx, `<${pair[0]}> is not an element of ${info.id}`);
    ctx.path.push(pair[0], i);
    writeChild(ctx, child, pair[1]);
    ctx.path.pop();
    ctx.path.pop();
    names.push(pair[0]);
  }
  const mismatch = matchContent(info.def.c, names);
  if (mismatch) bug(ctx, describeMismatch(info.id, names, mismatch));
}

/** Writes the children of an element of type `info` from `obj`, in schema order, and checks the result. */
export function writeContent(ctx: WriteContext, info: TypeInfo, obj: Record<string, unknown>): void {
  if (obj[SEQUENCE_KEY] !== undefined) {
    for (const key in obj) {
      if (key !== SEQUENCE_KEY && key.charCodeAt(0) !== 64 && obj[key] !== undefined) {
        bug(ctx, `${info.id}: ${SEQUENCE_KEY} gives every child; <${key}> cannot be given beside it`);
      }
    }
    writeSequence(ctx, info, obj[SEQUENCE_KEY]);
    return;
  }
  const children = planOf(ctx, info, obj);
  const path = ctx.path;
  // The child sequence is followed in a trie of sequences already proven valid, so a recurring shape is matched
  // against the content model once, not once per element.
  let node: SequenceNode | null = info.sequences;
  for (let c = 0; c < children.length; c++) {
    const child = children[c]!;
    const name = child.particle.n;
    const value = obj[name];
    if (value === undefined || value === null) continue;
    if (child.repeated) {
      if (!Array.isArray(value)) bug(ctx, `${name} repeats: pass an array`);
      for (let i = 0; i < value.length; i++) {
        path.push(name, i);
        writeChild(ctx, child, value[i]);
        path.pop();
        path.pop();
        node = step(info, node, child.index);
      }
    } else {
      if (Array.isArray(value)) bug(ctx, `${name} occurs at most once: pass a single value`);
      path.push(name);
      writeChild(ctx, child, value);
      path.pop();
      node = step(info, node, child.index);
    }
  }
  if (node?.valid) return;
  const names: string[] = [];
  for (const child of children) {
    const value = obj[child.particle.n];
    if (value === undefined || value === null) continue;
    const count = child.repeated ? (value as unknown[]).length : 1;
    for (let i = 0; i < count; i++) names.push(child.particle.n);
  }
  const mismatch = matchContent(info.def.c, names);
  if (mismatch) bug(ctx, describeMismatch(info.id, names, mismatch));
  if (node !== null) node.valid = true;
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
