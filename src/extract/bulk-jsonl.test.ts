import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { BulkStitcher, readLineBytes, readLines, type StitchedRoot } from './bulk-jsonl.ts';

const childFields = { LineItem: 'lineItems', ShippingLine: 'shippingLines', Return: 'returns' };

function run(lines: string[], window?: number): { roots: StitchedRoot[]; stitcher: BulkStitcher } {
  const stitcher = new BulkStitcher({ childFields, window });
  const roots: StitchedRoot[] = [];
  for (const line of lines) roots.push(...stitcher.push(line));
  roots.push(...stitcher.finish());
  return { roots, stitcher };
}

const order = (n: number) => JSON.stringify({ id: `gid://shopify/Order/${n}`, name: `#${n}`, refunds: [] });
const item = (n: number, parent: number, extra = '') =>
  `{"id":"gid://shopify/LineItem/${n}","quantity":1${extra},"__parentId":"gid://shopify/Order/${parent}"}`;

test('children are folded into their parent as arrays, in field order, without __parentId', () => {
  const { roots } = run([
    order(1),
    item(11, 1),
    '{"id":"gid://shopify/ShippingLine/5","title":"Post","__parentId":"gid://shopify/Order/1"}',
    item(12, 1),
    order(2),
  ]);
  assert.equal(roots.length, 2);
  assert.deepEqual(JSON.parse(roots[0]!.text), {
    id: 'gid://shopify/Order/1',
    name: '#1',
    refunds: [],
    lineItems: [
      { id: 'gid://shopify/LineItem/11', quantity: 1 },
      { id: 'gid://shopify/LineItem/12', quantity: 1 },
    ],
    shippingLines: [{ id: 'gid://shopify/ShippingLine/5', title: 'Post' }],
    returns: [],
  });
  assert.deepEqual(roots[0]!.childCounts, { lineItems: 2, shippingLines: 1, returns: 0 });
  assert.deepEqual(JSON.parse(roots[1]!.text).lineItems, []);
});

test('a child arriving after other parents is still stitched while its parent is in the window', () => {
  const { roots, stitcher } = run([order(1), order(2), order(3), item(11, 1), item(21, 2)], 4);
  assert.deepEqual(
    roots.map((r) => JSON.parse(r.text).lineItems.length),
    [1, 1, 0],
  );
  assert.equal(stitcher.lateParents.size, 0);
});

test('a child whose parent already left the window is reported, not lost', () => {
  const { roots, stitcher } = run([order(1), order(2), order(3), item(11, 1), item(31, 3)], 1);
  assert.equal(roots.length, 3);
  assert.deepEqual([...stitcher.lateParents], ['gid://shopify/Order/1']);
  assert.equal(stitcher.stats.lateChildren, 1);
  assert.equal(JSON.parse(roots[2]!.text).lineItems.length, 1);
});

test('__parentId anywhere in the line, escapes and non-ASCII text survive', () => {
  const { roots } = run([
    order(1),
    '{"__parentId":"gid://shopify/Order/1","id":"gid://shopify/LineItem/1","title":"Caf\\u00e9 \\"noir\\""}',
    '{"id":"gid://shopify/LineItem/2","title":"Smörgås","__parentId":"gid://shopify/Order/1"}',
  ]);
  assert.deepEqual(JSON.parse(roots[0]!.text).lineItems, [
    { id: 'gid://shopify/LineItem/1', title: 'Café "noir"' },
    { id: 'gid://shopify/LineItem/2', title: 'Smörgås' },
  ]);
});

test('a child of a type the query does not have is a bug: it throws', () => {
  assert.throws(() => run([order(1), '{"id":"gid://shopify/Fulfillment/1","__parentId":"gid://shopify/Order/1"}']));
});

test('lines split across chunks, multi-byte characters split across chunks, no final newline', async () => {
  const text = `${order(1)}\n${item(2, 1, ',"title":"Ünïcødé"')}\n${order(3)}`;
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
  const lines: string[] = [];
  for await (const line of readLines(Readable.from(chunks))) lines.push(line);
  assert.deepEqual(lines, text.split('\n'));
});

test('lines as bytes: split across chunks give the same lines, and the stitched text matches the text path', async () => {
  const lines = [
    order(1),
    item(11, 1, ',"title":"Smörgås ☕"'),
    '{"__parentId":"gid://shopify/Order/1","id":"gid://shopify/ShippingLine/2","title":"Post"}',
    order(2),
    item(21, 2),
  ];
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  for (const size of [1, 5, 64, bytes.length]) {
    const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
      bytes.subarray(i * size, i * size + size),
    );
    const read: Buffer[] = [];
    for await (const line of readLineBytes(Readable.from(chunks))) read.push(line);
    assert.deepEqual(
      read.map((line) => line.toString('utf8')),
      lines,
      `chunks of ${size} bytes`,
    );
    const stitcher = new BulkStitcher({ childFields });
    const roots: StitchedRoot[] = [];
    for (const line of read) roots.push(...stitcher.push(line));
    roots.push(...stitcher.finish());
    assert.deepEqual(
      roots.map((r) => r.text),
      run(lines).roots.map((r) => r.text),
    );
  }
  assert.deepEqual(JSON.parse(run(lines).roots[0]!.text).lineItems[0].title, 'Smörgås ☕');
});

test('many roots through a small window: each child reaches its parent while open, in arrival order', () => {
  const lines: string[] = [];
  for (let n = 1; n <= 50; n += 1) {
    lines.push(order(n));
    // Children of the root two back (still open with a window of 3), then one of this root.
    if (n > 2) lines.push(item(n * 100 + 1, n - 2));
    lines.push(item(n * 100 + 2, n));
  }
  const { roots, stitcher } = run(lines, 3);
  assert.equal(stitcher.lateParents.size, 0);
  assert.deepEqual(
    roots.map((r) => r.root.id),
    Array.from({ length: 50 }, (_, i) => `gid://shopify/Order/${i + 1}`),
  );
  for (const [i, r] of roots.entries()) {
    const n = i + 1;
    const expected = [`gid://shopify/LineItem/${n * 100 + 2}`];
    if (n <= 48) expected.push(`gid://shopify/LineItem/${(n + 2) * 100 + 1}`);
    assert.deepEqual(
      JSON.parse(r.text).lineItems.map((l: { id: string }) => l.id),
      expected,
    );
  }
});
