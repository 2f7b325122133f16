import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allocate, formatMoney, parseMoney, roundMoney, sumMoney } from './money.ts';

describe('money', () => {
  test('parses and formats decimal strings exactly', () => {
    assert.equal(parseMoney('12'), 1200n);
    assert.equal(parseMoney('12.5'), 1250n);
    assert.equal(parseMoney('-0.07'), -7n);
    assert.equal(parseMoney('19.990'), 1999n);
    assert.equal(formatMoney(1250n), '12.50');
    assert.equal(formatMoney(-7n), '-0.07');
    assert.equal(formatMoney(0n), '0.00');
    assert.throws(() => parseMoney('1.234'), /more than two decimals/);
    assert.throws(() => parseMoney('1e3'), /Not a decimal/);
  });

  test('rounds extra precision half away from zero', () => {
    assert.equal(roundMoney('0.125'), 13n);
    assert.equal(roundMoney('0.1249'), 12n);
    assert.equal(roundMoney('-2.675'), -268n);
    assert.equal(roundMoney('7'), 700n);
  });

  test('allocates by largest remainder and always sums to the total', () => {
    assert.deepEqual(allocate(1000n, [1n, 1n, 1n]), [334n, 333n, 333n]);
    assert.deepEqual(allocate(-1000n, [1n, 1n, 1n]), [-334n, -333n, -333n]);
    assert.deepEqual(allocate(500n, [3000n, 1000n]), [375n, 125n]);
    assert.deepEqual(allocate(7n, [0n, 0n]), [4n, 3n]);
    for (let total = -50n; total <= 50n; total += 7n) {
      const parts = allocate(total, [13n, 7n, 0n, 29n]);
      assert.equal(sumMoney(parts), total);
    }
  });
});
