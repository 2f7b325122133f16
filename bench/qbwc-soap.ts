/**
 * The Web Connector SOAP transport on loopback: sessions per second, client-observed p50/p99 of
 * sendRequestXML/receiveResponseXML, and server time per call (parse + backend + write, no HTTP), for this
 * service and for a baseline built from the same WSDL with the `soap` package (what other Node Web Connector
 * servers use). QuickBooks is an instant responder and the backend answers from memory, so only the transport
 * is measured. Goal (issue 4): ≥ 5× the baseline's throughput; server time per call < 1 ms at p50.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientAsync, listen } from 'soap';
import { silentLogger } from '../src/logger/index.ts';
import {
  buildWebConnectorWsdl,
  createWebConnectorService,
  type WebConnectorBackend,
  type WebConnectorMethod,
  writeSoapCall,
} from '../src/qbwc/soap/index.ts';
import { callWebConnectorMethod, createAgent } from '../src/simulators/webconnector/index.ts';

const REQUESTS_PER_SESSION = 10;
const CONCURRENCY = 4;
const DURATION_MS = 3000;
const REQUEST_XML = `<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${Array.from(
  { length: 5 },
  (_, i) =>
    `<SalesReceiptAddRq requestID="${i}"><SalesReceiptAdd><CustomerRef><FullName>Main Street POS</FullName></CustomerRef><TxnDate>2026-03-01</TxnDate><RefNumber>R${i}</RefNumber><SalesReceiptLineAdd><ItemRef><FullName>Coffee &amp; Tea</FullName></ItemRef><Quantity>2</Quantity><Amount>12.50</Amount></SalesReceiptLineAdd></SalesReceiptAdd></SalesReceiptAddRq>`,
).join('')}</QBXMLMsgsRq></QBXML>`;
const RESPONSE_XML = `<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>${Array.from(
  { length: 5 },
  (_, i) =>
    `<SalesReceiptAddRs requestID="${i}" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><SalesReceiptRet><TxnID>1-${i}</TxnID><EditSequence>1</EditSequence><TotalAmount>12.50</TotalAmount></SalesReceiptRet></SalesReceiptAddRs>`,
).join('')}</QBXMLMsgsRs></QBXML>`;

/** The same in-memory answers for both servers. */
function instantAnswers() {
  const progress = new Map<string, number>();
  let next = 0;
  return {
    authenticate: () => {
      const ticket = `ticket-${++next}`;
      progress.set(ticket, 0);
      return [ticket, ''];
    },
    send: () => REQUEST_XML,
    receive: (ticket: string) => {
      const done = (progress.get(ticket) ?? 0) + 1;
      progress.set(ticket, done);
      return Math.min(100, Math.floor((done * 100) / REQUESTS_PER_SESSION));
    },
    close: (ticket: string) => {
      progress.delete(ticket);
      return 'OK';
    },
  };
}

async function listenOn(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function drive(url: string, label: string) {
  const latencies: Record<'sendRequestXML' | 'receiveResponseXML', number[]> = {
    sendRequestXML: [],
    receiveResponseXML: [],
  };
  let sessions = 0;
  let calls = 0;
  const deadline = performance.now() + DURATION_MS;
  const target = new URL(url);
  const worker = async () => {
    const agent = createAgent(target);
    const call = async (method: WebConnectorMethod, params: Record<string, string | number>) => {
      const started = performance.now();
      const outcome = await callWebConnectorMethod(target, method, params, { agent, timeoutMs: 10_000 });
      calls++;
      if (!outcome.ok) throw new Error(`${label} ${method}: ${JSON.stringify(outcome)}`);
      if (method === 'sendRequestXML' || method === 'receiveResponseXML') {
        latencies[method].push(performance.now() - started);
      }
      return outcome.answer;
    };
    while (performance.now() < deadline) {
      const auth = (await call('authenticate', { strUserName: 'shop', strPassword: 'token' })) as string[];
      const ticket = auth[0]!;
      for (;;) {
        const request = await call('sendRequestXML', {
          ticket,
          strHCPResponse: '',
          strCompanyFileName: 'C:\\Shop.QBW',
          qbXMLCountry: 'US',
          qbXMLMajorVers: 13,
          qbXMLMinorVers: 0,
        });
        if (request !== REQUEST_XML) throw new Error(`${label}: the request document did not survive the round trip`);
        const percent = Number(
          await call('receiveResponseXML', { ticket, response: RESPONSE_XML, hresult: '', message: '' }),
        );
        if (percent >= 100) break;
      }
      await call('closeConnection', { ticket });
      sessions++;
    }
    agent.destroy();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const send = sorted(latencies.sendRequestXML);
  const receive = sorted(latencies.receiveResponseXML);
  return {
    calls,
    sessionsPerSecond: sessions / seconds,
    sendP50: percentile(send, 50),
    sendP99: percentile(send, 99),
    receiveP50: percentile(receive, 50),
    receiveP99: percentile(receive, 99),
  };
}

function startOurs(): Server {
  const answers = instantAnswers();
  const backend: WebConnectorBackend = {
    serverVersion: () => 'bench',
    clientVersion: () => '',
    authenticate: () => {
      const [ticket, result] = answers.authenticate();
      return { ticket: ticket!, result: result! };
    },
    sendRequestXML: () => answers.send(),
    receiveResponseXML: (input) => answers.receive(input.ticket),
    connectionError: () => 'done',
    getLastError: () => '',
    closeConnection: (ticket) => answers.close(ticket),
  };
  const service = createWebConnectorService(backend, { logger: silentLogger });
  return createServer((req, res) => void service(req, res));
}

function startBaseline(): Server {
  const answers = instantAnswers();
  const server = createServer();
  listen(
    server,
    '/qbwc',
    {
      QuickBooksConnector: {
        WebConnectorSoap11: {
          serverVersion: () => ({ serverVersionResult: 'bench' }),
          clientVersion: () => ({ clientVersionResult: '' }),
          authenticate: () => ({ authenticateResult: { string: answers.authenticate() } }),
          sendRequestXML: () => ({ sendRequestXMLResult: answers.send() }),
          receiveResponseXML: (args: { ticket: string }) => ({
            receiveResponseXMLResult: answers.receive(args.ticket),
          }),
          connectionError: () => ({ connectionErrorResult: 'done' }),
          getLastError: () => ({ getLastErrorResult: '' }),
          closeConnection: (args: { ticket: string }) => ({ closeConnectionResult: answers.close(args.ticket) }),
        },
      },
    },
    buildWebConnectorWsdl('http://127.0.0.1/qbwc'),
  );
  return server;
}

/** Child process: serve one implementation, report its CPU time when asked (so client work is not counted). */
async function serve(kind: string) {
  const server = kind === 'ours' ? startOurs() : startBaseline();
  const port = await listenOn(server);
  let cpuAtStart = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'start') {
      cpuAtStart = process.cpuUsage();
      process.send!({ started: true });
    } else if (message === 'stop') {
      const used = process.cpuUsage(cpuAtStart);
      process.send!({ cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
    }
  });
  process.send!({ url: `http://127.0.0.1:${port}/qbwc` });
}

function ask<T>(child: ChildProcess, message: string | null, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (key in reply) {
        child.off('message', onMessage);
        resolve(reply[key] as T);
      }
    };
    child.on('message', onMessage);
    if (message !== null) child.send(message);
  });
}

