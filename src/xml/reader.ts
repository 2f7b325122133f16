/**
 * The one XML reader: qbXML documents, SOAP envelopes and .qwc files all go through it. It reads the subset of XML
 * those use (elements, attributes, namespaces, text, CDATA, comments, processing instructions) and refuses, on
 * purpose, the parts that make XML parsers dangerous: a document type or entity declaration is rejected outright
 * (no "billion laughs", no external entities —
 * https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing), only the five predefined
 * entities and character references are decoded, nesting is bounded, and a document over the size limit is refused
 * before any work is done.
 */
import { decodeEntities } from './entities.ts';
import { type XmlProblem, XmlSyntaxError } from './errors.ts';

export interface XmlElement {
  /** The name as written, prefix included (`soap:Body`). */
  name: string;
  localName: string;
  /** The namespace URI the prefix (or the default namespace) resolves to; "" when none. Callers match on
   * (namespace, localName), never on a prefix: the Web Connector writes `soap:`, other clients `SOAP-ENV:` or `s:`. */
  namespace: string;
  /** Attributes by the name as written (`xmlns:soap`, `xsi:nil`), values decoded. */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (text and CDATA directly inside it), decoded. Whitespace between child elements is not
   * kept (qbXML and SOAP have no mixed content); other text beside children is, so validators see it. */
  text: string;
}

export interface XmlDocument {
  root: XmlElement;
  /** Processing instructions before the root element, e.g. `{ target: 'qbxml', data: 'version="13.0"' }`. */
  instructions: { target: string; data: string }[];
}

export interface XmlReadOptions {
  /** Refuse documents longer than this many characters. Default 32 MiB. */
  maxLength?: number;
}

export const DEFAULT_MAX_XML_LENGTH = 32 * 1024 * 1024;
/** Deeper than any qbXML report or SOAP call; a bound so a hostile document cannot exhaust the stack of a walker. */
const MAX_DEPTH = 64;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; problem: XmlProblem; detail: string };

/** The value form of `readXml`, for callers that answer bad input (a SOAP fault) rather than throw. */
export function parseXml(text: string, options: XmlReadOptions = {}): XmlParseResult {
  try {
    return { ok: true, root: readXml(text, options).root };
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { ok: false, problem: error.problem, detail: error.message };
    throw error;
  }
}

/** XML's white space is these four characters only. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Where a name stops: white space, `/`, `>` or `=`. */
function isNameEnd(code: number): boolean {
  return isSpace(code) || code === 47 || code === 62 || code === 61;
}

interface Scope {
  /** Prefix → URI; "" is the default namespace. Shared with the parent until an element declares its own. */
  prefixes: Map<string, string>;
}

function resolve(name: string, scope: Scope, isAttribute: boolean, position: number): string {
  const colon = name.indexOf(':');
  if (colon === -1) return isAttribute ? '' : (scope.prefixes.get('') ?? '');
  const prefix = name.slice(0, colon);
  if (prefix === 'xml') return XML_NAMESPACE;
  if (prefix === 'xmlns') return '';
  const uri = scope.prefixes.get(prefix);
  if (uri === undefined) {
    throw new XmlSyntaxError('unbound-prefix', `Prefix "${prefix}" of ${name} is not declared`, position);
  }
  return uri;
}

const EMPTY_SCOPE: Scope = { prefixes: new Map() };

