import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signWebhookBody, verifyWebhookHmac } from './webhook-hmac.ts';

const secret = 'app-secret';
const body = Buffer.from('{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}');

test('the signature is the base64 HMAC-SHA256 of the raw bytes with the app secret', () => {
  const expected = createHmac('sha256', secret).update(body).digest('base64');
  assert.equal(signWebhookBody(body, secret), expected);
  assert.equal(verifyWebhookHmac(body, expected, secret), true);
});

test('a wrong secret, an altered body, a missing or malformed header all fail', () => {
  const signature = signWebhookBody(body, secret);
  assert.equal(verifyWebhookHmac(body, signWebhookBody(body, 'other'), secret), false);
  assert.equal(verifyWebhookHmac(Buffer.from(body.toString().replace('508', '509')), signature, secret), false);
  assert.equal(verifyWebhookHmac(body, undefined, secret), false);
  assert.equal(verifyWebhookHmac(body, 'not base64!', secret), false);
  assert.equal(verifyWebhookHmac(body, signature, ''), false);
  // Re-serialised JSON (same data, other bytes) is not the signed body.
  assert.equal(verifyWebhookHmac(Buffer.from(JSON.stringify(JSON.parse(body.toString()))), signature, secret), false);
});
