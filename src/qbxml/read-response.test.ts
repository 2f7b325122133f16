import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildResponseDocument, type ResponseInput } from './build.ts';
import { parseResponseDocument, parseResponseDocumentReference } from './parse.ts';
import { readResponseFast } from './read-response.ts';

const ret = (i: number) => ({
  TxnID: `${i}-1715000000`,
  TimeCreated: '2026-05-14T10:00:00-07:00',
  EditSequence: '1715000000',
  TxnNumber: i,
  CustomerRef: { ListID: '80000001-1715000000', FullName: 'Walk-in & <friends>' },
  TxnDate: '2026-05-14',
  RefNumber: String(1000 + i),
  IsPending: i % 2 === 0,
  TotalAmount: '375.00',
  Memo: `Order "#${i}" it's`,
  SalesReceiptLineRet: [
    { TxnLineID: `L${i}-0`, ItemRef: { FullName: 'TEE' }, Quantity: '2', Rate: '12.50', Amount: '25.00' },
    { TxnLineID: `L${i}-1`, Desc: '   ', Amount: '-5.00' },
  ],
});

const built: ResponseInput[] = [
  { type: 'SalesReceiptAdd', requestID: 'sr-1', statusCode: 0, statusSeverity: 'Info', rets: [ret(1)] },
  {
    type: 'SalesReceiptQuery',
    requestID: 'q-1',
    statusCode: 0,
    statusSeverity: 'Info',
    statusMessage: 'Status OK',
    retCount: 3,
    iteratorRemainingCount: 0,
    iteratorID: '{0A5E8E3B-1C2D-4E5F-8A9B-0C1D2E3F4A5B}',
    rets: [ret(2), ret(3), ret(4)],
  },
  {
    type: 'CustomerAdd',
    requestID: 'c-1',
    statusCode: 3100,
    statusSeverity: 'Error',
    statusMessage: 'The name "Ada" of the list element is already in use.',
    errorRecovery: { ListID: '80000002-1715000000', EditSequence: '1715000001' },
  },
  {
    type: 'ItemQuery',
    requestID: 'q-3',
    statusCode: 0,
    statusSeverity: 'Info',
    retCount: 2,
    rets: [
      { ListID: '80000010-1715000000', Name: 'TEE', IsActive: true, QuantityOnHand: '48', Sublevel: 0 },
      { ListID: '80000011-1715000000', Name: 'Hemming', IsActive: false },
    ],
    retNames: ['ItemInventoryRet', 'ItemServiceRet'],
  },
];

/** Documents the fast path must read itself (and agree with the reference on). */
const plain: [string, string][] = [
  ['built: receipts, query page, error recovery, item kinds', buildResponseDocument({ responses: built })],
  [
    'message-set attributes',
    buildResponseDocument({ responses: built.slice(0, 1), newMessageSetID: 'ms-1', messageSetStatusCode: 0 }),
  ],
  ['empty message set', '<?xml version="1.0"?><QBXML><QBXMLMsgsRs/></QBXML>'],
  [
    'pretty-printed, BOM, CRLF, single quotes, spaces in tags',
    '\ufeff<?xml version="1.0" ?>\r\n<?qbxml version="13.0"?>\r\n<QBXML >\r\n  <QBXMLMsgsRs>\r\n    ' +
      "<CustomerQueryRs requestID='2' statusCode = \"0\" statusSeverity='Info' statusMessage='a &amp; b'>\r\n" +
      '      <CustomerRet>\r\n        <ListID >80000001-1</ListID >\r\n        <Name>A&#233;&#x41;&lt;</Name>\r\n' +
      '        <IsActive>1</IsActive>\r\n        <Sublevel>x</Sublevel>\r\n        <Notes/>\r\n' +
      '        <BillAddress><Addr1/></BillAddress>\r\n        <ShipAddress/>\r\n' +
      '      </CustomerRet>\r\n    </CustomerQueryRs>\r\n  </QBXMLMsgsRs>\r\n</QBXML>\r\n',
  ],
  [
    'unknown message, unknown elements repeated and nested, whitespace text kept in a leaf',
    '<QBXML><QBXMLMsgsRs><FooQueryRs statusCode="1" statusSeverity="Warn"><FooRet><A>1</A><A>2</A><A>3</A>' +
      '<B><C> </C></B><B/><D></D></FooRet><BarRet>text only</BarRet></FooQueryRs></QBXMLMsgsRs></QBXML>',
  ],
  [
    'known complex element given only text, ErrorRecovery self-closing',
    '<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="3100" statusSeverity="Error"><CustomerRet><BillAddress>x' +
      '</BillAddress></CustomerRet><ErrorRecovery/></CustomerAddRs></QBXMLMsgsRs></QBXML>',
  ],
];

