/**
 * The simulator against real QuickBooks: each way the simulator once differed from what QuickBooks writes, checked
 * against the real responses in ../shared/qbxml/wire/ (read from there, never copied here).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseResponseDocument, type QbxmlResponse } from '../../qbxml/index.ts';
import { wireResponse } from '../../qbxml/wire.test-support.ts';
import { readXml } from '../../xml/index.ts';
import { openCompany, type QuickBooksCompany } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-sim-wire-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = (options: Parameters<typeof openCompany>[1] = {}) => openCompany(join(dir, `w${++files}.qbw`), options);

function send(
  qb: QuickBooksCompany,
  body: string,
  onError = 'continueOnError',
): { xml: string; responses: QbxmlResponse[] } {
  const result = qb.processRequest(
    `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="${onError}">${body}</QBXMLMsgsRq></QBXML>`,
  );
  assert.ok(result.ok);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return { xml: result.responseXml, responses: parsed.value.responses };
}

function real(prefix: string): QbxmlResponse[] {
  const parsed = parseResponseDocument(wireResponse(prefix));
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

/** A message with its quoted values blanked: what stays is QuickBooks' wording, spaces included. */
const wording = (message: string) => message.replace(/"[^"]*"/g, '"…"');

const SETUP =
  '<CustomerAddRq><CustomerAdd><Name>Ada</Name></CustomerAdd></CustomerAddRq>' +
  '<ItemServiceAddRq><ItemServiceAdd><Name>Design</Name><SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>';
const INVOICE =
  '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TxnDate>2026-03-02</TxnDate>' +
  '<InvoiceLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineAdd>' +
  '<InvoiceLineAdd><ItemRef><FullName>Design</FullName></ItemRef><Quantity>2</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>';

/** The hex sequence number of an id like "A-1232328243". */
const sequence = (id: unknown) => Number.parseInt(String(id).split('-')[0]!, 16);

