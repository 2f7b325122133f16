/** Escaping for the writers: qbXML documents, SOAP answers and .qwc files. */

const ESCAPE_TEST = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes the five XML special characters; text and attribute values alike. */
export function escapeXml(text: string): string {
  if (!ESCAPE_TEST.test(text)) return text;
  return text.replace(ESCAPE_ALL, (c) => ESCAPES[c]!);
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
