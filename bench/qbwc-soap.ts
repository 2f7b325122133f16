/**
 * The Web Connector SOAP transport on loopback: sessions per second, client-observed p50/p99 of
 * sendRequestXML/receiveResponseXML, server CPU per call and server time per call, for this service and for a
 * baseline built from the same WSDL with the `soap` package (what other Node Web Connector servers use), in the
 * same run, against the same client. Goal: ≥ 5× the baseline's throughput; server time per call < 1 ms at p50.
 *
 * What makes the comparison fair:
 * - Each server runs in its own process, started the same way, with the same in-memory answers; QuickBooks is an
 *   instant responder (the answers are built once, before timing). Our service runs as production runs it:
 *   `startWebConnectorServer` with an info-level logger that formats every line (written to /dev/null).
 * - The load comes from a separate process: several keep-alive connections over raw sockets, writing the bytes
 *   QBWC's .NET client writes, so the client costs little next to either server (its CPU is printed too).
 * - Two payloads: `tiny` (one small request per message set) and `realistic` (a message set of 25 adds, ~20–40 KB
 *   of escaped qbXML each way, as a Web Connector session carries). A session is authenticate, 4 request/response
 *   pairs, closeConnection.
 * - Warm-up before each measurement, several rounds alternating which server goes first, medians reported.
 * - A third server, the HTTP floor, answers prepared bytes without any SOAP: baseline ÷ floor is the largest ratio
 *   any Node implementation could reach here, which tells an inherent gap from one left to optimise.
 * - Every answer is checked: the first session of each measurement with the WSDL-level reader, then sizes and
 *   the progress figure of every call.
 *
 * Environment: BENCH_ROUNDS (default 3), BENCH_MS (measured milliseconds per round, default 2000),
 * BENCH_CONNECTIONS (default 8), BENCH_CASES (comma-separated, default "tiny,realistic"), BENCH_PROFILE_DIR (write a
 * --cpu-prof profile of each server process there).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientAsync } from 'soap';
import { createLogger } from '../src/logger/index.ts';
import {
  buildWebConnectorWsdl,
  createWebConnectorService,
  INTUIT_NAMESPACE,
  writeSoapCall,
} from '../src/qbwc/soap/index.ts';
import { escapeXml } from '../src/xml/index.ts';
import { client, percentile } from './qbwc-soap/load.ts';
import { backendFor, payloads } from './qbwc-soap/payloads.ts';
import { serve } from './qbwc-soap/servers.ts';
import {
  CASES,
  type CaseName,
  CONNECTIONS,
  MEASURE_MS,
  PAIRS_PER_SESSION,
  ROUNDS,
  type ServerKind,
  SOAP_PATH,
  WARMUP_MS,
} from './qbwc-soap/settings.ts';

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function ask<T>(child: ChildProcess, message: unknown, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a bench process exited (${code}) before answering`));
    const onMessage = (reply: Record<string, unknown>) => {
      if (key in reply) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply[key] as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message !== null) child.send(message as string);
  });
}

const SELF = fileURLToPath(import.meta.url);
const KINDS: ServerKind[] = ['baseline', 'ours', 'floor'];
const LABELS: Record<ServerKind, string> = {
  baseline: 'soap package (baseline)',
  ours: 'this service',
  floor: 'HTTP floor (no SOAP)',
};

interface LoadReport {
  sessionsPerSecond: number;
  calls: number;
  clientCpuPerCallUs: number;
  sendP50: number;
  sendP99: number;
  receiveP50: number;
  receiveP99: number;
}
interface ServerReport {
  cpuMs: number;
  sendP50: number;
  receiveP50: number;
}
interface RoundFigures extends LoadReport {
  serverCpuPerCallUs: number;
  serverSendP50: number;
  serverReceiveP50: number;
}

let loadId = 0;
async function measureOnce(server: ChildProcess, url: string, loader: ChildProcess, caseName: CaseName) {
  await ask(loader, { url, caseName, durationMs: WARMUP_MS, id: ++loadId }, 'load');
  await ask(server, 'start', 'started');
  const load = await ask<LoadReport>(loader, { url, caseName, durationMs: MEASURE_MS, id: ++loadId }, 'load');
  const stopped = await ask<ServerReport>(server, 'stop', 'stopped');
  return {
    ...load,
    serverCpuPerCallUs: (stopped.cpuMs * 1000) / load.calls,
    serverSendP50: stopped.sendP50,
    serverReceiveP50: stopped.receiveP50,
  } satisfies RoundFigures;
}

/** parse + backend + write of one call inside our service, no HTTP: the "server time per request" goal. */
async function inProcessTimes(caseName: CaseName) {
  const { requestXml, responseXml } = payloads(caseName);
  const service = createWebConnectorService(backendFor(requestXml), {
    logger: createLogger({ level: 'info', write: () => {} }),
  });
  const bodies = {
    sendRequestXML: writeSoapCall('sendRequestXML', {
      ticket: '{00000001-5e55-4b1d-9c0d-7f3a2b1c0d9e}',
      strCompanyFileName: 'C:\\Shop.QBW',
      qbXMLCountry: 'US',
      qbXMLMajorVers: 13,
      qbXMLMinorVers: 0,
    }),
    receiveResponseXML: writeSoapCall('receiveResponseXML', {
      ticket: '{00000001-5e55-4b1d-9c0d-7f3a2b1c0d9e}',
      response: responseXml,
    }),
  };
  const out: Record<string, { p50: number; p99: number; bytes: number }> = {};
  for (const [method, body] of Object.entries(bodies)) {
    const times: number[] = [];
    const headers = { soapAction: `"${INTUIT_NAMESPACE}${method}"`, contentType: 'text/xml; charset=utf-8' };
    for (let i = 0; i < 5000; i++) {
      const started = performance.now();
      const reply = await service.answer(body, headers);
      times.push(performance.now() - started);
      if (reply.status !== 200) throw new Error(`${method}: ${reply.body}`);
    }
    times.sort((a, b) => a - b);
    out[method] = {
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      bytes: Buffer.byteLength(method === 'sendRequestXML' ? (await service.answer(body, headers)).body : body),
    };
  }
  return out;
}

