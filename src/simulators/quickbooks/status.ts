/**
 * A per-request status, as QuickBooks reports it on a `…Rs` element. Inside the simulator a request that fails
 * a QuickBooks rule throws one of these; the executor catches it at the request boundary, rolls the request's
 * changes back (QuickBooks applies a request entirely or not at all) and writes the status. It never escapes
 * the executor, so callers only ever see a response document.
 */
export class QbStatus extends Error {
  readonly statusCode: number;
  readonly severity: 'Info' | 'Warn' | 'Error';

  constructor(statusCode: number, message: string, severity: 'Info' | 'Warn' | 'Error' = 'Error') {
    super(message);
    this.name = 'QbStatus';
    this.statusCode = statusCode;
    this.severity = severity;
  }
}

/**
 * Message texts in QuickBooks' own wording, spaces included (research/qbwc-qbxml.md §3.2 and the real responses in
 * ../shared/qbxml/wire/: 3120 r12, 3140 r23, 3180 r06, 3210 r07, 3100 r03, 500 r11, 1 r23). QuickBooks joins its
 * own explanation with two spaces after 3120, 3140 and 3210, and one after 3180.
 */
const RECORD_MISSING =
  '  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.';

export const statusText = {
  ok: 'Status OK',
  noMatch: 'A query request did not find a matching object in QuickBooks',
  partialMatch: (missing: string) =>
    `The query request has not been fully completed. There was a required element ("${missing}") that could not be found in QuickBooks.`,
  tooLong: (value: string, field: string) => `The string "${value}" in the field "${field}" is too long.`,
  nameInUse: (name: string) => `The name "${name}" of the list element is already in use.`,
  notFound: (id: string) => `Object "${id}" specified in the request cannot be found.${RECORD_MISSING}`,
  invalidReference: (objectType: string, name: string, context: string) =>
    `There is an invalid reference to QuickBooks ${objectType} "${name}" in the ${context}.${RECORD_MISSING}`,
  // QuickBooks ends this one with a space.
  staleEditSequence: (editSequence: string) => `The provided edit sequence "${editSequence}" is out-of-date. `,
  invalidValue: (field: string, value: string, reason: string) =>
    `The "${field}" field has an invalid value "${value}".  QuickBooks error message: ${reason}`,
  // The wording of 3090 is not in the captures; it follows QuickBooks' other conversion errors (3010, 3020).
  invalidString: (value: string, field: string, reason: string) =>
    `There was an error when converting the string value "${value}" in the field "${field}".  QuickBooks error message: ${reason}`,
  notProcessed: 'The request has not been processed.',
  saveError: (listName: string, name: string, reason: string) =>
    `There was an error when saving a ${listName} list, element "${name}". QuickBooks error message: ${reason}`,
  inUse: (objectType: string, id: string) =>
    `The ${objectType} "${id}" is in use by another QuickBooks user and cannot be changed now. QuickBooks error message: Object in use.`,
  locked: (objectType: string, id: string) =>
    `The ${objectType} "${id}" could not be locked: failed to acquire the lock because another user is editing it.`,
  notEnabled: (feature: string) =>
    `This feature is not enabled or not available in this version of QuickBooks: ${feature}.`,
} as const;

export const LIST_LIMIT_REASON = (limit: number, what: string) =>
  `You have reached the maximum number of ${what} (${limit.toLocaleString('en-US')}) this edition of QuickBooks allows.`;
