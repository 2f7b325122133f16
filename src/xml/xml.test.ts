import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeXml, escapeXmlBetween, parseXml } from './index.ts';

test('resolves namespaces by URI whatever the prefix, with default namespaces and scoping', () => {
  const result = parseXml(
    '<?xml version="1.0"?><!-- c --><e:Env xmlns:e="urn:env"><e:Body><m xmlns="urn:m"><p>1</p><q:r xmlns:q="urn:q"/></m></e:Body></e:Env>',
  );
  assert.ok(result.ok);
  const body = result.root.children[0]!;
  assert.equal(result.root.namespace, 'urn:env');
  assert.equal(body.localName, 'Body');
  const method = body.children[0]!;
  assert.equal(method.namespace, 'urn:m');
  assert.deepEqual(
    method.children.map((c) => [c.name, c.namespace, c.text]),
    [
      ['p', 'urn:m', '1'],
      ['q:r', 'urn:q', ''],
    ],
  );
});

test('decodes the predefined entities, character references and CDATA, and nothing else', () => {
  const result = parseXml('<a x="&quot;1&quot;">&lt;QBXML&gt; &amp; &#233;&#x20AC; <![CDATA[<raw & kept>]]></a>');
  assert.ok(result.ok);
  assert.equal(result.root.text, '<QBXML> & é€ <raw & kept>');
  assert.equal(result.root.attributes.x, '"1"');
  const unknown = parseXml('<a>&lol;</a>');
  assert.equal(unknown.ok, false);
  assert.equal(!unknown.ok && unknown.problem, 'unknown-entity');
});

test('refuses any DOCTYPE, so no entity can ever be declared or expanded', () => {
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><a>&lol2;</a>';
  const result = parseXml(bomb);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.problem, 'doctype-forbidden');
  const external = parseXml('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>');
  assert.equal(!external.ok && external.problem, 'doctype-forbidden');
});

test('reports malformed documents as values', () => {
  const cases: Array<[string, string]> = [
    ['<a><b></a>', 'mismatched-tag'],
    ['<a>', 'malformed'],
    ['<x:a/>', 'unbound-prefix'],
    ['', 'empty'],
    ['<a/><b/>', 'malformed'],
    ['<a b=1/>', 'malformed'],
    ['text', 'malformed'],
    [`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`, 'too-deep'],
  ];
  for (const [xml, problem] of cases) {
    const result = parseXml(xml);
    assert.equal(result.ok, false, xml);
    assert.equal(!result.ok && result.problem, problem, xml);
  }
});

test('escapeXml round-trips through the parser', () => {
  const value = `<QBXML a="1" b='2'> & ]]> é`;
  const result = parseXml(`<v a="${escapeXml(value)}">${escapeXml(value)}</v>`);
  assert.ok(result.ok);
  assert.equal(result.root.text, value);
  assert.equal(result.root.attributes.a, value);
});

// Text long enough to take the byte paths (escaping into bytes, decoding large text through bytes).
const specials = fc.constantFrom('&', '<', '>', '"', "'", 'é', '€', '𝄞', ' ', 'a', 'Z', '\n', ';', '#');
const longText = fc.array(specials, { minLength: 500, maxLength: 3000 }).map((chars) => chars.join(''));

test('escapeXmlBetween writes exactly the bytes of before + escapeXml(value) + after', () => {
  fc.assert(
    fc.property(fc.string(), longText, fc.string(), (before, value, after) => {
      assert.deepEqual(escapeXmlBetween(before, value, after), Buffer.from(before + escapeXml(value) + after, 'utf8'));
    }),
    { numRuns: 150 },
  );
  // Larger than the reused scratch space: it grows, and answers stay independent copies.
  const big = '<QBXML>é&amp;</QBXML>'.repeat(20_000);
  const first = escapeXmlBetween('<r>', big, '</r>');
  const second = escapeXmlBetween('<r>', 'other', '</r>');
  assert.deepEqual(first, Buffer.from(`<r>${escapeXml(big)}</r>`, 'utf8'));
  assert.equal(second.toString(), '<r>other</r>');
});

test('large escaped text decodes to the original, whatever it holds', () => {
  fc.assert(
    fc.property(longText, (value) => {
      const result = parseXml(`<v>${escapeXml(value)}</v>`);
      assert.ok(result.ok);
      assert.equal(result.root.text, value);
    }),
    { numRuns: 150 },
  );
});

test('large text with a character reference, an unknown entity or a bare & is judged by the checked path', () => {
  const padding = '&lt;QBXML&gt;'.repeat(100);
  const referenced = parseXml(`<v>${padding}&#233;&#x20AC;</v>`);
  assert.ok(referenced.ok);
  assert.equal(referenced.root.text, `${'<QBXML>'.repeat(100)}é€`);
  const unknown = parseXml(`<v>${padding}&lol;</v>`);
  assert.equal(!unknown.ok && unknown.problem, 'unknown-entity');
  // The same verdict as in a short text, where the byte path is never tried.
  const bare = parseXml(`<v>${padding} & ${padding}</v>`);
  const shortBare = parseXml('<v> & &lt;QBXML&gt;</v>');
  assert.equal(bare.ok, false);
  assert.equal(!bare.ok && bare.problem, !shortBare.ok && shortBare.problem);
  const truncated = parseXml(`<v>${padding}&am</v>`);
  assert.equal(!truncated.ok && truncated.problem, 'malformed');
});