async function main() {
  const wsdlFile = join(tmpdir(), `qbwc-bench-${process.pid}.wsdl`);
  writeFileSync(wsdlFile, buildWebConnectorWsdl(`http://127.0.0.1${SOAP_PATH}`));
  const loader = fork(SELF, ['--client'], { stdio: 'inherit' });
  await ask(loader, null, 'ready');
  console.log(
    `Loopback; each server in its own process, the load from another (${CONNECTIONS} keep-alive connections); a session = authenticate, ${PAIRS_PER_SESSION} sendRequestXML/receiveResponseXML pairs, closeConnection; ${ROUNDS} rounds of ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up, medians. Latencies in ms.`,
  );
  try {
    for (const caseName of CASES) {
      const { requestXml, responseXml } = payloads(caseName);
      const escapedBytes = (xml: string) => Buffer.byteLength(escapeXml(xml));
      const servers = {} as Record<ServerKind, { child: ChildProcess; url: string; rounds: RoundFigures[] }>;
      for (const kind of KINDS) {
        const profile = process.env.BENCH_PROFILE_DIR;
        const child = fork(SELF, ['--serve', kind, caseName], {
          stdio: 'inherit',
          execArgv: profile
            ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${profile}/${caseName}-${kind}`]
            : undefined,
        });
        const url = await ask<string>(child, null, 'url');
        // Sanity: a soap-package client generated from the WSDL reads this server.
        const wsdlClient = await createClientAsync(wsdlFile, { endpoint: url });
        const [auth] = await wsdlClient.authenticateAsync({ strUserName: 'shop', strPassword: 'app-token' });
        if (!Array.isArray(auth.authenticateResult.string)) throw new Error(`authenticate unreadable from ${kind}`);
        servers[kind] = { child, url, rounds: [] };
      }
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
        for (const kind of order) {
          const s = servers[kind];
          s.rounds.push(await measureOnce(s.child, s.url, loader, caseName));
        }
      }
      for (const kind of KINDS) await ask(servers[kind].child, 'exit', 'never').catch(() => {});

      const m = (kind: ServerKind, key: keyof RoundFigures) => median(servers[kind].rounds.map((r) => r[key]));
      console.log(
        `\n[${caseName}] request ${Buffer.byteLength(requestXml)} B of qbXML (${escapedBytes(requestXml)} B escaped), response ${Buffer.byteLength(responseXml)} B (${escapedBytes(responseXml)} B escaped)`,
      );
      for (const kind of KINDS) {
        const label = LABELS[kind];
        console.log(
          `  ${label.padEnd(24)} ${m(kind, 'sessionsPerSecond').toFixed(0).padStart(5)} sessions/s  server CPU ${m(kind, 'serverCpuPerCallUs').toFixed(0).padStart(4)} µs/call  server time p50 send ${m(kind, 'serverSendP50').toFixed(3)} receive ${m(kind, 'serverReceiveP50').toFixed(3)}  client-observed send p50 ${m(kind, 'sendP50').toFixed(3)} p99 ${m(kind, 'sendP99').toFixed(3)}, receive p50 ${m(kind, 'receiveP50').toFixed(3)} p99 ${m(kind, 'receiveP99').toFixed(3)}  (client CPU ${m(kind, 'clientCpuPerCallUs').toFixed(0)} µs/call)`,
        );
      }
      const ratio = m('ours', 'sessionsPerSecond') / m('baseline', 'sessionsPerSecond');
      const cpuRatio = m('baseline', 'serverCpuPerCallUs') / m('ours', 'serverCpuPerCallUs');
      console.log(
        `  ratio [${caseName}]: ${ratio.toFixed(2)}× sessions/s, ${cpuRatio.toFixed(2)}× calls per server CPU-second (goal ≥ 5×)`,
      );
      const ceiling = m('baseline', 'serverCpuPerCallUs') / m('floor', 'serverCpuPerCallUs');
      const ourSoap = m('ours', 'serverCpuPerCallUs') - m('floor', 'serverCpuPerCallUs');
      console.log(
        `  ceiling [${caseName}]: the HTTP floor alone is ${ceiling.toFixed(2)}× the baseline's calls per CPU-second (${m('floor', 'sessionsPerSecond').toFixed(0)} sessions/s); our SOAP work on top of it: ${ourSoap.toFixed(0)} µs/call`,
      );
      const inProcess = await inProcessTimes(caseName);
      console.log(
        `  server time in-process (parse + backend + log + write, no HTTP): sendRequestXML p50 ${inProcess.sendRequestXML!.p50.toFixed(4)} p99 ${inProcess.sendRequestXML!.p99.toFixed(4)}, receiveResponseXML (${inProcess.receiveResponseXML!.bytes} B) p50 ${inProcess.receiveResponseXML!.p50.toFixed(4)} p99 ${inProcess.receiveResponseXML!.p99.toFixed(4)} (goal p50 < 1 ms)`,
      );
    }
  } finally {
    loader.kill();
    rmSync(wsdlFile, { force: true });
  }
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1)
  await serve(process.argv[serveIndex + 1] as ServerKind, process.argv[serveIndex + 2] as CaseName);
else if (process.argv.includes('--client')) await client();
else await main();
