/**
 * `qbd-connector qbxml parse FILE [--json]`: what the connector reads from a qbXML response document — each
 * response's type, requestID, status, iterator attributes and records, inner attributes (`@name`) included. FILE may
 * also be a receiveResponseXML (or a first sendRequestXML) SOAP envelope as the Web Connector sent it, as support
 * logs keep them: the qbXML inside is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSoapCall } from '../../qbwc/soap/index.ts';
import { parseResponseDocument, type ResponseDocument } from '../../qbxml/index.ts';
import type { CliIo } from '../command.ts';
import { writeLine } from '../command.ts';

/** The qbXML response inside the file: the file itself, or the response a SOAP envelope carries. */
function responseXml(text: string): { xml: string; from: string } {
  if (!/<(\w+:)?Envelope[\s>]/.test(text.slice(0, 2000))) return { xml: text, from: 'qbXML document' };
  const call = parseSoapCall(text, undefined);
  if (!call.ok) return { xml: text, from: 'SOAP envelope' };
  const p = call.call.parameters;
  if (call.call.method === 'receiveResponseXML') return { xml: p.response ?? '', from: 'receiveResponseXML envelope' };
  if (call.call.method === 'sendRequestXML')
    return { xml: p.strHCPResponse ?? '', from: 'sendRequestXML envelope (strHCPResponse)' };
  return { xml: '', from: `${call.call.method} envelope` };
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function printValue(out: string[], name: string, value: unknown, indent: string): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) printValue(out, `${name}[${i + 1}]`, item, indent);
  } else if (value !== null && typeof value === 'object') {
    out.push(`${indent}${name}:`);
    for (const [key, item] of Object.entries(value)) printValue(out, key, item, `${indent}  `);
  } else {
    out.push(`${indent}${name}: ${scalar(value)}`);
  }
}

export function describeDocument(doc: ResponseDocument): string[] {
  const out: string[] = [];
  if (doc.newMessageSetID !== null)
    out.push(`Message set ${doc.newMessageSetID} (status ${doc.messageSetStatusCode ?? '—'})`);
  out.push(`${doc.responses.length} response${doc.responses.length === 1 ? '' : 's'}`);
  doc.responses.forEach((r, i) => {
    out.push('');
    out.push(`${i + 1}. ${r.type}Rs  requestID ${r.requestID === null ? '(none)' : JSON.stringify(r.requestID)}`);
    out.push(`   status ${r.statusCode} ${r.statusSeverity}: ${JSON.stringify(r.statusMessage)}`);
    if (r.iteratorID !== null || r.iteratorRemainingCount !== null || r.retCount !== null) {
      out.push(
        `   iterator ${r.iteratorID ?? '(none)'}, ${r.iteratorRemainingCount ?? '—'} remaining, retCount ${r.retCount ?? '—'}`,
      );
    }
    for (const [j, ret] of r.rets.entries()) printValue(out, r.retNames[j] ?? `Ret ${j + 1}`, ret, '   ');
    if (r.rets.length === 0) out.push('   (no records)');
    if (r.errorRecovery) printValue(out, 'ErrorRecovery', r.errorRecovery, '   ');
  });
  return out;
}

export function runParse(args: string[], io: CliIo, help: string): number {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.find((a) => a.startsWith('--'));
  if (files.length !== 1 || unknown) {
    writeLine(io.stderr, `${unknown ? `Unknown option ${unknown}.` : 'qbxml parse reads one FILE.'}\n\n${help}`);
    return 2;
  }
  const path = resolve(io.cwd, files[0]!);
  if (!existsSync(path)) {
    writeLine(io.stderr, `No file at ${path}.`);
    return 2;
  }
  const { xml, from } = responseXml(readFileSync(path, 'utf8'));
  if (xml.trim() === '') {
    writeLine(io.stderr, `The ${from} in ${path} carries no qbXML response.`);
    return 2;
  }
  const parsed = parseResponseDocument(xml);
  if (!parsed.ok) {
    writeLine(io.stderr, `Not a qbXML response the connector can read (${from}): ${parsed.error.message}`);
    return 2;
  }
  if (json) writeLine(io.stdout, JSON.stringify(parsed.value, null, 2));
  else writeLine(io.stdout, [`From the ${from} ${path}`, ...describeDocument(parsed.value)].join('\n'));
  return 0;
}
