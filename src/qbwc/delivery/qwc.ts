import type { Result } from '../../errors/index.ts';
import type { CompanyFile } from '../../storage/index.ts';
import { buildQwcFile, connectorQwcOptions } from '../qwc/index.ts';

export interface CompanyFileQwcOptions {
  /** Where the Web Connector reaches this server, e.g. `https://connector.example.com` (http only on localhost). */
  publicUrl: string;
  /** The SOAP endpoint's path. Default `/qbwc`. */
  soapPath?: string;
  /** Shown in the Web Connector and in QuickBooks' access dialog. Default "Shopify Connector". */
  appName?: string;
  runEveryNMinutes?: number;
}

/** The .qwc file the merchant adds to the Web Connector for one company file (src/qbwc/qwc/connector-qwc.ts). */
export function companyFileQwc(file: CompanyFile, options: CompanyFileQwcOptions): Result<string> {
  return buildQwcFile(
    connectorQwcOptions({
      ...options,
      userName: file.webConnectorUserName,
      ownerId: file.ownerId,
      fileId: file.fileId,
    }),
  );
}
