/**
 * What the Web Connector needs from QuickBooks: the part of QBXMLRP2 (Intuit's request processor) QBWC uses.
 * The QuickBooks Desktop simulator (src/simulators/quickbooks/) implements it; see docs/architecture.md.
 */
export type ProcessorFailure = { ok: false; hresult: string; message: string };

export interface QuickBooksRequestProcessor {
  /** OpenConnection + BeginSession on a company file ("" = the open one). */
  open(companyFile: string): { ok: true } | ProcessorFailure;
  /** QBWC stores the .qwc FileID as a private DataExt "FileID" owned by OwnerID on first connect. */
  ensureFileId(ownerID: string, fileID: string): void;
  /** The Host/Company/Preferences query responses QBWC passes as strHCPResponse on the first sendRequestXML. */
  hostCompanyPreferences(ownerID: string): string;
  /** Executes a qbXML request document; a structural error is an HRESULT, not a status. */
  processRequest(requestXml: string): { ok: true; responseXml: string } | ProcessorFailure;
  /**
   * The request processor's qbXML level and the edition's country (QBXMLRP2's QBXMLVersionsForSession), which QBWC
   * passes to sendRequestXML as qbXMLCountry/qbXMLMajorVers/qbXMLMinorVers. Absent: US 13.0.
   */
  requestProcessorVersion?(): { country: string; major: number; minor: number };
  close(): void;
}
