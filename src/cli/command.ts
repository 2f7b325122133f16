import type { Readable, Writable } from 'node:stream';

/** What a command may touch: its arguments, the streams and the environment. Tests pass their own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * One top-level command (`qbd-connector <name> …`). `run` gets the arguments after the name and returns the
 * process exit code. Expected failures (bad flags, a refused step) print a clear message and return non-zero;
 * only bugs throw.
 */
export interface CliCommand {
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(text + '\n');
}

/**
 * How to name this program in a hint, the way it was started: `npx qbd-connector` from a project folder after
 * `npm ci` (the launcher says so through QBD_CONNECTOR_INVOKED_AS), `qbd-connector` when installed on the PATH.
 */
export function cliName(io: Pick<CliIo, 'env'>): string {
  return io.env.QBD_CONNECTOR_INVOKED_AS || 'npx qbd-connector';
}