describe('the simulator writes what real QuickBooks writes', () => {
  test('TxnID and TxnLineID come from one sequence, so no line id equals a transaction id', () => {
    const check = (invoices: Record<string, unknown>[]) => {
      const txnIds = invoices.map((i) => sequence(i.TxnID));
      for (const invoice of invoices) {
        const lines = (invoice.InvoiceLineRet as Record<string, unknown>[]).map((l) => sequence(l.TxnLineID));
        for (const line of lines) assert.ok(line > sequence(invoice.TxnID) && !txnIds.includes(line));
      }
    };
    const wire = real('r05')[0]!.rets;
    assert.deepEqual(
      wire.map((i) => [i.TxnID, (i.InvoiceLineRet as { TxnLineID: string }[]).map((l) => l.TxnLineID)]),
      [
        ['4-1232328070', ['6-1232328070']],
        ['7-1232328243', ['9-1232328243', 'A-1232328243']],
      ],
    );
    check(wire);
    const qb = fresh();
    send(qb, SETUP);
    const ours = send(qb, INVOICE + INVOICE).responses.map((r) => r.rets[0]!);
    check(ours);
    assert.equal(
      sequence(ours[1]!.TxnID),
      sequence((ours[0]!.InvoiceLineRet as { TxnLineID: string }[])[1]!.TxnLineID) + 1,
    );
    qb.close();
  });

  test('a query answer carries no retCount (only the iterator attributes when iterating)', () => {
    for (const prefix of ['r04', 'r05', 'r11', 'r12']) {
      assert.doesNotMatch(wireResponse(prefix), /retCount=/, prefix);
    }
    assert.match(wireResponse('r05'), /iteratorRemainingCount="0" iteratorID="\{6fcbb18b-/);
    const qb = fresh();
    send(qb, SETUP);
    const { xml } = send(
      qb,
      '<CustomerQueryRq/><CustomerQueryRq iterator="Start"><MaxReturned>1</MaxReturned></CustomerQueryRq>',
    );
    assert.doesNotMatch(xml, /retCount=/);
    assert.match(
      xml,
      /iteratorRemainingCount="0" iteratorID="\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}"/,
    );
    qb.close();
  });

  test('status messages are worded and spaced as QuickBooks words them (3120, 3140, 3180, 3210; 3200)', () => {
    const qb = fresh({ edition: 'pro' });
    send(qb, SETUP);
    const [gone] = send(
      qb,
      '<CustomerQueryRq iterator="Continue" iteratorID="{00000000-0000-4000-8000-000000000000}"/>',
    ).responses;
    assert.equal(gone!.statusCode, 3120);
    assert.equal(wording(gone!.statusMessage), wording(real('r12')[0]!.statusMessage));
    const [badRef] = send(
      qb,
      '<SalesOrderAddRq><SalesOrderAdd><CustomerRef><FullName>Nobody</FullName></CustomerRef><SalesOrderLineAdd><ItemRef><FullName>Design</FullName></ItemRef></SalesOrderLineAdd></SalesOrderAdd></SalesOrderAddRq>',
    ).responses;
    assert.equal(badRef!.statusCode, 3140);
    assert.equal(wording(badRef!.statusMessage), wording(real('r23')[3]!.statusMessage));
    qb.setListLimits({ names: 1 });
    const [full] = send(
      qb,
      '<CustomerAddRq><CustomerAdd><Name>Newcastle</Name></CustomerAdd></CustomerAddRq>',
    ).responses;
    assert.equal(full!.statusCode, 3180);
    const real3180 = real('r06')[0]!.statusMessage;
    assert.equal(
      wording(full!.statusMessage).split('QuickBooks error message:')[0],
      wording(real3180).split('QuickBooks error message:')[0],
    );
    assert.match(
      full!.statusMessage,
      /^There was an error when saving a Customer list, element "Newcastle"\. QuickBooks error message: /,
    );
    const invoice = send(qb, INVOICE).responses[0]!.rets[0]!;
    const [overpaid] = send(
      qb,
      `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Ada</FullName></CustomerRef><TotalAmount>129.43</TotalAmount><AppliedToTxnAdd><TxnID>${invoice.TxnID}</TxnID><PaymentAmount>129.43</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`,
    ).responses;
    assert.equal(overpaid!.statusCode, 3210);
    assert.equal(overpaid!.statusMessage, real('r07')[0]!.statusMessage);
    const customer = send(qb, '<CustomerQueryRq><FullName>Ada</FullName></CustomerQueryRq>').responses[0]!.rets[0]!;
    const [stale] = send(
      qb,
      `<CustomerModRq><CustomerMod><ListID>${customer.ListID}</ListID><EditSequence>1</EditSequence><Phone>1</Phone></CustomerMod></CustomerModRq>`,
    ).responses;
    assert.equal(stale!.statusCode, 3200);
    assert.equal(stale!.statusMessage, 'The provided edit sequence "1" is out-of-date. ');
    qb.close();
  });

  test('a colon in a name is 3090; the requests after an error under stopOnError are answered 3231', () => {
    const qb = fresh();
    const { responses } = send(
      qb,
      '<CustomerAddRq requestID="1"><CustomerAdd><Name>A:B</Name></CustomerAdd></CustomerAddRq>' +
        '<CustomerAddRq requestID="2"><CustomerAdd><Name>C</Name></CustomerAdd></CustomerAddRq>',
      'stopOnError',
    );
    assert.deepEqual(
      responses.map((r) => [r.requestID, r.statusCode, r.statusSeverity]),
      [
        ['1', 3090, 'Error'],
        ['2', 3231, 'Error'],
      ],
    );
    assert.equal(responses[1]!.statusMessage, 'The request has not been processed.');
    qb.close();
  });

  test('documents: an element per line, an answer without content self-closed', () => {
    const realLines = wireResponse('r01').trimEnd().split('\n');
    const N = '[A-Za-z][A-Za-z0-9]*';
    const LINE = new RegExp(
      `^(<\\?xml version="1\\.0" \\?>|</?${N}>|<${N} [^<>]*[^/]>|<${N}>[^<]*</${N}>|<${N} [^<>]* />)$`,
    );
    for (const line of realLines) assert.match(line, LINE);
    assert.match(
      wireResponse('r03'),
      /<ItemServiceAddRs requestID="[^"]*" statusCode="3100" statusSeverity="Error" statusMessage="[^"]*" \/>/,
    );
    const qb = fresh();
    const added = send(
      qb,
      '<CustomerAddRq requestID="1"><CustomerAdd><Name>Shannon</Name></CustomerAdd></CustomerAddRq>',
    ).xml;
    const lines = added.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 3), realLines.slice(0, 3));
    for (const line of lines) assert.match(line, LINE);
    const again = send(
      qb,
      '<CustomerAddRq requestID="2"><CustomerAdd><Name>Shannon</Name></CustomerAdd></CustomerAddRq>',
    ).xml;
    assert.match(
      again,
      /\n<CustomerAddRs requestID="2" statusCode="3100" statusSeverity="Error" statusMessage="[^"]*" \/>\n/,
    );
    qb.close();
  });

  test('percentages have two decimals; a CustomerRet has its JobStatus', () => {
    const invoices = real('r05')[0]!.rets.map((r) => r.SalesTaxPercentage);
    assert.deepEqual(invoices, ['0.00', '6.00']);
    for (const prefix of ['r01', 'r10', 'r14']) assert.equal(real(prefix)[0]!.rets[0]!.JobStatus, 'None', prefix);
    const qb = fresh({ salesTax: { ratePercent: '6' } });
    send(qb, SETUP);
    const invoice = send(qb, INVOICE).responses[0]!.rets[0]!;
    assert.equal(invoice.SalesTaxPercentage, '6.00');
    const customer = send(qb, '<CustomerQueryRq><FullName>Ada</FullName></CustomerQueryRq>').responses[0]!.rets[0]!;
    assert.equal(customer.JobStatus, 'None');
    qb.close();
  });

  test('the HostQuery/CompanyQuery answer has an AppLock DataExt under the same OwnerID as the FileID', () => {
    const dataExts = (xml: string) => {
      const company = readXml(xml)
        .root.children[0]!.children.find((c) => c.name === 'CompanyQueryRs')!
        .children[0]!.children.filter((c) => c.name === 'DataExtRet');
      return company.map((d) => Object.fromEntries(d.children.map((c) => [c.name, c.text])));
    };
    const wire = dataExts(wireResponse('r02'));
    assert.deepEqual(
      wire.map((d) => d.DataExtName),
      ['AppLock', 'FileID'],
    );
    assert.equal(wire[0]!.OwnerID, wire[1]!.OwnerID);
    assert.match(wire[0]!.DataExtValue!, /^LOCKED:[A-Z]+:\d{18}$/);
    const owner = '{68B5925B-4347-4784-E58D-35A2D190962F}';
    const qb = fresh();
    qb.ensureFileId(owner, '{EE032E95-47F7-2564-096F-2D4545FCB021}');
    const ours = dataExts(qb.hostCompanyPreferences(owner));
    assert.deepEqual(
      ours.map((d) => d.DataExtName),
      ['AppLock', 'FileID'],
    );
    assert.equal(ours[0]!.OwnerID, owner);
    assert.match(ours[0]!.DataExtValue!, /^LOCKED:[A-Z0-9-]+:\d{18}$/);
    qb.close();
  });
});
