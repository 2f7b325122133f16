import { createHash } from 'node:crypto';

/**
 * Deterministic identities. The same Shopify source and settings always give the same document key, and the
 * same key always gives the same GUID. The GUID travels to QuickBooks as `ExternalGUID` on every record and
 * transaction the connector adds, so a record found in QuickBooks can be recognised as ours (adopt on a 3100
 * "name in use", or find a transaction whose response was lost) without trusting names or memos.
 */
export function externalGuidFor(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex').toUpperCase();
  // Shaped like a version-5 (name-based) UUID so it passes any GUID check; braces as QuickBooks writes GUIDs.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16).toUpperCase();
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}}`;
}

/** A short, stable fingerprint (base-36) of a key, for names and reference numbers that must stay short. */
export function shortHash(key: string, length = 6): string {
  const digest = createHash('sha256').update(key).digest();
  let value = 0n;
  for (let i = 0; i < 12; i++) value = (value << 8n) | BigInt(digest[i]!);
  return value.toString(36).toUpperCase().padStart(length, '0').slice(-length);
}
