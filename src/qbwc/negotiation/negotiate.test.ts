import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listEntries } from '../../outbox/index.ts';
import { wireResponse, wireSoapRequests } from '../../qbxml/wire.test-support.ts';
import { openCompany, QUICKBOOKS_PROFILES, type QuickBooksProfileName } from '../../simulators/quickbooks/index.ts';
import { startConnector } from '../delivery/delivery.test-support.ts';
import { parseSoapCall } from '../soap/index.ts';
import { negotiateDialect } from './negotiate.ts';

const OWNER = '{6B063959-81B0-4CDA-9CBE-A5A7CDB3A41B}';

/** What the Web Connector passes to sendRequestXML for a QuickBooks of this profile (its HCP and its level). */
function offerOf(name: QuickBooksProfileName, dir: string) {
  const qb = openCompany(join(dir, `${name}.qbw`), { profile: QUICKBOOKS_PROFILES[name] });
  try {
    const level = qb.requestProcessorVersion();
    return {
      country: level.country,
      majorVersion: level.major,
      minorVersion: level.minor,
      hcpResponse: qb.hostCompanyPreferences(OWNER),
    };
  } finally {
    qb.close();
  }
}

describe('qbXML version and country from the first sendRequestXML', () => {
  test('the real first sendRequestXML of a QuickBooks Pro 2006 session (wire s04) is refused, naming edition and version', () => {
    const envelope = wireSoapRequests().find((r) => r.name.startsWith('s04-'))!;
    const call = parseSoapCall(envelope.xml, '"http://developer.intuit.com/sendRequestXML"');
    assert.ok(call.ok);
    const p = call.call.parameters;
    assert.equal(p.qbXMLMajorVers, '5');
    const dialect = negotiateDialect({
      country: p.qbXMLCountry!,
      majorVersion: Number(p.qbXMLMajorVers),
      minorVersion: Number(p.qbXMLMinorVers),
      hcpResponse: p.strHCPResponse!,
    });
    assert.ok(!dialect.ok);
    assert.equal(dialect.error.code, 'QBWC_QUICKBOOKS_TOO_OLD');
    assert.match(dialect.error.merchantMessage, /^QuickBooks Pro 2006 speaks qbXML up to version 5\.0/);
    assert.match(dialect.error.merchantMessage, /Nothing was sent\. Update QuickBooks/);
    assert.equal(dialect.error.merchantMustAct, true);
  });

  test('the real HostQuery answers decide: Pro 2006 (wire r02) is too old', () => {
    const old = negotiateDialect({
      country: 'US',
      majorVersion: 13,
      minorVersion: 0,
      hcpResponse: wireResponse('r02'),
    });
    assert.ok(!old.ok);
    assert.match(old.error.message, /up to 5\.0/);
  });

  test('each simulated QuickBooks: the 2024 US release is spoken to in 13.0; older and non-US ones are refused', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'negotiate-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const us = negotiateDialect(offerOf('us', dir));
    assert.deepEqual(us, {
      ok: true,
      value: { version: '13.0', country: 'US', productName: 'QuickBooks Pro 2024', highest: '16.0' },
    });
    const expected: [QuickBooksProfileName, string, RegExp][] = [
      ['us-pro-2006', 'QBWC_QUICKBOOKS_TOO_OLD', /QuickBooks Pro 2006 speaks qbXML up to version 5\.0/],
      [
        'us-premier-2013',
        'QBWC_QUICKBOOKS_TOO_OLD',
        /QuickBooks Premier Edition 2013 speaks qbXML up to version 12\.0/,
      ],
      ['ca', 'QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED', /\(Canadian edition\) is the Canadian edition/],
      ['ca-2003', 'QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED', /QuickBooks Pro 2003 \(Canadian edition\)/],
      ['uk', 'QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED', /UK edition/],
      ['au', 'QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED', /Australian edition/],
    ];
    for (const [name, code, message] of expected) {
      const dialect = negotiateDialect(offerOf(name, dir));
      assert.ok(!dialect.ok, name);
      assert.equal(dialect.error.code, code, name);
      assert.match(dialect.error.merchantMessage, message, name);
    }
  });

  test('without a readable HostQuery answer the request processor level and country decide', () => {
    const ok = negotiateDialect({ country: 'US', majorVersion: 13, minorVersion: 0, hcpResponse: '' });
    assert.ok(ok.ok);
    assert.equal(ok.value.productName, 'QuickBooks');
    const old = negotiateDialect({ country: 'US', majorVersion: 12, minorVersion: 0, hcpResponse: '<QBXML>broken' });
    assert.ok(!old.ok && /up to version 12\.0/.test(old.error.merchantMessage));
    const canada = negotiateDialect({ country: 'CA', majorVersion: 16, minorVersion: 0, hcpResponse: '' });
    assert.ok(!canada.ok && canada.error.code === 'QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED');
  });
});

describe('a session with a QuickBooks the connector cannot write to', () => {
  for (const name of ['us-pro-2006', 'ca'] as const) {
    test(`${name}: refused on the first sendRequestXML, before any document; the work waits`, async (t) => {
      const c = await startConnector(t, 'sqlite');
      await c.enqueue([
        {
          key: 'customer/1',
          kind: 'customer',
          request: { type: 'CustomerAdd', body: { CustomerAdd: { Name: 'Ada' } } },
        },
      ]);
      const qb = openCompany(join(c.folder, `${name}.qbw`), {
        profile: QUICKBOOKS_PROFILES[name],
        clock: { now: c.clock.now },
      });
      const log = await c.session(qb);
      assert.equal(log.outcome, 'stopped-by-service');
      assert.match(
        log.message,
        name === 'ca' ? /Canadian edition.*Nothing was sent/ : /QuickBooks Pro 2006.*5\.0.*Update QuickBooks/,
      );
      assert.equal(log.requestsProcessed, 0, 'no document reached QuickBooks');
      const [entry] = await listEntries(c.storage, c.file.id);
      assert.equal(entry!.state, 'pending');
      assert.equal(entry!.attempts, 0);
    });
  }
});
