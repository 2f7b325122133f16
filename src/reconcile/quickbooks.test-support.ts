/**
 * Test support: the QuickBooks side of a reconciliation read from a QuickBooks request processor by sending it the
 * reconciliation's own queries as qbXML (what the Web Connector would carry), never by reading its tables.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import {
  type PlannedRequest,
  planRequests,
  referencedKeys,
  resolveTxnIdReferences,
  toQbxmlRequest,
} from '../plan/index.ts';
import { buildRequestDocument, parseResponseDocument, type QbxmlRequest } from '../qbxml/index.ts';
import { openCompany, type QuickBooksCompany } from '../simulators/quickbooks/index.ts';
import {
  type AccountMapping,
  type AccountType,
  type Mode,
  proposeAccountMapping,
  type TransformSources,
  transform,
} from '../transform/index.ts';
import { RECONCILIATION_PARTS, readerFromAnswers, reconciliationQueries } from './quickbooks-reads.ts';
import type { Period } from './reconcile.ts';

export interface RequestProcessor {
  processRequest(xml: string): { ok: true; responseXml: string } | { ok: false; hresult: string; message: string };
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

/** Sends requests to the company file in one message set and returns its answers. */
export function run(company: QuickBooksCompany, requests: QbxmlRequest[]) {
  const built = buildRequestDocument({ requests, onError: 'continueOnError' });
  assert.ok(built.ok);
  const result = company.processRequest(built.value.xml);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

/** The whole path on the QuickBooks simulator: read its accounts, map, transform, plan, execute in order. */
export function syncToSimulator(
  sources: TransformSources,
  mode: Mode,
): { company: QuickBooksCompany; mapping: AccountMapping } {
  const dir = mkdtempSync(join(tmpdir(), 'reconcile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const company = openCompany(join(dir, 'company.qbw'));
  const accounts = run(company, [{ type: 'AccountQuery', requestID: 'a', body: {} } as QbxmlRequest])[0]!.rets as {
    FullName: string;
    AccountType: AccountType;
  }[];
  const methods = run(company, [{ type: 'PaymentMethodQuery', requestID: 'p', body: {} } as QbxmlRequest])[0]!.rets as {
    Name: string;
  }[];
  const { mapping, toCreate } = proposeAccountMapping(
    accounts.map((a) => ({ fullName: a.FullName, type: a.AccountType })),
  );
  const result = transform(sources, {
    modes: { customers: mode, inventory: mode, vendors: mode },
    useClasses: true,
    startDate: null,
    accountsToCreate: toCreate,
  });
  const planned = planRequests(result.lists, result.documents, mapping, {
    existingNames: { paymentMethods: methods.map((m) => m.Name) },
  });
  const byKey = new Map(planned.map((p) => [p.key, p]));
  const ordered: typeof planned = [];
  const seen = new Set<string>();
  const visit = (p: (typeof planned)[number]) => {
    if (seen.has(p.key)) return;
    seen.add(p.key);
    for (const d of p.dependsOn) visit(byKey.get(d)!);
    ordered.push(p);
  };
  for (const p of [...planned].sort((a, b) => b.priority - a.priority)) visit(p);
  const failures: string[] = [];
  // As the delivery backend does: a TxnID reference (a receipt's purchase order) is filled in from the answer to
  // the referenced request, so that request goes in an earlier batch.
  // A receipt's line links to the purchase-order line it receives: its TxnLineID, from the order's answer.
  const txnIds = new Map<string, string>();
  const lineIds = new Map<string, string>();
  let batch: PlannedRequest[] = [];
  let sent = 0;
  const flush = () => {
    const requests = batch.map((p) => {
      const body = resolveTxnIdReferences(
        p.body,
        (key) => txnIds.get(key),
        { key: p.key, type: p.message },
        (key, line) => lineIds.get(`${key}#${line}`),
      );
      assert.ok(body.ok, body.ok ? '' : body.error.message);
      return toQbxmlRequest({ ...p, body: body.value }, String(sent++));
    });
    run(company, requests).forEach((r, j) => {
      if (r.statusCode !== 0) failures.push(`${batch[j]!.key}: ${r.statusCode} ${r.statusMessage}`);
      const ret = r.rets[0];
      const id = ret?.TxnID;
      if (typeof id === 'string') txnIds.set(batch[j]!.key, id);
      for (const name of ['PurchaseOrderLineRet', 'SalesOrderLineRet']) {
        const lines = ret?.[name] === undefined ? [] : [ret[name]].flat();
        lines.forEach((line, index) => {
          const lineId = (line as Record<string, unknown>).TxnLineID;
          if (typeof lineId === 'string') lineIds.set(`${batch[j]!.key}#${index}`, lineId);
        });
      }
    });
    batch = [];
  };
  for (const p of ordered) {
    const waits = referencedKeys(p.body).some((key) => batch.some((b) => b.key === key));
    if (waits || batch.length === 100) flush();
    batch.push(p);
  }
  if (batch.length > 0) flush();
  assert.deepEqual(failures, []);
  return { company, mapping };
}
