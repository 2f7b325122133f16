import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStatus, hresultError, knownStatusCodes, responseError } from './status.ts';

const REQUIRED = [
  0,
  1,
  500,
  530,
  531,
  560,
  1000,
  1060,
  3000,
  3010,
  3020,
  3030,
  3040,
  3045,
  3070,
  3090,
  3100,
  3120,
  3140,
  3150,
  3170,
  3175,
  3176,
  3180,
  3200,
  3210,
  3220,
  3231,
  3250,
  3260,
  3261,
  3262,
  3263,
  3264,
  3270,
  '0x80040400',
  '0x80040401',
  '0x80040402',
  '0x80040403',
  '0x80040406',
  '0x80040408',
  '0x8004040A',
  '0x80040410',
  '0x80040416',
  '0x80040417',
  '0x80040418',
  '0x8004041A',
  '0x8004041D',
  '0x8004041F',
  '0x80040420',
  '0x80040422',
  '0x80040424',
];

test('every status code of research §3.2 and the QBWC HRESULTs is catalogued with a merchant message', () => {
  const known = knownStatusCodes().map(String);
  for (const code of REQUIRED) {
    assert.ok(known.includes(String(code).toLowerCase()), `missing ${code}`);
    const status = describeStatus(code);
    assert.ok(status.meaning.length > 5);
    assert.ok(status.merchantMessage({ record: 'Customer "Ada"' }).length > 20, String(code));
  }
});

test('classes, retryability and who must act follow the ranges and the error policy', () => {
  assert.equal(describeStatus(1).severity, 'info');
  assert.equal(describeStatus(500).severity, 'warning');
  assert.equal(describeStatus(3100).severity, 'error');
  for (const code of [3170, 3175, 3176, 3180, 3200]) assert.equal(describeStatus(code).retryable, true, String(code));
  for (const code of [3070, 3100, 3140, 3250, 3260]) {
    assert.equal(describeStatus(code).merchantMustAct, true, String(code));
    assert.equal(describeStatus(code).retryable, false, String(code));
  }
  assert.equal(describeStatus(742).severity, 'warning');
  assert.equal(describeStatus(9999).severity, 'error');
  assert.equal(describeStatus('0X80040400').errorCode, 'QB_XML_PARSE_ERROR');
});

test('a parsed error response becomes a ConnectorError with the status and context', () => {
  const error = responseError(
    {
      type: 'CustomerAdd',
      requestID: 'c-1',
      statusCode: 3100,
      statusSeverity: 'Error',
      statusMessage: 'The name "Ada" of the list element is already in use.',
      rets: [],
      retNames: [],
      retCount: null,
      iteratorID: null,
      iteratorRemainingCount: null,
      errorRecovery: null,
    },
    { record: 'Customer "Ada"' },
  );
  assert.equal(error.code, 'QB_NAME_IN_USE');
  assert.equal(error.qbStatusCode, 3100);
  assert.equal(error.merchantMustAct, true);
  assert.match(error.merchantMessage, /Customer "Ada"/);
  const hr = hresultError('0x80040401', 'Could not access QuickBooks.');
  assert.equal(hr.hresult, '0x80040401');
  assert.equal(hr.retryable, true);
});

test('3090, 3231 and the access HRESULTs say who acts and how', () => {
  const colon = describeStatus(3090);
  assert.equal(colon.merchantMustAct, true);
  assert.match(colon.merchantMessage({ record: 'Customer "A:B"', field: 'Name' }), /the Name of Customer "A:B".*colon/);
  const skipped = describeStatus(3231);
  assert.equal(skipped.retryable, true);
  assert.equal(skipped.merchantMustAct, false);
  const denied = hresultError('0x80040420', 'The QuickBooks user has denied access.');
  assert.equal(denied.code, 'QB_ACCESS_REFUSED_BY_USER');
  assert.equal(denied.merchantMustAct, true);
  assert.equal(denied.retryable, false);
  assert.match(denied.merchantMessage, /Integrated Applications/);
  assert.match(denied.merchantMessage, /even if QuickBooks is not running/);
  assert.match(hresultError('0x8004041D', '').merchantMessage, /login automatically/);
  assert.equal(hresultError('0x80040424', '').retryable, true);
  assert.equal(hresultError('0x80040418', '').merchantMustAct, true);
});