/** Documents outside the fast path's shape: it must give up and the public function must answer as the reference. */
const other: [string, string][] = [
  ['DTD', '<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY a "aaaa">]><QBXML><QBXMLMsgsRs/></QBXML>'],
  [
    'undeclared entity',
    '<QBXML><QBXMLMsgsRs><XRs statusCode="0" statusSeverity="Info">&ext;</XRs></QBXMLMsgsRs></QBXML>',
  ],
  ['entity in an inner attribute', '<QBXML><QBXMLMsgsRs><X a="&ext;"/></QBXMLMsgsRs></QBXML>'],
  [
    'comment and CDATA',
    '<QBXML><!-- hi --><QBXMLMsgsRs><CustomerAddRs statusCode="0" statusSeverity="Info"><CustomerRet><Name>' +
      '<![CDATA[A & B]]></Name></CustomerRet></CustomerAddRs></QBXMLMsgsRs></QBXML>',
  ],
  [
    'mixed content',
    '<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="0" statusSeverity="Info"><CustomerRet>x<Name>A</Name>' +
      '</CustomerRet></CustomerAddRs></QBXMLMsgsRs></QBXML>',
  ],
  [
    'TxnDel loose fields',
    buildResponseDocument({
      responses: [
        {
          type: 'TxnDel',
          statusCode: 0,
          statusSeverity: 'Info',
          rets: [{ TxnDelType: 'SalesReceipt', TxnID: '1-1', TimeDeleted: '2026-05-15T08:00:00' }],
        },
      ],
    }),
  ],
  ['bad status', '<QBXML><QBXMLMsgsRs><CustomerAddRs statusCode="x" statusSeverity="Info"/></QBXMLMsgsRs></QBXML>'],
  ['not an Rs', '<QBXML><QBXMLMsgsRs><CustomerAddRq/></QBXMLMsgsRs></QBXML>'],
  ['mismatched end tag', '<QBXML><QBXMLMsgsRs></QBXMLMsgsR></QBXML>'],
  ['unclosed', '<QBXML><QBXMLMsgsRs>'],
  ['two roots', '<QBXML><QBXMLMsgsRs/></QBXML><QBXML/>'],
  ['text after the root', '<QBXML><QBXMLMsgsRs/></QBXML>x'],
  ['no QBXMLMsgsRs', '<QBXML><Other/></QBXML>'],
  ['wrong root', '<QBXMLX><QBXMLMsgsRs/></QBXMLX>'],
  ['request document', '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>'],
  [
    "']]>' in text",
    '<QBXML><QBXMLMsgsRs><ARs statusCode="0" statusSeverity="Info"><ARet><B>]]></B></ARet></ARs></QBXMLMsgsRs></QBXML>',
  ],
  ['duplicate attribute', '<QBXML><QBXMLMsgsRs a="1" a="2"/></QBXML>'],
  ['empty', ''],
];

describe('response fast path', () => {
  test('reads the plain documents itself, exactly as the reference path does', () => {
    for (const [name, xml] of plain) {
      const reference = parseResponseDocumentReference(xml);
      assert.ok(reference.ok, name);
      const fast = readResponseFast(xml);
      assert.notEqual(fast, null, `${name}: the fast path gave up`);
      assert.deepEqual(fast, reference.value, name);
      assert.deepEqual(parseResponseDocument(xml), reference, name);
    }
  });

  test('gives up on everything else, and the public parser answers exactly as the reference', () => {
    for (const [name, xml] of other) {
      assert.equal(readResponseFast(xml), null, name);
      assert.deepEqual(parseResponseDocument(xml), parseResponseDocumentReference(xml), name);
    }
    // The size limit is checked before either path runs.
    const big = parseResponseDocument(plain[0]![1], { maxLength: 100 });
    assert.ok(!big.ok && /over the limit of 100/.test(big.error.message));
  });

  test('generated documents: whenever the fast path answers, the reference answers the same', () => {
    const text = fc.stringMatching(/^[a-z &<>;#x0-9"'\]\n é]{0,8}$/);
    const name = fc.constantFrom('ListID', 'Name', 'IsActive', 'Sublevel', 'BillAddress', 'Addr1', 'Zed', 'Q');
    const leaf = fc.tuple(name, text, fc.constantFrom('', ' ', '\n ')).map(([n, t, ws]) => {
      const body = t.replace(/&(?![a-z]+;|#x?[0-9a-f]+;)/g, '&amp;').replace(/</g, '&lt;');
      return `${ws}<${n}>${body}</${n}>`;
    });
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(name, fc.array(tie('node'), { maxLength: 4 })).map(([n, kids]) => `<${n}>${kids.join('')}</${n}>`),
        name.map((n) => `<${n}/>`),
        fc.constantFrom('<!-- c -->', '<![CDATA[x]]>', 'stray', ' '),
      ),
    })).node;
    const doc = fc
      .tuple(
        fc.constantFrom('CustomerQuery', 'ItemQuery', 'Nope'),
        fc.constantFrom('CustomerRet', 'ItemServiceRet', 'OtherRet', 'ErrorRecovery', 'Loose'),
        fc.array(tree, { maxLength: 5 }),
        fc.constantFrom('0', '1', 'x'),
      )
      .map(
        ([type, retName, kids, code]) =>
          `<?xml version="1.0"?><QBXML><QBXMLMsgsRs><${type}Rs requestID="r" statusCode="${code}" ` +
          `statusSeverity="Info"><${retName}>${kids.join('')}</${retName}></${type}Rs></QBXMLMsgsRs></QBXML>`,
      );
    let fastAnswers = 0;
    fc.assert(
      fc.property(doc, (xml) => {
        const reference = parseResponseDocumentReference(xml);
        const fast = readResponseFast(xml);
        if (fast !== null) {
          fastAnswers++;
          assert.ok(reference.ok);
          assert.deepEqual(fast, reference.value);
        }
        assert.deepEqual(parseResponseDocument(xml), reference);
      }),
      { numRuns: 600 },
    );
    assert.ok(fastAnswers > 50, `the fast path answered only ${fastAnswers} of 600 generated documents`);
  });
});
