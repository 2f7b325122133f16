import { randomUUID } from 'node:crypto';
import { shortHash } from '../../domain/index.ts';
import { ok, type Result } from '../../errors/index.ts';
import { createCompanyFile, type Queryable, replaceAppTokenHash } from '../../storage/index.ts';
import { APPLICATION_OWNER_ID } from '../qwc/index.ts';
import {
  DEFAULT_SCRYPT,
  generateAppToken,
  hashAppToken,
  newQuickBooksGuid,
  type ScryptParameters,
} from './app-token.ts';

/**
 * Pairs a shop with a QuickBooks company file: the Web Connector user name, the OwnerID/FileID GUIDs of its .qwc
 * file, and the app token (the Web Connector password). The token is returned once and never stored in clear.
 *
 * OwnerID identifies the application to QuickBooks (one for the connector, APPLICATION_OWNER_ID) and FileID this
 * company file: QBWC writes FileID into the company as a private DataExt owned by OwnerID on its first connection,
 * which is how every later session proves it is talking to the same file (Intuit Web Connector Programmer's Guide
 * ch.4 and ch.8). Company files paired before keep the OwnerID their file was written with.
 */
export interface CompanyFilePairing {
  companyFileId: string;
  userName: string;
  /** Shown to the merchant once, to paste into the Web Connector. */
  appToken: string;
  ownerId: string;
  fileId: string;
}

export interface PairCompanyFileInput {
  shopId: string;
  /** Defaults to `shopify-<a short fingerprint of the new company file id>`. Must be unique across shops:
   * a name already taken is the expected failure `COMPANY_FILE_USER_NAME_TAKEN`. */
  userName?: string;
  ownerId?: string;
  now?: Date;
  scrypt?: ScryptParameters;
}

export async function pairCompanyFile(
  scope: Queryable,
  input: PairCompanyFileInput,
): Promise<Result<CompanyFilePairing>> {
  const companyFileId = randomUUID();
  const appToken = generateAppToken();
  const pairing: CompanyFilePairing = {
    companyFileId,
    userName: input.userName ?? `shopify-${shortHash(companyFileId, 8).toLowerCase()}`,
    appToken,
    ownerId: input.ownerId ?? APPLICATION_OWNER_ID,
    fileId: newQuickBooksGuid(),
  };
  const created = await createCompanyFile(
    scope,
    {
      id: companyFileId,
      shopId: input.shopId,
      webConnectorUserName: pairing.userName,
      appTokenHash: await hashAppToken(appToken, input.scrypt ?? DEFAULT_SCRYPT),
      ownerId: pairing.ownerId,
      fileId: pairing.fileId,
    },
    input.now,
  );
  if (!created.ok) return created;
  return ok(pairing);
}

/** Issues a new app token for an existing company file (the old one stops working at once). */
export async function replaceAppToken(
  scope: Queryable,
  companyFileId: string,
  options: { now?: Date; scrypt?: ScryptParameters } = {},
): Promise<string> {
  const appToken = generateAppToken();
  const updated = await replaceAppTokenHash(
    scope,
    companyFileId,
    await hashAppToken(appToken, options.scrypt ?? DEFAULT_SCRYPT),
    options.now,
  );
  if (!updated) throw new Error(`No company file ${companyFileId}`);
  return appToken;
}
