/** The admin app's catalogue messages as `t` fills them (src/web/i18n/format-message.ts); here because src/web is type-checked for the browser, without Node's test types. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en, formatMessage, type MessageValues, sv } from '../web/index.ts';

const formatters = (tag: string) => ({ plurals: new Intl.PluralRules(tag), numbers: new Intl.NumberFormat(tag) });
const english = formatters('en-US');
const swedish = formatters('sv-SE');

test('a count chooses the singular or the plural, in English and in Swedish, with the number formatted', () => {
  const orders = (n: number, f = english) =>
    formatMessage(en['settings.startDateHistory'], { orders: n, first: 'Jan 1', last: 'Jan 2' }, f);
  assert.equal(orders(1), 'Shopify holds 1 order from Jan 1 to Jan 2.');
  assert.equal(orders(0), 'Shopify holds 0 orders from Jan 1 to Jan 2.');
  assert.equal(orders(14500), 'Shopify holds 14,500 orders from Jan 1 to Jan 2.');
  const ordrar = (n: number) =>
    formatMessage(sv['settings.startDateHistory'], { orders: n, first: '1 jan.', last: '2 jan' }, swedish);
  assert.equal(ordrar(1), 'Shopify har 1 order från 1 jan. till 2 jan.');
  // Swedish groups thousands with a no-break space.
  assert.equal(ordrar(14500), 'Shopify har 14\u00a0500 ordrar från 1 jan. till 2 jan.');
  assert.equal(formatMessage(en['reconciliation.differences'], { count: 1 }, english), '1 category differs.');
  assert.equal(formatMessage(en['documents.total'], { shown: 1, total: 1 }, english), '1 of 1 document');
  assert.equal(formatMessage(en['documents.total'], { shown: 50, total: 1234 }, english), '50 of 1,234 documents');
  assert.equal(formatMessage(sv['reconciliation.differences'], { count: 3 }, swedish), '3 kategorier skiljer sig.');
});

test('an exact count wins over the rule; a missing or non-number value stays visible as written', () => {
  const message = '{n, plural, =0 {nothing} one {# thing} other {# things}} and {other}';
  assert.equal(formatMessage(message, { n: 0, other: 'x' }, english), 'nothing and x');
  assert.equal(formatMessage(message, { n: 2, other: 'x' }, english), '2 things and x');
  assert.equal(formatMessage(message, { n: 'two' }, english), `${message.split(' and')[0]} and {other}`);
  assert.equal(formatMessage('Hello {name}', {}, english), 'Hello {name}');
});

/** A message's placeholder names, plural or plain. */
function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\s*(\w+)\s*(?:,\s*plural\s*,|\})/g)].map((m) => m[1]!).sort();
}

test('every catalogue message formats whole in both languages: same placeholders, nothing left in braces', () => {
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    const names = [...new Set(placeholders(en[key]))];
    assert.deepEqual([...new Set(placeholders(sv[key]))], names, `${key}: the same placeholders in Swedish`);
    for (const count of [0, 1, 2, 1234]) {
      const values: MessageValues = Object.fromEntries(names.map((name) => [name, count]));
      for (const [language, catalogue, f] of [
        ['en', en, english],
        ['sv', sv, swedish],
      ] as const) {
        const text = formatMessage(catalogue[key], values, f);
        assert.doesNotMatch(text, /[{}#]/, `${language} ${key} with ${count}: ${text}`);
      }
    }
  }
});
