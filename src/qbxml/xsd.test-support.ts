/**
 * Test support: validates documents against Intuit's XSD with xmllint (libxml2 compiled to WebAssembly), many
 * documents per call because loading the 880 kB schema set is the slow part. Reads the schema from ../shared and
 * fails with a plain message when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

export const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'qbxml', 'schema');
const FILES = ['qbxmlops130.xsd', 'qbxmltypes130.xsd', 'qbxml130_modified.xsd', 'qbxmlso130.xsd'];

export function requireSchema(): void {
  if (!existsSync(join(SCHEMA_DIR, 'qbxmlops130.xsd'))) {
    throw new Error(
      `Intuit's qbXML schema is missing: expected ${join(SCHEMA_DIR, 'qbxmlops130.xsd')} (../shared/qbxml/schema beside the repository). XSD validation tests cannot run without it.`,
    );
  }
}

/** Validates every document; returns, per document, the list of xmllint error messages (empty = valid). */
export async function validateWithXsd(documents: readonly string[]): Promise<string[][]> {
  requireSchema();
  const [main, ...rest] = FILES.map((name) => ({
    fileName: name,
    contents: readFileSync(join(SCHEMA_DIR, name), 'utf8'),
  }));
  const names = documents.map((_, i) => `doc${i}.xml`);
  const result = await validateXML({
    xml: documents.map((contents, i) => ({ fileName: names[i]!, contents })),
    schema: [main!],
    preload: rest,
    initialMemoryPages: 1024,
    maxMemoryPages: 4096,
  });
  const errors: string[][] = documents.map(() => []);
  for (const error of result.errors) {
    const file = error.loc?.fileName ?? /^(doc\d+\.xml)\b/.exec(error.rawMessage)?.[1];
    const index = file ? names.indexOf(file) : -1;
    if (index >= 0) errors[index]!.push(error.message);
    else if (!/validates$/.test(error.rawMessage)) for (const list of errors) list.push(error.rawMessage);
  }
  return errors;
}
