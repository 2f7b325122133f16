import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { readXml } from '../xml/index.ts';
import {
  buildRequestDocument,
  buildResponseDocument,
  findTooLong,
  MESSAGES,
  maxLengthOf,
  parseRequestDocument,
  parseResponseDocument,
  type QbxmlRequest,
  type ResponseInput,
} from './index.ts';
import { sampleRequests } from './samples.ts';
import { validateWithXsd } from './xsd.test-support.ts';

function build(requests: QbxmlRequest[], extra: { shorten?: string[] } = {}) {
  return buildRequestDocument({ onError: 'stopOnError', requests, ...extra });
}

function xmlOf(requests: QbxmlRequest[]): string {
  const result = build(requests);
  if (!result.ok) throw result.error;
  return result.value.xml;
}

const receipt = (): QbxmlRequest => ({
  type: 'SalesReceiptAdd',
  requestID: 'sr-1',
  body: {
    SalesReceiptAdd: {
      CustomerRef: { FullName: 'Walk-in' },
      TxnDate: '2026-05-14',
      RefNumber: '1001',
      Memo: 'Order #1001',
      DepositToAccountRef: { FullName: 'Undeposited Funds' },
      PaymentMethodRef: { FullName: 'Cash' },
      SalesReceiptLineAdd: [
        { ItemRef: { FullName: 'TEE' }, Quantity: '2', Rate: '12.5', Amount: 2500n },
        { ItemRef: { FullName: 'Discount' }, Amount: '-5' },
      ],
    },
  },
});

const responses: ResponseInput[] = [
  {
    type: 'SalesReceiptAdd',
    requestID: 'sr-1',
    statusCode: 0,
    statusSeverity: 'Info',
    statusMessage: 'Status OK',
    rets: [
      {
        TxnID: '1A2B-1715000000',
        TimeCreated: '2026-05-14T10:00:00-07:00',
        TimeModified: '2026-05-14T10:00:00-07:00',
        EditSequence: '1715000000',
        TxnNumber: 17,
        CustomerRef: { ListID: '80000001-1715000000', FullName: 'Walk-in' },
        TxnDate: '2026-05-14',
        RefNumber: '1001',
        IsPending: false,
        Subtotal: '20.00',
        TotalAmount: '20.00',
        Memo: 'Order #1001 & "friends"',
        SalesReceiptLineRet: [
          { TxnLineID: '1A2C-1715000000', ItemRef: { FullName: 'TEE' }, Quantity: '2', Rate: '12.50', Amount: '25.00' },
        ],
      },
    ],
  },
  {
    type: 'CustomerQuery',
    requestID: 'q-1',
    statusCode: 500,
    statusSeverity: 'Warn',
    statusMessage:
      'The query request has not been fully completed. There was a required element ("80000099-1") that could not be found in QuickBooks.',
    rets: [{ ListID: '80000001-1715000000', Name: 'Walk-in', FullName: 'Walk-in', IsActive: true, Sublevel: 0 }],
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
    type: 'InvoiceAdd',
    requestID: 'i-1',
    statusCode: 3140,
    statusSeverity: 'Error',
    statusMessage: 'There is an invalid reference to QuickBooks Item "TEE" in the Invoice.',
  },
  {
    type: 'CustomerMod',
    requestID: 'm-1',
    statusCode: 3200,
    statusSeverity: 'Error',
    statusMessage: 'The provided edit sequence "1" is out-of-date.',
  },
  {
    type: 'SalesReceiptQuery',
    requestID: 'q-2',
    statusCode: 1,
    statusSeverity: 'Info',
    statusMessage: 'A query request did not find a matching object in QuickBooks',
    retCount: 0,
  },
  {
    type: 'ItemQuery',
    requestID: 'q-3',
    statusCode: 0,
    statusSeverity: 'Info',
    statusMessage: 'Status OK',
    retCount: 2,
    iteratorRemainingCount: 40,
    iteratorID: '{0A5E8E3B-1C2D-4E5F-8A9B-0C1D2E3F4A5B}',
    rets: [
      { ListID: '80000010-1715000000', Name: 'TEE', FullName: 'TEE', IsActive: true, QuantityOnHand: '48' },
      { ListID: '80000011-1715000000', Name: 'Hemming', FullName: 'Hemming', IsActive: false },
    ],
    retNames: ['ItemInventoryRet', 'ItemServiceRet'],
  },
  {
    type: 'TxnDel',
    requestID: 'd-1',
    statusCode: 0,
    statusSeverity: 'Info',
    statusMessage: 'Status OK',
    rets: [{ TxnDelType: 'SalesReceipt', TxnID: '1A2B-1715000000', TimeDeleted: '2026-05-15T08:00:00' }],
  },
];

