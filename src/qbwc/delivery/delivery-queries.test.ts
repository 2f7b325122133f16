/**
 * How many statements a Web Connector call costs. On a database shared by many shops every statement is a round
 * trip the others wait behind (bench/outbox measures it at a million entries), so the counts are pinned here: a
 * change that adds a statement to sendRequestXML or receiveResponseXML fails this test, and one that makes
 * receiveResponseXML cost a statement per document fails it however few documents the test sends. Counted by a
 * Kysely plugin on every statement the backend runs (BEGIN and COMMIT are not statements Kysely compiles).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { cancelEntry, type EnqueueInput, enqueue, getEntryByKey } from '../../outbox/index.ts';
import { buildResponseDocument } from '../../qbxml/index.ts';
import { forEachEngine, openTestDatabase } from '../../storage/engines.test-support.ts';
import { createShop, type Storage } from '../../storage/index.ts';
import { findSessionByTicket, pairCompanyFile, updateSession } from '../session/index.ts';
import { CHEAP_SCRYPT } from './delivery.test-support.ts';
import { createDeliveryBackend } from './delivery-backend.ts';

/** Statements per call once a session is under way: follow-ups, recovery and iterators have nothing to do. */
const SEND_STATEMENTS = 10;
const RECEIVE_STATEMENTS = 13;

function counting(storage: Storage) {
  let statements = 0;
  // Counted as results come back: transformQuery also sees each subquery built from `db` (an EXISTS), which is no
  // statement of its own.
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      statements++;
      return args.result;
    },
  };
  const db = storage.db.withPlugin(plugin);
  const counted: Storage = {
    ...storage,
    db,
    transaction: (work) => db.transaction().execute((trx) => work({ db: trx, engine: storage.engine })),
  };
  return {
    storage: counted,
    async count(work: () => Promise<unknown>): Promise<number> {
      const before = statements;
      await work();
      return statements - before;
    },
  };
}

/** The bench's queue in small: customers first, receipts that each need one, one customer cancelled. */
function queue(companyFileId: string, size: number, customers: number): EnqueueInput[] {
  return Array.from({ length: size }, (_, i): EnqueueInput => {
    if (i < customers) {
      return {
        companyFileId,
        key: `customer:${i}`,
        kind: 'customer',
        priority: 100,
        request: { type: 'CustomerAdd', body: { CustomerAdd: { Name: `Customer ${i}` } } },
      };
    }
    const customer = i % customers;
    return {
      companyFileId,
      key: `receipt:${i}`,
      kind: 'sales-receipt',
      priority: 10,
      dependencies: [`customer:${customer}`],
      request: {
        type: 'SalesReceiptAdd',
        body: {
          SalesReceiptAdd: {
            CustomerRef: { FullName: `Customer ${customer}` },
            TxnDate: '2026-03-01',
            RefNumber: String(i),
            SalesReceiptLineAdd: [{ ItemRef: { FullName: 'Widget' }, Quantity: '2', Rate: '10.00', Amount: '20.00' }],
          },
        },
      },
    };
  });
}

/** QuickBooks' answer: every request "Status OK" with the record it added. */
function answer(requestXml: string): { xml: string; documents: number } {
  const responses = [...requestXml.matchAll(/<(CustomerAdd|SalesReceiptAdd)Rq requestID="([^"]+)"/g)].map(
    ([, type, requestID], i) => ({
      type: type as 'CustomerAdd' | 'SalesReceiptAdd',
      requestID: requestID!,
      statusCode: 0,
      statusSeverity: 'Info' as const,
      statusMessage: 'Status OK',
      rets: [
        type === 'CustomerAdd'
          ? {
              ListID: `80-${requestID}`,
              EditSequence: '1',
              Name: `Customer ${requestID}`,
              FullName: `Customer ${requestID}`,
            }
          : { TxnID: `T-${requestID}`, EditSequence: '1', TxnNumber: i, TxnDate: '2026-03-01' },
      ],
    }),
  );
  const id = /newMessageSetID="([^"]+)"/.exec(requestXml)?.[1];
  return {
    xml: buildResponseDocument({ ...(id === undefined ? {} : { newMessageSetID: id }), responses }),
    documents: responses.length,
  };
}

forEachEngine('statements per Web Connector call', (engine) => {
  test('sendRequestXML and receiveResponseXML cost a fixed number of statements, whatever the size of the message set', async (t) => {
    const { storage: plain } = await openTestDatabase(t, engine);
    const { storage, count } = counting(plain);
    const shop = await createShop(storage, { domain: 'q.myshopify.com', name: 'Q', currency: 'USD', timeZone: 'UTC' });
    assert.ok(shop.ok);
    const paired = await pairCompanyFile(storage, { shopId: shop.value.id, scrypt: CHEAP_SCRYPT });
    assert.ok(paired.ok);
    const companyFileId = paired.value.companyFileId;
    await enqueue(storage, queue(companyFileId, 200, 10));
    const blocker = await getEntryByKey(storage, companyFileId, 'customer:9');
    await cancelEntry(storage, blocker!.id, { actor: 'support' });

    for (const size of [5, 25]) {
      const backend = createDeliveryBackend({ storage, maxRequestsPerMessageSet: size });
      const auth = await backend.authenticate(paired.value.userName, paired.value.appToken);
      assert.equal(auth.result, '');
      // The company-file check of a session's first call reads QuickBooks' HCP answer: not what is pinned here.
      const session = await findSessionByTicket(storage, auth.ticket);
      await updateSession(storage, session!.id, { companyChecked: true });
      for (let set = 0; set < 3; set++) {
        let xml = '';
        const sending = await count(async () => {
          xml = await backend.sendRequestXML({
            ticket: auth.ticket,
            hcpResponse: '',
            companyFileName: 'C:\\q.qbw',
            country: 'US',
            majorVersion: 16,
            minorVersion: 0,
          });
        });
        const reply = answer(xml);
        assert.equal(reply.documents, size, 'a full message set went out');
        assert.equal(sending, SEND_STATEMENTS, `sendRequestXML of ${size} documents`);
        let percent = -1;
        const receiving = await count(async () => {
          percent = await backend.receiveResponseXML({
            ticket: auth.ticket,
            response: reply.xml,
            hresult: '',
            message: '',
          });
        });
        assert.ok(percent >= 0 && percent < 100, `receiveResponseXML answered ${percent}`);
        assert.equal(receiving, RECEIVE_STATEMENTS, `receiveResponseXML of ${size} documents`);
      }
      await backend.closeConnection(auth.ticket);
    }
  });
});
