/** Talking to a simulated company file in a test: message sets in, parsed responses out. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { parseResponseDocument, type QbxmlResponse } from '../../qbxml/index.ts';
import { openCompany, type QuickBooksCompany } from './index.ts';

/** A company file of its own in a folder removed after the test file. */
export function scratchCompany(prefix: string, name: string): QuickBooksCompany {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return openCompany(join(dir, `${name}.qbw`));
}

/** The requests in `body` as one message set (stopOnError), answered. */
export function send(qb: QuickBooksCompany, body: string): QbxmlResponse[] {
  const result = qb.processRequest(
    `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${body}</QBXMLMsgsRq></QBXML>`,
  );
  assert.ok(result.ok);
  const parsed = parseResponseDocument(result.responseXml);
  assert.ok(parsed.ok);
  return parsed.value.responses;
}

/** One request that must succeed: its record. */
export function run(qb: QuickBooksCompany, body: string): Record<string, unknown> {
  const [response] = send(qb, body);
  assert.equal(response!.statusCode, 0, response!.statusMessage);
  return response!.rets[0]!;
}