// Deliberately broken documents: each is [description, xml]. The strict validator must agree with xmllint.
function brokenCorpus(): [string, string][] {
  const valid = xmlOf([receipt()]);
  const customer = xmlOf([sampleRequests().find((r) => r.type === 'CustomerAdd')!]);
  const service = xmlOf([sampleRequests().find((r) => r.type === 'ItemServiceAdd')!]);
  return [
    ['order swapped', valid.replace(/(<TxnDate>.*?<\/TxnDate>)(<RefNumber>.*?<\/RefNumber>)/, '$2$1')],
    [
      'payment method after deposit account',
      valid
        .replace(/(<PaymentMethodRef>.*?<\/PaymentMethodRef>)/, '')
        .replace(
          '</DepositToAccountRef>',
          '</DepositToAccountRef><PaymentMethodRef><FullName>Cash</FullName></PaymentMethodRef>',
        ),
    ],
    ['required Name missing', customer.replace(/<Name>.*?<\/Name>/, '')],
    ['unknown element', valid.replace('<Memo>', '<Colour>red</Colour><Memo>')],
    [
      'enum value not allowed',
      xmlOf([
        {
          type: 'PaymentMethodAdd',
          requestID: '1',
          body: { PaymentMethodAdd: { Name: 'Klarna', PaymentMethodType: 'Other' } },
        },
      ]).replace('>Other<', '>BuyNowPayLater<'),
    ],
    [
      'both choice branches',
      service.replace('<SalesAndPurchase>', '<SalesOrPurchase><Desc>x</Desc></SalesOrPurchase><SalesAndPurchase>'),
    ],
    ['no lines (choice minOccurs 1)', valid.replace(/<SalesReceiptLineAdd>.*<\/SalesReceiptLineAdd>/, '')],
    ['onError missing', valid.replace(' onError="stopOnError"', '')],
    ['onError not an allowed value', valid.replace('stopOnError', 'keepGoing')],
    ['amount with three decimals', valid.replace('<Amount>25.00</Amount>', '<Amount>25.001</Amount>')],
    [
      'boolean spelled yes',
      xmlOf([{ type: 'ClassAdd', requestID: '1', body: { ClassAdd: { Name: 'X', IsActive: true } } }]).replace(
        '>true<',
        '>yes<',
      ),
    ],
    ['impossible date', valid.replace('2026-05-14', '2026-02-30')],
    [
      'iterator on a query without iterators',
      xmlOf([{ type: 'AccountQuery', requestID: '1', body: { MaxReturned: 5 } }]).replace(
        'requestID="1"',
        'requestID="1" iterator="Start"',
      ),
    ],
    ['text inside an aggregate', valid.replace('<CustomerRef>', '<CustomerRef>oops')],
    ['unknown request', valid.replace(/SalesReceiptAddRq/g, 'SalesReceiptFrobRq')],
    [
      'GUID malformed',
      customer.replace(/<ExternalGUID>.*?<\/ExternalGUID>/, '<ExternalGUID>not-a-guid</ExternalGUID>'),
    ],
  ];
}

let xsdResults: Map<string, string[]>;
const fixed: [string, string][] = [];

before(async () => {
  const samples = sampleRequests().map((r) => [`sample ${r.type}`, xmlOf([r])] as [string, string]);
  fixed.push(
    ...samples,
    ['all samples in one message set', xmlOf(sampleRequests())],
    ['responses', buildResponseDocument({ responses })],
    ...responses.map(
      (r) => [`response ${r.type} ${r.statusCode}`, buildResponseDocument({ responses: [r] })] as [string, string],
    ),
    ...brokenCorpus().map(([d, x]) => [`broken: ${d}`, x] as [string, string]),
  );
  const errors = await validateWithXsd(fixed.map(([, xml]) => xml));
  xsdResults = new Map(fixed.map(([name], i) => [name, errors[i]!]));
});

