/**
 * The fast path of `parseResponseDocument`: reads a response document straight into the typed result, without
 * the intermediate element tree `readXml` builds (measured in bench/qbxml.ts: the tree was most of the parse time and most
 * of the garbage). It accepts only the plain shape QuickBooks writes: a prolog of processing instructions,
 * `<QBXML>` holding one `<QBXMLMsgsRs>`, elements with text or child elements (never both), attributes anywhere
 * (inner ones become `@name` keys, as in the reference path). Anything else — comments, CDATA, mixed content, a syntax error, a status the
 * caller must be told is invalid, TxnDel's loose fields — makes it give up (`null`), and the caller reads the
 * document again with the reference path (`readXml` + `readObject`), which decides exactly as before. So this
 * function never has to reproduce an error message, only the successful result, and `read-response.test.ts`
 * checks that it does on a corpus and on generated documents.
 */

import { decodeEntities } from '../xml/index.ts';
// The same shapes the reference path returns: the two paths must agree field for field.
import type { QbxmlResponse, ResponseDocument } from './parse.ts';
import type { ChildInfo, TypeInfo } from './schema.ts';
import { isMessageName, messageDef, typeInfo } from './schema.ts';
import type { ScalarDef } from './schema-types.ts';

/** Thrown (never an Error, so no stack is captured) when the document is outside the fast path's shape. */
const GIVE_UP: unique symbol = Symbol('give up');

// The reader's cursor. Parsing is synchronous and never re-entered, so module state is safe and cheaper than
// passing a context object through every call.
let src = '';
let pos = 0;
let selfClosing = false;

/** The key an inner element's attribute is read into: `colID` → `@colID` (no element name starts with '@'). */
export function attributeKey(name: string): string {
  return `@${name}`;
}

