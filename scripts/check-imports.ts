/**
 * The import rules of `src/`: a folder is used through its `index.ts` only (no deep import from another folder),
 * and no import cycle — neither between files nor between folders. Prints each violation with the import that
 * makes it; exits 1 when there is one. `--report` prints the same but exits 0 (to see where the tree stands).
 *
 * A "module" is a folder directly under `src/`, or under `src/simulators/` and `src/qbwc/`, which hold several
 * independent modules side by side. Tests and `*.test-support.ts` files may reach into their own module freely and
 * may import another module's test support; type-only imports count for cycles between folders (they still tie the
 * folders together) but not for cycles between files (they vanish at run time).
 *
 * One rule about tables as well: only src/outbox/ reads or writes the outbox's tables (other modules go through its
 * functions, src/outbox/reads.ts for reads), so a product file elsewhere that names one is reported. The storage
 * module's schema and migrations define them; tests may set an entry's state directly to arrange a case.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');
const containers = new Set(['simulators', 'qbwc']);
// The admin app is a separate program built by Vite with its own tsconfig; it shares only API types.
const excluded = new Set(['web']);

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
  line: number;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === 'node_modules' || name === 'fixtures' || name === 'generated') continue;
      if (dir === src && excluded.has(name)) continue;
      walk(path, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

export function moduleOf(file: string): string {
  const parts = relative(src, file).split(sep);
  if (parts.length === 1) return parts[0]!;
  if (containers.has(parts[0]!) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

const isTestFile = (file: string) => /\.test(-support)?\.ts$/.test(file);

const importPattern =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  for (const match of text.matchAll(importPattern)) {
    const specifier = match[3] ?? match[4];
    if (!specifier) continue;
    const before = text.slice(0, match.index);
    found.push({
      from: file,
      to: resolve(dirname(file), specifier),
      typeOnly: match[2] !== undefined,
      line: before.split('\n').length + (match[0].startsWith('\n') ? 1 : 0),
    });
  }
  return found;
}

export interface Violation {
  kind: 'deep import' | 'file cycle' | 'folder cycle' | 'outbox table';
  text: string;
}

const OUTBOX_TABLE = /\boutbox_(?:entries|dependencies)\b/g;

/** Product files outside src/outbox/ whose code names an outbox table (comments are not code). */
export function outboxTablesOutside(files: string[], read: (file: string) => string): Violation[] {
  const violations: Violation[] = [];
  const owner = join(src, 'outbox') + sep;
  const definers = [join(src, 'storage', 'schema.ts'), join(src, 'storage', 'migrations') + sep];
  for (const file of files) {
    if (file.startsWith(owner) || isTestFile(file) || definers.some((d) => file === d || file.startsWith(d))) continue;
    const code = read(file).replace(
      /\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm,
      (comment, before = '') => before + comment.slice(before.length).replace(/[^\n]/g, ' '),
    );
    for (const match of code.matchAll(OUTBOX_TABLE)) {
      const line = code.slice(0, match.index).split('\n').length;
      violations.push({
        kind: 'outbox table',
        text: `${relative(root, file)}:${line} names ${match[0]} (read it through src/outbox/index.ts, e.g. reads.ts)`,
      });
    }
  }
  return violations;
}

export function check(files: string[], read: (file: string) => string): Violation[] {
  const violations: Violation[] = [];
  const imports = files.flatMap((file) => importsOf(file, read(file)));
  const rel = (file: string) => relative(root, file);

  for (const imp of imports) {
    if (!imp.to.startsWith(src + sep)) continue;
    const fromModule = moduleOf(imp.from);
    const toModule = moduleOf(imp.to);
    if (fromModule === toModule) continue;
    if (isTestFile(imp.from) && imp.to.endsWith('.test-support.ts')) continue;
    const face = join(src, toModule, 'index.ts');
    if (imp.to !== face) {
      violations.push({
        kind: 'deep import',
        text: `${rel(imp.from)}:${imp.line} imports ${rel(imp.to)} (use ${rel(face)})`,
      });
    }
  }

  // Cycles between files: only imports that exist at run time, among product files.
  const graph = new Map<string, string[]>();
  for (const imp of imports) {
    if (imp.typeOnly || isTestFile(imp.from) || isTestFile(imp.to)) continue;
    if (!imp.to.startsWith(src + sep)) continue;
    graph.set(imp.from, [...(graph.get(imp.from) ?? []), imp.to]);
  }
  for (const cycle of cycles(graph)) {
    violations.push({ kind: 'file cycle', text: cycle.map(rel).join(' → ') });
  }

  const folders = new Map<string, string[]>();
  for (const imp of imports) {
    if (isTestFile(imp.from) || !imp.to.startsWith(src + sep)) continue;
    const a = moduleOf(imp.from);
    const b = moduleOf(imp.to);
    if (a === b) continue;
    const edges = folders.get(a) ?? [];
    if (!edges.includes(b)) edges.push(b);
    folders.set(a, edges);
  }
  for (const cycle of cycles(folders)) {
    const steps = cycle.slice(0, -1).map((a, i) => {
      const b = cycle[i + 1]!;
      const example = imports.find(
        (imp) => !isTestFile(imp.from) && moduleOf(imp.from) === a && moduleOf(imp.to) === b,
      );
      return example ? `${a} → ${b} (${rel(example.from)}:${example.line})` : `${a} → ${b}`;
    });
    violations.push({ kind: 'folder cycle', text: steps.join(', ') });
  }
  violations.push(...outboxTablesOutside(files, read));
  return violations;
}

/** Each elementary cycle found by a depth-first search, reported once (rotated to start at its smallest node). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = rotated.join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          out.push([...rotated, rotated[0]!]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return out;
}

if (import.meta.main) {
  const report = process.argv.includes('--report');
  const violations = check(walk(src, []), (file) => readFileSync(file, 'utf8'));
  for (const kind of ['deep import', 'file cycle', 'folder cycle', 'outbox table'] as const) {
    const some = violations.filter((v) => v.kind === kind);
    if (some.length === 0) continue;
    process.stdout.write(`${kind}s (${some.length}):\n`);
    for (const v of some) process.stdout.write(`  ${v.text}\n`);
  }
  if (violations.length === 0) {
    process.stdout.write(
      'Imports: every folder used through its index.ts, no cycle; outbox tables only in src/outbox/.\n',
    );
  }
  process.exit(violations.length > 0 && !report ? 1 : 0);
}
