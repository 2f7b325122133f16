/**
 * QuickBooks status codes and request-processor HRESULTs, with what each means for the merchant.
 * Sources: Intuit's status-code table (https://developer.intuit.com/app/developer/qbdesktop/docs/develop/exploring-the-quickbooks-desktop-sdk/status-codes-in-response-messages),
 * consolibyte quickbooks-php's error handlers (which codes are worth a retry); the request processor's HRESULTs are
 * in status-hresults.ts. Ranges: 0–499 Info, 500–999 Warn (data still returned), 1000+ Error.
 */
import { ConnectorError } from '../errors/index.ts';
import type { QbxmlResponse } from './parse.ts';
import { HRESULTS } from './status-hresults.ts';

export type StatusClass = 'info' | 'warning' | 'error';

export interface StatusContext {
  /** The record the request was about, e.g. `Customer "Ada Lovelace"` or `Sales Receipt 1001`. */
  record?: string;
  /** The field concerned, when QuickBooks names one. */
  field?: string;
  /** QuickBooks' own statusMessage. */
  statusMessage?: string;
}

export interface StatusDescription {
  code: number | string;
  meaning: string;
  severity: StatusClass;
  retryable: boolean;
  merchantMustAct: boolean;
  /** Stable connector error code for this status (`QB_NAME_IN_USE`, …). */
  errorCode: string;
  merchantMessage(context?: StatusContext): string;
}

function the(context: StatusContext | undefined, fallback: string): string {
  return context?.record ?? fallback;
}

function quoted(context: StatusContext | undefined): string {
  return context?.statusMessage ? ` QuickBooks said: "${context.statusMessage}"` : '';
}

export type StatusEntry = Omit<StatusDescription, 'code'>;
type Entry = StatusEntry;

