/**
 * qbXML throughput (issue 2 "Bench"): build and serialize 100,000 SalesReceiptAdd requests of 5 lines, parse
 * 100,000 SalesReceiptRet responses, and compare with JSON.stringify / JSON.parse of the same data in this run.
 * Goals: serialize within 2x of JSON.stringify, parse within 4x of JSON.parse. `BENCH_COUNT` changes the count.
 */
import {
  buildRequestDocument,
  buildResponseDocument,
  parseResponseDocument,
  type QbxmlRequest,
} from '../src/qbxml/index.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);

function receipt(i: number): QbxmlRequest {
  const lines = [];
  for (let l = 0; l < 5; l++) {
    lines.push({
      ItemRef: { FullName: `Tees:TEE-${l}` },
      Desc: `Organic tee, colour ${l}, size M`,
      Quantity: String(l + 1),
      Rate: '25.00',
      ClassRef: { FullName: 'Shopify:Downtown Store' },
      Amount: BigInt(2500 * (l + 1)),
      SalesTaxCodeRef: { FullName: 'Tax' },
    });
  }
  return {
    type: 'SalesReceiptAdd',
    requestID: `sr-${i}`,
    body: {
      SalesReceiptAdd: {
        CustomerRef: { FullName: 'Shopify POS Walk-in' },
        ClassRef: { FullName: 'Shopify:Downtown Store' },
        TxnDate: '2026-05-14',
        RefNumber: String(1000 + (i % 100000)),
        PaymentMethodRef: { FullName: 'Shopify Payments' },
        Memo: `Shopify order #${i}`,
        DepositToAccountRef: { FullName: 'Shopify Payments Clearing' },
        SalesReceiptLineAdd: lines,
      },
    },
  };
}

function retOf(i: number): Record<string, unknown> {
  const lines = [];
  for (let l = 0; l < 5; l++) {
    lines.push({
      TxnLineID: `L${i}-${l}`,
      ItemRef: { ListID: `8000001${l}-1715000000`, FullName: `Tees:TEE-${l}` },
      Desc: `Organic tee, colour ${l}, size M`,
      Quantity: String(l + 1),
      Rate: '25.00',
      ClassRef: { FullName: 'Shopify:Downtown Store' },
      Amount: `${25 * (l + 1)}.00`,
      SalesTaxCodeRef: { FullName: 'Tax' },
    });
  }
  return {
    TxnID: `${i}-1715000000`,
    TimeCreated: '2026-05-14T10:00:00-07:00',
    TimeModified: '2026-05-14T10:00:00-07:00',
    EditSequence: '1715000000',
    TxnNumber: i,
    CustomerRef: { ListID: '80000001-1715000000', FullName: 'Shopify POS Walk-in' },
    TxnDate: '2026-05-14',
    RefNumber: String(1000 + i),
    IsPending: false,
    Subtotal: '375.00',
    TotalAmount: '375.00',
    Memo: `Shopify order #${i}`,
    SalesReceiptLineRet: lines,
  };
}

function time(fn: () => number): { ms: number; bytes: number } {
  const start = process.hrtime.bigint();
  const bytes = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes };
}

function report(label: string, ms: number, bytes: number): void {
  const docsPerSecond = Math.round((COUNT / ms) * 1000);
  const mbPerSecond = bytes / 1024 / 1024 / (ms / 1000);
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${String(docsPerSecond).padStart(9)} docs/s  ${mbPerSecond.toFixed(1).padStart(7)} MB/s`,
  );
}

const requests = Array.from({ length: COUNT }, (_, i) => receipt(i));
const jsonInputs = requests.map((r) => ({
  ...r,
  body: JSON.parse(JSON.stringify(r.body, (_k, v) => (typeof v === 'bigint' ? String(v) : v))),
}));
// Warm-up so both sides run optimised code.
for (let i = 0; i < 2000; i++) {
  buildRequestDocument({ onError: 'stopOnError', requests: [requests[i % COUNT]!] });
  JSON.stringify(jsonInputs[i % COUNT]);
}

const build = time(() => {
  let bytes = 0;
  for (const request of requests) {
    const result = buildRequestDocument({ onError: 'stopOnError', requests: [request] });
    if (!result.ok) throw result.error;
    bytes += result.value.xml.length;
  }
  return bytes;
});
const stringify = time(() => {
  let bytes = 0;
  for (const input of jsonInputs) bytes += JSON.stringify(input).length;
  return bytes;
});

const responseDocs = Array.from({ length: COUNT }, (_, i) =>
  buildResponseDocument({
    responses: [
      {
        type: 'SalesReceiptAdd',
        requestID: `sr-${i}`,
        statusCode: 0,
        statusSeverity: 'Info',
        statusMessage: 'Status OK',
        rets: [retOf(i)],
      },
    ],
  }),
);
const jsonDocs = Array.from({ length: COUNT }, (_, i) =>
  JSON.stringify({
    type: 'SalesReceiptAdd',
    requestID: `sr-${i}`,
    statusCode: 0,
    statusSeverity: 'Info',
    rets: [retOf(i)],
  }),
);
for (let i = 0; i < 2000; i++) {
  parseResponseDocument(responseDocs[i % COUNT]!);
  JSON.parse(jsonDocs[i % COUNT]!);
}
const parse = time(() => {
  let bytes = 0;
  for (const doc of responseDocs) {
    const result = parseResponseDocument(doc);
    if (!result.ok) throw result.error;
    bytes += doc.length;
  }
  return bytes;
});
const jsonParse = time(() => {
  let bytes = 0;
  for (const doc of jsonDocs) {
    JSON.parse(doc);
    bytes += doc.length;
  }
  return bytes;
});

console.log(`qbXML bench: ${COUNT} SalesReceiptAdd requests of 5 lines, ${COUNT} SalesReceiptRet responses`);
report('build + serialize (qbXML)', build.ms, build.bytes);
report('JSON.stringify (same data)', stringify.ms, stringify.bytes);
report('parse (qbXML)', parse.ms, parse.bytes);
report('JSON.parse (same data)', jsonParse.ms, jsonParse.bytes);
const serializeRatio = build.ms / stringify.ms;
const parseRatio = parse.ms / jsonParse.ms;
console.log(
  `serialize ratio to JSON.stringify: ${serializeRatio.toFixed(2)}x (goal <= 2x) ${serializeRatio <= 2 ? 'met' : 'NOT met'}`,
);
console.log(`parse ratio to JSON.parse: ${parseRatio.toFixed(2)}x (goal <= 4x) ${parseRatio <= 4 ? 'met' : 'NOT met'}`);
