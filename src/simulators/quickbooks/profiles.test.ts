import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseResponseDocument } from '../../qbxml/index.ts';
import { openCompany, QUICKBOOKS_PROFILES, UNSUPPORTED_VERSION } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'qb-sim-profiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const doc = (version: string) =>
  `<?xml version="1.0"?><?qbxml version="${version}"?><QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>`;

test('QuickBooks reads a document only in a qbXML version it speaks', () => {
  const old = openCompany(join(dir, 'old.qbw'), { profile: QUICKBOOKS_PROFILES['us-pro-2006'] });
  assert.deepEqual(old.processRequest(doc('13.0')), { ok: false, ...UNSUPPORTED_VERSION });
  const answered = old.processRequest(doc('5.0'));
  assert.ok(answered.ok);
  const host = parseResponseDocument(answered.responseXml);
  assert.ok(host.ok);
  const ret = host.value.responses[0]!.rets[0]!;
  assert.equal(ret.ProductName, 'QuickBooks Pro 2006');
  assert.equal(ret.MajorVersion, '16');
  assert.deepEqual(ret.SupportedQBXMLVersion, ['1.0', '1.1', '2.0', '2.1', '3.0', '4.0', '4.1', '5.0']);
  assert.deepEqual(old.requestProcessorVersion(), { country: 'US', major: 5, minor: 0 });
  old.close();

  const current = openCompany(join(dir, 'current.qbw'), { edition: 'premier' });
  for (const version of ['13.0', '16.0', '2.0']) assert.ok(current.processRequest(doc(version)).ok, version);
  assert.deepEqual(current.processRequest(doc('17.0')), { ok: false, ...UNSUPPORTED_VERSION });
  assert.deepEqual(current.requestProcessorVersion(), { country: 'US', major: 16, minor: 0 });
  current.close();
});

test('non-US profiles answer with their country, and the old Canadian SDK with its own versions', () => {
  const canada = openCompany(join(dir, 'ca.qbw'), { profile: QUICKBOOKS_PROFILES['ca-2003'] });
  assert.deepEqual(canada.requestProcessorVersion(), { country: 'CA', major: 2, minor: 0 });
  assert.equal(canada.processRequest(doc('13.0')).ok, false);
  const hcp = parseResponseDocument(canada.hostCompanyPreferences('{6B063959-81B0-4CDA-9CBE-A5A7CDB3A41B}'));
  assert.ok(hcp.ok);
  const host = hcp.value.responses.find((r) => r.type === 'HostQuery')!.rets[0]!;
  assert.equal(host.Country, 'CA');
  assert.deepEqual(host.SupportedQBXMLVersion, ['CA2.0']);
  canada.close();
});
