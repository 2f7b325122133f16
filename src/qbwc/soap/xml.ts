/**
 * A small, strict, namespace-aware XML reader for SOAP envelopes and .qwc files.
 *
 * Why not a general parser: the Web Connector speaks a tiny subset of XML, and anything beyond it is an attack
 * surface. This reader never loads a DTD and never expands an entity other than the five predefined ones and
 * character references; a document with a DOCTYPE is refused outright (no "billion laughs", no external
 * entities — https://owasp.org/www-community/vulnerabilities/XML_External_Entity_(XXE)_Processing).
 * Element names keep their prefix in `name`; `namespace` is the resolved URI, so callers match on
 * (namespace, localName) and never on a prefix (QBWC writes `soap:`, other clients `SOAP-ENV:` or `s:`).
 */

export interface XmlElement {
  /** The name as written, prefix included (`soap:Body`). */
  name: string;
  localName: string;
  /** The namespace URI the prefix (or the default namespace) resolves to; "" when none. */
  namespace: string;
  /** Attributes by the name as written (`xmlns:soap`, `xsi:nil`). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (text and CDATA directly inside it), entities decoded. */
  text: string;
}

export type XmlProblem =
  | 'doctype-forbidden'
  | 'unknown-entity'
  | 'malformed'
  | 'unbound-prefix'
  | 'mismatched-tag'
  | 'too-deep'
  | 'empty';

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; problem: XmlProblem; detail: string };

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const MAX_DEPTH = 64;

class XmlSyntaxError extends Error {
  readonly problem: XmlProblem;
  constructor(problem: XmlProblem, detail: string) {
    super(detail);
    this.problem = problem;
  }
}

/** Below this many characters the string path is as quick as going through bytes. */
const BYTE_PATH_MIN_LENGTH = 512;

function decodeEntities(raw: string, at: number): string {
  if (raw.indexOf('&') === -1) return raw;
  if (raw.length >= BYTE_PATH_MIN_LENGTH) {
    const decoded = decodePredefinedBytes(raw);
    if (decoded !== null) return decoded;
  }
  return decodeEntitiesChecked(raw, at);
}

/**
 * The common case of a large text: qbXML escaped inside `response`, thousands of `&lt;`/`&gt;`. Decoding the
 * UTF-8 bytes in one pass is several times quicker than building the string piece by piece. Anything other than
 * the five predefined entities (a character reference, an unknown entity, a bare `&`) answers null, and the
 * checked path decides — and refuses what must be refused.
 */
function decodePredefinedBytes(raw: string): string | null {
  const source = Buffer.from(raw, 'utf8');
  const length = source.length;
  const out = Buffer.allocUnsafe(length);
  let o = 0;
  for (let i = 0; i < length; i++) {
    const byte = source[i]!;
    if (byte !== 0x26) {
      out[o++] = byte;
      continue;
    }
    const c1 = source[i + 1];
    const c2 = source[i + 2];
    const c3 = source[i + 3];
    if (c2 === 0x74 && c3 === 0x3b && (c1 === 0x6c || c1 === 0x67)) {
      // &lt; &gt;
      out[o++] = c1 === 0x6c ? 0x3c : 0x3e;
      i += 3;
    } else if (c1 === 0x61 && c2 === 0x6d && c3 === 0x70 && source[i + 4] === 0x3b) {
      // &amp;
      out[o++] = 0x26;
      i += 4;
    } else if (c1 === 0x71 && c2 === 0x75 && c3 === 0x6f && source[i + 4] === 0x74 && source[i + 5] === 0x3b) {
      // &quot;
      out[o++] = 0x22;
      i += 5;
    } else if (c1 === 0x61 && c2 === 0x70 && c3 === 0x6f && source[i + 4] === 0x73 && source[i + 5] === 0x3b) {
      // &apos;
      out[o++] = 0x27;
      i += 5;
    } else {
      return null;
    }
  }
  return out.toString('utf8', 0, o);
}

function decodeEntitiesChecked(raw: string, at: number): string {
  let out = '';
  let index = 0;
  while (index < raw.length) {
    const amp = raw.indexOf('&', index);
    if (amp === -1) {
      out += raw.slice(index);
      break;
    }
    out += raw.slice(index, amp);
    const semi = raw.indexOf(';', amp);
    if (semi === -1 || semi - amp > 12) throw new XmlSyntaxError('malformed', `unterminated entity near ${at + amp}`);
    const name = raw.slice(amp + 1, semi);
    if (name.startsWith('#')) {
      const hex = name[1] === 'x';
      const digits = hex ? name.slice(2) : name.slice(1);
      if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) {
        throw new XmlSyntaxError('malformed', `bad character reference &${name}; near ${at + amp}`);
      }
      const code = Number.parseInt(digits, hex ? 16 : 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new XmlSyntaxError('malformed', `character reference &${name}; is not a legal XML character`);
      }
      out += String.fromCodePoint(code);
    } else {
      const value = PREDEFINED[name];
      if (value === undefined) {
        throw new XmlSyntaxError('unknown-entity', `entity &${name}; is not one of XML's predefined entities`);
      }
      out += value;
    }
    index = semi + 1;
  }
  return out;
}

