/**
 * Names QuickBooks Desktop accepts. QuickBooks stores text as ISO-8859-1 and rejects (or turns into "?") anything
 * else (https://github.com/qbwc/qbxml/issues/8); `:` separates levels in a FullName; customer and vendor names are
 * ≤ 41 characters and unique case-insensitively across customers, vendors, employees and other names; item names
 * are ≤ 31 and unique among items (the CustomerAdd and ItemInventoryAdd references in Intuit's onscreen reference,
 * https://developer-static.intuit.com/qbSDK-current/Common/newOSR/index.html).
 */
import { shortHash } from '../domain/index.ts';

export const NAME_MAX = 41;
export const ITEM_NAME_MAX = 31;
export const REF_NUMBER_MAX = 11;

// Characters outside Latin-1 that have an obvious Latin-1 spelling. The Windows-1252 glyphs (curly quotes,
// dashes, euro) are here too: they are not Latin-1 even though Windows shows them.
const SPELLINGS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u20ac': 'EUR',
  '\u2122': 'TM',
  '\u0152': 'OE',
  '\u0153': 'oe',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0131': 'i',
  '\u0126': 'H',
  '\u0127': 'h',
  '\u1e9e': 'SS',
  '\u00a0': ' ',
};

/** Text QuickBooks can store: Latin-1 only (transliterated where possible), no control characters. */
export function toLatin1(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += ' ';
    } else if (code <= 0xff) {
      out += ch;
    } else if (SPELLINGS[ch] !== undefined) {
      out += SPELLINGS[ch];
    } else {
      // Decompose (é = e + ´) and keep the Latin-1 part; scripts with no Latin form drop out.
      for (const part of ch.normalize('NFKD')) {
        const c = part.codePointAt(0)!;
        if (c >= 0x20 && c <= 0xff && !(c >= 0x7f && c < 0xa0)) out += part;
        else if (SPELLINGS[part] !== undefined) out += SPELLINGS[part];
      }
    }
  }
  return out;
}

/** A list-record name: Latin-1, no `:`, single spaces, trimmed, at most `max` characters. */
export function cleanName(text: string, max: number): string {
  const cleaned = toLatin1(text).replace(/:/g, '-').replace(/\s+/g, ' ').trim();
  return cleaned.length <= max ? cleaned : cleaned.slice(0, max).trimEnd();
}

export interface NameRequest {
  /** The entity's document key; the disambiguating suffix is derived from it so it never changes. */
  key: string;
  /** The name as Shopify has it. */
  wanted: string;
  /** Fallback when `wanted` has no Latin-1 characters at all (e.g. "Customer"). */
  fallback: string;
  /** Sort key of seniority (ISO date); the senior entity keeps the plain name, later ones get a suffix. */
  since: string;
}

/**
 * Assigns unique, QuickBooks-valid names. Deterministic and stable: entities are taken in order of seniority
 * (`since`, then key), so a name given once is never taken away by an entity that appears later; a colliding
 * name gets a suffix such as " ~AB12", a four-character fingerprint of the entity's key, which no later run changes.
 * `reserved` holds names already used in QuickBooks by records that are not ours.
 */
export function assignNames(
  requests: readonly NameRequest[],
  max: number,
  reserved: Iterable<string> = [],
): Map<string, string> {
  const used = new Set<string>();
  for (const name of reserved) used.add(name.toLowerCase());
  const ordered = [...requests].sort((a, b) =>
    a.since < b.since ? -1 : a.since > b.since ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const names = new Map<string, string>();
  for (const request of ordered) {
    if (names.has(request.key)) continue;
    let base = cleanName(request.wanted, max);
    if (base === '') base = cleanName(`${request.fallback} ${shortHash(request.key, 6)}`, max);
    let name = base;
    for (let length = 4; used.has(name.toLowerCase()); length++) {
      const suffix = ` ~${shortHash(request.key, Math.min(length, 12))}`;
      if (length > 12) throw new Error(`Could not find a unique name for ${request.key}`);
      name = base.slice(0, max - suffix.length).trimEnd() + suffix;
    }
    used.add(name.toLowerCase());
    names.set(request.key, name);
  }
  return names;
}

/**
 * A RefNumber (≤ 11): Shopify's order name without "#" when it fits, else a stable fingerprint so two long
 * names never share a number.
 */
export function refNumberFor(text: string, key: string): string {
  const cleaned = toLatin1(text).replace(/^#/, '').replace(/\s+/g, '').trim();
  if (cleaned.length > 0 && cleaned.length <= REF_NUMBER_MAX) return cleaned;
  return shortHash(key, REF_NUMBER_MAX);
}
