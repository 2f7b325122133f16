/**
 * qbXML throughput: build and serialize 100,000 SalesReceiptAdd requests of 5 lines, parse
 * 100,000 SalesReceiptRet responses, and compare with JSON.stringify / JSON.parse of the same data in this run.
 * Goals: serialize within 2x of JSON.stringify, parse within 4x of JSON.parse. Each pass runs over all documents
 * after a warm-up, with a collection before it (`--expose-gc`), in rounds of alternating order; the figures are
 * medians. `BENCH_COUNT` changes the count, `BENCH_ROUNDS` the rounds (default 5).
 */
import { formatMoney } from '../src/domain/money.ts';
import {
  buildRequestDocument,
  buildResponseDocument,
  parseResponseDocument,
  type QbxmlRequest,
} from '../src/qbxml/index.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

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

function report(label: string, ms: number, bytes: number): void {
  const docsPerSecond = Math.round((COUNT / ms) * 1000);
  const mbPerSecond = bytes / 1024 / 1024 / (ms / 1000);
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${String(docsPerSecond).padStart(9)} docs/s  ${mbPerSecond.toFixed(1).padStart(7)} MB/s`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const requests = Array.from({ length: COUNT }, (_, i) => receipt(i));
// The JSON side carries the same content: the same requests, Money amounts as their decimal strings.
const jsonInputs = requests.map((r) => ({
  ...r,
  body: JSON.parse(JSON.stringify(r.body, (_k, v) => (typeof v === 'bigint' ? formatMoney(v) : v))),
}));
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
    statusMessage: 'Status OK',
    rets: [retOf(i)],
  }),
);

/**
 * A document built by `+=` is a rope in V8 until something reads it; the transport must, and JSON.stringify's
 * result is flat already. Reading one character in the middle flattens it, so both sides pay for a flat string.
 */
function flat(text: string): number {
  return text.length + (text.charCodeAt(text.length >> 1) > 0x10ffff ? 1 : 0);
}

// Each pass goes over all COUNT documents and returns the characters it produced or read. The results are kept
// only as long as one document needs them, on both sides alike.
const passes = {
  build: (): number => {
    let chars = 0;
    for (const request of requests) {
      const result = buildRequestDocument({ onError: 'stopOnError', requests: [request] });
      if (!result.ok) throw result.error;
      chars += flat(result.value.xml);
    }
    return chars;
  },
  stringify: (): number => {
    let chars = 0;
    for (const input of jsonInputs) chars += flat(JSON.stringify(input));
    return chars;
  },
  parse: (): number => {
    let chars = 0;
    for (const doc of responseDocs) {
      const result = parseResponseDocument(doc);
      if (!result.ok) throw result.error;
      if (result.value.responses[0]!.rets.length !== 1) throw new Error('parse lost the ret');
      chars += doc.length;
    }
    return chars;
  },
  jsonParse: (): number => {
    let chars = 0;
    for (const doc of jsonDocs) {
      const value = JSON.parse(doc);
      if (value.rets.length !== 1) throw new Error('JSON.parse lost the ret');
      chars += doc.length;
    }
    return chars;
  },
};
type Pass = keyof typeof passes;
const names = Object.keys(passes) as Pass[];
const gc = (globalThis as { gc?: () => void }).gc;

// Warm-up: every pass runs until its code is optimised, on both sides.
for (let round = 0; round < 3; round++) for (const name of names) passes[name]();

const times: Record<Pass, number[]> = { build: [], stringify: [], parse: [], jsonParse: [] };
const chars: Record<Pass, number> = { build: 0, stringify: 0, parse: 0, jsonParse: 0 };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so neither side always runs right after the other's garbage.
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) {
    gc?.();
    const start = process.hrtime.bigint();
    chars[name] = passes[name]();
    times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}

const ms = (name: Pass) => median(times[name]);
console.log(
  `qbXML bench: ${COUNT} SalesReceiptAdd requests of 5 lines, ${COUNT} SalesReceiptRet responses; ` +
    `median of ${ROUNDS} rounds${gc ? '' : ' (run with --expose-gc for a collection before each pass)'}`,
);
report('build + serialize (qbXML)', ms('build'), chars.build);
report('JSON.stringify (same data)', ms('stringify'), chars.stringify);
report('parse (qbXML)', ms('parse'), chars.parse);
report('JSON.parse (same data)', ms('jsonParse'), chars.jsonParse);
const serializeRatio = ms('build') / ms('stringify');
const parseRatio = ms('parse') / ms('jsonParse');
const perRound = (a: Pass, b: Pass) => times[a].map((t, i) => (t / times[b][i]!).toFixed(2)).join(' ');
console.log(`serialize ratio per round: ${perRound('build', 'stringify')}`);
console.log(`parse ratio per round:     ${perRound('parse', 'jsonParse')}`);
console.log(
  `serialize ratio to JSON.stringify: ${serializeRatio.toFixed(2)}x (goal <= 2x) ${serializeRatio <= 2 ? 'met' : 'NOT met'}`,
);
console.log(`parse ratio to JSON.parse: ${parseRatio.toFixed(2)}x (goal <= 4x) ${parseRatio <= 4 ? 'met' : 'NOT met'}`);
