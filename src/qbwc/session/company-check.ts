import { ConnectorError, err, ok, type Result } from '../../errors/index.ts';
import { parseResponseDocument, type QbxmlResponse } from '../../qbxml/index.ts';
import type { CompanyFile } from '../../storage/index.ts';

/**
 * Which company file QuickBooks opened, read from the HostQuery/CompanyQuery/PreferencesQuery responses QBWC passes
 * as strHCPResponse on the first sendRequestXML of a session. QBWC stores the .qwc FileID in the company as a
 * private DataExt named "FileID" owned by the .qwc OwnerID; CompanyQuery with that OwnerID returns it, which is
 * how a service recognises the file it was paired with (Intuit Web Connector Programmer's Guide ch.8, "Why would
 * a web service try a different company?").
 */
export interface OpenedCompany {
  companyName: string;
  /** The FileID DataExt owned by our OwnerID, or null when the company has none. */
  fileId: string | null;
  /** HostRet ProductName, e.g. "QuickBooks Pro 2014" — the edition. */
  productName: string;
  /** MajorVersion.MinorVersion, e.g. "24.0". */
  version: string;
  country: string | null;
  /** Every response of the document, for the company snapshot. */
  responses: QbxmlResponse[];
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function list(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

function unreadable(detail: string): ConnectorError {
  return new ConnectorError({
    code: 'QBWC_COMPANY_UNKNOWN',
    message: `Could not tell which company file QuickBooks opened: ${detail}`,
    merchantMessage:
      'The connector could not confirm which QuickBooks company file is open, so it sent nothing. Open the company file this shop is connected to, then run the Web Connector again.',
    merchantMustAct: true,
    retryable: true,
  });
}

export function readOpenedCompany(hcpResponse: string, ownerId: string): Result<OpenedCompany> {
  if (hcpResponse.trim() === '') return err(unreadable('strHCPResponse was empty on the first sendRequestXML'));
  const parsed = parseResponseDocument(hcpResponse);
  if (!parsed.ok) return err(unreadable(parsed.error.message));
  const responses = parsed.value.responses;
  const host = responses.find((r) => r.type === 'HostQuery')?.rets[0];
  const company = responses.find((r) => r.type === 'CompanyQuery')?.rets[0];
  if (!host || !company) return err(unreadable('the HostQuery or CompanyQuery response is missing'));
  const fileId =
    list(company.DataExtRet).find(
      (ext) =>
        text(ext.OwnerID)?.toUpperCase() === ownerId.toUpperCase() && text(ext.DataExtName)?.toLowerCase() === 'fileid',
    )?.DataExtValue ?? null;
  const major = text(host.MajorVersion);
  const minor = text(host.MinorVersion);
  return ok({
    companyName: text(company.CompanyName) ?? '',
    fileId: text(fileId),
    productName: text(host.ProductName) ?? '',
    version: major === null ? '' : `${major}.${minor ?? '0'}`,
    country: text(host.Country),
    responses,
  });
}

export type CompanyCheck = { action: 'bind' } | { action: 'matches' } | { action: 'refuse'; error: ConnectorError };

/**
 * Binds the company file on its first session; afterwards only the same company may be written to. A different
 * FileID, or a different company name under a file that was already bound, is refused with both names spelled out.
 */
export function checkOpenedCompany(file: CompanyFile, opened: OpenedCompany, path: string): CompanyCheck {
  const bound = file.boundCompany;
  const openedLabel = `"${opened.companyName}"${path ? ` (${path})` : ''}`;
  if (opened.fileId !== null && opened.fileId.toUpperCase() !== file.fileId.toUpperCase()) {
    return {
      action: 'refuse',
      error: wrongFile(
        `FileID ${opened.fileId} in the open company differs from ${file.fileId}`,
        bound ? `"${bound.companyName}"` : 'another company file',
        openedLabel,
      ),
    };
  }
  if (!bound) return { action: 'bind' };
  if (bound.companyName !== opened.companyName) {
    return {
      action: 'refuse',
      error: wrongFile(
        `company name ${opened.companyName} differs from the bound ${bound.companyName}`,
        `"${bound.companyName}"`,
        openedLabel,
      ),
    };
  }
  return { action: 'matches' };
}

function wrongFile(detail: string, expected: string, opened: string): ConnectorError {
  return new ConnectorError({
    code: 'QBWC_WRONG_COMPANY_FILE',
    message: `Wrong company file open: ${detail}`,
    merchantMessage: `QuickBooks has the company ${opened} open, but this shop is connected to ${expected}. Nothing was sent. Open ${expected} in QuickBooks and run the Web Connector again (or, if the shop should now post to ${opened}, reset the integration first).`,
    merchantMustAct: true,
  });
}
