import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Shopify signs each webhook with `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the raw body bytes, keyed with
 * the app's client secret (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify).
 * Checked on the bytes as received, before any parsing, and compared in constant time.
 */
export function signWebhookBody(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function verifyWebhookHmac(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || secret.length === 0) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret), 'base64');
  const given = Buffer.from(header.trim(), 'base64');
  // Lengths differ for any malformed header; timingSafeEqual needs equal lengths, and length is not secret.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
