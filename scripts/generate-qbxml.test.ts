import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generate, MESSAGES } from './generate-qbxml.ts';

const root = join(import.meta.dirname, '..');
const schemaDir = join(root, '..', 'shared', 'qbxml', 'schema');

function requireSchema(): void {
  if (!existsSync(join(schemaDir, 'qbxmlops130.xsd'))) {
    assert.fail(`Intuit's qbXML schema is missing at ${schemaDir}; these tests need ../shared/qbxml/schema.`);
  }
}

test('the committed generated files are exactly what the generator writes from the XSD', () => {
  requireSchema();
  const files = generate(schemaDir);
  const generated = join(root, 'src', 'qbxml', 'generated');
  assert.equal(files.schema, readFileSync(join(generated, 'schema.ts'), 'utf8'), 'run npm run generate:qbxml');
  assert.equal(files.types, readFileSync(join(generated, 'types.ts'), 'utf8'), 'run npm run generate:qbxml');
});

test('the tables carry order, occurrence, lengths, kinds, enums and choices from the XSD', () => {
  requireSchema();
  const files = generate(schemaDir, ['CustomerAdd']);
  // Name is required with maxLength 41, FirstName after CompanyName (group PersonName inlined).
  assert.match(
    files.schema,
    /"CustomerAdd":\{c:\{g:"seq",min:1,max:1,p:\[\{n:"Name",min:1,max:1,s:\{k:"STRTYPE",len:41\}\}/,
  );
  const customerAdd = files.schema.split('\n').find((line) => line.startsWith('"CustomerAdd":'))!;
  assert.ok(customerAdd.indexOf('n:"CompanyName"') < customerAdd.indexOf('n:"FirstName"'));
  assert.match(
    files.schema,
    /n:"SalesTaxCountry",min:0,max:1,s:\{k:"ENUMTYPE",en:\["Australia","Canada","UK","US"\]\}/,
  );
  assert.match(files.schema, /n:"OpenBalance",min:0,max:1,s:\{k:"AMTTYPE"\}/);
  assert.match(files.schema, /n:"ShipToAddress",min:0,max:50/);
  assert.match(files.schema, /"CustomerAddRqType":\{c:.*a:\[\{name:"requestID",required:false,kind:"STRTYPE"\}\]/);
  assert.match(files.types, /export interface CustomerAdd<S extends Scalars = In> \{\n {2}Name: S\['STRTYPE'\];/);
  // Responses: statusCode is a required INTTYPE attribute; ErrorRecovery is reachable.
  assert.match(files.schema, /name:"statusCode",required:true,kind:"INTTYPE"/);
  assert.match(files.schema, /"ErrorRecovery":\{c:\{g:"seq",min:1,max:1,p:\[\{g:"cho"/);
});

test('the message list covers every message the connector sends or reads and extends by adding a name', () => {
  requireSchema();
  for (const name of ['HostQuery', 'SalesReceiptAdd', 'TxnDel', 'DataExtMod', 'TransactionQuery', 'ItemQuery']) {
    assert.ok(MESSAGES.includes(name), name);
  }
  const files = generate(schemaDir, ['EmployeeQuery']);
  assert.match(files.schema, /EmployeeQuery:\{rq:"EmployeeQueryRqType",rs:"EmployeeQueryRsType"\}/);
  assert.throws(() => generate(schemaDir, ['NoSuchThing']), /NoSuchThingRq is not a message/);
});

test('a missing schema directory is reported plainly', () => {
  const empty = mkdtempSync(join(tmpdir(), 'qbxml-schema-'));
  assert.throws(() => generate(empty), /Intuit's qbXML schema is missing: .*qbxmlops130\.xsd does not exist/);
});