const ENTRIES: Record<string, Entry> = {
  '0': {
    meaning: 'Success',
    severity: 'info',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_OK',
    merchantMessage: (c) => `${the(c, 'The record')} is in QuickBooks.`,
  },
  '1': {
    meaning: 'No match: the query found nothing',
    severity: 'info',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_NO_MATCH',
    merchantMessage: (c) => `QuickBooks has no ${the(c, 'matching record')} yet.`,
  },
  '500': {
    meaning: 'Query not fully completed: part of the filter (e.g. a ListID) was not found',
    severity: 'warning',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_PARTIAL_RESULT',
    merchantMessage: (c) => `QuickBooks found only some of the records the connector asked for.${quoted(c)}`,
  },
  '530': {
    meaning: 'A field is not supported by this QuickBooks version or edition and was ignored',
    severity: 'warning',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_FIELD_UNSUPPORTED',
    merchantMessage: (c) =>
      `Your QuickBooks version ignored the field ${c?.field ?? 'sent'} for ${the(c, 'this record')}; the rest was saved.`,
  },
  '531': {
    meaning: 'An enumerated value is not supported by this QuickBooks version and was ignored',
    severity: 'warning',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_VALUE_UNSUPPORTED',
    merchantMessage: (c) =>
      `Your QuickBooks version does not support one of the values sent for ${the(c, 'this record')}; the rest was saved.`,
  },
  '560': {
    meaning: 'A deprecated field was used (warning; the request was processed)',
    severity: 'warning',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_FIELD_DEPRECATED',
    merchantMessage: (c) => `${the(c, 'The record')} was saved; QuickBooks noted that one of its fields is outdated.`,
  },
  '1000': {
    meaning: 'QuickBooks internal error',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_INTERNAL_ERROR',
    merchantMessage: (c) =>
      `QuickBooks had an internal problem saving ${the(c, 'the record')}. The connector will try again on the next sync.`,
  },
  '1060': {
    meaning: 'Invalid requestID (at most 50 characters)',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_INVALID_REQUEST_ID',
    merchantMessage: () =>
      'The connector sent QuickBooks a request it could not match up. This is a connector problem; support has what it needs to fix it.',
  },
  '3000': {
    meaning: 'Invalid object ID in a field',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_INVALID_ID',
    merchantMessage: (c) =>
      `QuickBooks did not recognise an id the connector sent for ${the(c, 'a record')}. The connector will look the record up again.${quoted(c)}`,
  },
  '3010': {
    meaning: 'Invalid boolean value',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_INVALID_BOOLEAN',
    merchantMessage: (c) => `QuickBooks refused a yes/no value in ${the(c, 'a record')}.${quoted(c)}`,
  },
  '3020': {
    meaning: 'Invalid date',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INVALID_DATE',
    merchantMessage: (c) =>
      `QuickBooks refused the date of ${the(c, 'a record')}. If the date is before your closing date in QuickBooks, change the closing date or the record's date.${quoted(c)}`,
  },
  '3030': {
    meaning: 'Invalid date range',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_INVALID_DATE_RANGE',
    merchantMessage: (c) => `QuickBooks refused a date range the connector asked for.${quoted(c)}`,
  },
  '3040': {
    meaning: 'Invalid amount',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INVALID_AMOUNT',
    merchantMessage: (c) =>
      `QuickBooks refused an amount in ${the(c, 'a record')}${c?.field ? ` (${c.field})` : ''}. Check the amount in Shopify.${quoted(c)}`,
  },
  '3045': {
    meaning: 'Invalid quantity',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INVALID_QUANTITY',
    merchantMessage: (c) => `QuickBooks refused a quantity in ${the(c, 'a record')}. Check it in Shopify.${quoted(c)}`,
  },
  '3070': {
    meaning: 'A string is too long for its field',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_STRING_TOO_LONG',
    merchantMessage: (c) =>
      `${c?.field ? `The ${c.field}` : 'A text'} of ${the(c, 'a record')} is longer than QuickBooks allows. Shorten it in Shopify and sync again.`,
  },
  '3090': {
    meaning: 'A string is not valid for its field (e.g. a name with a colon, which separates levels of a full name)',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INVALID_STRING',
    merchantMessage: (c) =>
      `QuickBooks refused ${c?.field ? `the ${c.field}` : 'a text'} of ${the(c, 'a record')}: it holds a character QuickBooks does not allow there (a colon ":" in a name separates a parent from a sub-item).${quoted(c)} Change it in Shopify and sync again.`,
  },
  '3100': {
    meaning: 'The name is already in use (names are unique across customers, vendors, employees and other names)',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_NAME_IN_USE',
    merchantMessage: (c) =>
      `QuickBooks already has a customer, vendor, employee or other name called like ${the(c, 'this record')}. QuickBooks needs names to be unique across all those lists: rename one of them (in QuickBooks or Shopify) and sync again.`,
  },
  '3120': {
    meaning: 'The object specified in the request cannot be found',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_OBJECT_NOT_FOUND',
    merchantMessage: (c) =>
      `${the(c, 'A record')} the connector posted earlier is no longer in QuickBooks (it may have been deleted there). The connector will create it again if needed.`,
  },
  '3140': {
    meaning: 'Invalid reference to another QuickBooks record (missing or inactive customer, item, account, tax item…)',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INVALID_REFERENCE',
    merchantMessage: (c) =>
      `${the(c, 'A record')} refers to something QuickBooks does not have or has made inactive (an account, item, customer or tax item).${quoted(c)} Make it active in QuickBooks or check the account mapping, then sync again.`,
  },
  '3150': {
    meaning: 'A required element is missing',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_REQUIRED_ELEMENT_MISSING',
    merchantMessage: (c) =>
      `QuickBooks needs a field the connector did not send for ${the(c, 'a record')}.${quoted(c)}`,
  },
  '3170': {
    meaning: 'Error modifying a list element (often: modified by another user)',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_MODIFY_FAILED',
    merchantMessage: (c) =>
      `QuickBooks could not change ${the(c, 'a record')} right now, usually because someone else is changing it. The connector will try again.`,
  },
  '3175': {
    meaning: 'The record is in use by another user',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_RECORD_IN_USE',
    merchantMessage: (c) =>
      `${the(c, 'A record')} is open in QuickBooks on someone's screen. Close it there; the connector will try again.`,
  },
  '3176': {
    meaning: 'The record could not be locked',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_RECORD_LOCKED',
    merchantMessage: (c) =>
      `QuickBooks could not lock ${the(c, 'a record')} to change it, usually because it is open elsewhere. The connector will try again.`,
  },
  '3180': {
    meaning: 'Error saving a list element (often: the list was modified by another user)',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_SAVE_FAILED',
    merchantMessage: (c) =>
      `QuickBooks could not save ${the(c, 'a record')} right now, usually because another user changed the list. The connector will try again.`,
  },
  '3200': {
    meaning: 'The EditSequence is out of date: the record changed in QuickBooks since it was read',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_EDIT_SEQUENCE_OUT_OF_DATE',
    merchantMessage: (c) =>
      `${the(c, 'A record')} was changed in QuickBooks while the connector was updating it. The connector will read it again and retry.`,
  },
  '3210': {
    meaning: 'A field has an invalid value, or QuickBooks rejected the transaction',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INVALID_FIELD_VALUE',
    merchantMessage: (c) =>
      `QuickBooks refused ${the(c, 'a record')}${c?.field ? ` because of its ${c.field}` : ''}.${quoted(c)} Fix the value and sync again.`,
  },
  '3220': {
    meaning: 'Not authorized to perform this request',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_NOT_AUTHORIZED',
    merchantMessage: () =>
      'QuickBooks did not allow the connector to do this. In QuickBooks, Edit > Preferences > Integrated Applications, allow the connector access, then sync again.',
  },
  '3231': {
    meaning: 'The request was not processed (an earlier request in the message set failed with stopOnError)',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_REQUEST_NOT_PROCESSED',
    merchantMessage: (c) =>
      `QuickBooks skipped ${the(c, 'a record')} because an earlier one in the same batch failed. It will be sent again.`,
  },
  '3250': {
    meaning: 'The feature is not enabled or not available in this QuickBooks edition or version',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_FEATURE_NOT_ENABLED',
    merchantMessage: (c) =>
      `${the(c, 'This record')} needs a QuickBooks feature that is turned off or not in your edition (for example inventory, sales orders, classes or units of measure).${quoted(c)} Turn it on in QuickBooks Edit > Preferences, or change the connector's settings.`,
  },
  '3260': {
    meaning: 'Insufficient permission level (QuickBooks user role)',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_INSUFFICIENT_PERMISSION',
    merchantMessage: () =>
      'The QuickBooks user the Web Connector logs in as may not do this. Give that user more rights in QuickBooks (Company > Users), or run the Web Connector as the administrator.',
  },
  '3261': {
    meaning: 'No permission to access personal data',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_NO_PERSONAL_DATA_ACCESS',
    merchantMessage: () =>
      'QuickBooks did not let the connector see personal data. In QuickBooks, Edit > Preferences > Integrated Applications, allow the connector to access personal data.',
  },
  '3262': {
    meaning: 'A payroll subscription is needed',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_PAYROLL_SUBSCRIPTION_NEEDED',
    merchantMessage: () => 'This needs a QuickBooks payroll subscription, which this company file does not have.',
  },
  '3263': {
    meaning: 'The application has read-only access',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_READ_ONLY_ACCESS',
    merchantMessage: () =>
      'QuickBooks gave the connector read-only access. In QuickBooks, Edit > Preferences > Integrated Applications, allow it to change data.',
  },
  '3264': {
    meaning: 'Merchant services are needed',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_MERCHANT_SERVICES_NEEDED',
    merchantMessage: () => 'This needs QuickBooks merchant services, which this company file does not have.',
  },
  '3270': {
    meaning: 'A posting account is missing',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_MISSING_POSTING_ACCOUNT',
    merchantMessage: (c) =>
      `QuickBooks needs an account to post ${the(c, 'this record')} to. Check the account mapping in the connector (each Shopify category needs a QuickBooks account), then sync again.`,
  },
};

