/**
 * QuickBooks Desktop stores text as ISO-8859-1. Characters outside it either make QuickBooks reject the whole
 * request ("QuickBooks found an error when parsing the provided XML text stream", 0x80040400) or come back as "?"
 * (https://github.com/qbwc/qbxml/issues/8), and Word-style punctuation is refused by the Web Connector
 * (consolibyte quickbooks-php Cast.php). So every string is brought into Latin-1 before it is written:
 * typographic punctuation to its ASCII twin, accented letters to their base letter, symbols to words, and anything
 * without a sensible Latin-1 form (emoji, CJK, …) dropped.
 */

const SAFE = /^[\t\n\r\x20-\x7e\xa0-\xff]*$/;

const MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u2039': '<',
  '\u203a': '>',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '*',
  '\u20ac': 'EUR',
  '\u20a4': 'GBP',
  '\u20b9': 'INR',
  '\u20bd': 'RUB',
  '\u20a9': 'KRW',
  '\u20ba': 'TRY',
  '\u2122': '(TM)',
  '\u2116': 'No.',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0126': 'H',
  '\u0127': 'h',
  '\u0131': 'i',
  '\u0152': 'OE',
  '\u0153': 'oe',
  '\u0166': 'T',
  '\u0167': 't',
  '\u1e9e': 'SS',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2028': '\n',
  '\u2029': '\n',
};

function isLatin1Char(code: number): boolean {
  return code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff);
}

/** True when the text needs no change to be written for QuickBooks. */
export function isLatin1Safe(text: string): boolean {
  return SAFE.test(text);
}

/**
 * Returns the text restricted to Latin-1 (and to characters XML 1.0 allows). The caller compares with the input
 * to know whether anything was substituted.
 */
export function toLatin1(text: string): string {
  if (SAFE.test(text)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (isLatin1Char(code)) {
      out += char;
      continue;
    }
    const mapped = MAP[char];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    if (code < 0x250 || (code >= 0x1e00 && code <= 0x1eff) || (code >= 0xfb00 && code <= 0xfb06)) {
      // Latin letters with diacritics (ą, č, ő, ẞ…) and ligatures (ﬁ): keep the Latin-1 part of the
      // compatibility decomposition, dropping combining marks.
      let base = '';
      for (const part of char.normalize('NFKD')) {
        const c = part.codePointAt(0)!;
        if (isLatin1Char(c)) base += part;
      }
      out += base;
    }
    // Everything else (emoji and their joiners, CJK, control characters, …) has no Latin-1 form: dropped.
  }
  return out;
}