describe('XSD validation (xmllint)', () => {
  test('every sample request (the fullest variant of each message) validates', () => {
    const samples = fixed.filter(([n]) => n.startsWith('sample '));
    assert.equal(samples.length, Object.keys(MESSAGES).length);
    for (const [name] of samples) assert.deepEqual(xsdResults.get(name), [], name);
    assert.deepEqual(xsdResults.get('all samples in one message set'), []);
  });

  test('response documents validate (success, 500, 3100, 3140, 3200, status 1, iterator page, TxnDel)', () => {
    for (const [name] of fixed.filter(([n]) => n.startsWith('response')))
      assert.deepEqual(xsdResults.get(name), [], name);
  });

  test('the strict validator agrees with xmllint on valid and deliberately broken documents', () => {
    let broken = 0;
    for (const [name, xml] of fixed) {
      if (name.startsWith('response')) continue;
      const xsdValid = xsdResults.get(name)!.length === 0;
      const parsed = parseRequestDocument(xml);
      assert.equal(
        parsed.ok,
        xsdValid,
        `${name}: validator ${parsed.ok ? 'accepted' : `rejected (${parsed.ok ? '' : parsed.error.detail})`}, xmllint ${xsdValid ? 'accepted' : xsdResults.get(name)!.join(' ')}`,
      );
      if (!parsed.ok) {
        broken++;
        assert.equal(parsed.error.hresult, '0x80040400');
        assert.equal(parsed.error.message, 'QuickBooks found an error when parsing the provided XML text stream.');
      }
    }
    assert.equal(broken, brokenCorpus().length);
  });
});

