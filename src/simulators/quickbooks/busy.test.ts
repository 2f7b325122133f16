import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseResponseDocument } from '../../qbxml/index.ts';
import { validateWithXsd } from '../../qbxml/xsd.test-support.ts';
import { openCompany } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-busy-'));
const written: string[] = [];
after(async () => {
  const errors = await validateWithXsd(written);
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(
    errors.filter((e) => e.length > 0),
    [],
    'responses that fail qbxmlops130.xsd',
  );
});

test('busy: the next N writes fail with 3175, 3176 or 3180 and change nothing; queries still answer', () => {
  const qb = openCompany(join(dir, 'busy.qbw'));
  const run = (body: string) => {
    const result = qb.processRequest(
      `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">${body}</QBXMLMsgsRq></QBXML>`,
    );
    assert.ok(result.ok);
    written.push(result.responseXml);
    const parsed = parseResponseDocument(result.responseXml);
    assert.ok(parsed.ok);
    return parsed.value.responses;
  };
  const add = (name: string) => `<CustomerAddRq><CustomerAdd><Name>${name}</Name></CustomerAdd></CustomerAddRq>`;
  const query = '<CustomerQueryRq><FullName>Busy Bee</FullName></CustomerQueryRq>';
  for (const code of [3175, 3176, 3180] as const) {
    qb.faults.busy(2, code);
    const answers = run(add('Busy Bee') + query + add('Busy Bee'));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [code, 500, code],
      'both adds refused, the query in between answered (500: no such name)',
    );
    assert.ok(answers[0]!.statusMessage.length > 0);
  }
  const [added] = run(add('Busy Bee'));
  assert.equal(added!.statusCode, 0, 'the fault is spent');
  assert.equal(run(query)[0]!.rets.length, 1, 'nothing was added while busy');
  qb.close();
});
