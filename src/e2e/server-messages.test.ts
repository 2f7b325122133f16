import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HELD_BACK_ORDER_CODES } from '../transform/index.ts';
import { englishOnly, polarisSwedishFixes, serverText, swedish } from '../web/index.ts';

const SRC = join(import.meta.dirname, '..');

/**
 * Every `code: 'X'` the server side can put on a ConnectorError, and every `errorCode: 'X'` of QuickBooks' status
 * catalogue (which becomes the code of a refused document), tests, the web app and browser tests excluded.
 */
function serverCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'web' && entry.name !== 'e2e') walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.test(-support)?\.ts$/.test(entry.name)) {
        // `refusal('X', …)` is the sign-in's and the session check's way of making a ConnectorError.
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(
          /\b(?:code|errorCode): '([A-Z][A-Z0-9_]+)'|\brefusal\(\s*'([A-Z][A-Z0-9_]+)'/g,
        ))
          codes.add(match[1] ?? match[2]);
      }
    }
  };
  walk(SRC);
  assert.ok(codes.has('AUTH_TOKEN_WRONG'), 'the scan sees the sign-in’s refusals');
  // Held-back orders carry their code from a table of reasons, not from a `code:` literal.
  for (const code of HELD_BACK_ORDER_CODES) codes.add(code);
  return codes;
}

test('every code the server emits has a Swedish entry or is on the reviewed English-only list', () => {
  const codes = serverCodes();
  assert.ok(codes.size > 50, `found only ${codes.size} codes: the scan is broken`);
  const missing = [...codes].filter((code) => swedish[code] === undefined && !englishOnly.has(code));
  assert.deepEqual(missing, []);
});

test('a code is not both translated and marked English-only', () => {
  assert.deepEqual(
    Object.keys(swedish).filter((code) => englishOnly.has(code)),
    [],
  );
});

test('Swedish from the code, the server English for unknown codes or English merchants', () => {
  assert.match(serverText('sv', 'SALES_TAX_OFF', 'Sales tax is off'), /Moms är avstängd/);
  assert.match(serverText('sv', 'QB_INVALID_REFERENCE', 'Item "Shipping" refers to …'), /inaktivt/);
  assert.equal(serverText('sv', 'NO_SUCH_CODE', 'Server words'), 'Server words');
  assert.equal(serverText('sv', null, 'Server words'), 'Server words');
  assert.equal(serverText('en', 'SALES_TAX_OFF', 'Sales tax is off'), 'Sales tax is off');
});

test('Polaris’ own Swedish is corrected where it is wrong: the attention badge is not called “recipient”', () => {
  const polarisSv = JSON.parse(
    readFileSync(join(SRC, '..', 'node_modules', '@shopify', 'polaris', 'locales', 'sv.json'), 'utf8'),
  ) as { Polaris: { Badge: { TONE_LABELS: Record<string, string> } } };
  // Still wrong upstream: when Polaris fixes it, this correction can go.
  assert.equal(polarisSv.Polaris.Badge.TONE_LABELS.attention, 'Mottagare');
  assert.equal(polarisSwedishFixes.Polaris.Badge.TONE_LABELS.attention, 'Observera');
});
