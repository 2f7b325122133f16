import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatMoney } from '../domain/index.ts';
import { buildRequestDocument, type QbxmlRequest } from './build.ts';

/** The writer caches shapes and proven sequences (for bench/qbxml.ts throughput); these tests hold it to the uncached rules. */

function customer(body: Record<string, unknown>): QbxmlRequest {
  return { type: 'CustomerAdd', requestID: '1', body: { CustomerAdd: body } } as unknown as QbxmlRequest;
}

function xmlOf(request: QbxmlRequest): string {
  const result = buildRequestDocument({ onError: 'stopOnError', requests: [request] });
  if (!result.ok) throw result.error;
  return result.value.xml;
}

function amountLine(amount: unknown): string | Error {
  const result = buildRequestDocument({
    onError: 'stopOnError',
    requests: [
      {
        type: 'SalesReceiptAdd',
        requestID: '1',
        body: { SalesReceiptAdd: { SalesReceiptLineAdd: [{ Amount: amount as bigint }] } },
      },
    ],
  });
  if (!result.ok) return result.error;
  return /<Amount>([^<]*)<\/Amount>/.exec(result.value.xml)![1]!;
}

function txnDate(date: string): boolean {
  const result = buildRequestDocument({
    onError: 'stopOnError',
    requests: [
      {
        type: 'SalesReceiptAdd',
        requestID: '1',
        body: { SalesReceiptAdd: { TxnDate: date, SalesReceiptLineAdd: [{ Amount: 1n }] } },
      },
    ],
  });
  return result.ok;
}

describe('writer caches', () => {
  test('a cached key order still skips undefined and null values and still refuses unknown keys with a value', () => {
    const full = xmlOf(customer({ Name: 'Ada', CompanyName: 'Ada Ltd', Phone: '555' }));
    assert.match(full, /<Name>Ada<\/Name><CompanyName>Ada Ltd<\/CompanyName><Phone>555<\/Phone>/);
    const holes = xmlOf(customer({ Name: 'Ada', CompanyName: undefined, Phone: null }));
    assert.match(holes, /<CustomerAdd><Name>Ada<\/Name><\/CustomerAdd>/);
    // An unknown key is tolerated while undefined, and that shape is never cached as safe.
    for (let i = 0; i < 3; i++) {
      assert.match(
        xmlOf(customer({ Name: 'Ada', Colour: undefined })),
        /<CustomerAdd><Name>Ada<\/Name><\/CustomerAdd>/,
      );
      assert.throws(() => xmlOf(customer({ Name: 'Ada', Colour: 'red' })), /<Colour> is not an element of CustomerAdd/);
    }
  });

  test('a sequence the schema refuses is refused every time, before and after valid ones are cached', () => {
    for (let i = 0; i < 3; i++) {
      assert.throws(() => xmlOf(customer({ CompanyName: 'No name' })), /missing child element|not expected/);
      assert.match(xmlOf(customer({ Name: `Ada ${i}`, CompanyName: 'Ltd' })), /<Name>Ada \d<\/Name>/);
      // Name present but null: the same keys as the valid shape, and still missing a required element.
      assert.throws(() => xmlOf(customer({ Name: null, CompanyName: 'Ltd' })), /missing child element|not expected/);
    }
  });

  test('a key order never seen before gives the same bytes as the schema order', () => {
    const receipt = (order: string[]): QbxmlRequest => {
      const fields: Record<string, unknown> = {
        CustomerRef: { FullName: 'Walk-in' },
        TxnDate: '2026-05-14',
        Memo: 'x',
        SalesReceiptLineAdd: [{ Amount: 100n }, { Desc: 'd', Amount: '-1.00' }],
      };
      const body: Record<string, unknown> = {};
      for (const key of order) body[key] = fields[key];
      return { type: 'SalesReceiptAdd', requestID: '1', body: { SalesReceiptAdd: body } } as QbxmlRequest;
    };
    const keys = ['CustomerRef', 'TxnDate', 'Memo', 'SalesReceiptLineAdd'];
    const expected = xmlOf(receipt(keys));
    fc.assert(
      fc.property(fc.shuffledSubarray(keys, { minLength: 4, maxLength: 4 }), (order) => {
        assert.equal(xmlOf(receipt(order)), expected);
      }),
      { numRuns: 48 },
    );
  });
});

describe('scalar fast paths agree with the general rules', () => {
  test('Money amounts are formatMoney exactly, inside and outside the range a double holds, up to 13 digits', () => {
    const limit = 10n ** 15n; // 13 digits before the decimal point
    const amount = fc.oneof(
      fc.bigInt({ min: -(2n ** 53n) - 5n, max: 2n ** 53n + 5n }),
      fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
      fc.constantFrom(0n, 1n, -1n, 9n, 10n, 99n, 100n, -100n, limit - 1n, limit, -(limit - 1n), -limit),
    );
    fc.assert(
      fc.property(amount, (value) => {
        const written = amountLine(value);
        const magnitude = value < 0n ? -value : value;
        if (magnitude < limit) assert.equal(written, formatMoney(value));
        else assert.ok(written instanceof Error && /at most 13 digits/.test(written.message));
      }),
      { numRuns: 400 },
    );
  });

  test('decimal strings: canonical ones pass unchanged, others are normalised or refused as before', () => {
    assert.equal(amountLine('12.50'), '12.50');
    assert.equal(amountLine('-0.00'), '-0.00');
    assert.equal(amountLine('0012.5'), '12.50');
    assert.equal(amountLine('+3'), '3.00');
    assert.equal(amountLine('1.230'), '1.23');
    assert.ok(amountLine('1.234') instanceof Error);
    assert.ok(amountLine('12345678901234.00') instanceof Error);
    assert.equal(amountLine('1234567890123.00'), '1234567890123.00');
  });

  test('dates: the calendar, leap years included, as Date.UTC decides', () => {
    const reference = (text: string): boolean => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!m) return false;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
    };
    const date = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(date, (text) => assert.equal(txnDate(text), reference(text), text)),
      { numRuns: 500 },
    );
    for (const text of [
      '2024-02-29',
      '2000-02-29',
      '1900-02-29',
      '2023-02-29',
      '0000-02-29',
      '0004-02-29',
      '2026-4-01',
    ]) {
      assert.equal(txnDate(text), reference(text), text);
    }
  });
});