async function measure(kind: 'ours' | 'baseline') {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind], { stdio: 'inherit' });
  const url = await ask<string>(child, null, 'url');
  // Sanity: a soap-package client generated from the WSDL reads this server.
  const client = await createClientAsync(WSDL_FILE, { endpoint: url });
  const [auth] = await client.authenticateAsync({ strUserName: 'shop', strPassword: 'token' });
  if (!Array.isArray(auth.authenticateResult.string)) throw new Error(`authenticate answer unreadable from ${kind}`);
  await ask(child, 'start', 'started');
  const figures = await drive(url, kind);
  const cpuMs = await ask<number>(child, 'stop', 'cpuMs');
  return { ...figures, serverCpuMsPerCall: cpuMs / figures.calls };
}

const WSDL_FILE = join(tmpdir(), `qbwc-bench-${process.pid}.wsdl`);

async function main() {
  writeFileSync(WSDL_FILE, buildWebConnectorWsdl('http://127.0.0.1/qbwc'));
  const serverTimes: number[] = [];
  const service = createWebConnectorService(
    {
      serverVersion: () => '',
      clientVersion: () => '',
      authenticate: () => ({ ticket: 't', result: '' }),
      sendRequestXML: () => REQUEST_XML,
      receiveResponseXML: () => 50,
      connectionError: () => 'done',
      getLastError: () => '',
      closeConnection: () => 'OK',
    },
    { logger: silentLogger },
  );
  const receiveBody = writeSoapCall('receiveResponseXML', {
    ticket: 'ticket-x',
    response: RESPONSE_XML,
    hresult: '',
    message: '',
  });
  for (let i = 0; i < 20_000; i++) {
    const started = performance.now();
    await service.answer(receiveBody, { soapAction: '"http://developer.intuit.com/receiveResponseXML"' });
    serverTimes.push(performance.now() - started);
  }
  serverTimes.sort((a, b) => a - b);

  const baselineFigures = await measure('baseline');
  const ourFigures = await measure('ours');
  rmSync(WSDL_FILE, { force: true });

  const line = (label: string, f: Awaited<ReturnType<typeof measure>>) =>
    `${label.padEnd(24)} ${f.sessionsPerSecond.toFixed(0).padStart(5)} sessions/s  server CPU ${(f.serverCpuMsPerCall * 1000).toFixed(0).padStart(4)} µs/call  sendRequestXML p50 ${f.sendP50.toFixed(3)} p99 ${f.sendP99.toFixed(3)} ms  receiveResponseXML p50 ${f.receiveP50.toFixed(3)} p99 ${f.receiveP99.toFixed(3)} ms`;
  console.log(
    `Loopback, server in its own process, ${CONCURRENCY} concurrent Web Connectors, ${REQUESTS_PER_SESSION} request/response pairs per session, ${DURATION_MS / 1000} s each:`,
  );
  console.log(line('soap package (baseline)', baselineFigures));
  console.log(line('this service', ourFigures));
  console.log(
    `ratio, sessions/s on this machine (client-bound): ${(ourFigures.sessionsPerSecond / baselineFigures.sessionsPerSecond).toFixed(2)}×`,
  );
  console.log(
    `ratio, server capacity (calls per server CPU-second): ${(baselineFigures.serverCpuMsPerCall / ourFigures.serverCpuMsPerCall).toFixed(2)}× (goal ≥ 5×)`,
  );
  console.log(
    `server time per receiveResponseXML (${Buffer.byteLength(receiveBody)} bytes, parse + backend + write, no HTTP): p50 ${percentile(serverTimes, 50).toFixed(4)} ms, p99 ${percentile(serverTimes, 99).toFixed(4)} ms (goal p50 < 1 ms)`,
  );
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) await serve(process.argv[serveIndex + 1]!);
else await main();
