/**
 * Faults the chaos suite found, each pinned down on its own, end to end on the simulators.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listEntries } from '../outbox/index.ts';
import type { QwcFile } from '../qbwc/qwc/index.ts';
import { openCompany } from '../simulators/quickbooks/index.ts';
import { reopeningProcessor, runWebConnectorSession } from '../simulators/webconnector/index.ts';
import { checkBooks } from './chaos-books.test-support.ts';
import { startHarness } from './harness.test-support.ts';

test('item receipts whose answers a response left out are looked up in QuickBooks, not added a second time', async (t) => {
  const h = await startHarness(t, { orders: 16, seed: 'chaos-3' });
  const issue = h.issueToken.bind(h);
  let token: { appToken: string; qwc: QwcFile } | null = null;
  h.issueToken = async () => {
    token = await issue();
    return token;
  };
  await h.setupThroughOptions();
  assert.ok((await h.app.setup.start(h.shop.domain)).ok);
  assert.ok((await h.app.sync.run(h.shop.id, 'start')).ok);
  const company = reopeningProcessor(() => openCompany(h.companyPath, { edition: 'premier' }));
  let dropped = 0;
  let lookedUp = 0;
  const processor = {
    ...company,
    processRequest(xml: string) {
      if (xml.includes('<ItemReceiptQueryRq')) lookedUp++;
      const result = company.processRequest(xml);
      // QuickBooks ran the whole message set; the answers to its item receipts do not reach the connector.
      if (!result.ok || dropped > 0 || !xml.includes('<ItemReceiptAddRq')) return result;
      const responseXml = result.responseXml.replace(/<ItemReceiptAddRs\b[\s\S]*?<\/ItemReceiptAddRs>/g, () => {
        dropped++;
        return '';
      });
      return { ok: true as const, responseXml };
    },
  };
  const session = await runWebConnectorSession({
    qwc: token!.qwc,
    password: token!.appToken,
    processor,
    openCompanyFile: h.companyPath,
    timeScale: 0.001,
  });
  assert.equal(session.outcome, 'completed', session.message);
  assert.ok(dropped >= 1, 'the shop has item receipts');
  assert.ok(lookedUp >= 1, 'each unanswered receipt was looked up by ItemReceiptQuery');
  await h.deliverAll();
  const entries = await listEntries(h.app.storage, await h.companyFileId(), {});
  const books = h.withCompany((c) => checkBooks(entries, c));
  assert.deepEqual(books.problems, []);
  assert.equal(books.duplicates, 0);
});