interface OpenElement {
  element: XmlElement;
  scope: Map<string, string>;
}

/** Where a name stops: white space, `/`, `>` or `=`. */
function endsName(code: number): boolean {
  if (code > 0x7f) return WHITE_SPACE.test(String.fromCharCode(code));
  return (
    code === 0x2f || code === 0x3e || code === 0x3d || (code <= 0x20 && WHITE_SPACE.test(String.fromCharCode(code)))
  );
}
const WHITE_SPACE = /\s/;

function readName(text: string, start: number): number {
  let index = start;
  while (index < text.length && !endsName(text.charCodeAt(index))) index++;
  if (index === start) throw new XmlSyntaxError('malformed', `expected a name at ${start}`);
  return index;
}

function resolve(name: string, scope: Map<string, string>, isAttribute: boolean): string {
  const colon = name.indexOf(':');
  if (colon === -1) return isAttribute ? '' : (scope.get('') ?? '');
  const prefix = name.slice(0, colon);
  if (prefix === 'xml') return XML_NAMESPACE;
  const uri = scope.get(prefix);
  if (uri === undefined) throw new XmlSyntaxError('unbound-prefix', `prefix "${prefix}" of <${name}> is not declared`);
  return uri;
}

/** Parses a complete document. Never throws for bad input: malformed XML is a value. */
export function parseXml(text: string): XmlParseResult {
  try {
    return { ok: true, root: parseDocument(text) };
  } catch (error) {
    if (error instanceof XmlSyntaxError) return { ok: false, problem: error.problem, detail: error.message };
    throw error;
  }
}

function parseDocument(input: string): XmlElement {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const stack: OpenElement[] = [];
  let root: XmlElement | null = null;
  let index = 0;
  const length = text.length;

  while (index < length) {
    const lt = text.indexOf('<', index);
    const chunkEnd = lt === -1 ? length : lt;
    if (chunkEnd > index) {
      const chunk = text.slice(index, chunkEnd);
      const top = stack[stack.length - 1];
      if (top) top.element.text += decodeEntities(chunk, index);
      else if (chunk.trim() !== '') throw new XmlSyntaxError('malformed', `text outside the root element at ${index}`);
    }
    if (lt === -1) break;
    index = lt;
    const next = text[index + 1];

    if (next === '?') {
      const end = text.indexOf('?>', index + 2);
      if (end === -1) throw new XmlSyntaxError('malformed', 'unterminated processing instruction');
      index = end + 2;
      continue;
    }
    if (next === '!') {
      if (text.startsWith('<!--', index)) {
        const end = text.indexOf('-->', index + 4);
        if (end === -1) throw new XmlSyntaxError('malformed', 'unterminated comment');
        index = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', index)) {
        const end = text.indexOf(']]>', index + 9);
        if (end === -1) throw new XmlSyntaxError('malformed', 'unterminated CDATA section');
        const top = stack[stack.length - 1];
        if (!top) throw new XmlSyntaxError('malformed', 'CDATA outside the root element');
        top.element.text += text.slice(index + 9, end);
        index = end + 3;
        continue;
      }
      if (text.slice(index, index + 9).toUpperCase() === '<!DOCTYPE') {
        throw new XmlSyntaxError('doctype-forbidden', 'documents with a DOCTYPE are refused (no DTDs, no entities)');
      }
      throw new XmlSyntaxError('malformed', `unexpected markup declaration at ${index}`);
    }
    if (next === '/') {
      const nameEnd = readName(text, index + 2);
      const name = text.slice(index + 2, nameEnd);
      const close = text.indexOf('>', nameEnd);
      if (close === -1 || text.slice(nameEnd, close).trim() !== '') {
        throw new XmlSyntaxError('malformed', `bad end tag </${name}`);
      }
      const open = stack.pop();
      if (!open || open.element.name !== name) {
        throw new XmlSyntaxError('mismatched-tag', `</${name}> does not close <${open?.element.name ?? '(nothing)'}>`);
      }
      index = close + 1;
      continue;
    }

    // Start tag.
    const nameEnd = readName(text, index + 1);
    const name = text.slice(index + 1, nameEnd);
    const rawAttributes: Array<[string, string]> = [];
    let cursor = nameEnd;
    let selfClosing = false;
    for (;;) {
      while (cursor < length && /\s/.test(text[cursor]!)) cursor++;
      if (cursor >= length) throw new XmlSyntaxError('malformed', `unterminated start tag <${name}`);
      const c = text[cursor];
      if (c === '>') {
        cursor++;
        break;
      }
      if (c === '/' && text[cursor + 1] === '>') {
        selfClosing = true;
        cursor += 2;
        break;
      }
      const attrEnd = readName(text, cursor);
      const attrName = text.slice(cursor, attrEnd);
      cursor = attrEnd;
      while (cursor < length && /\s/.test(text[cursor]!)) cursor++;
      if (text[cursor] !== '=') throw new XmlSyntaxError('malformed', `attribute ${attrName} has no value`);
      cursor++;
      while (cursor < length && /\s/.test(text[cursor]!)) cursor++;
      const quote = text[cursor];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('malformed', `attribute ${attrName} is not quoted`);
      const valueEnd = text.indexOf(quote, cursor + 1);
      if (valueEnd === -1) throw new XmlSyntaxError('malformed', `unterminated value of ${attrName}`);
      const rawValue = text.slice(cursor + 1, valueEnd);
      if (rawValue.includes('<')) throw new XmlSyntaxError('malformed', `"<" in the value of ${attrName}`);
      if (rawAttributes.some(([existing]) => existing === attrName)) {
        throw new XmlSyntaxError('malformed', `attribute ${attrName} repeated on <${name}>`);
      }
      rawAttributes.push([attrName, decodeEntities(rawValue, cursor + 1)]);
      cursor = valueEnd + 1;
    }

    if (root && stack.length === 0) throw new XmlSyntaxError('malformed', 'more than one root element');
    if (stack.length >= MAX_DEPTH) throw new XmlSyntaxError('too-deep', `elements nested deeper than ${MAX_DEPTH}`);

    const parentScope = stack[stack.length - 1]?.scope;
    let scope = parentScope ?? new Map<string, string>();
    const attributes: Record<string, string> = {};
    for (const [attrName, value] of rawAttributes) {
      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        scope.set(attrName === 'xmlns' ? '' : attrName.slice(6), value);
      }
      attributes[attrName] = value;
    }
    for (const attrName of Object.keys(attributes)) {
      if (attrName !== 'xmlns' && !attrName.startsWith('xmlns:')) resolve(attrName, scope, true);
    }
    const colon = name.indexOf(':');
    const element: XmlElement = {
      name,
      localName: colon === -1 ? name : name.slice(colon + 1),
      namespace: resolve(name, scope, false),
      attributes,
      children: [],
      text: '',
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.element.children.push(element);
    else root = element;
    if (!selfClosing) stack.push({ element, scope });
    index = cursor;
  }

  if (stack.length > 0)
    throw new XmlSyntaxError('malformed', `<${stack[stack.length - 1]!.element.name}> is not closed`);
  if (!root) throw new XmlSyntaxError('empty', 'the document has no root element');
  return root;
}

