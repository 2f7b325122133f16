/**
 * Test support: the real Web Connector and QuickBooks captures in ../shared/qbxml/wire (read from there, like the
 * XSD; they are not part of the repository). Fails with a plain message when the folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WIRE_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'qbxml', 'wire');

function requireWire(): void {
  if (!existsSync(join(WIRE_DIR, 'SOURCES.md'))) {
    throw new Error(
      `The real QuickBooks captures are missing: expected ${WIRE_DIR} (../shared/qbxml/wire beside the repository). Tests against real responses cannot run without it.`,
    );
  }
}

/** Every captured qbXML response document, by file name (`r01-CustomerAddRs.cb2008.xml` …), in name order. */
export function wireResponses(): { name: string; xml: string }[] {
  requireWire();
  const dir = join(WIRE_DIR, 'qbxml-responses');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => ({ name, xml: readFileSync(join(dir, name), 'utf8') }));
}

/** One captured response by the start of its file name, e.g. `r08`. */
export function wireResponse(prefix: string): string {
  const found = wireResponses().find((r) => r.name.startsWith(`${prefix}-`));
  if (!found) throw new Error(`No captured response ${prefix}-… in ${join(WIRE_DIR, 'qbxml-responses')}`);
  return found.xml;
}

/** Every captured SOAP request envelope, by file name (`s01-serverVersion.cb2008.xml` …), in name order. */
export function wireSoapRequests(): { name: string; xml: string }[] {
  requireWire();
  const dir = join(WIRE_DIR, 'soap-requests');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => ({ name, xml: readFileSync(join(dir, name), 'utf8') }));
}
