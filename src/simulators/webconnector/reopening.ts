import type { QuickBooksRequestProcessor } from './processor.ts';

/**
 * Opens the company file afresh for each session and closes it after, as QBWC does with QuickBooks
 * (OpenConnection/BeginSession … EndSession/CloseConnection), so Auto-Run can run many sessions.
 */
export function reopeningProcessor(openFile: () => QuickBooksRequestProcessor): QuickBooksRequestProcessor {
  let current: QuickBooksRequestProcessor | null = null;
  const opened = () => {
    if (!current) throw new Error('Bug: the company file is used before open()');
    return current;
  };
  return {
    open(companyFile) {
      current ??= openFile();
      return current.open(companyFile);
    },
    ensureFileId: (ownerId, fileId) => opened().ensureFileId(ownerId, fileId),
    hostCompanyPreferences: (ownerId) => opened().hostCompanyPreferences(ownerId),
    processRequest: (xml) => opened().processRequest(xml),
    requestProcessorVersion: () => opened().requestProcessorVersion?.() ?? { country: 'US', major: 13, minor: 0 },
    close() {
      current?.close();
      current = null;
    },
  };
}
