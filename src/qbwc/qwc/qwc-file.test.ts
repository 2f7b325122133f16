import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml } from '../../xml/index.ts';
import { APPLICATION_OWNER_ID, connectorQwcOptions } from './connector-qwc.ts';
import { buildQwcFile, MAX_APP_DESCRIPTION, parseQwcFile, type QwcFileOptions } from './qwc-file.ts';

const base: QwcFileOptions = {
  appName: 'Shopify → QuickBooks <Main & "Store">',
  appUrl: 'https://connector.example.com/qbwc',
  appDescription: "Posts Shopify's sales & refunds",
  appSupport: 'https://connector.example.com/support?shop=a&b=c',
  userName: 'shop-1234',
  ownerId: '57f3b9b1-86f1-4fcc-b1ee-566de1813d20',
  fileId: '{A1B2C3D4-0000-4000-8000-000000000001}',
};

test('writes every element XML-escaped, GUIDs in braces, QBFS, every 15 minutes, not read-only', () => {
  const built = buildQwcFile(base);
  assert.ok(built.ok);
  const xml = built.value;
  assert.ok(xml.includes('<AppName>Shopify → QuickBooks &lt;Main &amp; &quot;Store&quot;&gt;</AppName>'));
  assert.ok(xml.includes('<AppSupport>https://connector.example.com/support?shop=a&amp;b=c</AppSupport>'));
  assert.ok(xml.includes('<OwnerID>{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}</OwnerID>'));
  assert.ok(xml.includes('<QBType>QBFS</QBType>'));
  assert.ok(xml.includes('<RunEveryNMinutes>15</RunEveryNMinutes>'));
  assert.ok(xml.includes('<IsReadOnly>false</IsReadOnly>'));
  assert.ok(parseXml(xml).ok);
});

test('round-trips through parseQwcFile', () => {
  const built = buildQwcFile({ ...base, runEveryNMinutes: 5, appUniqueName: 'shop-1234 qbd', authFlags: '0xF' });
  assert.ok(built.ok);
  const parsed = parseQwcFile(built.value);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, {
    appName: base.appName,
    appId: '',
    appUrl: base.appUrl,
    appDescription: base.appDescription,
    appSupport: base.appSupport,
    userName: base.userName,
    ownerId: '{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}',
    fileId: '{A1B2C3D4-0000-4000-8000-000000000001}',
    qbType: 'QBFS',
    runEveryNMinutes: 5,
    runEveryNSeconds: null,
    isReadOnly: false,
    appUniqueName: 'shop-1234 qbd',
    appDisplayName: null,
    authFlags: '0xF',
    unattendedModePref: null,
    personalDataPref: null,
  });
});

test('refuses an http AppURL unless it is localhost, as the Web Connector does', () => {
  const insecure = buildQwcFile({
    ...base,
    appUrl: 'http://connector.example.com/qbwc',
    appSupport: 'http://connector.example.com/',
  });
  assert.equal(insecure.ok, false);
  assert.equal(!insecure.ok && insecure.error.code, 'QWC_INSECURE_APP_URL');
  assert.equal(!insecure.ok && insecure.error.merchantMustAct, true);
  for (const host of ['localhost:8080', '127.0.0.1:3000']) {
    const local = buildQwcFile({ ...base, appUrl: `http://${host}/qbwc`, appSupport: `http://${host}/support` });
    assert.ok(local.ok, host);
  }
});

test('refuses a support page on another host, bad GUIDs, empty names and bad intervals', () => {
  const cases: Array<[Partial<QwcFileOptions>, string]> = [
    [{ appSupport: 'https://elsewhere.example.com/' }, 'QWC_SUPPORT_HOST_MISMATCH'],
    [{ ownerId: 'not-a-guid' }, 'QWC_INVALID_GUID'],
    [{ appName: ' ' }, 'QWC_MISSING_FIELD'],
    [{ runEveryNMinutes: 0 }, 'QWC_INVALID_INTERVAL'],
    [{ appUrl: 'nonsense' }, 'QWC_INVALID_URL'],
  ];
  for (const [change, code] of cases) {
    const result = buildQwcFile({ ...base, ...change });
    assert.equal(!result.ok && result.error.code, code, JSON.stringify(change));
  }
});

test('parses element order freely, takes the first of two intervals, and reports missing fields', () => {
  const text = `<QBWCXML><UserName>u</UserName><QBType>QBFS</QBType><FileID>{A1B2C3D4-0000-4000-8000-000000000001}</FileID>
    <OwnerID>{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}</OwnerID><AppURL>https://x.example/qbwc</AppURL><AppName>n</AppName>
    <Scheduler><RunEveryNSeconds>30</RunEveryNSeconds><RunEveryNMinutes>9</RunEveryNMinutes></Scheduler><IsReadOnly>true</IsReadOnly></QBWCXML>`;
  const parsed = parseQwcFile(text);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.runEveryNSeconds, 30);
  assert.equal(parsed.value.runEveryNMinutes, null);
  assert.equal(parsed.value.isReadOnly, true);
  const missing = parseQwcFile('<QBWCXML><AppName>n</AppName></QBWCXML>');
  assert.equal(!missing.ok && missing.error.code, 'QWC_MISSING_FIELD');
  assert.match(!missing.ok ? missing.error.message : '', /AppURL, UserName, OwnerID, FileID, QBType/);
  assert.equal(!parseQwcFile('<!DOCTYPE x><QBWCXML/>').ok, true);
});

test('the connector’s .qwc: one OwnerID for the application, a unique name, unattended and personal-data preferences, editions, a short description', () => {
  const options = connectorQwcOptions({
    publicUrl: 'https://connector.example.com/',
    userName: 'shopify-1a2b3c4d',
    ownerId: APPLICATION_OWNER_ID,
    fileId: '{A1B2C3D4-0000-4000-8000-000000000001}',
  });
  const built = buildQwcFile(options);
  assert.ok(built.ok);
  const parsed = parseQwcFile(built.value);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.ownerId, APPLICATION_OWNER_ID);
  assert.equal(parsed.value.appUniqueName, 'qbd-connector.shopify-1a2b3c4d');
  assert.equal(parsed.value.unattendedModePref, 'umpOptional');
  assert.equal(parsed.value.personalDataPref, 'pdpNotNeeded');
  assert.equal(parsed.value.authFlags, '0xE');
  assert.ok(parsed.value.appDescription.length <= MAX_APP_DESCRIPTION);
  assert.equal(parsed.value.appUrl, 'https://connector.example.com/qbwc');
  assert.equal(parsed.value.appSupport, 'https://connector.example.com/support');
  // A second company file: a new FileID, the same OwnerID.
  const other = connectorQwcOptions({
    ...options,
    publicUrl: 'https://connector.example.com',
    userName: 'shopify-9',
    fileId: '{A1B2C3D4-0000-4000-8000-000000000002}',
    ownerId: APPLICATION_OWNER_ID,
  });
  assert.equal(other.ownerId, options.ownerId);
  assert.notEqual(other.appUniqueName, options.appUniqueName);
});

test('refuses a description over 80 characters and an AuthFlags that is not an edition mask', () => {
  const long = buildQwcFile({ ...base, appDescription: 'x'.repeat(81) });
  assert.equal(!long.ok && long.error.code, 'QWC_DESCRIPTION_TOO_LONG');
  assert.ok(buildQwcFile({ ...base, appDescription: 'x'.repeat(80) }).ok);
  const flags = buildQwcFile({ ...base, authFlags: 'all' });
  assert.equal(!flags.ok && flags.error.code, 'QWC_INVALID_AUTH_FLAGS');
});
