import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readXml, type XmlElement } from '../xml/index.ts';
import { parseResponseDocument, parseResponseDocumentReference } from './parse.ts';
import { readResponseFast } from './read-response.ts';
import { wireResponse, wireResponses } from './wire.test-support.ts';

/** Every text and attribute value inside the responses of a document (what the parser must not lose). */
function writtenValues(xml: string): string[] {
  const values: string[] = [];
  const walk = (element: XmlElement, depth: number) => {
    // Depth 0 = <QBXML>, 1 = <QBXMLMsgsRs>, 2 = each …Rs (its attributes are the response's own fields).
    if (depth >= 3) values.push(...Object.values(element.attributes));
    if (depth >= 3 && element.children.length === 0 && element.text !== '') values.push(element.text);
    for (const child of element.children) walk(child, depth + 1);
  };
  walk(readXml(xml).root, 0);
  return values;
}

/** Every value in what the parser returned, as text. */
function readValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) readValues(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) readValues(item, out);
  else if (value !== null && value !== undefined) out.push(String(value));
  return out;
}

function count(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe('real QuickBooks responses (../shared/qbxml/wire)', () => {
  test('each parses, the fast path agrees with the reference, and every value QuickBooks wrote is kept', () => {
    const captures = wireResponses().filter((r) => !r.name.includes('corrupted'));
    assert.ok(captures.length >= 15, `only ${captures.length} captured responses found`);
    for (const { name, xml } of captures) {
      const reference = parseResponseDocumentReference(xml);
      assert.ok(reference.ok, `${name}: ${reference.ok ? '' : reference.error.message}`);
      const fast = readResponseFast(xml);
      if (fast !== null) assert.deepEqual(fast, reference.value, `${name}: the fast path reads it differently`);
      assert.deepEqual(parseResponseDocument(xml), reference, name);
      const kept = count(readValues(reference.value.responses.map((r) => [r.rets, r.errorRecovery])));
      for (const [value, times] of count(writtenValues(xml))) {
        assert.ok(
          (kept.get(value) ?? 0) >= times,
          `${name}: "${value}" written ${times}×, read ${kept.get(value) ?? 0}×`,
        );
      }
    }
  });

  test('the fast path reads the plain real documents itself (attributes inside reports included)', () => {
    for (const prefix of ['r01', 'r03', 'r08', 'r09', 'r10', 'r18', 'r21', 'r23']) {
      assert.notEqual(readResponseFast(wireResponse(prefix)), null, `${prefix}: the fast path gave up`);
    }
  });

  test('a GeneralSummaryReport keeps its columns, rows and values, which live in attributes', () => {
    const parsed = parseResponseDocument(wireResponse('r08'));
    assert.ok(parsed.ok);
    const [response] = parsed.value.responses;
    assert.equal(response!.type, 'GeneralSummaryReportQuery');
    const report = response!.rets[0] as {
      ReportTitle: string;
      NumRows: number;
      ColDesc: unknown[];
      ReportData: {
        TextRow: unknown[];
        DataRow: { RowData: unknown; ColData: Record<string, string>[] }[];
        SubtotalRow: { ColData: Record<string, string>[] }[];
      };
    };
    assert.equal(report.ReportTitle, 'Inventory Stock Status by Item');
    assert.equal(report.NumRows, 6);
    assert.equal(report.ColDesc.length, 9);
    assert.deepEqual(report.ColDesc[1], {
      '@colID': '2',
      '@dataType': 'STRTYPE',
      ColTitle: [{ '@titleRow': '1', '@value': 'Item Description' }],
      ColType: 'ItemDesc',
    });
    const data = report.ReportData;
    assert.deepEqual(data.TextRow[0], { '@rowNumber': '1', '@value': 'Inventory' });
    assert.deepEqual(data.DataRow[0]!.RowData, { '@rowType': 'item', '@value': 'another inventory' });
    assert.deepEqual(
      data.DataRow[0]!.ColData.map((c) => [c['@colID'], c['@value']]),
      [
        ['1', 'another inventory'],
        ['4', '5'],
        ['5', '35'],
        ['6', 'false'],
        ['7', '0'],
        ['9', '0'],
      ],
    );
    assert.equal(data.SubtotalRow[0]!.ColData[1]!['@value'], '17');
  });

  test('the published Pro 2014 answer with a corrupted element is refused with the reason, not half-read', () => {
    const corrupted = wireResponses().find((r) => r.name.includes('corrupted'));
    assert.ok(corrupted);
    const parsed = parseResponseDocument(corrupted.xml);
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.code, 'QBXML_MALFORMED_RESPONSE');
    assert.match(parsed.error.message, /does not match|Malformed|not closed/);
  });
});

describe('attributes of inner elements', () => {
  const doc = (inner: string) =>
    `<?xml version="1.0"?><QBXML><QBXMLMsgsRs><FooQueryRs statusCode="0" statusSeverity="Info"><FooRet>${inner}</FooRet></FooQueryRs></QBXMLMsgsRs></QBXML>`;
  const cases: [string, string, unknown][] = [
    ['unknown leaf with attributes and text', '<A x="1">t</A>', { A: { '@x': '1', '#text': 't' } }],
    ['unknown empty element with attributes', '<A x="1" y="&amp;"/>', { A: { '@x': '1', '@y': '&' } }],
    ['unknown element with attributes and children', '<A x="1"><B>2</B></A>', { A: { '@x': '1', B: '2' } }],
    ['repeated', '<A x="1"/><A x="2"/>', { A: [{ '@x': '1' }, { '@x': '2' }] }],
  ];
  for (const [name, inner, expected] of cases) {
    test(`${name}: both paths keep them`, () => {
      const xml = doc(inner);
      const reference = parseResponseDocumentReference(xml);
      assert.ok(reference.ok);
      assert.deepEqual(reference.value.responses[0]!.rets[0], expected);
      assert.deepEqual(readResponseFast(xml), reference.value);
    });
  }
});