function rangeEntry(code: number): Entry {
  if (code >= 0 && code < 500) {
    return { ...ENTRIES['0']!, meaning: `Informational status ${code}`, errorCode: 'QB_INFO' };
  }
  if (code >= 500 && code < 1000) {
    return {
      meaning: `Warning ${code}: the request was processed, perhaps not exactly as asked`,
      severity: 'warning',
      retryable: false,
      merchantMustAct: false,
      errorCode: 'QB_WARNING',
      merchantMessage: (c) => `QuickBooks saved ${the(c, 'the record')} with a warning.${quoted(c)}`,
    };
  }
  return {
    meaning: `Error ${code}`,
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_ERROR',
    merchantMessage: (c) =>
      `QuickBooks refused ${the(c, 'a record')}.${quoted(c)} The connector keeps it aside; support can see the details.`,
  };
}

/** Describes a status code (number) or an HRESULT (`0x80040400`, any case). Unknown codes get their range's class. */
export function describeStatus(code: number | string): StatusDescription {
  const key = typeof code === 'number' ? String(code) : code.toLowerCase();
  const entry = ENTRIES[key] ?? HRESULTS[key] ?? (typeof code === 'number' ? rangeEntry(code) : null);
  if (entry) return { code, ...entry };
  return {
    code,
    meaning: `QuickBooks request processor error ${code}`,
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_PROCESSOR_ERROR',
    merchantMessage: () =>
      'The Web Connector reported a problem talking to QuickBooks. The connector will try again on the next sync.',
  };
}

/** Every code in the catalogue (for tests and the admin UI's help page). */
export function knownStatusCodes(): (number | string)[] {
  return [...Object.keys(ENTRIES).map(Number), ...Object.keys(HRESULTS)];
}

/** Turns a parsed error (or warning) response into a ConnectorError carrying the status and the merchant message. */
export function responseError(
  response: QbxmlResponse,
  context: Omit<StatusContext, 'statusMessage'> = {},
): ConnectorError {
  const status = describeStatus(response.statusCode);
  return new ConnectorError({
    code: status.errorCode,
    message: `${response.type}Rs ${response.requestID ?? ''} status ${response.statusCode} (${response.statusSeverity}): ${response.statusMessage}`,
    merchantMessage: status.merchantMessage({ ...context, statusMessage: response.statusMessage }),
    merchantMustAct: status.merchantMustAct,
    retryable: status.retryable,
    qbStatusCode: response.statusCode,
    details: { type: response.type, requestID: response.requestID, statusSeverity: response.statusSeverity },
  });
}

/** Turns an HRESULT reported by the Web Connector (connectionError, receiveResponseXML) into a ConnectorError. */
export function hresultError(hresult: string, message: string): ConnectorError {
  const status = describeStatus(hresult);
  return new ConnectorError({
    code: status.errorCode,
    message: `QuickBooks request processor ${hresult}: ${message}`,
    merchantMessage: status.merchantMessage({ statusMessage: message }),
    merchantMustAct: status.merchantMustAct,
    retryable: status.retryable,
    hresult,
  });
}
