/** TEST HELPER for the outbox's tests: a company file to queue for, entry inputs, errors, a session that works. */
import assert from 'node:assert/strict';
import { ConnectorError } from '../errors/index.ts';
import { createCompanyFile, createShop, type Storage } from '../storage/index.ts';
import { type EnqueueInput, lease, markApplied, markSent } from './index.ts';

export const T0 = new Date('2026-03-01T12:00:00.000Z');
export const at = (ms: number) => new Date(T0.getTime() + ms);

export async function companyFile(storage: Storage, name = 'corner-store'): Promise<string> {
  const shop = await createShop(storage, {
    domain: `${name}.myshopify.com`,
    name,
    currency: 'USD',
    timeZone: 'America/New_York',
  });
  assert.ok(shop.ok);
  const file = await createCompanyFile(storage, {
    shopId: shop.value.id,
    webConnectorUserName: name,
    appTokenHash: 'scrypt$x$y',
    ownerId: '{6B063959-81B0-4E2A-8D39-9E8D1F4E53D1}',
    fileId: '{0B1D2C3E-1111-4222-8333-944455566677}',
  });
  assert.ok(file.ok);
  return file.value.id;
}

export function input(companyFileId: string, key: string, extra: Partial<EnqueueInput> = {}): EnqueueInput {
  return {
    companyFileId,
    key,
    kind: key.split(':')[0]!,
    request: { type: 'CustomerAdd', body: { Name: key, ExternalGUID: '{X}' } },
    ...extra,
  };
}

export const locked = new ConnectorError({
  code: 'QB_RECORD_IN_USE',
  message: 'status 3175',
  retryable: true,
  qbStatusCode: 3175,
});
export const mustAct = new ConnectorError({
  code: 'QB_ACCOUNT_MISSING',
  message: 'status 3140',
  merchantMessage: 'Choose an income account for gift cards.',
  merchantMustAct: true,
  qbStatusCode: 3140,
});

/** Lease everything ready, send it, and apply it (a session that works). */
export async function sendAndApply(storage: Storage, file: string, session: string, now: Date): Promise<string[]> {
  const leased = await lease(storage, file, session, { limit: 100, now });
  if (leased.length === 0) return [];
  const sent = await markSent(storage, {
    companyFileId: file,
    sessionId: session,
    entries: leased.map((e, i) => ({ entryId: e.id, requestId: String(i) })),
    now,
  });
  assert.ok(sent.ok);
  for (const entry of leased) await markApplied(storage, entry.id, { quickbooksId: `ID-${entry.id}`, now });
  return leased.map((e) => e.key);
}
