import type { Result } from '../../errors/index.ts';
import type { CompanyFile } from '../../storage/index.ts';
import { buildQwcFile } from '../qwc/index.ts';

export interface CompanyFileQwcOptions {
  /** Where the Web Connector reaches this server, e.g. `https://connector.example.com` (http only on localhost). */
  publicUrl: string;
  /** The SOAP endpoint's path. Default `/qbwc`. */
  soapPath?: string;
  /** Shown in the Web Connector and in QuickBooks' access dialog. Default "Shopify Connector". */
  appName?: string;
  runEveryNMinutes?: number;
}

/**
 * The .qwc file the merchant adds to the Web Connector for one company file. AppSupport is on the same host as
 * AppURL because QBWC refuses a support URL on another domain (Web Connector Programmer's Guide ch.4, Table 4-1).
 * AppName carries the shop's user name so two company files of one merchant show as two applications, not as a
 * replacement of one another.
 */
export function companyFileQwc(file: CompanyFile, options: CompanyFileQwcOptions): Result<string> {
  const base = options.publicUrl.replace(/\/+$/, '');
  const path = options.soapPath ?? '/qbwc';
  const appName = options.appName ?? 'Shopify Connector';
  return buildQwcFile({
    appName: `${appName} (${file.webConnectorUserName})`,
    appUrl: `${base}${path.startsWith('/') ? path : `/${path}`}`,
    appDescription: 'Sends Shopify sales, refunds, payouts, customers, products and purchases to QuickBooks.',
    appSupport: `${base}/support`,
    userName: file.webConnectorUserName,
    ownerId: file.ownerId,
    fileId: file.fileId,
    qbType: 'QBFS',
    runEveryNMinutes: options.runEveryNMinutes ?? 15,
    isReadOnly: false,
  });
}
