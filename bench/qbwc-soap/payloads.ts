import type { WebConnectorBackend } from '../../src/qbwc/soap/index.ts';
import { buildRequestDocument, buildResponseDocument, type QbxmlRequest } from '../../src/qbxml/index.ts';
import { type CaseName, PAIRS_PER_SESSION } from './settings.ts';

export function salesReceipt(i: number): QbxmlRequest {
  const lines = Array.from({ length: 2 }, (_, l) => ({
    ItemRef: { FullName: `Tees:TEE-${l}` },
    Desc: `Organic tee, colour ${l}, size M & "fitted"`,
    Quantity: String(l + 1),
    Rate: '25.00',
    ClassRef: { FullName: 'Shopify:Downtown Store' },
    Amount: BigInt(2500 * (l + 1)),
    SalesTaxCodeRef: { FullName: 'Tax' },
  }));
  return {
    type: 'SalesReceiptAdd',
    requestID: String(1000 + i),
    body: {
      SalesReceiptAdd: {
        CustomerRef: { FullName: 'Shopify POS Walk-in' },
        ClassRef: { FullName: 'Shopify:Downtown Store' },
        TxnDate: '2026-05-14',
        RefNumber: String(5000 + i),
        PaymentMethodRef: { FullName: 'Shopify Payments' },
        Memo: `Shopify order #${5000 + i}`,
        DepositToAccountRef: { FullName: 'Shopify Payments Clearing' },
        SalesReceiptLineAdd: lines,
      },
    },
  } as QbxmlRequest;
}

export function customer(i: number): QbxmlRequest {
  return {
    type: 'CustomerAdd',
    requestID: String(2000 + i),
    body: {
      CustomerAdd: {
        Name: `O'Brien & Daughters ${i}`,
        CompanyName: `O'Brien & Daughters ${i}`,
        FirstName: 'Aoife',
        LastName: "O'Brien",
        BillAddress: { Addr1: '12 Harbour Road', City: 'Cork', PostalCode: 'T12 X7Y2', Country: 'Ireland' },
        Email: `aoife${i}@example.com`,
      },
    },
  } as QbxmlRequest;
}

export function payloads(name: CaseName): { requestXml: string; responseXml: string } {
  const requests =
    name === 'tiny'
      ? [customer(0)]
      : [...Array.from({ length: 5 }, (_, i) => customer(i)), ...Array.from({ length: 20 }, (_, i) => salesReceipt(i))];
  const built = buildRequestDocument({ requests, onError: 'continueOnError', newMessageSetID: 'set-42' });
  if (!built.ok) throw new Error(`bench payload does not build: ${built.error.message}`);
  const responseXml = buildResponseDocument({
    newMessageSetID: 'set-42',
    responses: requests.map((request, i) => ({
      type: request.type,
      requestID: request.requestID,
      statusCode: 0,
      statusSeverity: 'Info' as const,
      statusMessage: 'Status OK',
      rets: [
        request.type === 'CustomerAdd'
          ? {
              ListID: `8000${i}-1715000000`,
              TimeCreated: '2026-05-14T10:00:00-07:00',
              TimeModified: '2026-05-14T10:00:00-07:00',
              EditSequence: '1715000000',
              Name: `O'Brien & Daughters ${i}`,
              FullName: `O'Brien & Daughters ${i}`,
              IsActive: true,
              Sublevel: 0,
              Balance: '0.00',
              TotalBalance: '0.00',
            }
          : {
              TxnID: `${i}-1715000000`,
              TimeCreated: '2026-05-14T10:00:00-07:00',
              TimeModified: '2026-05-14T10:00:00-07:00',
              EditSequence: '1715000000',
              TxnNumber: i,
              CustomerRef: { ListID: '80000001-1715000000', FullName: 'Shopify POS Walk-in' },
              TxnDate: '2026-05-14',
              RefNumber: String(5000 + i),
              Subtotal: '75.00',
              TotalAmount: '75.00',
              Memo: `Shopify order #${5000 + i}`,
            },
      ],
    })),
  });
  return { requestXml: built.value.xml, responseXml };
}

/** The same in-memory answers for both servers: a session is PAIRS_PER_SESSION request/response pairs. */
export function instantAnswers(requestXml: string) {
  const progress = new Map<string, number>();
  let next = 0;
  return {
    authenticate: (): [string, string] => {
      const ticket = `{${(++next).toString(16).padStart(8, '0')}-5e55-4b1d-9c0d-7f3a2b1c0d9e}`;
      progress.set(ticket, 0);
      return [ticket, ''];
    },
    send: () => requestXml,
    receive: (ticket: string) => {
      const done = (progress.get(ticket) ?? 0) + 1;
      progress.set(ticket, done);
      return Math.min(100, Math.floor((done * 100) / PAIRS_PER_SESSION));
    },
    close: (ticket: string) => {
      progress.delete(ticket);
      return 'OK';
    },
  };
}

export function backendFor(requestXml: string): WebConnectorBackend {
  const answers = instantAnswers(requestXml);
  return {
    serverVersion: () => 'bench',
    clientVersion: () => '',
    authenticate: () => {
      const [ticket, result] = answers.authenticate();
      return { ticket, result };
    },
    sendRequestXML: () => answers.send(),
    receiveResponseXML: (input) => answers.receive(input.ticket),
    connectionError: () => 'done',
    getLastError: () => '',
    closeConnection: (ticket) => answers.close(ticket),
  };
}
