/**
 * qbXML documents in: responses (the connector reads what QuickBooks answered) and requests (the QuickBooks
 * simulator reads what the connector sent, validating it as strictly as QuickBooks' own parser does).
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { DEFAULT_MAX_XML_LENGTH, readXml, type XmlElement, type XmlReadOptions, XmlSyntaxError } from '../xml/index.ts';
import { ENVELOPE_RQ_ATTRIBUTES, type MessageName } from './generated/schema.ts';
import type { Out, RequestTypes } from './generated/types.ts';
import { attributeKey, readResponseFast, readScalar, toInt } from './read-response.ts';
import { describeMismatch, isMessageName, matchContent, messageDef, type TypeInfo, typeInfo } from './schema.ts';
import type { ScalarDef } from './schema-types.ts';

/** One …Rs of a response document. */
export interface QbxmlResponse {
  /** The message, e.g. `CustomerAdd` for `<CustomerAddRs>`. */
  type: string;
  requestID: string | null;
  statusCode: number;
  statusSeverity: 'Info' | 'Warn' | 'Error';
  statusMessage: string;
  /** The …Ret objects (always an array, empty when there are none). */
  rets: Record<string, unknown>[];
  /** Element name of each ret (`CustomerRet`, `ItemInventoryRet`, …), parallel to `rets`. */
  retNames: string[];
  retCount: number | null;
  iteratorID: string | null;
  iteratorRemainingCount: number | null;
  errorRecovery: Record<string, unknown> | null;
}

export interface ResponseDocument {
  responses: QbxmlResponse[];
  newMessageSetID: string | null;
  messageSetStatusCode: number | null;
}

function malformed(message: string, cause?: unknown): ConnectorError {
  return new ConnectorError({
    code: 'QBXML_MALFORMED_RESPONSE',
    message: `QuickBooks response could not be read: ${message}`,
    merchantMessage:
      'The answer from QuickBooks could not be read. Nothing was recorded twice; the connector will ask QuickBooks again on the next sync.',
    retryable: true,
    cause,
  });
}

/**
 * Reads an element of a known type into a plain object: repeated children always arrays, never floats. Its
 * attributes become `@name` keys holding the text as written (reports keep their data there: `ColData value`,
 * `ColDesc colID`), so nothing QuickBooks wrote is dropped.
 */
function readObject(element: XmlElement, info: TypeInfo | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in element.attributes) out[attributeKey(name)] = element.attributes[name];
  for (const child of element.children) {
    const known = info?.byName.get(child.name);
    let value: unknown;
    if (known?.particle.t) value = readObject(child, typeInfo(known.particle.t));
    else if (known?.particle.s) value = readScalar(known.particle.s, child.text);
    else value = readUnknown(child);
    if (known ? known.repeated : Object.hasOwn(out, child.name)) {
      const list = out[child.name];
      if (Array.isArray(list)) list.push(value);
      else if (list === undefined) out[child.name] = [value];
      else out[child.name] = [list, value];
    } else {
      out[child.name] = value;
    }
  }
  return out;
}

/**
 * An element the schema does not describe: its text, or an object of its children; with attributes, an object of
 * them (and its text as `#text` when it has some).
 */
function readUnknown(element: XmlElement): unknown {
  if (element.children.length > 0) return readObject(element, null);
  for (const _ in element.attributes) {
    const out = readObject(element, null);
    if (element.text !== '') out['#text'] = element.text;
    return out;
  }
  return element.text;
}

function messagesElement(xml: string, options: XmlReadOptions, expected: string): XmlElement {
  const doc = readXml(xml, options);
  if (doc.root.name !== 'QBXML')
    throw new XmlSyntaxError('malformed', `Root element is <${doc.root.name}>, not <QBXML>`, 0);
  const msgs = doc.root.children.find((c) => c.name === expected);
  if (!msgs) throw new XmlSyntaxError('malformed', `<QBXML> has no <${expected}>`, 0);
  return msgs;
}

/** Parses a qbXML response document. Amounts stay exact decimal strings; booleans become booleans. */
export function parseResponseDocument(xml: string, options: XmlReadOptions = {}): Result<ResponseDocument> {
  if (xml.length <= (options.maxLength ?? DEFAULT_MAX_XML_LENGTH)) {
    const fast = readResponseFast(xml);
    if (fast !== null) return ok(fast);
  }
  return parseResponseDocumentReference(xml, options);
}

