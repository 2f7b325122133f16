import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildRequestDocument, sampleRequests } from '../../qbxml/index.ts';
import type { CliCommand } from '../command.ts';
import { writeLine } from '../command.ts';
import { runParse } from './qbxml-parse.ts';

const HELP = `Usage:
  qbd-connector qbxml samples --out DIR
      Writes one realistic qbXML request document per supported message (every Add, Mod and Query the connector
      sends, with every optional block it uses) as DIR/<Message>.xml. Validate them with:
        xmllint --noout --schema ../shared/qbxml/schema/qbxmlops130.xsd DIR/*.xml
  qbd-connector qbxml parse FILE [--json]
      Prints what the connector reads from a qbXML response document (or from the receiveResponseXML SOAP envelope
      that carried it): each response's type, requestID, status, iterator attributes and records, the attributes
      of inner elements included (as @name, where reports keep their values). Exit 0 when it parses, 2 with the
      reason when not.`;

export const command: CliCommand = {
  name: 'qbxml',
  summary: 'qbXML tools (samples, parse).',
  help: HELP,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'parse') return runParse(rest, io, HELP);
    if (sub !== 'samples') {
      writeLine(io.stderr, sub ? `Unknown qbxml command "${sub}".\n\n${HELP}` : HELP);
      return 2;
    }
    const outIndex = rest.indexOf('--out');
    const out = outIndex >= 0 ? rest[outIndex + 1] : undefined;
    if (!out || out.startsWith('--')) {
      writeLine(io.stderr, `qbxml samples needs --out DIR.\n\n${HELP}`);
      return 2;
    }
    const dir = resolve(io.cwd, out);
    mkdirSync(dir, { recursive: true });
    let written = 0;
    for (const request of sampleRequests()) {
      const built = buildRequestDocument({ onError: 'stopOnError', requests: [request] });
      if (!built.ok) {
        writeLine(io.stderr, `${request.type}: ${built.error.message}`);
        return 1;
      }
      writeFileSync(resolve(dir, `${request.type}.xml`), built.value.xml);
      written++;
    }
    writeLine(io.stdout, `Wrote ${written} qbXML request documents to ${dir}`);
    return 0;
  },
};
