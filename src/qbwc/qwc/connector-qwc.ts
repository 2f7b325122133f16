/**
 * The connector's own .qwc for one company file (Web Connector Programmer's Guide ch.4, Table 4-1;
 * ../shared/research/qbwc-qbxml.md §2):
 * - OwnerID identifies the application, one GUID for the connector and every company file it serves (QBWC stores
 *   each file's FileID as a private DataExt owned by it); FileID identifies the company file.
 * - AppUniqueName: a file issued again for the same company file (a new app token) replaces the installed entry
 *   instead of QBWC asking whether to add a copy.
 * - UnattendedModePref umpOptional: the merchant may let it run while QuickBooks is closed ("Yes, always; allow
 *   access even if QuickBooks is not running") or only while it is open; PersonalDataPref pdpNotNeeded: the connector
 *   never reads social security or credit card numbers — which is also what lets it run unattended, as QuickBooks
 *   gives no personal data to an application running while QuickBooks is closed.
 * - AuthFlags 0xE: QuickBooks Pro (0x2), Premier (0x4) and Enterprise (0x8); not Simple Start (0x1), which lacks
 *   inventory, sales orders and classes the connector posts to.
 * - AppDescription is shown in QBWC and in QuickBooks' access dialog: at most 80 characters.
 */
import type { QwcFileOptions } from './qwc-file.ts';

/** The connector's OwnerID: one for the application, never one per company file. */
export const APPLICATION_OWNER_ID = '{3F7A9C21-5B64-4E0D-9A8E-6C1B2D4F7E90}';

export const APP_DESCRIPTION = 'Posts Shopify sales, refunds, payouts and purchases to QuickBooks.';

export interface ConnectorQwcInput {
  /** Where the Web Connector reaches the server, e.g. `https://connector.example.com` (http only on localhost). */
  publicUrl: string;
  /** The SOAP endpoint's path. Default `/qbwc`. */
  soapPath?: string;
  /** Shown in the Web Connector and in QuickBooks' access dialog. Default "Shopify Connector". */
  appName?: string;
  runEveryNMinutes?: number;
  /** The company file's Web Connector user name, OwnerID and FileID. */
  userName: string;
  ownerId: string;
  fileId: string;
}

export function connectorQwcOptions(input: ConnectorQwcInput): QwcFileOptions {
  const base = input.publicUrl.replace(/\/+$/, '');
  const path = input.soapPath ?? '/qbwc';
  const appName = input.appName ?? 'Shopify Connector';
  return {
    // The user name tells two company files of one merchant apart in the Web Connector.
    appName: `${appName} (${input.userName})`,
    appUniqueName: `qbd-connector.${input.userName}`,
    appUrl: `${base}${path.startsWith('/') ? path : `/${path}`}`,
    appDescription: APP_DESCRIPTION,
    // QBWC refuses a support URL on another domain than AppURL.
    appSupport: `${base}/support`,
    userName: input.userName,
    ownerId: input.ownerId,
    fileId: input.fileId,
    qbType: 'QBFS',
    authFlags: '0xE',
    unattendedModePref: 'umpOptional',
    personalDataPref: 'pdpNotNeeded',
    runEveryNMinutes: input.runEveryNMinutes ?? 15,
    isReadOnly: false,
  };
}
