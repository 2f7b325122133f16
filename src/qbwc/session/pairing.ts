import { randomUUID } from 'node:crypto';
import { shortHash } from '../../domain/identity.ts';
import type { Queryable } from '../../storage/index.ts';
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
 * OwnerID identifies the application to QuickBooks and FileID this company file: QBWC writes FileID into the
 * company as a private DataExt owned by OwnerID on its first connection, which is how every later session proves it
 * is talking to the same file (Intuit Web Connector Programmer's Guide ch.4 and ch.8).
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
  /** Defaults to `shopify-<a short fingerprint of the new company file id>`. Must be unique across shops. */
  userName?: string;
  ownerId?: string;
  now?: Date;
  scrypt?: ScryptParameters;
}

export async function pairCompanyFile(scope: Queryable, input: PairCompanyFileInput): Promise<CompanyFilePairing> {
  const now = (input.now ?? new Date()).toISOString();
  const companyFileId = randomUUID();
  const appToken = generateAppToken();
  const pairing: CompanyFilePairing = {
    companyFileId,
    userName: input.userName ?? `shopify-${shortHash(companyFileId, 8).toLowerCase()}`,
    appToken,
    ownerId: input.ownerId ?? newQuickBooksGuid(),
    fileId: newQuickBooksGuid(),
  };
  await scope.db
    .insertInto('company_files')
    .values({
      id: companyFileId,
      shop_id: input.shopId,
      web_connector_user_name: pairing.userName,
      app_token_hash: await hashAppToken(appToken, input.scrypt ?? DEFAULT_SCRYPT),
      owner_id: pairing.ownerId,
      file_id: pairing.fileId,
      bound_company_name: null,
      bound_edition: null,
      bound_version: null,
      bound_at: null,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return pairing;
}

/** Issues a new app token for an existing company file (the old one stops working at once). */
export async function replaceAppToken(
  scope: Queryable,
  companyFileId: string,
  options: { now?: Date; scrypt?: ScryptParameters } = {},
): Promise<string> {
  const appToken = generateAppToken();
  const result = await scope.db
    .updateTable('company_files')
    .set({
      app_token_hash: await hashAppToken(appToken, options.scrypt ?? DEFAULT_SCRYPT),
      failed_logins: 0,
      locked_until: null,
      updated_at: (options.now ?? new Date()).toISOString(),
    })
    .where('id', '=', companyFileId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new Error(`No company file ${companyFileId}`);
  return appToken;
}
