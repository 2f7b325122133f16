import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { fromDbTime, fromDbTimeOrNull, isUniqueViolation, toDbTime } from './columns.ts';
import type { CompanyFileRow, Queryable } from './schema.ts';

/**
 * A QuickBooks company file a shop posts to, as the Web Connector knows it: the `.qwc` user name, the app token (only
 * its salted slow hash is stored; hashing belongs to the Web Connector service), the OwnerID/FileID GUIDs written
 * in the `.qwc`, and — once the first session has checked it — the QuickBooks company it is bound to.
 */
export interface CompanyFile {
  id: string;
  shopId: string;
  webConnectorUserName: string;
  appTokenHash: string;
  ownerId: string;
  fileId: string;
  boundCompany: BoundCompany | null;
  failedLogins: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the first session read from QuickBooks (CompanyQuery/HostQuery) and pinned this company file to. */
export interface BoundCompany {
  companyName: string;
  /** e.g. "QuickBooks Desktop Pro 2024" (HostRet ProductName). */
  edition: string;
  /** e.g. "34.0" (HostRet MajorVersion.MinorVersion). */
  version: string;
  boundAt: Date;
}

export interface NewCompanyFile {
  id?: string;
  shopId: string;
  webConnectorUserName: string;
  appTokenHash: string;
  ownerId: string;
  fileId: string;
}

export function companyFileFromRow(row: CompanyFileRow): CompanyFile {
  return {
    id: row.id,
    shopId: row.shop_id,
    webConnectorUserName: row.web_connector_user_name,
    appTokenHash: row.app_token_hash,
    ownerId: row.owner_id,
    fileId: row.file_id,
    boundCompany:
      row.bound_company_name === null || row.bound_at === null
        ? null
        : {
            companyName: row.bound_company_name,
            edition: row.bound_edition ?? '',
            version: row.bound_version ?? '',
            boundAt: fromDbTime(row.bound_at),
          },
    failedLogins: row.failed_logins,
    lockedUntil: fromDbTimeOrNull(row.locked_until),
    lastLoginAt: fromDbTimeOrNull(row.last_login_at),
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** Adds a company file; a Web Connector user name already in use is `COMPANY_FILE_USER_NAME_TAKEN`. */
export async function createCompanyFile(
  q: Queryable,
  input: NewCompanyFile,
  now = new Date(),
): Promise<Result<CompanyFile>> {
  const row: CompanyFileRow = {
    id: input.id ?? randomUUID(),
    shop_id: input.shopId,
    web_connector_user_name: input.webConnectorUserName,
    app_token_hash: input.appTokenHash,
    owner_id: input.ownerId,
    file_id: input.fileId,
    bound_company_name: null,
    bound_edition: null,
    bound_version: null,
    bound_at: null,
    failed_logins: 0,
    locked_until: null,
    last_login_at: null,
    created_at: toDbTime(now),
    updated_at: toDbTime(now),
  };
  try {
    await q.db.insertInto('company_files').values(row).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return err(
      new ConnectorError({
        code: 'COMPANY_FILE_USER_NAME_TAKEN',
        message: `Web Connector user name ${input.webConnectorUserName} (or id ${row.id}) is already in use`,
        merchantMessage: 'That Web Connector user name is already used by another company file. Choose another one.',
        merchantMustAct: true,
        details: { webConnectorUserName: input.webConnectorUserName },
      }),
    );
  }
  return ok(companyFileFromRow(row));
}

export async function getCompanyFile(q: Queryable, id: string): Promise<CompanyFile | null> {
  const row = await q.db.selectFrom('company_files').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? companyFileFromRow(row) : null;
}

/** The company file a Web Connector authenticate names (user names are unique across shops). */
export async function getCompanyFileByUserName(q: Queryable, userName: string): Promise<CompanyFile | null> {
  const row = await q.db
    .selectFrom('company_files')
    .selectAll()
    .where('web_connector_user_name', '=', userName)
    .executeTakeFirst();
  return row ? companyFileFromRow(row) : null;
}

/** The company file paired under a .qwc FileID (the one QBWC writes into the QuickBooks company file it connects). */
export async function getCompanyFileByFileId(q: Queryable, fileId: string): Promise<CompanyFile | null> {
  // GUIDs compare without regard to case (QuickBooks keeps the DataExt value as written).
  const row = await q.db
    .selectFrom('company_files')
    .selectAll()
    .where(sql<string>`upper(file_id)`, '=', fileId.toUpperCase())
    .executeTakeFirst();
  return row ? companyFileFromRow(row) : null;
}

export async function listCompanyFiles(q: Queryable, shopId: string): Promise<CompanyFile[]> {
  const rows = await q.db
    .selectFrom('company_files')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(companyFileFromRow);
}

async function update(q: Queryable, id: string, changes: Partial<CompanyFileRow>): Promise<CompanyFile | null> {
  const row = await q.db
    .updateTable('company_files')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? companyFileFromRow(row) : null;
}

/** Pins the company file to the QuickBooks company the first session found. */
export function bindCompany(
  q: Queryable,
  id: string,
  company: Omit<BoundCompany, 'boundAt'>,
  now = new Date(),
): Promise<CompanyFile | null> {
  return update(q, id, {
    bound_company_name: company.companyName,
    bound_edition: company.edition,
    bound_version: company.version,
    bound_at: toDbTime(now),
    updated_at: toDbTime(now),
  });
}

/** Forgets the bound company (support "reset integration"), so the next session binds afresh. */
export function unbindCompany(q: Queryable, id: string, now = new Date()): Promise<CompanyFile | null> {
  return update(q, id, {
    bound_company_name: null,
    bound_edition: null,
    bound_version: null,
    bound_at: null,
    updated_at: toDbTime(now),
  });
}

/** Replaces the app token's hash (a new token issued); clears any lockout. */
export function replaceAppTokenHash(
  q: Queryable,
  id: string,
  appTokenHash: string,
  now = new Date(),
): Promise<CompanyFile | null> {
  return update(q, id, {
    app_token_hash: appTokenHash,
    failed_logins: 0,
    locked_until: null,
    updated_at: toDbTime(now),
  });
}

export interface LockoutPolicy {
  /** Failed logins in a row that lock the company file. */
  maxFailedLogins: number;
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { maxFailedLogins: 5, lockoutMs: 15 * 60_000 };

/**
 * Counts a failed login in one atomic statement (two instances failing at once both count); reaching the limit
 * locks the company file for `lockoutMs` and restarts the count.
 */
export async function recordFailedLogin(
  q: Queryable,
  id: string,
  now = new Date(),
  policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
): Promise<CompanyFile | null> {
  const row = await q.db
    .updateTable('company_files')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), updated_at: toDbTime(now) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  if (row.failed_logins < policy.maxFailedLogins) return companyFileFromRow(row);
  return update(q, id, {
    failed_logins: 0,
    locked_until: toDbTime(new Date(now.getTime() + policy.lockoutMs)),
    updated_at: toDbTime(now),
  });
}

export function recordSuccessfulLogin(q: Queryable, id: string, now = new Date()): Promise<CompanyFile | null> {
  return update(q, id, {
    failed_logins: 0,
    locked_until: null,
    last_login_at: toDbTime(now),
    updated_at: toDbTime(now),
  });
}

export function isLockedOut(file: CompanyFile, now = new Date()): boolean {
  return file.lockedUntil !== null && file.lockedUntil.getTime() > now.getTime();
}

export async function deleteCompanyFile(q: Queryable, id: string): Promise<boolean> {
  const result = await q.db.deleteFrom('company_files').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
