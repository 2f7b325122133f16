import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The app token is the Web Connector password: the merchant pastes it into QBWC once (QBWC keeps it encrypted in the
 * registry; the .qwc file has no password element — Intuit Web Connector Programmer's Guide ch.4). We show it once
 * and keep only a salted scrypt hash, with the cost parameters stored beside it so they can be raised later without
 * invalidating tokens already handed out.
 */

/** Crockford's base-32 alphabet: no I, L, O, U, so a token read aloud or retyped has no look-alike characters. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TOKEN_GROUPS = 6;
const GROUP_LENGTH = 4;

export interface ScryptParameters {
  /** CPU/memory cost (a power of two). */
  cost: number;
  blockSize: number;
  parallelization: number;
  keyLength: number;
}

/** OWASP's scrypt minimum (N=2^17 with r=8 is the "high" setting; 2^15 keeps a login near 50 ms on a small PC). */
export const DEFAULT_SCRYPT: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 1, keyLength: 32 };

/** 24 symbols of 5 bits = 120 bits of randomness, written as six groups of four: `7K3M-…`. */
export function generateAppToken(): string {
  const bytes = randomBytes(TOKEN_GROUPS * GROUP_LENGTH);
  const groups: string[] = [];
  for (let group = 0; group < TOKEN_GROUPS; group++) {
    let text = '';
    for (let i = 0; i < GROUP_LENGTH; i++) text += ALPHABET[bytes[group * GROUP_LENGTH + i]! & 31];
    groups.push(text);
  }
  return groups.join('-');
}

/**
 * What the merchant typed, reduced to the canonical token: case, spaces and dashes do not matter, and the look-alike
 * letters Crockford base-32 leaves out are read as the digits they resemble.
 */
export function normalizeAppToken(typed: string): string {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += GROUP_LENGTH) groups.push(compact.slice(i, i + GROUP_LENGTH));
  return groups.join('-');
}

function deriveKey(secret: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      salt,
      parameters.keyLength,
      {
        N: parameters.cost,
        r: parameters.blockSize,
        p: parameters.parallelization,
        maxmem: 256 * parameters.cost * parameters.blockSize,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url): self-describing, so verification needs nothing else. */
export async function hashAppToken(token: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(normalizeAppToken(token), salt, parameters);
  return [
    'scrypt',
    parameters.cost,
    parameters.blockSize,
    parameters.parallelization,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** Constant-time comparison of what was typed against a stored hash. A malformed stored hash never verifies. */
export async function verifyAppToken(typed: string, storedHash: string): Promise<boolean> {
  const parts = storedHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map((part) => Number.parseInt(part, 10)) as [
    number,
    number,
    number,
  ];
  if (![cost, blockSize, parallelization].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  if (cost > 2 ** 20 || blockSize > 32 || parallelization > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  const actual = await deriveKey(normalizeAppToken(typed), salt, {
    cost,
    blockSize,
    parallelization,
    keyLength: expected.length,
  });
  return timingSafeEqual(actual, expected);
}

/** A GUID as QuickBooks and the .qwc file write them: upper-case, in braces. */
export function newQuickBooksGuid(): string {
  return `{${randomUUID().toUpperCase()}}`;
}
