import { XmlSyntaxError } from './errors.ts';

/** Below this many characters the string path is as quick as going through bytes. */
const BYTE_PATH_MIN_LENGTH = 512;

/**
 * Decodes the five predefined entities and numeric character references; anything else (an entity a DTD would
 * have to declare, a bare `&`) is an error, never an expansion.
 */
export function decodeEntities(raw: string, position = 0): string {
  if (raw.indexOf('&') === -1) return raw;
  if (raw.length >= BYTE_PATH_MIN_LENGTH) {
    const decoded = decodePredefinedBytes(raw);
    if (decoded !== null) return decoded;
  }
  return decodeEntitiesChecked(raw, position);
}

/**
 * The common large text: qbXML escaped inside a SOAP `response`, thousands of `&lt;`/`&gt;`. Decoding the UTF-8
 * bytes in one pass is several times quicker than building the string piece by piece. Anything other than the
 * five predefined entities answers null, and the checked path decides — and refuses what must be refused.
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

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntitiesChecked(raw: string, position: number): string {
  let amp = raw.indexOf('&');
  let out = '';
  let last = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > 12) {
      throw new XmlSyntaxError('malformed', 'Unterminated character reference', position + amp);
    }
    const ref = raw.slice(amp + 1, semi);
    let decoded = PREDEFINED[ref];
    if (decoded === undefined) {
      let code = Number.NaN;
      if (ref.startsWith('#x') || ref.startsWith('#X')) {
        if (/^[0-9a-fA-F]+$/.test(ref.slice(2))) code = Number.parseInt(ref.slice(2), 16);
      } else if (ref.startsWith('#')) {
        if (/^[0-9]+$/.test(ref.slice(1))) code = Number.parseInt(ref.slice(1), 10);
      } else {
        throw new XmlSyntaxError(
          'unknown-entity',
          `Undeclared entity &${ref}; (only the five predefined entities are read)`,
          position + amp,
        );
      }
      if (!Number.isInteger(code) || code < 1 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new XmlSyntaxError('malformed', `Invalid character reference &${ref};`, position + amp);
      }
      decoded = String.fromCodePoint(code);
    }
    out += raw.slice(last, amp) + decoded;
    last = semi + 1;
    amp = raw.indexOf('&', last);
  }
  return out + raw.slice(last);
}
