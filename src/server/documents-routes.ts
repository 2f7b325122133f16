/**
 * GET /api/shops/:shop/documents — the documents list (see src/documents/): `state` (an outbox state or a group:
 * attention, in_quickbooks, on_the_way, waiting), `kind` (the QuickBooks message), `from`/`to` (the document's own
 * date), `limit` (default 50, at most 200) and `cursor` (the last page's `nextCursor`). A bad parameter is 400 with
 * every problem named; a shop not yet paired with a company file has no documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listDocuments, parseDocumentQuery } from '../documents/index.ts';
import type { Result } from '../errors/index.ts';
import { getIntegration } from '../integration/index.ts';
import type { Shop, Storage } from '../storage/index.ts';
import { sendError, sendJson } from './http.ts';

export function documentsRoute(deps: {
  storage: Storage;
  authorise: (request: IncomingMessage, shopDomain: string) => Promise<Result<Shop>>;
  /** How a refused authorisation is answered (401/404, as every other route answers it). */
  refuse: (response: ServerResponse, result: Result<never>) => void;
}) {
  return async (request: IncomingMessage, response: ServerResponse, params: Record<string, string>, url: URL) => {
    const shop = await deps.authorise(request, params.shop!);
    if (!shop.ok) return deps.refuse(response, shop);
    const query = parseDocumentQuery(Object.fromEntries(url.searchParams.entries()));
    if (!query.ok) return sendError(response, 400, query.error);
    const integration = await getIntegration(deps.storage, shop.value.id);
    if (!integration?.companyFileId) return sendJson(response, 200, { documents: [], nextCursor: null, total: 0 });
    sendJson(response, 200, await listDocuments(deps.storage, integration.companyFileId, shop.value, query.value));
  };
}
