/**
 * `qbd-connector sim webconnector --qwc FILE --password P --company FILE [--once]`: the Web Connector simulator
 * driving the service named in a .qwc file, with the QuickBooks simulator's company file behind it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseQwcFile } from '../../../qbwc/qwc/index.ts';
import { type Edition, openCompany } from '../../../simulators/quickbooks/index.ts';
import {
  createRandomFaultPlan,
  parseFaultOption,
  RANDOM_FAULT_KINDS,
  type RandomFaultPlan,
  reopeningProcessor,
  runWebConnectorSchedule,
  type SessionLog,
} from '../../../simulators/webconnector/index.ts';
import type { CliCommand, CliIo } from '../../command.ts';
import { writeLine } from '../../command.ts';

const help = `Usage: qbd-connector sim webconnector --qwc FILE --password P --company FILE [options]

Runs the QuickBooks Web Connector simulator: reads the .qwc file, calls its AppURL over HTTP exactly as the
Web Connector does, and executes each request on the QuickBooks simulator's company file.

Options:
  --qwc FILE             The .qwc file (AppURL, UserName, OwnerID, FileID, RunEveryNMinutes).
  --password P           The password typed into the Web Connector (the app token). Or set QBWC_PASSWORD.
  --company FILE         The QuickBooks simulator company file (created if it does not exist).
  --edition E            pro | premier | enterprise (for a new company file). Default pro.
  --once                 Run one session and exit (default: Auto-Run every RunEveryNMinutes until Ctrl-C).
  --runs N               Stop after N sessions.
  --time-scale X         Multiply every wait by X (0.01 = a 15-minute interval takes 9 s). Default 1.
  --json                 Print each session log as one JSON line instead of text.
  --fault KIND:P,…       Inject faults at random, each with probability P (0–1) per call it can hit:
                         lost-response (QuickBooks applied it, the response never reaches the service),
                         partial-response (responses missing from the end, or the text cut off),
                         garbage (the call's body is not XML), timeout (the service did the work, the
                         answer is never read), open-failure (per session: QuickBooks cannot be
                         started, so the Web Connector calls connectionError).
                         Example: --fault lost-response:0.1,timeout:0.05,open-failure:0.2
  --seed N               Seed of the fault generator (a whole number); the same seed replays the same
                         faults. Default 1.

Exit code: 0 when the last session completed or had no work, 1 otherwise, 2 for bad options.`;

function printSession(io: CliIo, log: SessionLog, index: number, json: boolean): void {
  if (json) {
    writeLine(io.stdout, JSON.stringify({ session: index, ...log }));
    return;
  }
  writeLine(io.stdout, `Session ${index}: ${log.outcome} — ${log.message || '(no message)'}`);
  for (const call of log.calls) {
    const answer =
      call.failure ??
      (typeof call.answer === 'string'
        ? call.answer.length > 60
          ? `${call.answer.length} characters of qbXML`
          : JSON.stringify(call.answer)
        : call.method === 'authenticate' && Array.isArray(call.answer)
          ? JSON.stringify(['(ticket)', ...call.answer.slice(1)])
          : JSON.stringify(call.answer));
    const injected = call.injected ? `  [injected: ${call.injected}]` : '';
    writeLine(io.stdout, `  ${call.method.padEnd(18)} → ${answer}  (${call.durationMs} ms)${injected}`);
  }
  if (log.openFailures > 0) {
    writeLine(io.stdout, `  QuickBooks could not be started ${log.openFailures} time(s)  [injected: open-failure]`);
  }
  writeLine(io.stdout, `  QuickBooks processed ${log.requestsProcessed} request document(s).`);
}

export const command: CliCommand = {
  name: 'webconnector',
  summary: 'A QuickBooks Web Connector that drives a SOAP service from a .qwc file.',
  help,
  async run(args, io) {
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args,
        options: {
          qwc: { type: 'string' },
          password: { type: 'string' },
          company: { type: 'string' },
          edition: { type: 'string', default: 'pro' },
          once: { type: 'boolean', default: false },
          runs: { type: 'string' },
          'time-scale': { type: 'string', default: '1' },
          json: { type: 'boolean', default: false },
          fault: { type: 'string' },
          seed: { type: 'string' },
        },
        strict: true,
      }).values;
    } catch (error) {
      writeLine(io.stderr, `${error instanceof Error ? error.message : String(error)}\n\n${help}`);
      return 2;
    }
    const password = (values.password as string | undefined) ?? io.env.QBWC_PASSWORD;
    if (!values.qwc || !values.company || password === undefined) {
      writeLine(io.stderr, `--qwc, --company and --password (or QBWC_PASSWORD) are required.\n\n${help}`);
      return 2;
    }
    const edition = String(values.edition) as Edition;
    if (!['pro', 'premier', 'enterprise'].includes(edition)) {
      writeLine(io.stderr, `--edition must be pro, premier or enterprise, not "${edition}".`);
      return 2;
    }
    const timeScale = Number(values['time-scale']);
    const runs = values.once ? 1 : values.runs === undefined ? undefined : Number(values.runs);
    if (!(timeScale >= 0) || (runs !== undefined && !(Number.isInteger(runs) && runs > 0))) {
      writeLine(io.stderr, '--time-scale must be a number ≥ 0 and --runs a whole number > 0.');
      return 2;
    }

    let randomFaults: RandomFaultPlan | undefined;
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      writeLine(io.stderr, `--seed must be a whole number ≥ 0, not "${String(values.seed)}".`);
      return 2;
    }
    if (values.fault !== undefined) {
      const probabilities = parseFaultOption(String(values.fault));
      if (!probabilities.ok) {
        writeLine(io.stderr, `--fault: ${probabilities.error}`);
        return 2;
      }
      randomFaults = createRandomFaultPlan(seed, probabilities.value);
    } else if (values.seed !== undefined) {
      writeLine(io.stderr, '--seed only makes sense with --fault.');
      return 2;
    }

    let qwcText: string;
    try {
      qwcText = await readFile(resolve(io.cwd, String(values.qwc)), 'utf8');
    } catch (error) {
      writeLine(io.stderr, `Cannot read the .qwc file: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    const qwc = parseQwcFile(qwcText);
    if (!qwc.ok) {
      writeLine(io.stderr, qwc.error.merchantMessage);
      return 1;
    }

    const companyPath = resolve(io.cwd, String(values.company));
    const processor = reopeningProcessor(() => openCompany(companyPath, { edition }));

    const abort = new AbortController();
    const stop = () => abort.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const logs = await runWebConnectorSchedule({
        qwc: qwc.value,
        password,
        processor,
        openCompanyFile: companyPath,
        timeScale,
        signal: abort.signal,
        ...(runs === undefined ? {} : { runs }),
        ...(randomFaults ? { randomFaults } : {}),
        onSession: (log, index) => printSession(io, log, index, values.json === true),
      });
      if (randomFaults) {
        const counts = RANDOM_FAULT_KINDS.map((kind) => `${kind} ${randomFaults.injected[kind]}`).join(', ');
        if (values.json === true) {
          writeLine(io.stdout, JSON.stringify({ seed: seed, faultsInjected: randomFaults.injected }));
        } else writeLine(io.stdout, `Faults injected (seed ${seed}): ${counts}.`);
      }
      const last = logs[logs.length - 1];
      return last && (last.outcome === 'completed' || last.outcome === 'no-work') ? 0 : 1;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