/**
 * The reference reading of a response document (element tree, then objects): the behaviour the fast path in
 * read-response.ts must match, and the path for every document outside its shape (and every error).
 */
export function parseResponseDocumentReference(xml: string, options: XmlReadOptions = {}): Result<ResponseDocument> {
  let msgs: XmlElement;
  try {
    msgs = messagesElement(xml, options, 'QBXMLMsgsRs');
  } catch (error) {
    return err(malformed(error instanceof Error ? error.message : String(error), error));
  }
  const responses: QbxmlResponse[] = [];
  for (const rs of msgs.children) {
    if (!rs.name.endsWith('Rs')) return err(malformed(`unexpected <${rs.name}> in <QBXMLMsgsRs>`));
    const type = rs.name.slice(0, -2);
    const attrs = rs.attributes;
    const statusCode = toInt(attrs.statusCode);
    const severity = attrs.statusSeverity;
    if (statusCode === null || (severity !== 'Info' && severity !== 'Warn' && severity !== 'Error')) {
      return err(malformed(`<${rs.name}> has no valid statusCode/statusSeverity`));
    }
    const info = isMessageName(type) ? typeInfo(messageDef(type).rs) : null;
    const rets: Record<string, unknown>[] = [];
    const retNames: string[] = [];
    let errorRecovery: Record<string, unknown> | null = null;
    let loose: XmlElement | null = null;
    for (const child of rs.children) {
      if (child.name === 'ErrorRecovery') {
        const def = info?.byName.get('ErrorRecovery')?.particle.t;
        errorRecovery = readObject(child, def ? typeInfo(def) : null);
      } else if (child.name.endsWith('Ret')) {
        const t = info?.byName.get(child.name)?.particle.t;
        rets.push(readObject(child, t ? typeInfo(t) : null));
        retNames.push(child.name);
      } else {
        // TxnDel answers with its fields directly inside the …Rs element: they form one ret.
        loose ??= {
          name: `${type}Ret`,
          localName: `${type}Ret`,
          namespace: '',
          attributes: {},
          children: [],
          text: '',
        };
        loose.children.push(child);
      }
    }
    if (loose) {
      rets.push(readObject(loose, info));
      retNames.push(loose.name);
    }
    responses.push({
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
    });
  }
  return ok({
    responses,
    newMessageSetID: msgs.attributes.newMessageSetID ?? null,
    messageSetStatusCode: toInt(msgs.attributes.messageSetStatusCode),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Requests (the QuickBooks simulator's side)

export type ParsedRequest = {
  [K in MessageName]: {
    type: K;
    requestID: string | null;
    attributes: Record<string, string>;
    body: RequestTypes<Out>[K];
  };
}[MessageName];

export interface RequestDocumentParsed {
  requests: ParsedRequest[];
  onError: 'stopOnError' | 'continueOnError' | 'rollbackOnError';
  newMessageSetID: string | null;
  oldMessageSetID: string | null;
  responseData: 'includeAll' | 'includeNone';
  /** The qbXML version of the `<?qbxml version="…"?>` instruction. */
  version: string;
}

/** What QuickBooks' request processor raises for a document it cannot parse (QBWC passes it as hresult). */
export interface RequestParseFailure {
  hresult: '0x80040400';
  message: string;
  /** Where and what, for developers (QuickBooks itself says no more than `message`). */
  detail: string;
}

export const QB_PARSE_ERROR_MESSAGE = 'QuickBooks found an error when parsing the provided XML text stream.';

const AMT = /^[+-]?\d{1,13}(\.\d{2})?$/;
const DEC5 = /^[+-]?\d{1,10}(\.\d{1,5})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;
const DATETIME = /^\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}(:\d{1,2}(:\d{1,2}([+-]\d{1,2}:\d{1,2})?)?)?)?$/;
const GUID = /^(0|\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\})$/;
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const BOOL = /^(true|false|1|0)$/;
const DURATION = /^[+-]?P(T(\d+H)?(\d+M)?(\d+S)?)?$/;

function validDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Checks a scalar's lexical form as the XSD does, except maxLength (QuickBooks checks lengths at run time: 3070). */
function scalarError(s: ScalarDef, raw: string): string | null {
  // XSD whitespace handling: the union types collapse, the string types keep; QuickBooks trims either way.
  const text = raw.trim();
  switch (s.k) {
    case 'AMTTYPE':
      return text === '' || AMT.test(text) ? null : 'not an amount with two decimals';
    case 'PRICETYPE':
    case 'QUANTYPE':
    case 'PERCENTTYPE':
      return text === '' || DEC5.test(text) ? null : 'not a number with up to 5 decimals';
    case 'DATETYPE':
      return text === '' || (DATE.test(text) && validDate(text)) ? null : 'not a date';
    case 'DATETIMETYPE':
      return text === '' || DATETIME.test(text) ? null : 'not a date-time';
    case 'BOOLTYPE':
      return text === '' || BOOL.test(text) ? null : 'not a boolean';
    case 'INTTYPE':
      return INT.test(text) ? null : 'not an integer';
    case 'GUIDTYPE':
      return GUID.test(raw) ? null : 'not a GUID';
    case 'FLOATTYPE':
      return text === '' || FLOAT.test(text) ? null : 'not a decimal';
    case 'TIMEINTERVALTYPE':
      return text === '' || DURATION.test(text) ? null : 'not a duration';
    case 'ENUMTYPE':
      return !s.en || s.en.includes(raw) ? null : `not one of ${s.en.join(', ')}`;
    default:
      return null;
  }
}

class RequestInvalid extends Error {}

function validateElement(element: XmlElement, info: TypeInfo, path: string): Record<string, unknown> {
  for (const name of Object.keys(element.attributes)) {
    if (!info.attributeNames.has(name)) throw new RequestInvalid(`${path}: attribute ${name} is not allowed`);
  }
  if (element.text.trim() !== '') throw new RequestInvalid(`${path}: text is not allowed in <${element.name}>`);
  const names = element.children.map((c) => c.name);
  const mismatch = matchContent(info.def.c, names);
  if (mismatch) throw new RequestInvalid(`${path}: ${describeMismatch(element.name, names, mismatch)}`);
  const out: Record<string, unknown> = {};
  for (const child of element.children) {
    const known = info.byName.get(child.name)!;
    const p = known.particle;
    const childPath = `${path}/${child.name}`;
    let value: unknown;
    if (p.t) value = validateElement(child, typeInfo(p.t), childPath);
    else {
      const allowed = new Set(['useMacro']);
      for (const name of Object.keys(child.attributes)) {
        if (!allowed.has(name)) throw new RequestInvalid(`${childPath}: attribute ${name} is not allowed`);
      }
      if (child.children.length > 0) throw new RequestInvalid(`${childPath}: elements are not allowed here`);
      const problem = scalarError(p.s!, child.text);
      if (problem) throw new RequestInvalid(`${childPath}: "${child.text}" is ${problem}`);
      value = p.s!.k === 'BOOLTYPE' ? child.text.trim() === 'true' || child.text.trim() === '1' : child.text;
      if (p.s!.k === 'INTTYPE') value = Number(child.text);
    }
    if (known.repeated) {
      const list = (out[child.name] ?? []) as unknown[];
      list.push(value);
      out[child.name] = list;
    } else out[child.name] = value;
  }
  return out;
}

function checkAttributes(
  element: XmlElement,
  defs: readonly { name: string; required: boolean; en?: readonly string[] }[],
  path: string,
): void {
  for (const name of Object.keys(element.attributes)) {
    if (!defs.some((d) => d.name === name)) throw new RequestInvalid(`${path}: attribute ${name} is not allowed`);
  }
  for (const def of defs) {
    const value = element.attributes[def.name];
    if (value === undefined) {
      if (def.required) throw new RequestInvalid(`${path}: attribute ${def.name} is required`);
    } else if (def.en && !def.en.includes(value)) {
      throw new RequestInvalid(`${path}: attribute ${def.name}="${value}" is not one of ${def.en.join(', ')}`);
    }
  }
}

/**
 * Parses and validates a request document the way QuickBooks does: structure the XSD rejects (order, required,
 * unknown elements, enumerations, choice branches, lexical forms) is a parse failure, HRESULT 0x80040400. Lengths
 * are not checked here: QuickBooks reports them per request as status 3070 (see `maxLengthOf`).
 */
export function parseRequestDocument(
  xml: string,
  options: XmlReadOptions = {},
): Result<RequestDocumentParsed, RequestParseFailure> {
  const fail = (detail: string) => err({ hresult: '0x80040400' as const, message: QB_PARSE_ERROR_MESSAGE, detail });
  let doc: ReturnType<typeof readXml>;
  try {
    doc = readXml(xml, options);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  try {
    const pi = doc.instructions.find((i) => i.target === 'qbxml');
    const version = pi ? /version\s*=\s*["']([^"']+)["']/.exec(pi.data)?.[1] : undefined;
    if (!version) throw new RequestInvalid('missing <?qbxml version="13.0"?>');
    if (doc.root.name !== 'QBXML') throw new RequestInvalid(`root element is <${doc.root.name}>, not <QBXML>`);
    if (Object.keys(doc.root.attributes).length > 0) throw new RequestInvalid('<QBXML> takes no attributes');
    if (doc.root.children.length !== 1 || doc.root.children[0]!.name !== 'QBXMLMsgsRq') {
      throw new RequestInvalid('<QBXML> must contain exactly one <QBXMLMsgsRq>');
    }
    const msgs = doc.root.children[0]!;
    checkAttributes(msgs, ENVELOPE_RQ_ATTRIBUTES, 'QBXMLMsgsRq');
    if (msgs.text.trim() !== '') throw new RequestInvalid('text is not allowed in <QBXMLMsgsRq>');
    const requests: ParsedRequest[] = [];
    msgs.children.forEach((rq, index) => {
      const type = rq.name.endsWith('Rq') ? rq.name.slice(0, -2) : '';
      if (!isMessageName(type)) throw new RequestInvalid(`<${rq.name}> is not a supported request`);
      const info = typeInfo(messageDef(type).rq);
      const path = `QBXMLMsgsRq/${rq.name}[${index}]`;
      checkAttributes(rq, info.def.a ?? [], path);
      const body = validateElement({ ...rq, attributes: {} }, info, path);
      requests.push({
        type,
        requestID: rq.attributes.requestID ?? null,
        attributes: { ...rq.attributes },
        body,
      } as ParsedRequest);
    });
    const a = msgs.attributes;
    return ok({
      requests,
      onError: a.onError as RequestDocumentParsed['onError'],
      newMessageSetID: a.newMessageSetID ?? null,
      oldMessageSetID: a.oldMessageSetID ?? null,
      responseData: (a.responseData ?? 'includeAll') as RequestDocumentParsed['responseData'],
      version,
    });
  } catch (error) {
    if (error instanceof RequestInvalid) return fail(error.message);
    throw error;
  }
}

/**
 * The XSD maxLength of a field, for the simulator's run-time 3070 check: `path` is element names from the request
 * body down, e.g. `['CustomerAdd', 'BillAddress', 'Addr1']` under `CustomerAdd`. Null when there is no limit.
 */
export function maxLengthOf(type: MessageName, path: readonly string[]): number | null {
  let info = typeInfo(messageDef(type).rq);
  for (let i = 0; i < path.length; i++) {
    const child = info.byName.get(path[i]!);
    if (!child) return null;
    if (i === path.length - 1) return child.particle.s?.len ?? null;
    if (!child.particle.t) return null;
    info = typeInfo(child.particle.t);
  }
  return null;
}

/** Every over-long string in a parsed request body, as the simulator needs for status 3070. */
export function findTooLong(
  type: MessageName,
  body: unknown,
): { path: string; field: string; limit: number; length: number; value: string }[] {
  const found: { path: string; field: string; limit: number; length: number; value: string }[] = [];
  const walk = (info: TypeInfo, obj: Record<string, unknown>, path: string): void => {
    for (const [name, value] of Object.entries(obj)) {
      const child = info.byName.get(name);
      if (!child) continue;
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, i) => {
        const here = child.repeated ? `${path}/${name}[${i}]` : `${path}/${name}`;
        if (child.particle.t && item && typeof item === 'object') {
          walk(typeInfo(child.particle.t), item as Record<string, unknown>, here);
        } else if (
          typeof item === 'string' &&
          child.particle.s?.len !== undefined &&
          item.length > child.particle.s.len
        ) {
          found.push({ path: here, field: name, limit: child.particle.s.len, length: item.length, value: item });
        }
      });
    }
  };
  walk(typeInfo(messageDef(type).rq), body as Record<string, unknown>, `${type}Rq`);
  return found;
}