describe('builder', () => {
  test('shuffled key order gives byte-identical output, in schema order', () => {
    const shuffle = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((v) => shuffle(v, seed));
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i > 0; i--) {
        const j = (i * 7919 + seed) % (i + 1);
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return Object.fromEntries(entries.map(([k, v]) => [k, shuffle(v, seed + 1)]));
    };
    for (const request of sampleRequests()) {
      const expected = xmlOf([request]);
      for (const seed of [1, 2, 3]) {
        const shuffled = { ...request, body: shuffle(request.body, seed) } as QbxmlRequest;
        assert.equal(xmlOf([shuffled]), expected, request.type);
      }
    }
    const xml = xmlOf([receipt()]);
    assert.ok(xml.indexOf('<PaymentMethodRef>') < xml.indexOf('<Memo>'));
    assert.ok(xml.indexOf('<Memo>') < xml.indexOf('<DepositToAccountRef>'));
  });

  test('formats scalars the way QuickBooks reads them', () => {
    const xml = xmlOf([receipt()]);
    assert.match(xml, /<Quantity>2<\/Quantity><Rate>12.5<\/Rate><Amount>25.00<\/Amount>/);
    assert.match(xml, /<Amount>-5.00<\/Amount>/);
    assert.match(xml, /<TxnDate>2026-05-14<\/TxnDate>/);
    assert.match(
      xmlOf([{ type: 'ClassAdd', requestID: '1', body: { ClassAdd: { Name: 'X', IsActive: false } } }]),
      /<IsActive>false<\/IsActive>/,
    );
    const bad = build([
      {
        type: 'SalesReceiptAdd',
        requestID: 'sr-1',
        body: { SalesReceiptAdd: { SalesReceiptLineAdd: [{ Amount: '1.005' }] } },
      },
    ]);
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'QBXML_INVALID_VALUE');
    const badDate = build([
      {
        type: 'SalesReceiptAdd',
        requestID: 'sr-1',
        body: { SalesReceiptAdd: { TxnDate: '14/05/2026', SalesReceiptLineAdd: [{ Amount: 1n }] } },
      },
    ]);
    assert.ok(!badDate.ok && badDate.error.code === 'QBXML_INVALID_VALUE');
    assert.throws(
      () =>
        build([
          {
            type: 'SalesReceiptAdd',
            requestID: 'sr-1',
            body: { SalesReceiptAdd: { SalesReceiptLineAdd: [{ Amount: 1.5 as unknown as bigint }] } },
          },
        ]),
      /must be Money/,
    );
  });

  test('escapes & < > " \' in text and attributes', () => {
    const xml = xmlOf([
      {
        type: 'CustomerAdd',
        requestID: `a&b<"'>`,
        body: { CustomerAdd: { Name: `Tom & Jerry's <"Shop">` } },
      },
    ]);
    assert.match(xml, /requestID="a&amp;b&lt;&quot;&apos;&gt;"/);
    assert.match(xml, /<Name>Tom &amp; Jerry&apos;s &lt;&quot;Shop&quot;&gt;<\/Name>/);
    const parsed = parseRequestDocument(xml);
    assert.ok(parsed.ok);
    assert.equal(
      (parsed.value.requests[0]!.body as { CustomerAdd: { Name: string } }).CustomerAdd.Name,
      `Tom & Jerry's <"Shop">`,
    );
  });

  test('transliterates to Latin-1 and reports every substitution', () => {
    const result = build([
      {
        type: 'CustomerAdd',
        requestID: '1',
        body: { CustomerAdd: { Name: 'Łukasz “Kowalski”', Notes: 'Café — 20€ ’ok’ 😀 東京 ﬁne' } },
      },
    ]);
    assert.ok(result.ok);
    assert.match(result.value.xml, /<Name>Lukasz &quot;Kowalski&quot;<\/Name>/);
    assert.match(result.value.xml, /<Notes>Café - 20EUR &apos;ok&apos; {3}fine<\/Notes>/);
    assert.deepEqual(result.value.substitutions, [
      {
        path: 'CustomerAddRq[0].CustomerAdd.Name',
        original: 'Łukasz “Kowalski”',
        replacement: 'Lukasz "Kowalski"',
        reason: 'transliterated',
      },
      {
        path: 'CustomerAddRq[0].CustomerAdd.Notes',
        original: 'Café — 20€ ’ok’ 😀 東京 ﬁne',
        replacement: "Café - 20EUR 'ok'   fine",
        reason: 'transliterated',
      },
    ]);
  });

  test('a value over its max length is an error unless the free-text field may be shortened', () => {
    const long = 'A'.repeat(42);
    const result = build([{ type: 'CustomerAdd', requestID: '1', body: { CustomerAdd: { Name: long } } }]);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'QBXML_VALUE_TOO_LONG');
    assert.equal(result.error.merchantMustAct, true);
    assert.deepEqual(result.error.details.limit, 41);
    assert.match(result.error.merchantMessage, /Name .* is 42 characters long, but QuickBooks allows at most 41/);
    const memo = 'm'.repeat(4100);
    const shortened = build(
      [
        {
          type: 'SalesReceiptAdd',
          requestID: 'sr-1',
          body: { SalesReceiptAdd: { Memo: memo, SalesReceiptLineAdd: [{ Amount: 1n }] } },
        },
      ],
      { shorten: ['Memo'] },
    );
    assert.ok(shortened.ok);
    assert.match(shortened.value.xml, /<Memo>m{4095}<\/Memo>/);
    assert.equal(shortened.value.substitutions[0]!.reason, 'shortened');
    assert.throws(() => build([receipt()], { shorten: ['Name'] }), /Name cannot be shortened/);
  });

  test('programming errors throw: unknown elements, structure the schema forbids', () => {
    assert.throws(
      () =>
        build([{ type: 'CustomerAdd', requestID: '1', body: { CustomerAdd: { Name: 'x', Colour: 'red' } as never } }]),
      /<Colour> is not an element of CustomerAdd/,
    );
    assert.throws(
      () => build([{ type: 'CustomerAdd', requestID: '1', body: { CustomerAdd: {} as never } }]),
      /missing child element/,
    );
    assert.throws(
      () => build([{ type: 'AccountQuery', requestID: '1', attributes: { iterator: 'Start' }, body: {} }]),
      /no attribute iterator/,
    );
  });

  test('message-set attributes for error recovery', () => {
    const result = buildRequestDocument({
      onError: 'continueOnError',
      newMessageSetID: 'set-42',
      oldMessageSetID: 'set-41',
      requests: [receipt()],
    });
    assert.ok(result.ok);
    assert.match(
      result.value.xml,
      /<QBXMLMsgsRq onError="continueOnError" newMessageSetID="set-42" oldMessageSetID="set-41">/,
    );
    const parsed = parseRequestDocument(result.value.xml);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.newMessageSetID, 'set-42');
    assert.equal(parsed.value.oldMessageSetID, 'set-41');
  });
});

