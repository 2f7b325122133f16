/**
 * The HRESULTs of QuickBooks' request processor (QBXMLRP2): what OpenConnection/BeginSession raise (QBWC passes them
 * to connectionError) and what ProcessRequest raises instead of a response (receiveResponseXML's hresult). Meanings
 * from Intuit's SDK error list (QBD-errorcodes, "HRESULT values"), the Web Connector Programmer's Guide ch.8, and
 * integrations that show QuickBooks' own wording for each (NexTech Practice's QuickBooks link; Conductor's error
 * reference, https://docs.conductor.is/api-ref/errors, for 0x80040420). "Integrated Applications" is QuickBooks'
 * Edit > Preferences > Integrated Applications > Company Preferences, where only the QuickBooks administrator, in
 * single-user mode, grants or changes an application's access.
 */
import type { StatusEntry } from './status.ts';

const GRANT =
  'As the QuickBooks administrator, open the company file in single-user mode, go to Edit > Preferences > Integrated Applications > Company Preferences, select the connector and click Properties';
const UNATTENDED =
  'For runs while QuickBooks is closed, also tick "Allow this application to login automatically" (and, when QuickBooks asks, choose "Yes, always; allow access even if QuickBooks is not running")';

export const HRESULTS: Record<string, StatusEntry> = {
  '0x80040400': {
    meaning: 'QuickBooks could not parse the request (XML text stream error)',
    severity: 'error',
    retryable: false,
    merchantMustAct: false,
    errorCode: 'QB_XML_PARSE_ERROR',
    merchantMessage: () =>
      'QuickBooks could not read a request from the connector. This is a connector problem, not yours; nothing was posted from that request and support has the details.',
  },
  '0x80040401': {
    meaning: 'Could not access QuickBooks',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_NOT_ACCESSIBLE',
    merchantMessage: () =>
      'The Web Connector could not reach QuickBooks. Make sure QuickBooks is running with the company file open (or allowed to start it), then run the Web Connector again.',
  },
  '0x80040402': {
    meaning: 'Unexpected error in the QuickBooks request processor',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_UNEXPECTED_ERROR',
    merchantMessage: () => 'QuickBooks had an unexpected problem. The connector will try again on the next sync.',
  },
  '0x80040403': {
    meaning: 'Could not open the specified company file',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_COMPANY_FILE_NOT_OPENED',
    merchantMessage: () =>
      'QuickBooks could not open the company file. Open it in QuickBooks yourself (it may need a repair, an update or a password), then run the Web Connector again.',
  },
  '0x80040406': {
    meaning: 'The company file name is not valid or the file was not found',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_COMPANY_FILE_NOT_FOUND',
    merchantMessage: () =>
      'QuickBooks could not find the company file. If it was moved or renamed, open it in QuickBooks, then run the Web Connector again from there.',
  },
  '0x80040408': {
    meaning: 'Could not start QuickBooks',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_COULD_NOT_START',
    merchantMessage: () =>
      'The Web Connector could not start QuickBooks. Open QuickBooks with the company file yourself, then run the Web Connector again.',
  },
  '0x8004040a': {
    meaning: 'A different company file is open in QuickBooks than the one asked for',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_OTHER_COMPANY_FILE_OPEN',
    merchantMessage: () =>
      'QuickBooks has a different company file open. Close it and open the company file linked to your shop, then run the Web Connector again.',
  },
  '0x80040410': {
    meaning: 'The company file is open in a mode that prevents access (e.g. single-user by another user)',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_COMPANY_FILE_IN_USE',
    merchantMessage: () =>
      'The QuickBooks company file is in use in a way that keeps the connector out (for example single-user mode on another computer). Switch to multi-user mode or close it there, then run the Web Connector again.',
  },
  '0x80040416': {
    meaning: 'QuickBooks is not running and no company file was named to start it with',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_COMPANY_FILE_NOT_OPEN',
    merchantMessage: () =>
      `QuickBooks is not running with the company file linked to your shop. Open that company file in QuickBooks, then run the Web Connector again. ${UNATTENDED} in Integrated Applications to have it run without you.`,
  },
  '0x80040417': {
    meaning: 'QuickBooks is running with no company file open, and none was named',
    severity: 'error',
    retryable: true,
    merchantMustAct: true,
    errorCode: 'QB_NO_COMPANY_FILE_OPEN',
    merchantMessage: () =>
      'QuickBooks is running but no company file is open. Open the company file linked to your shop, then run the Web Connector again.',
  },
  '0x80040418': {
    meaning: 'The application has not accessed this company file before; only the administrator can allow it',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_FIRST_ACCESS_NEEDS_ADMIN',
    merchantMessage: () =>
      'QuickBooks has not yet allowed the connector into this company file, and only the QuickBooks administrator can allow it the first time. Log in to QuickBooks as the administrator in single-user mode, run the Web Connector, and answer "Yes" when QuickBooks asks whether to allow the connector.',
  },
  '0x8004041a': {
    meaning: 'The application is not allowed to access this company file',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_ACCESS_DENIED',
    merchantMessage: () =>
      `QuickBooks has not allowed the connector into this company file. ${GRANT}, and tick "Allow this application to read and modify this company file". Then run the Web Connector again.`,
  },
  '0x8004041d': {
    meaning: 'The application is not allowed to log in to this company file automatically',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_AUTO_LOGIN_NOT_ALLOWED',
    merchantMessage: () =>
      `QuickBooks does not let the connector log in by itself, so it cannot run while you are away from QuickBooks. ${GRANT}, tick "Allow this application to login automatically" and choose the QuickBooks user it logs in as; then run the Web Connector again.`,
  },
  '0x8004041f': {
    meaning: 'This QuickBooks product does not support integrated applications (QuickBooks Basic or Simple Start)',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_PRODUCT_HAS_NO_INTEGRATION',
    merchantMessage: () =>
      'This edition of QuickBooks does not let other applications connect to it. The connector needs QuickBooks Desktop Pro, Premier or Enterprise.',
  },
  '0x80040420': {
    meaning: 'The QuickBooks user has denied access',
    severity: 'error',
    retryable: false,
    merchantMustAct: true,
    errorCode: 'QB_ACCESS_REFUSED_BY_USER',
    merchantMessage: () =>
      `The QuickBooks user answered "No" when QuickBooks asked whether to let the connector in, so nothing was sent. ${GRANT}, tick "Allow this application to read and modify this company file". ${UNATTENDED}. Then run the Web Connector again.`,
  },
  '0x80040422': {
    meaning: 'Single-user access is needed and another application already has the company file',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_ANOTHER_APPLICATION_CONNECTED',
    merchantMessage: () =>
      'Another application was connected to the QuickBooks company file. The connector will try again at the next Web Connector run; if this keeps happening, close the other application while the Web Connector runs.',
  },
  '0x80040424': {
    meaning: 'QuickBooks did not finish its initialization',
    severity: 'error',
    retryable: true,
    merchantMustAct: false,
    errorCode: 'QB_STILL_STARTING',
    merchantMessage: () => 'QuickBooks was still starting. The connector will try again at the next Web Connector run.',
  },
};
