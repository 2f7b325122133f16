/**
 * TEST HELPER — a minimal QuickBooksRequestProcessor for the Web Connector simulator's own tests, so they do not
 * depend on the QuickBooks simulator. It "applies" every request of a document (recording it) and answers each
 * `XxxRq` with an `XxxRs statusCode="0"`; it honours qbXML error recovery (a message set sent again with
 * `oldMessageSetID` gets the stored response back instead of being applied twice), like QuickBooks does.
 */
import { parseXml } from '../../xml/index.ts';
import type { ProcessorFailure, QuickBooksRequestProcessor } from './processor.ts';

export interface FakeProcessorOptions {
  /** open() fails with these, one per call, before it succeeds. */
  openFailures?: ProcessorFailure[];
  /** processRequest fails with this HRESULT on the Nth document (1-based, counting every call). */
  failRequests?: Record<number, ProcessorFailure>;
}

export interface FakeProcessor extends QuickBooksRequestProcessor {
  readonly opened: string[];
  readonly fileIds: Map<string, string>;
  /** Request documents actually applied (replays excluded). */
  readonly applied: string[];
  readonly replayed: string[];
  closes: number;
}

export function createFakeProcessor(options: FakeProcessorOptions = {}): FakeProcessor {
  const openFailures = [...(options.openFailures ?? [])];
  const stored = new Map<string, string>();
  let calls = 0;
  const processor: FakeProcessor = {
    opened: [],
    fileIds: new Map(),
    applied: [],
    replayed: [],
    closes: 0,
    open(companyFile) {
      const failure = openFailures.shift();
      if (failure) return failure;
      processor.opened.push(companyFile);
      return { ok: true };
    },
    ensureFileId(ownerId, fileId) {
      if (!processor.fileIds.has(ownerId)) processor.fileIds.set(ownerId, fileId);
    },
    hostCompanyPreferences(ownerId) {
      const fileId = processor.fileIds.get(ownerId) ?? '';
      return (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>' +
        '<HostQueryRs statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet><ProductName>QuickBooks Pro 2024</ProductName><MajorVersion>34</MajorVersion><MinorVersion>0</MinorVersion><SupportedQBXMLVersion>13.0</SupportedQBXMLVersion></HostRet></HostQueryRs>' +
        `<CompanyQueryRs statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet><CompanyName>Test &amp; Co</CompanyName><DataExtRet><OwnerID>${ownerId}</OwnerID><DataExtName>FileID</DataExtName><DataExtType>STR255TYPE</DataExtType><DataExtValue>${fileId}</DataExtValue></DataExtRet></CompanyRet></CompanyQueryRs>` +
        '</QBXMLMsgsRs></QBXML>'
      );
    },
    processRequest(requestXml) {
      calls++;
      const failure = options.failRequests?.[calls];
      if (failure) return failure;
      const parsed = parseXml(requestXml);
      const messages = parsed.ok ? parsed.root.children.find((c) => c.localName === 'QBXMLMsgsRq') : undefined;
      if (!messages)
        return {
          ok: false,
          hresult: '0x80040400',
          message: 'QuickBooks found an error when parsing the provided XML text stream.',
        };
      const oldId = messages.attributes.oldMessageSetID;
      if (oldId !== undefined && stored.has(oldId)) {
        processor.replayed.push(requestXml);
        return { ok: true, responseXml: stored.get(oldId)! };
      }
      processor.applied.push(requestXml);
      const responses = messages.children
        .filter((c) => c.localName.endsWith('Rq'))
        .map((c) => {
          const id = c.attributes.requestID === undefined ? '' : ` requestID="${c.attributes.requestID}"`;
          return `<${c.localName.slice(0, -2)}Rs${id} statusCode="0" statusSeverity="Info" statusMessage="Status OK" />`;
        })
        .join('');
      const setId = messages.attributes.newMessageSetID ?? oldId;
      const responseXml = `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs${setId ? ` messageSetStatusCode="0"` : ''}>${responses}</QBXMLMsgsRs></QBXML>`;
      if (setId !== undefined) stored.set(setId, responseXml);
      return { ok: true, responseXml };
    },
    close() {
      processor.closes++;
    },
  };
  return processor;
}
