/**
 * The chaos suite's ground truth, read straight from the two places that matter — the connector's database and
 * QuickBooks' company file — not through the connector's own reports: is every document in QuickBooks exactly
 * once, and what ought `status` to say right now.
 */
import { externalGuidFor } from '../domain/index.ts';
import { listSyncRuns } from '../integration/index.ts';
import { listEntries, type OutboxEntry } from '../outbox/index.ts';
import { parseResponseDocument } from '../qbxml/index.ts';
import type { QuickBooksCompany } from '../simulators/quickbooks/index.ts';
import type { Storage } from '../storage/index.ts';

export interface BooksCheck {
  /** Requests that add a record or transaction, as the outbox holds them. */
  documents: number;
  /** Of those, how many QuickBooks holds more than once (counting each extra copy). */
  duplicates: number;
  /** Of those, how many QuickBooks does not hold at all, or the outbox never settled as applied. */
  lost: number;
  problems: string[];
}

const NOT_DOCUMENTS = new Set(['DataExtAdd', 'DataExtDefAdd']);

function query(company: QuickBooksCompany, inner: string) {
  const xml = `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="continueOnError">${inner}</QBXMLMsgsRq></QBXML>`;
  company.open('');
  const result = company.processRequest(xml);
  if (!result.ok) throw new Error(`QuickBooks refused the query: ${result.hresult} ${result.message}`);
  const parsed = parseResponseDocument(result.responseXml);
  if (!parsed.ok) throw new Error(`Unreadable answer to ${inner}: ${JSON.stringify(parsed.error)}`);
  return parsed.value.responses;
}

/**
 * Every request that adds something is in QuickBooks exactly once: by its ExternalGUID where the request carries
 * one (no GUID of ours twice in the company file, none missing), else by the id QuickBooks answered with.
 */
export function checkBooks(entries: readonly OutboxEntry[], company: QuickBooksCompany): BooksCheck {
  const adds = entries.filter((e) => e.request.type.endsWith('Add') && !NOT_DOCUMENTS.has(e.request.type));
  const check: BooksCheck = { documents: adds.length, duplicates: 0, lost: 0, problems: [] };
  const byType = new Map<string, OutboxEntry[]>();
  for (const entry of adds) byType.set(entry.request.type, [...(byType.get(entry.request.type) ?? []), entry]);
  for (const [requestType, ofType] of byType) {
    const base = requestType.slice(0, -'Add'.length);
    const [answer] = query(company, `<${base}QueryRq requestID="1"/>`);
    if (!answer || (answer.statusCode !== 0 && answer.statusCode !== 1)) {
      check.problems.push(`${base}QueryRq answered ${answer?.statusCode}: ${answer?.statusMessage}`);
      continue;
    }
    const guids = new Map<string, number>();
    const ids = new Map<string, number>();
    for (const ret of answer.rets) {
      const guid = typeof ret.ExternalGUID === 'string' ? ret.ExternalGUID.toUpperCase() : null;
      if (guid) guids.set(guid, (guids.get(guid) ?? 0) + 1);
      const id = String(ret.TxnID ?? ret.ListID ?? '');
      if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    for (const entry of ofType) {
      const carriesGuid = JSON.stringify(entry.request.body).includes('"ExternalGUID"');
      const copies = carriesGuid
        ? (guids.get(externalGuidFor(entry.key).toUpperCase()) ?? 0)
        : entry.quickbooksId
          ? (ids.get(entry.quickbooksId) ?? 0)
          : 0;
      if (copies > 1) {
        check.duplicates += copies - 1;
        check.problems.push(`${entry.key} (${requestType}) is in QuickBooks ${copies} times`);
      }
      if (copies === 0 || entry.state !== 'applied') {
        check.lost++;
        check.problems.push(
          `${entry.key} (${requestType}) is ${copies === 0 ? 'not in QuickBooks' : 'in QuickBooks'} and ${entry.state} in the outbox`,
        );
      }
    }
  }
  return check;
}

/** What needs the merchant, by the database's own account (null: nothing). */
export async function troubleInDatabase(
  storage: Storage,
  shopId: string,
  companyFileId: string,
  now: Date,
): Promise<string | null> {
  const troubled = await listEntries(storage, companyFileId, {
    states: ['unknown', 'failed', 'needs_attention', 'leased', 'sent'],
    limit: 5,
  });
  if (troubled.length > 0) return `entries ${troubled.map((e) => `${e.key} ${e.state}`).join(', ')}`;
  // What went wrong in a Web Connector session (QuickBooks could not open the file…) stands until the next session.
  const session = await storage.db
    .selectFrom('qbwc_sessions')
    .select(['id', 'problem_code'])
    .where('company_file_id', '=', companyFileId)
    .where('problem', 'is not', null)
    .executeTakeFirst();
  if (session) return `web connector session ${session.id}: ${session.problem_code}`;
  const [latest] = await listSyncRuns(storage, shopId, 1);
  if (latest?.state === 'failed') return `sync ${latest.id} failed`;
  if (latest?.state === 'preparing' && latest.leaseExpiresAt !== null && latest.leaseExpiresAt <= now) {
    return `sync ${latest.id} interrupted`;
  }
  return null;
}
