/**
 * Test support: the QuickBooks side of a reconciliation read from a QuickBooks request processor by sending it the
 * reconciliation's own queries as qbXML (what the Web Connector would carry), never by reading its tables.
 */
import { buildRequestDocument, parseResponseDocument, type QbxmlRequest } from '../qbxml/index.ts';
import type { AccountMapping } from '../transform/index.ts';
import { RECONCILIATION_PARTS, readerFromAnswers, reconciliationQueries } from './quickbooks-reads.ts';
import type { LedgerReader, Period } from './reconcile.ts';

export interface RequestProcessor {
  processRequest(xml: string): { ok: true; responseXml: string } | { ok: false; hresult: string; message: string };
}

export function askQuickBooks(processor: RequestProcessor, mapping: AccountMapping, period: Period): LedgerReader {
  return askQuickBooksAll(processor, mapping, period).reader;
}

/** The reader and QuickBooks' trial balance at the end of the period. */
export function askQuickBooksAll(processor: RequestProcessor, mapping: AccountMapping, period: Period) {
  const queries = reconciliationQueries(mapping, period);
  const requests = [
    ...RECONCILIATION_PARTS.map((part, i) => ({ ...queries[part], requestID: String(i) })),
    { type: 'AccountQuery', requestID: 'accounts', body: { ActiveStatus: 'All' } },
  ] as QbxmlRequest[];
  const built = buildRequestDocument({ requests, onError: 'continueOnError' });
  if (!built.ok) throw built.error;
  const result = processor.processRequest(built.value.xml);
  if (!result.ok) throw new Error(`QuickBooks answered ${result.hresult}: ${result.message}`);
  const parsed = parseResponseDocument(result.responseXml);
  if (!parsed.ok) throw parsed.error;
  const responses = parsed.value.responses;
  for (const r of responses) if (r.statusCode >= 1000) throw new Error(`${r.type}: ${r.statusCode} ${r.statusMessage}`);
  const [ledger, trialBalance, salesOrders, items, accounts] = responses;
  const reader = readerFromAnswers(
    { ledger: ledger!, 'trial-balance': trialBalance!, 'sales-orders': salesOrders!, items: items! },
    accounts!.rets,
  );
  if (!reader.ok) throw reader.error;
  return reader.value;
}
