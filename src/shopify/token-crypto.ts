import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';

/**
 * Secrets at rest (Shopify access and refresh tokens, the Stocky key): AES-256-GCM with a fresh 96-bit nonce per
 * value. Stored as `v1.<nonce>.<tag>.<ciphertext>` (base64url), so a wrong key or a tampered value is detected
 * (the tag) instead of decrypting to garbage. The key comes from configuration (`Config.encryptionKey`).
 */
const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new RangeError('The encryption key must be 32 bytes');
}

export function encryptSecret(plain: string, key: Buffer): string {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    VERSION,
    nonce.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

export function decryptSecret(stored: string, key: Buffer): Result<string> {
  checkKey(key);
  const [version, nonce, tag, body] = stored.split('.');
  if (version !== VERSION || nonce === undefined || tag === undefined || body === undefined) {
    return err(unreadable('the stored value is not in the v1 format'));
  }
  const nonceBytes = Buffer.from(nonce, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  // Without authTagLength, Node's GCM decipher accepts a tag cut down to 4 bytes (DEP0182): whoever can write the
  // stored value could then forge one in about 2^32 tries instead of 2^128. Only the full 16-byte tag we write is
  // accepted. https://nodejs.org/api/deprecations.html#DEP0182
  if (nonceBytes.length !== NONCE_BYTES || tagBytes.length !== TAG_BYTES) {
    return err(unreadable('the nonce or the authentication tag has the wrong length'));
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonceBytes, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tagBytes);
    return ok(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8'));
  } catch {
    return err(unreadable('authentication failed (another key, or the value was altered)'));
  }
}

function unreadable(why: string): ConnectorError {
  return new ConnectorError({
    code: 'SECRET_UNREADABLE',
    message: `A stored secret could not be decrypted: ${why}`,
    merchantMessage:
      'The connector cannot read its saved Shopify connection, usually because its encryption key changed. Open the app from Shopify admin to connect the store again.',
    merchantMustAct: true,
  });
}