export function toInt(text: string | undefined): number | null {
  if (text === undefined || text === '') return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

export function readScalar(s: ScalarDef, text: string): unknown {
  switch (s.k) {
    case 'BOOLTYPE':
      return text === 'true' || text === 'True' || text === '1';
    case 'INTTYPE': {
      const n = toInt(text);
      return n === null ? text : n;
    }
    default:
      return text;
  }
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function onlySpace(from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpaceCode(src.charCodeAt(i))) return false;
  return true;
}

/** Moves to the next '<', which must follow only whitespace. */
function nextTag(): void {
  const lt = src.indexOf('<', pos);
  if (lt === -1 || !onlySpace(pos, lt)) throw GIVE_UP;
  pos = lt;
}

/** Reads an element name at `pos` (just after '<'), the way `readXml` delimits it. */
function readName(): string {
  const start = pos;
  const length = src.length;
  while (pos < length) {
    const c = src.charCodeAt(pos);
    if (c === 32 || c === 62 || c === 47 || c === 10 || c === 9 || c === 13 || c === 61) break;
    if (c === 60) throw GIVE_UP;
    pos++;
  }
  if (pos === start || pos >= length) throw GIVE_UP;
  return src.slice(start, pos);
}

/** Ends a start tag that must have no attributes; sets `selfClosing`. */
function endStartTag(): void {
  if (endStartTagOrAttributes() !== null) throw GIVE_UP;
}

/**
 * Ends a start tag; sets `selfClosing`. Returns null when it has no attributes (the common case, checked without
 * allocating), else its attributes as `@name` keys.
 */
function endStartTagOrAttributes(): Record<string, unknown> | null {
  let c = src.charCodeAt(pos);
  while (isSpaceCode(c)) c = src.charCodeAt(++pos);
  if (c === 62) {
    pos++;
    selfClosing = false;
    return null;
  }
  if (c === 47 && src.charCodeAt(pos + 1) === 62) {
    pos += 2;
    selfClosing = true;
    return null;
  }
  const raw = readAttributes();
  const out: Record<string, unknown> = {};
  for (const name in raw) out[attributeKey(name)] = raw[name];
  return out;
}

/** Reads the attributes of a start tag (as `readXml` does) and its end; sets `selfClosing`. */
function readAttributes(): Record<string, string> {
  const attributes: Record<string, string> = {};
  const length = src.length;
  for (;;) {
    while (pos < length && isSpaceCode(src.charCodeAt(pos))) pos++;
    if (pos >= length) throw GIVE_UP;
    const c = src.charCodeAt(pos);
    if (c === 62) {
      pos++;
      selfClosing = false;
      return attributes;
    }
    if (c === 47) {
      if (src.charCodeAt(pos + 1) !== 62) throw GIVE_UP;
      pos += 2;
      selfClosing = true;
      return attributes;
    }
    const name = readName();
    while (pos < length && isSpaceCode(src.charCodeAt(pos))) pos++;
    if (src.charCodeAt(pos) !== 61) throw GIVE_UP;
    pos++;
    while (pos < length && isSpaceCode(src.charCodeAt(pos))) pos++;
    const quote = src.charCodeAt(pos);
    if (quote !== 34 && quote !== 39) throw GIVE_UP;
    const end = src.indexOf(quote === 34 ? '"' : "'", pos + 1);
    if (end === -1) throw GIVE_UP;
    const raw = src.slice(pos + 1, end);
    if (raw.indexOf('<') !== -1 || Object.hasOwn(attributes, name)) throw GIVE_UP;
    attributes[name] = decodeEntities(raw);
    pos = end + 1;
  }
}

/** At `pos` = the '<' of an end tag: checks it closes `name` and moves past it. */
function closeTag(name: string): void {
  if (src.charCodeAt(pos + 1) !== 47 || !src.startsWith(name, pos + 2)) throw GIVE_UP;
  let p = pos + 2 + name.length;
  let c = src.charCodeAt(p);
  while (isSpaceCode(c)) c = src.charCodeAt(++p);
  if (c !== 62) throw GIVE_UP;
  pos = p + 1;
}

/** Text from `pos` to the next '<' that must be an end tag; returns it decoded and leaves `pos` at the '<'. */
function readText(): string {
  const lt = src.indexOf('<', pos);
  if (lt === -1 || src.charCodeAt(lt + 1) !== 47) throw GIVE_UP;
  if (lt === pos) return '';
  const raw = src.slice(pos, lt);
  pos = lt;
  if (raw.indexOf(']]>') !== -1) throw GIVE_UP;
  return decodeEntities(raw);
}

/**
 * After the start tag of `name` (not self-closing): reads its children into an object of type `info` (null =
 * unknown type, children read by name) and its end tag. Text alone (no children) is checked and ignored, as
 * `readObject` ignores it.
 */
function readObjectContent(
  name: string,
  info: TypeInfo | null,
  attributes: Record<string, unknown> | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = attributes ?? {};
  const lt = src.indexOf('<', pos);
  if (lt === -1) throw GIVE_UP;
  if (src.charCodeAt(lt + 1) === 47) {
    readText();
    closeTag(name);
    return out;
  }
  if (!onlySpace(pos, lt)) throw GIVE_UP;
  pos = lt;
  for (;;) {
    const c = src.charCodeAt(pos + 1);
    if (c === 47) {
      closeTag(name);
      return out;
    }
    if (c === 33 || c === 63) throw GIVE_UP;
    pos++;
    const childName = readName();
    const attributes = endStartTagOrAttributes();
    const known = info === null ? undefined : info.byName.get(childName);
    const value = known === undefined ? readUnknown(childName, attributes) : readKnown(known, attributes);
    if (known === undefined) {
      if (Object.hasOwn(out, childName)) {
        const list = out[childName];
        if (Array.isArray(list)) list.push(value);
        else out[childName] = [list, value];
      } else {
        out[childName] = value;
      }
    } else {
      // The particle's name is the same text as `childName`, but already internalised: a cheaper property key.
      const key = known.particle.n;
      if (known.repeated) {
        const list = out[key];
        if (Array.isArray(list)) list.push(value);
        else if (list === undefined) out[key] = [value];
        else out[key] = [list, value];
      } else {
        out[key] = value;
      }
    }
    nextTag();
  }
}

/** After the start tag of a child the type knows. A scalar's attributes are not data (qbXML has none on Rets). */
function readKnown(known: ChildInfo, attributes: Record<string, unknown> | null): unknown {
  const p = known.particle;
  if (p.t !== undefined) {
    if (selfClosing) return attributes ?? {};
    known.info ??= typeInfo(p.t);
    return readObjectContent(p.n, known.info, attributes);
  }
  if (selfClosing) return readScalar(p.s!, '');
  const text = readText();
  closeTag(p.n);
  return readScalar(p.s!, text);
}

/**
 * After the start tag of a child the type does not know: its text, or an object of its children; with
 * attributes, an object of them (and its text as `#text` when it has some).
 */
function readUnknown(name: string, attributes: Record<string, unknown> | null): unknown {
  if (selfClosing) return attributes ?? '';
  const lt = src.indexOf('<', pos);
  if (lt === -1) throw GIVE_UP;
  if (src.charCodeAt(lt + 1) === 47) {
    const text = readText();
    closeTag(name);
    if (attributes === null) return text;
    if (text !== '') attributes['#text'] = text;
    return attributes;
  }
  return readObjectContent(name, null, attributes);
}

function readResponse(name: string): QbxmlResponse {
  const attrs = readAttributes();
  if (!name.endsWith('Rs')) throw GIVE_UP;
  const type = name.slice(0, -2);
  const statusCode = toInt(attrs.statusCode);
  const severity = attrs.statusSeverity;
  if (statusCode === null || (severity !== 'Info' && severity !== 'Warn' && severity !== 'Error')) throw GIVE_UP;
  const info = isMessageName(type) ? typeInfo(messageDef(type).rs) : null;
  const rets: Record<string, unknown>[] = [];
  const retNames: string[] = [];
  let errorRecovery: Record<string, unknown> | null = null;
  if (!selfClosing) {
    nextTag();
    for (;;) {
      const c = src.charCodeAt(pos + 1);
      if (c === 47) {
        closeTag(name);
        break;
      }
      if (c === 33 || c === 63) throw GIVE_UP;
      pos++;
      const childName = readName();
      const attributes = endStartTagOrAttributes();
      if (childName === 'ErrorRecovery') {
        const def = info?.byName.get('ErrorRecovery')?.particle.t;
        const recoveryInfo = def ? typeInfo(def) : null;
        errorRecovery = selfClosing ? (attributes ?? {}) : readObjectContent(childName, recoveryInfo, attributes);
      } else if (childName.endsWith('Ret')) {
        const known = info?.byName.get(childName);
        const def = known?.particle.t;
        rets.push(
          selfClosing ? (attributes ?? {}) : readObjectContent(childName, def ? typeInfo(def) : null, attributes),
        );
        // The particle's name when there is one: the same text, already internalised.
        retNames.push(known ? known.particle.n : childName);
      } else {
        // TxnDel's fields directly inside the …Rs element: left to the reference path.
        throw GIVE_UP;
      }
      nextTag();
    }
  }
  return {
    type,
    requestID: attrs.requestID ?? null,
    statusCode,
    statusSeverity: severity,
    statusMessage: attrs.statusMessage ?? '',
    rets,
    retNames,
    retCount: toInt(attrs.retCount),
    iteratorID: attrs.iteratorID ?? null,
    iteratorRemainingCount: toInt(attrs.iteratorRemainingCount),
    errorRecovery,
  };
}

const PI_TARGET = /^[^\s?]/;

function readDocument(): ResponseDocument {
  if (src.charCodeAt(0) === 0xfeff) pos = 1;
  // Prolog: whitespace and processing instructions only.
  for (;;) {
    nextTag();
    if (src.charCodeAt(pos + 1) !== 63) break;
    const end = src.indexOf('?>', pos + 2);
    if (end === -1 || !PI_TARGET.test(src.slice(pos + 2, end))) throw GIVE_UP;
    pos = end + 2;
  }
  pos++;
  if (readName() !== 'QBXML') throw GIVE_UP;
  endStartTag();
  if (selfClosing) throw GIVE_UP;
  nextTag();
  pos++;
  if (readName() !== 'QBXMLMsgsRs') throw GIVE_UP;
  const msgsAttributes = readAttributes();
  const responses: QbxmlResponse[] = [];
  if (!selfClosing) {
    nextTag();
    for (;;) {
      const c = src.charCodeAt(pos + 1);
      if (c === 47) {
        closeTag('QBXMLMsgsRs');
        break;
      }
      if (c === 33 || c === 63) throw GIVE_UP;
      pos++;
      responses.push(readResponse(readName()));
      nextTag();
    }
  }
  nextTag();
  closeTag('QBXML');
  if (!onlySpace(pos, src.length)) throw GIVE_UP;
  return {
    responses,
    newMessageSetID: msgsAttributes.newMessageSetID ?? null,
    messageSetStatusCode: toInt(msgsAttributes.messageSetStatusCode),
  };
}

/**
 * Reads a response document of the plain shape QuickBooks writes, or returns null when the document is anything
 * else (then the reference path must read it). The caller checks the size limit first.
 */
export function readResponseFast(xml: string): ResponseDocument | null {
  src = xml;
  pos = 0;
  try {
    return readDocument();
  } catch {
    // GIVE_UP, or an entity error from decodeEntities: the reference path reads it again and explains.
    return null;
  } finally {
    src = '';
  }
}
