/**
 * The connector as the merchant runs it, for the chaos suite: `qbd-connector serve` and the other commands as
 * their own processes (`node src/cli/main.ts …`), on a clock the suite moves (chaos-clock.test-support.ts), killed
 * with SIGKILL whenever the schedule says.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const CLOCK_SHIM = pathToFileURL(join(import.meta.dirname, 'chaos-clock.test-support.ts')).href;
const KILL_SHIM = pathToFileURL(join(import.meta.dirname, 'chaos-kill.test-support.ts')).href;

/** The clock every connector process (and the suite's simulators) reads: real time plus `offsetMs`. */
export class ChaosClock {
  offsetMs = 0;
  readonly file: string;
  constructor(file: string) {
    this.file = file;
    this.write();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Moves every process's clock forward; resolves once they have read it. */
  async advance(ms: number): Promise<void> {
    this.offsetMs += ms;
    this.write();
    await delay(60);
  }
  private write() {
    writeFileSync(`${this.file}.tmp`, String(this.offsetMs));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function nodeArgs(args: string[], shims = [CLOCK_SHIM]): string[] {
  return [...shims.flatMap((shim) => ['--import', shim]), MAIN, ...args];
}

/** Runs one `qbd-connector` command as a process, on the suite's clock, and collects what it prints. */
export function runCommand(args: string[], env: Record<string, string>, clock: ChaosClock): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(args), {
      cwd: ROOT,
      env: { ...env, CHAOS_CLOCK_FILE: clock.file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One `serve` process on a fixed port; `start()` again after a kill is a new process on the same database. */
export class ConnectorProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The last lines it wrote to stderr (its JSON logs), for a failure's explanation. */
  logTail: string[] = [];
  starts = 0;

  readonly name: string;
  readonly port: number;
  private readonly env: Record<string, string>;
  private readonly clock: ChaosClock;

  constructor(name: string, port: number, env: Record<string, string>, clock: ChaosClock) {
    this.name = name;
    this.port = port;
    this.env = env;
    this.clock = clock;
  }

  get url(): string {
    return `http://localhost:${this.port}`;
  }
  get soapUrl(): string {
    return `${this.url}/qbwc`;
  }
  get running(): boolean {
    return this.child !== null;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  /** Resolves when the running process has exited (at once when none runs): after it killed itself. */
  whenExited(): Promise<void> {
    return this.exited;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`Bug in the chaos suite: ${this.name} is already running`);
    // The kill shim too: a kill the suite plans inside a SOAP method is delivered by the process itself.
    const child = spawn(process.execPath, nodeArgs(['serve'], [CLOCK_SHIM, KILL_SHIM]), {
      cwd: ROOT,
      env: {
        ...this.env,
        PORT: String(this.port),
        PUBLIC_URL: `http://localhost:${this.port}`,
        CHAOS_CLOCK_FILE: this.clock.file,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    this.starts++;
    let buffered = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      this.logTail.push(...lines.filter((line) => line.trim() !== ''));
      if (this.logTail.length > 60) this.logTail.splice(0, this.logTail.length - 60);
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) {
          this.logTail.push(`${this.name} exited by itself: code ${code}, signal ${signal}`);
        }
        resolve();
      });
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (this.child !== child) {
        throw new Error(`${this.name} did not start:\n${this.logTail.slice(-15).join('\n')}`);
      }
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`${this.name} is not answering /healthz after 60 s`);
      await delay(25);
    }
  }

  /** SIGKILL: no shutdown, no flush, whatever it was doing stops half-way. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Ctrl-C: the server finishes what it is doing and closes the database. */
  async stop(): Promise<void> {
    this.child?.kill('SIGTERM');
    await this.exited;
  }
}