let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * `before` + `value` escaped as `escapeXml` does + `after`, as UTF-8 bytes: how a large qbXML document goes into
 * an answer. Escaping the bytes in one pass and encoding once is several times quicker than a string replace of
 * thousands of `<` followed by a second pass to encode the result for the socket.
 */
export function escapeXmlBetween(before: string, value: string, after: string): Buffer {
  const source = Buffer.from(value, 'utf8');
  const length = source.length;
  const worst = Buffer.byteLength(before) + length * 6 + Buffer.byteLength(after);
  if (scratch.length < worst) scratch = Buffer.allocUnsafeSlow(Math.max(worst, scratch.length * 2));
  const out = scratch;
  let o = out.write(before, 0, 'utf8');
  for (let i = 0; i < length; i++) {
    const byte = source[i]!;
    // Letters and every byte of a multi-byte character are above '>': one comparison for most of the text.
    if (byte > 0x3e) {
      out[o++] = byte;
      continue;
    }
    switch (byte) {
      case 0x26: // &amp;
        out[o] = 0x26;
        out[o + 1] = 0x61;
        out[o + 2] = 0x6d;
        out[o + 3] = 0x70;
        out[o + 4] = 0x3b;
        o += 5;
        break;
      case 0x3c: // &lt;
        out[o] = 0x26;
        out[o + 1] = 0x6c;
        out[o + 2] = 0x74;
        out[o + 3] = 0x3b;
        o += 4;
        break;
      case 0x3e: // &gt;
        out[o] = 0x26;
        out[o + 1] = 0x67;
        out[o + 2] = 0x74;
        out[o + 3] = 0x3b;
        o += 4;
        break;
      case 0x22: // &quot;
        out[o] = 0x26;
        out[o + 1] = 0x71;
        out[o + 2] = 0x75;
        out[o + 3] = 0x6f;
        out[o + 4] = 0x74;
        out[o + 5] = 0x3b;
        o += 6;
        break;
      case 0x27: // &apos;
        out[o] = 0x26;
        out[o + 1] = 0x61;
        out[o + 2] = 0x70;
        out[o + 3] = 0x6f;
        out[o + 4] = 0x73;
        out[o + 5] = 0x3b;
        o += 6;
        break;
      default:
        out[o++] = byte;
    }
  }
  o += out.write(after, o, 'utf8');
  // A copy of exactly the bytes written: the scratch is reused by the next call while the socket still holds this.
  return Buffer.from(out.subarray(0, o));
}

/** Escapes text for element content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** The first child with this local name (and namespace, when given). */
export function childElement(parent: XmlElement, localName: string, namespace?: string): XmlElement | undefined {
  return parent.children.find(
    (child) => child.localName === localName && (namespace === undefined || child.namespace === namespace),
  );
}
