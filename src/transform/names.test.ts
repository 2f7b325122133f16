import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { assignNames, cleanName, refNumberFor, toLatin1 } from './names.ts';

describe('names QuickBooks accepts', () => {
  it('transliterates to Latin-1 and keeps Latin-1 accents', () => {
    assert.equal(toLatin1('Zoë “Łódź” — Œuvre'), 'Zoë "Lódz" - OEuvre');
    assert.equal(toLatin1('Ștefan Dvořák'), 'Stefan Dvorák');
    assert.equal(toLatin1('東京 Store'), ' Store');
  });

  it('drops colons (the FullName separator) and cuts to the limit', () => {
    assert.equal(cleanName('Parent: Child', 41), 'Parent- Child');
    assert.equal(cleanName('x'.repeat(50), 31).length, 31);
  });

  it('gives unique names case-insensitively; the senior entity keeps the plain name, forever', () => {
    const first = assignNames(
      [
        { key: 'customer/2', wanted: 'ACME', fallback: 'Customer', since: '2024-02-01' },
        { key: 'customer/1', wanted: 'Acme', fallback: 'Customer', since: '2024-01-01' },
      ],
      41,
    );
    assert.equal(first.get('customer/1'), 'Acme');
    assert.match(first.get('customer/2')!, /^ACME ~[0-9A-Z]{4}$/);
    const later = assignNames(
      [
        { key: 'vendor/9', wanted: 'acme', fallback: 'Vendor', since: '2025-01-01' },
        { key: 'customer/2', wanted: 'ACME', fallback: 'Customer', since: '2024-02-01' },
        { key: 'customer/1', wanted: 'Acme', fallback: 'Customer', since: '2024-01-01' },
      ],
      41,
    );
    assert.equal(later.get('customer/1'), first.get('customer/1'));
    assert.equal(later.get('customer/2'), first.get('customer/2'));
    assert.notEqual(later.get('vendor/9')!.toLowerCase(), 'acme');
  });

  it('avoids names QuickBooks already uses for records that are not ours', () => {
    const names = assignNames([{ key: 'item/1', wanted: 'Shipping', fallback: 'Item', since: '' }], 31, ['SHIPPING']);
    assert.notEqual(names.get('item/1')!.toLowerCase(), 'shipping');
  });

  it('property: any names come out valid, unique, and the same on every run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 60, unit: 'binary' }), fc.integer({ min: 0, max: 5 })), {
          maxLength: 40,
        }),
        (entries) => {
          const requests = entries.map(([wanted, since], i) => ({
            key: `k/${i}`,
            wanted,
            fallback: 'Customer',
            since: String(since),
          }));
          const names = assignNames(requests, 41);
          const seen = new Set<string>();
          for (const request of requests) {
            const name = names.get(request.key)!;
            assert.ok(name.length > 0 && name.length <= 41, name);
            assert.ok(!name.includes(':'));
            assert.ok([...name].every((c) => c.codePointAt(0)! <= 0xff));
            assert.ok(!seen.has(name.toLowerCase()));
            seen.add(name.toLowerCase());
          }
          assert.deepEqual(assignNames([...requests].reverse(), 41), names);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reference numbers fit in 11 characters and stay distinct', () => {
    assert.equal(refNumberFor('#1001', 'order/1'), '1001');
    const a = refNumberFor('#SHOP-2025-000123', 'order/1');
    const b = refNumberFor('#SHOP-2025-000124', 'order/2');
    assert.equal(a.length, 11);
    assert.notEqual(a, b);
  });
});
