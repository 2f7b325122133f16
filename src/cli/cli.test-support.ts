/** Runs the CLI in process, as a person would from a shell: arguments, environment, folder, captured output. */

import { tmpdir } from 'node:os';
import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from './command.ts';
import { main } from './main.ts';

export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

export async function cli(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; stdin?: string; tty?: boolean; stdoutTty?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  if (options.stdoutTty) stdout.isTTY = true;
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) stdin.isTTY = true;
  if (options.stdin !== undefined) stdin.end(options.stdin);
  const io: CliIo = { stdout, stderr, stdin, env, cwd: options.cwd ?? tmpdir() };
  const code = await main(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