/** Parses a whole document into a tree; throws `XmlSyntaxError` naming the problem and where it is. */
export function readXml(xml: string, options: XmlReadOptions = {}): XmlDocument {
  const maxLength = options.maxLength ?? DEFAULT_MAX_XML_LENGTH;
  if (xml.length > maxLength) {
    throw new XmlSyntaxError(
      'too-long',
      `Document is ${xml.length} characters long, over the limit of ${maxLength}; refusing to read it`,
      0,
    );
  }
  const length = xml.length;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const instructions: { target: string; data: string }[] = [];
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [];
  let root: XmlElement | null = null;
  let textParts: string | null = null;

  while (pos < length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > pos) {
      const raw = xml.slice(pos, textEnd);
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new XmlSyntaxError('malformed', 'Text outside the root element', pos);
      } else {
        if (raw.indexOf(']]>') !== -1) throw new XmlSyntaxError('malformed', "']]>' is not allowed in text", pos);
        const decoded = decodeEntities(raw, pos);
        textParts = textParts === null ? decoded : textParts + decoded;
      }
    }
    if (lt === -1) break;
    pos = lt;
    const next = xml.charCodeAt(pos + 1);
    if (next === 47 /* / */) {
      const close = xml.indexOf('>', pos + 2);
      if (close === -1) throw new XmlSyntaxError('malformed', 'Unterminated end tag', pos);
      const name = xml.slice(pos + 2, close).trimEnd();
      const open = stack.pop();
      scopes.pop();
      if (!open) throw new XmlSyntaxError('mismatched-tag', `End tag </${name}> without a start tag`, pos);
      if (open.name !== name) {
        throw new XmlSyntaxError('mismatched-tag', `End tag </${name}> does not match <${open.name}>`, pos);
      }
      if (textParts !== null) {
        if (open.children.length === 0) open.text = textParts;
        else if (textParts.trim() !== '') open.text += textParts;
        textParts = null;
      }
      pos = close + 1;
      continue;
    }
    if (next === 63 /* ? */) {
      const end = xml.indexOf('?>', pos + 2);
      if (end === -1) throw new XmlSyntaxError('malformed', 'Unterminated processing instruction', pos);
      const body = xml.slice(pos + 2, end);
      const match = /^([^\s?]+)\s*([\s\S]*)$/.exec(body);
      if (!match) throw new XmlSyntaxError('malformed', 'Processing instruction without a target', pos);
      if (stack.length === 0 && root === null) instructions.push({ target: match[1]!, data: match[2]!.trim() });
      pos = end + 2;
      continue;
    }
    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', pos)) {
        const end = xml.indexOf('-->', pos + 4);
        if (end === -1) throw new XmlSyntaxError('malformed', 'Unterminated comment', pos);
        pos = end + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', pos)) {
        if (stack.length === 0) throw new XmlSyntaxError('malformed', 'CDATA outside the root element', pos);
        const end = xml.indexOf(']]>', pos + 9);
        if (end === -1) throw new XmlSyntaxError('malformed', 'Unterminated CDATA section', pos);
        const raw = xml.slice(pos + 9, end);
        textParts = textParts === null ? raw : textParts + raw;
        pos = end + 3;
        continue;
      }
      // <!DOCTYPE, <!ENTITY, <!ELEMENT …: refused, never interpreted.
      throw new XmlSyntaxError(
        'doctype-forbidden',
        'Document type and entity declarations are not accepted (<!DOCTYPE …>, <!ENTITY …>)',
        pos,
      );
    }
    // Start tag.
    if (stack.length === 0 && root !== null) throw new XmlSyntaxError('malformed', 'More than one root element', pos);
    if (stack.length >= MAX_DEPTH) {
      throw new XmlSyntaxError('too-deep', `Elements nested deeper than ${MAX_DEPTH}`, pos);
    }
    let p = pos + 1;
    while (p < length && !isNameEnd(xml.charCodeAt(p))) p++;
    const name = xml.slice(pos + 1, p);
    if (name === '' || name.indexOf('<') !== -1) throw new XmlSyntaxError('malformed', 'Malformed start tag', pos);
    const attributes: Record<string, string> = {};
    let declares = false;
    let prefixed = false;
    let selfClosing = false;
    for (;;) {
      while (p < length && isSpace(xml.charCodeAt(p))) p++;
      if (p >= length) throw new XmlSyntaxError('malformed', `Unterminated start tag <${name}>`, pos);
      const c = xml.charCodeAt(p);
      if (c === 62 /* > */) {
        p++;
        break;
      }
      if (c === 47 /* / */) {
        if (xml.charCodeAt(p + 1) !== 62) throw new XmlSyntaxError('malformed', `Malformed start tag <${name}>`, p);
        selfClosing = true;
        p += 2;
        break;
      }
      const attrStart = p;
      while (p < length && !isNameEnd(xml.charCodeAt(p))) p++;
      const attrName = xml.slice(attrStart, p);
      if (attrName === '') throw new XmlSyntaxError('malformed', `Malformed attribute in <${name}>`, p);
      while (p < length && isSpace(xml.charCodeAt(p))) p++;
      if (xml.charCodeAt(p) !== 61 /* = */) {
        throw new XmlSyntaxError('malformed', `Attribute ${attrName} has no value`, p);
      }
      p++;
      while (p < length && isSpace(xml.charCodeAt(p))) p++;
      const quote = xml[p];
      if (quote !== '"' && quote !== "'") {
        throw new XmlSyntaxError('malformed', `Attribute ${attrName} value is not quoted`, p);
      }
      const valueEnd = xml.indexOf(quote, p + 1);
      if (valueEnd === -1) throw new XmlSyntaxError('malformed', `Unterminated value of attribute ${attrName}`, p);
      const rawValue = xml.slice(p + 1, valueEnd);
      if (rawValue.indexOf('<') !== -1) {
        throw new XmlSyntaxError('malformed', `'<' in the value of attribute ${attrName}`, p);
      }
      if (Object.hasOwn(attributes, attrName)) {
        throw new XmlSyntaxError('malformed', `Attribute ${attrName} appears twice in <${name}>`, attrStart);
      }
      attributes[attrName] = decodeEntities(rawValue, p + 1);
      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) declares = true;
      else if (attrName.indexOf(':') !== -1) prefixed = true;
      p = valueEnd + 1;
    }

    const parentScope = scopes[scopes.length - 1] ?? EMPTY_SCOPE;
    let scope = parentScope;
    if (declares) {
      scope = { prefixes: new Map(parentScope.prefixes) };
      for (const attrName of Object.keys(attributes)) {
        if (attrName === 'xmlns') scope.prefixes.set('', attributes[attrName]!);
        else if (attrName.startsWith('xmlns:')) scope.prefixes.set(attrName.slice(6), attributes[attrName]!);
      }
    }
    if (prefixed) {
      for (const attrName of Object.keys(attributes)) resolve(attrName, scope, true, pos);
    }
    const colon = name.indexOf(':');
    const element: XmlElement = {
      name,
      localName: colon === -1 ? name : name.slice(colon + 1),
      namespace: resolve(name, scope, false, pos),
      attributes,
      children: [],
      text: '',
    };
    const parent = stack[stack.length - 1];
    if (parent) {
      if (textParts !== null && textParts.trim() !== '') parent.text += textParts;
      parent.children.push(element);
      textParts = null;
    } else {
      root = element;
    }
    if (!selfClosing) {
      stack.push(element);
      scopes.push(scope);
    }
    pos = p;
  }
  if (stack.length > 0) {
    throw new XmlSyntaxError('malformed', `Element <${stack[stack.length - 1]!.name}> is not closed`, length);
  }
  if (!root) throw new XmlSyntaxError('empty', 'No root element', 0);
  return { root, instructions };
}

/** The first child with this local name (and namespace, when given). */
export function childElement(parent: XmlElement, localName: string, namespace?: string): XmlElement | undefined {
  return parent.children.find(
    (child) => child.localName === localName && (namespace === undefined || child.namespace === namespace),
  );
}