describe('response parser', () => {
  test('reads every response of a message set with status, rets, iterator and error recovery', () => {
    const parsed = parseResponseDocument(buildResponseDocument({ responses }));
    assert.ok(parsed.ok);
    const [sr, warn, inUse, badRef, stale, empty, page, del] = parsed.value.responses;
    assert.equal(parsed.value.responses.length, 8);
    assert.equal(sr!.type, 'SalesReceiptAdd');
    assert.equal(sr!.requestID, 'sr-1');
    assert.equal(sr!.statusCode, 0);
    assert.equal(sr!.statusSeverity, 'Info');
    const ret = sr!.rets[0] as Record<string, unknown>;
    assert.equal(ret.TotalAmount, '20.00');
    assert.equal(ret.IsPending, false);
    assert.equal(ret.TxnNumber, 17);
    assert.equal(ret.Memo, 'Order #1001 & "friends"');
    assert.ok(Array.isArray(ret.SalesReceiptLineRet), 'a repeated element with one occurrence is still an array');
    assert.equal((ret.SalesReceiptLineRet as Record<string, unknown>[])[0]!.Amount, '25.00');
    assert.equal(warn!.statusCode, 500);
    assert.equal(warn!.statusSeverity, 'Warn');
    assert.equal(warn!.rets.length, 1);
    assert.equal(inUse!.statusCode, 3100);
    assert.deepEqual(inUse!.rets, []);
    assert.deepEqual(inUse!.errorRecovery, { ListID: '80000002-1715000000', EditSequence: '1715000001' });
    assert.equal(badRef!.statusCode, 3140);
    assert.match(badRef!.statusMessage, /invalid reference to QuickBooks Item "TEE"/);
    assert.equal(stale!.statusCode, 3200);
    assert.equal(empty!.statusCode, 1);
    assert.deepEqual(empty!.rets, []);
    assert.equal(empty!.retCount, 0);
    assert.equal(page!.iteratorRemainingCount, 40);
    assert.equal(page!.iteratorID, '{0A5E8E3B-1C2D-4E5F-8A9B-0C1D2E3F4A5B}');
    assert.deepEqual(page!.retNames, ['ItemInventoryRet', 'ItemServiceRet']);
    assert.equal((page!.rets[0] as Record<string, unknown>).QuantityOnHand, '48');
    assert.equal(del!.rets.length, 1);
    assert.equal((del!.rets[0] as Record<string, unknown>).TxnDelType, 'SalesReceipt');
  });

  test('refuses DTDs, entity declarations, undeclared entities and oversized documents', () => {
    const evil = '<?xml version="1.0"?><!DOCTYPE QBXML [<!ENTITY a "aaaa">]><QBXML><QBXMLMsgsRs/></QBXML>';
    const result = parseResponseDocument(evil);
    assert.ok(!result.ok);
    assert.match(result.error.message, /Document type and entity declarations are not accepted/);
    const undeclared = parseResponseDocument('<QBXML><QBXMLMsgsRs><X a="&ext;"/></QBXMLMsgsRs></QBXML>');
    assert.ok(!undeclared.ok && /Undeclared entity &ext;/.test(undeclared.error.message));
    const big = parseResponseDocument(`<QBXML><QBXMLMsgsRs>${' '.repeat(2000)}</QBXMLMsgsRs></QBXML>`, {
      maxLength: 1000,
    });
    assert.ok(!big.ok && /over the limit of 1000/.test(big.error.message));
    assert.equal(readXml('<a>&#233;&#x41;&lt;</a>').root.text, 'éA<');
    assert.ok(!parseRequestDocument(evil).ok);
  });
});

describe('simulator side', () => {
  test('lengths are not parse errors: they are exposed for a run-time 3070', () => {
    const xml = xmlOf([{ type: 'CustomerAdd', requestID: '1', body: { CustomerAdd: { Name: 'ok' } } }]).replace(
      '<Name>ok</Name>',
      `<Name>${'N'.repeat(50)}</Name>`,
    );
    const parsed = parseRequestDocument(xml);
    assert.ok(parsed.ok);
    const request = parsed.value.requests[0]!;
    assert.deepEqual(findTooLong(request.type, request.body), [
      { path: 'CustomerAddRq/CustomerAdd/Name', field: 'Name', limit: 41, length: 50, value: 'N'.repeat(50) },
    ]);
    assert.equal(maxLengthOf('SalesReceiptAdd', ['SalesReceiptAdd', 'RefNumber']), 11);
    assert.equal(maxLengthOf('BillAdd', ['BillAdd', 'RefNumber']), 20);
    assert.equal(maxLengthOf('CustomerAdd', ['CustomerAdd', 'BillAddress', 'City']), 31);
  });
});
