/**
 * A small XML reader and the escaping used by the writers. It reads the subset of XML that qbXML and the XSDs use
 * (elements, attributes, text, CDATA, comments, processing instructions) and refuses, on purpose, the parts that
 * make XML parsers dangerous: a document type declaration or an entity declaration is rejected outright (no
 * "billion laughs", no external entities), only the five predefined entities and numeric character references are
 * decoded, and a document over the size limit is refused before any work is done.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (concatenated text and CDATA directly inside it), decoded. */
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

export class XmlSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at character ${position})`);
    this.name = 'XmlSyntaxError';
    this.position = position;
  }
}

function isNameEnd(code: number): boolean {
  // whitespace, '/', '>', '='
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 47 || code === 62 || code === 61;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Decodes the five predefined entities and numeric references; anything else is an error. */
export function decodeEntities(raw: string, position = 0): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > 12) throw new XmlSyntaxError('Unterminated character reference', position + amp);
    const ref = raw.slice(amp + 1, semi);
    let decoded: string;
    switch (ref) {
      case 'amp':
        decoded = '&';
        break;
      case 'lt':
        decoded = '<';
        break;
      case 'gt':
        decoded = '>';
        break;
      case 'quot':
        decoded = '"';
        break;
      case 'apos':
        decoded = "'";
        break;
      default: {
        let code = Number.NaN;
        if (ref.startsWith('#x') || ref.startsWith('#X')) {
          if (/^[0-9a-fA-F]+$/.test(ref.slice(2))) code = Number.parseInt(ref.slice(2), 16);
        } else if (ref.startsWith('#')) {
          if (/^[0-9]+$/.test(ref.slice(1))) code = Number.parseInt(ref.slice(1), 10);
        } else {
          throw new XmlSyntaxError(
            `Undeclared entity &${ref}; (only the five predefined entities are read)`,
            position + amp,
          );
        }
        if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          throw new XmlSyntaxError(`Invalid character reference &${ref};`, position + amp);
        }
        decoded = String.fromCodePoint(code);
      }
    }
    out += raw.slice(last, amp) + decoded;
    last = semi + 1;
    amp = raw.indexOf('&', last);
  }
  return out + raw.slice(last);
}

/**
 * Parses a whole document into a tree. Whitespace-only text between elements is dropped from `text` when the
 * element has child elements (qbXML has no mixed content).
 */
export function readXml(xml: string, options: XmlReadOptions = {}): XmlDocument {
  const maxLength = options.maxLength ?? DEFAULT_MAX_XML_LENGTH;
  if (xml.length > maxLength) {
    throw new XmlSyntaxError(
      `Document is ${xml.length} characters long, over the limit of ${maxLength}; refusing to read it`,
      0,
    );
  }
  const length = xml.length;
  let pos = 0;
  if (xml.charCodeAt(0) === 0xfeff) pos = 1;
  const instructions: { target: string; data: string }[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let textParts: string | null = null;

  while (pos < length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > pos) {
      const raw = xml.slice(pos, textEnd);
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new XmlSyntaxError('Text outside the root element', pos);
      } else {
        if (raw.indexOf(']]>') !== -1) throw new XmlSyntaxError("']]>' is not allowed in text", pos);
        const decoded = decodeEntities(raw, pos);
        textParts = textParts === null ? decoded : textParts + decoded;
      }
    }
    if (lt === -1) break;
    pos = lt;
    const next = xml.charCodeAt(pos + 1);
    if (next === 47 /* / */) {
      const close = xml.indexOf('>', pos + 2);
      if (close === -1) throw new XmlSyntaxError('Unterminated end tag', pos);
      const name = xml.slice(pos + 2, close).trimEnd();
      const open = stack.pop();
      if (!open) throw new XmlSyntaxError(`End tag </${name}> without a start tag`, pos);
      if (open.name !== name) throw new XmlSyntaxError(`End tag </${name}> does not match <${open.name}>`, pos);
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
      if (end === -1) throw new XmlSyntaxError('Unterminated processing instruction', pos);
      const body = xml.slice(pos + 2, end);
      const match = /^([^\s?]+)\s*([\s\S]*)$/.exec(body);
      if (!match) throw new XmlSyntaxError('Processing instruction without a target', pos);
      if (stack.length === 0 && root === null) instructions.push({ target: match[1]!, data: match[2]!.trim() });
      pos = end + 2;
      continue;
    }
    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', pos)) {
        const end = xml.indexOf('-->', pos + 4);
        if (end === -1) throw new XmlSyntaxError('Unterminated comment', pos);
        pos = end + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', pos)) {
        if (stack.length === 0) throw new XmlSyntaxError('CDATA outside the root element', pos);
        const end = xml.indexOf(']]>', pos + 9);
        if (end === -1) throw new XmlSyntaxError('Unterminated CDATA section', pos);
        const raw = xml.slice(pos + 9, end);
        textParts = textParts === null ? raw : textParts + raw;
        pos = end + 3;
        continue;
      }
      // <!DOCTYPE, <!ENTITY, <!ELEMENT …: refused, never interpreted.
      throw new XmlSyntaxError('Document type and entity declarations are not accepted', pos);
    }
    // Start tag.
    if (stack.length === 0 && root !== null) throw new XmlSyntaxError('More than one root element', pos);
    let p = pos + 1;
    while (p < length && !isNameEnd(xml.charCodeAt(p))) p++;
    const name = xml.slice(pos + 1, p);
    if (name === '' || name.indexOf('<') !== -1) throw new XmlSyntaxError('Malformed start tag', pos);
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    let selfClosing = false;
    for (;;) {
      while (p < length && isSpace(xml.charCodeAt(p))) p++;
      if (p >= length) throw new XmlSyntaxError(`Unterminated start tag <${name}>`, pos);
      const c = xml.charCodeAt(p);
      if (c === 62 /* > */) {
        p++;
        break;
      }
      if (c === 47 /* / */) {
        if (xml.charCodeAt(p + 1) !== 62) throw new XmlSyntaxError(`Malformed start tag <${name}>`, p);
        selfClosing = true;
        p += 2;
        break;
      }
      const attrStart = p;
      while (p < length && !isNameEnd(xml.charCodeAt(p))) p++;
      const attrName = xml.slice(attrStart, p);
      if (attrName === '') throw new XmlSyntaxError(`Malformed attribute in <${name}>`, p);
      while (p < length && isSpace(xml.charCodeAt(p))) p++;
      if (xml.charCodeAt(p) !== 61 /* = */) throw new XmlSyntaxError(`Attribute ${attrName} has no value`, p);
      p++;
      while (p < length && isSpace(xml.charCodeAt(p))) p++;
      const quote = xml[p];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`Attribute ${attrName} value is not quoted`, p);
      const valueEnd = xml.indexOf(quote, p + 1);
      if (valueEnd === -1) throw new XmlSyntaxError(`Unterminated value of attribute ${attrName}`, p);
      const rawValue = xml.slice(p + 1, valueEnd);
      if (rawValue.indexOf('<') !== -1) throw new XmlSyntaxError(`'<' in the value of attribute ${attrName}`, p);
      if (Object.hasOwn(element.attributes, attrName)) {
        throw new XmlSyntaxError(`Attribute ${attrName} appears twice in <${name}>`, attrStart);
      }
      element.attributes[attrName] = decodeEntities(rawValue, p + 1);
      p = valueEnd + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      // Text beside child elements (mixed content) is kept only when it is not whitespace, so validators see it.
      if (textParts !== null && textParts.trim() !== '') parent.text += textParts;
      parent.children.push(element);
      textParts = null;
    } else {
      root = element;
    }
    if (!selfClosing) stack.push(element);
    pos = p;
  }
  if (stack.length > 0) throw new XmlSyntaxError(`Element <${stack[stack.length - 1]!.name}> is not closed`, length);
  if (!root) throw new XmlSyntaxError('No root element', 0);
  return { root, instructions };
}

const ESCAPE_TEST = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes the five XML special characters; text and attribute values alike. */
export function escapeXml(text: string): string {
  if (!ESCAPE_TEST.test(text)) return text;
  return text.replace(ESCAPE_ALL, (c) => ESCAPES[c]!);
}
