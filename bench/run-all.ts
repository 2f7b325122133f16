/**
 * Runs every benchmark in this folder, one process each (so one's heap does not colour another's figures),
 * and prints what each measured. `npm run bench -- qbxml` runs only those whose file name contains "qbxml".
 * The chaos run (chaos.ts, many minutes) runs only when named: `npm run bench -- chaos`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv.slice(2);
const ON_REQUEST = new Set(['chaos.ts']);
const scripts = readdirSync(import.meta.dirname)
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts' && !name.endsWith('.test.ts'))
  .filter((name) => (filter.length === 0 && !ON_REQUEST.has(name)) || filter.some((f) => name.includes(f)))
  .sort();

let failed = 0;
for (const script of scripts) {
  console.log(`\n=== bench/${script}`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(import.meta.dirname, script)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`bench/${script} exited with ${result.status}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
