import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { check, cycles, importsOf, moduleOf } from './check-imports.ts';

const src = join(import.meta.dirname, '..', 'src');
const at = (path: string) => join(src, path);

test('a module is a folder under src/, or one level deeper inside simulators/ and qbwc/', () => {
  assert.equal(moduleOf(at('outbox/lease.ts')), 'outbox');
  assert.equal(moduleOf(at('outbox/sub/deeper.ts')), 'outbox');
  assert.equal(moduleOf(at('simulators/quickbooks/books.ts')), 'simulators/quickbooks');
  assert.equal(moduleOf(at('qbwc/soap/service.ts')), 'qbwc/soap');
});

test('imports are read from static, re-export, type-only and dynamic forms, with their line', () => {
  const file = at('sync/service.ts');
  const text = [
    "import { a } from '../outbox/index.ts';",
    "import type { B } from '../plan/plan.ts';",
    "export { c } from './local.ts';",
    'const m = await import("../cli/main.ts");',
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  const found = importsOf(file, text);
  assert.deepEqual(
    found.map((i) => [i.to.slice(src.length + 1), i.typeOnly, i.line]),
    [
      ['outbox/index.ts', false, 1],
      ['plan/plan.ts', true, 2],
      ['sync/local.ts', false, 3],
      ['cli/main.ts', false, 4],
    ],
  );
});

test('a deep import into another folder is reported with the face to use; its own folder and the face are not', () => {
  const files = {
    [at('sync/service.ts')]:
      "import { x } from '../outbox/lease.ts';\nimport { y } from '../outbox/index.ts';\nimport { z } from './runs.ts';",
    [at('outbox/lease.ts')]: '',
    [at('outbox/index.ts')]: "export * from './lease.ts';",
    [at('sync/runs.ts')]: '',
  };
  const violations = check(Object.keys(files), (f) => files[f]!);
  assert.deepEqual(violations, [
    { kind: 'deep import', text: 'src/sync/service.ts:1 imports src/outbox/lease.ts (use src/outbox/index.ts)' },
  ]);
});

test("tests may import another folder's test support, but not its other files", () => {
  const files = {
    [at('sync/service.test.ts')]:
      "import { h } from '../e2e/harness.test-support.ts';\nimport { s } from '../storage/sqlite.ts';",
  };
  const violations = check(Object.keys(files), (f) => files[f]!);
  assert.deepEqual(
    violations.map((v) => v.text),
    ['src/sync/service.test.ts:2 imports src/storage/sqlite.ts (use src/storage/index.ts)'],
  );
});

test('cycles between folders are reported, type-only imports included; between files only at run time', () => {
  const files = {
    [at('setup/index.ts')]: "import { run } from '../sync/index.ts';",
    [at('sync/index.ts')]: "import type { Options } from '../setup/index.ts';",
    [at('plan/a.ts')]: "import type { B } from './b.ts';",
    [at('plan/b.ts')]: "import { a } from './a.ts';",
    [at('plan/c.ts')]: "import { d } from './d.ts';",
    [at('plan/d.ts')]: "import { c } from './c.ts';",
  };
  const violations = check(Object.keys(files), (f) => files[f]!);
  assert.deepEqual(
    violations.map((v) => `${v.kind}: ${v.text}`),
    [
      'file cycle: src/plan/c.ts → src/plan/d.ts → src/plan/c.ts',
      'folder cycle: setup → sync (src/setup/index.ts:1), sync → setup (src/sync/index.ts:1)',
    ],
  );
});

test('each elementary cycle is reported once, whichever node the search starts from', () => {
  const graph = new Map([
    ['c', ['a']],
    ['a', ['b']],
    ['b', ['c', 'd']],
    ['d', ['d']],
  ]);
  assert.deepEqual(cycles(graph), [
    ['a', 'b', 'c', 'a'],
    ['d', 'd'],
  ]);
});

test('only src/outbox/ names the outbox tables in code; schema, migrations, tests and comments may', () => {
  const files = {
    [at('documents/list.ts')]:
      "// outbox_entries in a comment is fine\nconst rows = await q.db\n  .selectFrom('outbox_entries as e')\n  .execute();",
    [at('reconcile/reads.ts')]: 'await sql`select 1 from outbox_dependencies`.execute(db);',
    [at('outbox/reads.ts')]: "q.db.selectFrom('outbox_entries')",
    [at('storage/schema.ts')]: 'outbox_entries: OutboxEntryRow;',
    [at('storage/migrations/0002-outbox-entries.ts')]: "db.schema.createTable('outbox_entries')",
    [at('attention/attention.test.ts')]: "db.updateTable('outbox_entries')",
    [at('sync/service.ts')]: '/** Reads outbox_entries through the outbox. */\nexport const x = 1;',
  };
  const violations = check(Object.keys(files), (f) => files[f]!);
  assert.deepEqual(
    violations.map((v) => `${v.kind}: ${v.text}`),
    [
      'outbox table: src/documents/list.ts:3 names outbox_entries (read it through src/outbox/index.ts, e.g. reads.ts)',
      'outbox table: src/reconcile/reads.ts:1 names outbox_dependencies (read it through src/outbox/index.ts, e.g. reads.ts)',
    ],
  );
});
