import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { WIRE_DIR } from '../../qbxml/wire.test-support.ts';
import { main } from '../main.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'qbxml-parse-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const response = (name: string) => join(WIRE_DIR, 'qbxml-responses', name);

test('qbxml parse prints each response with its status, iterator and records, report attributes included', async () => {
  const report = await cli(['qbxml', 'parse', response('r08-GeneralSummaryReportQueryRs.cb.xml')]);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /1\. GeneralSummaryReportQueryRs {2}requestID \(none\)\n {3}status 0 Info: "Status OK"/);
  assert.match(report.stdout, /ColTitle\[1\]:\n\s+@titleRow: "1"\n\s+@value: "Item Description"/);
  assert.match(report.stdout, /@value: "test inventory part - Other"/);
  const paged = await cli(['qbxml', 'parse', response('r05-InvoiceQueryRs-iterator.cb.xml')]);
  assert.equal(paged.code, 0);
  assert.match(paged.stdout, /iterator \{6fcbb18b-68cf-4adb-bf40-164ac0bb4ec0\}, 0 remaining, retCount —/);
  assert.match(paged.stdout, /InvoiceRet:\n\s+TxnID: "4-1232328070"/);
  const errors = await cli(['qbxml', 'parse', response('r23-ItemQuery1-SalesOrderAdd-3140.flowlink2014.xml')]);
  assert.match(errors.stdout, /4 responses/);
  assert.match(errors.stdout, /status 3140 Error: "There is an invalid reference/);
});

test('--json gives the parser’s own result; a SOAP envelope is read for the qbXML it carries', async () => {
  const json = await cli(['qbxml', 'parse', response('r08-GeneralSummaryReportQueryRs.cb.xml'), '--json']);
  assert.equal(json.code, 0);
  const parsed = JSON.parse(json.stdout) as { responses: { type: string; rets: { ColDesc: unknown[] }[] }[] };
  assert.equal(parsed.responses[0]!.type, 'GeneralSummaryReportQuery');
  assert.equal(parsed.responses[0]!.rets[0]!.ColDesc.length, 9);
  const envelope = await cli([
    'qbxml',
    'parse',
    join(WIRE_DIR, 'soap-requests', 's10-receiveResponseXML-invoiceadd.flowlink2014.xml'),
  ]);
  assert.equal(envelope.code, 0, envelope.stderr);
  assert.match(envelope.stdout, /^From the receiveResponseXML envelope/);
  assert.match(envelope.stdout, /InvoiceAddRs/);
  const hcp = await cli(['qbxml', 'parse', join(WIRE_DIR, 'soap-requests', 's04-sendRequestXML-hcp.cb2008.xml')]);
  assert.equal(hcp.code, 0, hcp.stderr);
  assert.match(hcp.stdout, /ProductName: "QuickBooks Pro 2006"/);
});

test('exit 2 with the reason when the document cannot be read, or there is no file', async () => {
  const corrupted = await cli(['qbxml', 'parse', response('r13-HostCompanyPreferences-Pro2014-corrupted.qbwcgem.xml')]);
  assert.equal(corrupted.code, 2);
  assert.match(corrupted.stderr, /Not a qbXML response the connector can read.*Malformed start tag/);
  writeFileSync(
    join(dir, 'request.xml'),
    '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>',
  );
  const request = await cli(['qbxml', 'parse', 'request.xml']);
  assert.equal(request.code, 2);
  assert.match(request.stderr, /has no <QBXMLMsgsRs>/);
  assert.equal((await cli(['qbxml', 'parse', 'missing.xml'])).code, 2);
  assert.equal((await cli(['qbxml', 'parse'])).code, 2);
});
