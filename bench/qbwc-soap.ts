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
import { openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClientAsync, listen } from 'soap';
import { createLogger } from '../src/logger/index.ts';
import {
  buildWebConnectorWsdl,
  createWebConnectorService,
  INTUIT_NAMESPACE,
  parseSoapAnswer,
  startWebConnectorServer,
  type WebConnectorBackend,
  type WebConnectorMethod,
  writeSoapCall,
  writeSoapResponse,
} from '../src/qbwc/soap/index.ts';
import { buildRequestDocument, buildResponseDocument, type QbxmlRequest } from '../src/qbxml/index.ts';
import { escapeXml } from '../src/xml/index.ts';

const PAIRS_PER_SESSION = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MEASURE_MS = Number(process.env.BENCH_MS ?? 2000);
const WARMUP_MS = 1000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const CASES = (process.env.BENCH_CASES ?? 'tiny,realistic').split(',') as CaseName[];
const SOAP_PATH = '/qbwc';
const USER_AGENT = 'Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 2.0.50727.9151)';

type CaseName = 'tiny' | 'realistic';
type ServerKind = 'ours' | 'baseline' | 'floor';

// ---------------------------------------------------------------------------------------------------------------
// Payloads: built with the qbXML layer, once per process (deterministic, so every process has the same bytes).

function salesReceipt(i: number): QbxmlRequest {
  const lines = Array.from({ length: 2 }, (_, l) => ({
    ItemRef: { FullName: `Tees:TEE-${l}` },
    Desc: `Organic tee, colour ${l}, size M & "fitted"`,
    Quantity: String(l + 1),
    Rate: '25.00',
    ClassRef: { FullName: 'Shopify:Downtown Store' },
    Amount: BigInt(2500 * (l + 1)),
    SalesTaxCodeRef: { FullName: 'Tax' },
  }));
  return {
    type: 'SalesReceiptAdd',
    requestID: String(1000 + i),
    body: {
      SalesReceiptAdd: {
        CustomerRef: { FullName: 'Shopify POS Walk-in' },
        ClassRef: { FullName: 'Shopify:Downtown Store' },
        TxnDate: '2026-05-14',
        RefNumber: String(5000 + i),
        PaymentMethodRef: { FullName: 'Shopify Payments' },
        Memo: `Shopify order #${5000 + i}`,
        DepositToAccountRef: { FullName: 'Shopify Payments Clearing' },
        SalesReceiptLineAdd: lines,
      },
    },
  } as QbxmlRequest;
}

function customer(i: number): QbxmlRequest {
  return {
    type: 'CustomerAdd',
    requestID: String(2000 + i),
    body: {
      CustomerAdd: {
        Name: `O'Brien & Daughters ${i}`,
        CompanyName: `O'Brien & Daughters ${i}`,
        FirstName: 'Aoife',
        LastName: "O'Brien",
        BillAddress: { Addr1: '12 Harbour Road', City: 'Cork', PostalCode: 'T12 X7Y2', Country: 'Ireland' },
        Email: `aoife${i}@example.com`,
      },
    },
  } as QbxmlRequest;
}

function payloads(name: CaseName): { requestXml: string; responseXml: string } {
  const requests =
    name === 'tiny'
      ? [customer(0)]
      : [...Array.from({ length: 5 }, (_, i) => customer(i)), ...Array.from({ length: 20 }, (_, i) => salesReceipt(i))];
  const built = buildRequestDocument({ requests, onError: 'continueOnError', newMessageSetID: 'set-42' });
  if (!built.ok) throw new Error(`bench payload does not build: ${built.error.message}`);
  const responseXml = buildResponseDocument({
    newMessageSetID: 'set-42',
    responses: requests.map((request, i) => ({
      type: request.type,
      requestID: request.requestID,
      statusCode: 0,
      statusSeverity: 'Info' as const,
      statusMessage: 'Status OK',
      rets: [
        request.type === 'CustomerAdd'
          ? {
              ListID: `8000${i}-1715000000`,
              TimeCreated: '2026-05-14T10:00:00-07:00',
              TimeModified: '2026-05-14T10:00:00-07:00',
              EditSequence: '1715000000',
              Name: `O'Brien & Daughters ${i}`,
              FullName: `O'Brien & Daughters ${i}`,
              IsActive: true,
              Sublevel: 0,
              Balance: '0.00',
              TotalBalance: '0.00',
            }
          : {
              TxnID: `${i}-1715000000`,
              TimeCreated: '2026-05-14T10:00:00-07:00',
              TimeModified: '2026-05-14T10:00:00-07:00',
              EditSequence: '1715000000',
              TxnNumber: i,
              CustomerRef: { ListID: '80000001-1715000000', FullName: 'Shopify POS Walk-in' },
              TxnDate: '2026-05-14',
              RefNumber: String(5000 + i),
              Subtotal: '75.00',
              TotalAmount: '75.00',
              Memo: `Shopify order #${5000 + i}`,
            },
      ],
    })),
  });
  return { requestXml: built.value.xml, responseXml };
}

/** The same in-memory answers for both servers: a session is PAIRS_PER_SESSION request/response pairs. */
function instantAnswers(requestXml: string) {
  const progress = new Map<string, number>();
  let next = 0;
  return {
    authenticate: (): [string, string] => {
      const ticket = `{${(++next).toString(16).padStart(8, '0')}-5e55-4b1d-9c0d-7f3a2b1c0d9e}`;
      progress.set(ticket, 0);
      return [ticket, ''];
    },
    send: () => requestXml,
    receive: (ticket: string) => {
      const done = (progress.get(ticket) ?? 0) + 1;
      progress.set(ticket, done);
      return Math.min(100, Math.floor((done * 100) / PAIRS_PER_SESSION));
    },
    close: (ticket: string) => {
      progress.delete(ticket);
      return 'OK';
    },
  };
}

function backendFor(requestXml: string): WebConnectorBackend {
  const answers = instantAnswers(requestXml);
  return {
    serverVersion: () => 'bench',
    clientVersion: () => '',
    authenticate: () => {
      const [ticket, result] = answers.authenticate();
      return { ticket, result };
    },
    sendRequestXML: () => answers.send(),
    receiveResponseXML: (input) => answers.receive(input.ticket),
    connectionError: () => 'done',
    getLastError: () => '',
    closeConnection: (ticket) => answers.close(ticket),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Server process: one implementation; CPU time and handler time per call between "start" and "stop".

async function startBaseline(requestXml: string): Promise<Server> {
  const answers = instantAnswers(requestXml);
  const server = createServer();
  listen(
    server,
    SOAP_PATH,
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
    buildWebConnectorWsdl(`http://127.0.0.1${SOAP_PATH}`),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * The HTTP floor: Node's HTTP server reading the whole body and answering bytes prepared in advance (our own
 * answers to each method, so the same sizes go out). No SOAP at all: no server can do less per call in Node, so
 * baseline ÷ floor is the largest ratio any implementation could show on this machine.
 */
async function startFloor(requestXml: string): Promise<Server> {
  const ticket = instantAnswers(requestXml).authenticate()[0];
  const prepared: Record<string, Buffer> = {
    authenticate: Buffer.from(writeSoapResponse('authenticate', [ticket, ''], '1.1')),
    sendRequestXML: Buffer.from(writeSoapResponse('sendRequestXML', requestXml, '1.1')),
    closeConnection: Buffer.from(writeSoapResponse('closeConnection', 'OK', '1.1')),
  };
  // Progress per connection: each of the client's connections runs one session at a time, so the floor needs
  // no ticket (reading one would be SOAP work).
  const pairsDone = new WeakMap<object, number>();
  const server = createServer((request, response) => {
    const action = String(request.headers.soapaction ?? '');
    const method = action.slice(action.lastIndexOf('/') + 1, -1);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = prepared[method];
      if (method === 'receiveResponseXML') {
        const done = (pairsDone.get(request.socket) ?? 0) + 1;
        pairsDone.set(request.socket, done);
        body = Buffer.from(
          writeSoapResponse('receiveResponseXML', Math.min(100, Math.floor((done * 100) / PAIRS_PER_SESSION)), '1.1'),
        );
      } else if (method === 'closeConnection') {
        pairsDone.delete(request.socket);
      }
      body ??= prepared.closeConnection!;
      response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function serve(kind: ServerKind, caseName: CaseName) {
  const { requestXml } = payloads(caseName);
  let server: Server;
  if (kind === 'floor') {
    server = await startFloor(requestXml);
  } else if (kind === 'ours') {
    // Production logs at info level: every call formats two lines. They go to /dev/null, not to this terminal.
    const devNull = openSync('/dev/null', 'w');
    const logger = createLogger({ level: 'info', write: (line) => writeSync(devNull, `${line}\n`) });
    server = (await startWebConnectorServer(backendFor(requestXml), { logger, path: SOAP_PATH })).server;
  } else {
    server = await startBaseline(requestXml);
  }
  const port = (server.address() as { port: number }).port;
  let recording = false;
  let handlerMs: Record<string, number[]> = {};
  // Time from the request event to the last byte handed to the socket: the server's own time per call, HTTP
  // included, wait for the client excluded. The same listener sits in front of both implementations.
  server.prependListener('request', (request, response) => {
    if (!recording) return;
    const started = performance.now();
    const action = String(request.headers.soapaction ?? '');
    const method = action.slice(action.lastIndexOf('/') + 1, -1);
    response.once('finish', () => {
      const times = handlerMs[method] ?? [];
      handlerMs[method] = times;
      times.push(performance.now() - started);
    });
  });
  let cpuAtStart = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'start') {
      handlerMs = {};
      recording = true;
      cpuAtStart = process.cpuUsage();
      process.send!({ started: true });
    } else if (message === 'stop') {
      const used = process.cpuUsage(cpuAtStart);
      recording = false;
      process.send!({
        stopped: {
          cpuMs: (used.user + used.system) / 1000,
          sendP50: percentile(handlerMs.sendRequestXML ?? [], 50),
          receiveP50: percentile(handlerMs.receiveResponseXML ?? [], 50),
        },
      });
    } else if (message === 'exit') {
      server.close();
      server.closeAllConnections();
      process.disconnect();
    }
  });
  process.send!({ url: `http://127.0.0.1:${port}${SOAP_PATH}` });
}

// ---------------------------------------------------------------------------------------------------------------
// Client process: keep-alive connections over raw sockets, each running sessions back to back.

interface HttpAnswer {
  status: number;
  body: Buffer;
}

/** One keep-alive HTTP/1.1 connection, one call at a time (QBWC never pipelines). */
class Connection {
  readonly socket: Socket;
  private pending: Buffer = Buffer.alloc(0);
  private waiting: ((answer: HttpAnswer) => void) | null = null;
  private failed: ((error: Error) => void) | null = null;

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      this.tryComplete();
    });
    this.socket.on('error', (error) => this.failed?.(error));
    this.socket.on('close', () => this.failed?.(new Error('the server closed a keep-alive connection')));
  }

  call(head: Buffer, parts: Buffer[]): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.socket.cork();
      this.socket.write(head);
      for (const part of parts) this.socket.write(part);
      this.socket.uncork();
    });
  }

  private tryComplete(): void {
    const buffer = this.pending;
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const head = buffer.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    if (/\r\nconnection:\s*close/i.test(head)) throw new Error('the server refused keep-alive');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: Buffer;
    let consumed: number;
    if (length) {
      consumed = headerEnd + 4 + Number(length[1]);
      if (buffer.length < consumed) return;
      body = buffer.subarray(headerEnd + 4, consumed);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = headerEnd + 4;
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', at);
        if (lineEnd === -1) return;
        const size = Number.parseInt(buffer.toString('latin1', at, lineEnd), 16);
        if (buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          consumed = lineEnd + 4;
          break;
        }
        parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      throw new Error(`an answer with neither a length nor chunks: ${head}`);
    }
    this.pending = buffer.subarray(consumed);
    const resolve = this.waiting!;
    this.waiting = null;
    this.failed = null;
    resolve({ status, body });
  }
}

const TICKET_MARK = '\u0001ticket\u0001';

/** A call's body split around the ticket, encoded once: a session only changes the ticket. */
function callTemplate(method: WebConnectorMethod, parameters: Record<string, string | number>, port: number) {
  const [before, after] = writeSoapCall(method, { ...parameters, ticket: TICKET_MARK }).split(TICKET_MARK) as [
    string,
    string?,
  ];
  const prefix = Buffer.from(before);
  const suffix = Buffer.from(after ?? '');
  return (ticket: Buffer) => {
    const length = prefix.length + suffix.length + (after === undefined ? 0 : ticket.length);
    const head = Buffer.from(
      `POST ${SOAP_PATH} HTTP/1.1\r\nUser-Agent: ${USER_AGENT}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: "${INTUIT_NAMESPACE}${method}"\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${length}\r\n\r\n`,
      'latin1',
    );
    return { head, parts: after === undefined ? [prefix] : [prefix, ticket, suffix] };
  };
}

interface LoadFigures {
  sessions: number;
  calls: number;
  seconds: number;
  clientCpuMs: number;
  send: number[];
  receive: number[];
}

async function runLoad(url: string, caseName: CaseName, durationMs: number): Promise<LoadFigures> {
  const { requestXml, responseXml } = payloads(caseName);
  const port = Number(new URL(url).port);
  const templates = {
    authenticate: callTemplate('authenticate', { strUserName: 'shop', strPassword: 'app-token' }, port),
    sendRequestXML: callTemplate(
      'sendRequestXML',
      {
        strHCPResponse: '',
        strCompanyFileName: 'C:\\Users\\Public\\Documents\\Shop.QBW',
        qbXMLCountry: 'US',
        qbXMLMajorVers: 13,
        qbXMLMinorVers: 0,
      },
      port,
    ),
    receiveResponseXML: callTemplate('receiveResponseXML', { response: responseXml, hresult: '', message: '' }, port),
    closeConnection: callTemplate('closeConnection', {}, port),
  };
  const noTicket = Buffer.alloc(0);
  const figures: LoadFigures = { sessions: 0, calls: 0, seconds: 0, clientCpuMs: 0, send: [], receive: [] };
  let checkedSendLength = -1;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;

  const expectOk = (method: WebConnectorMethod, answer: HttpAnswer): string => {
    if (answer.status !== 200) throw new Error(`${method} answered HTTP ${answer.status}: ${answer.body.toString()}`);
    return answer.body.toString('utf8');
  };
  const worker = async () => {
    const connection = new Connection(port);
    await new Promise<void>((resolve) => connection.socket.once('connect', resolve));
    while (performance.now() < deadline) {
      const auth = templates.authenticate(noTicket);
      const authBody = expectOk('authenticate', await connection.call(auth.head, auth.parts));
      const ticketText = /<(?:\w+:)?string>([^<]+)<\/(?:\w+:)?string>/.exec(authBody)?.[1];
      if (!ticketText) throw new Error(`no ticket in ${authBody}`);
      const ticket = Buffer.from(ticketText);
      for (;;) {
        const send = templates.sendRequestXML(ticket);
        let t0 = performance.now();
        const sent = await connection.call(send.head, send.parts);
        figures.send.push(performance.now() - t0);
        if (sent.body.length !== checkedSendLength) {
          // Checked once in full per measurement; after that the (constant) answer must keep its size.
          const answer = parseSoapAnswer('sendRequestXML', expectOk('sendRequestXML', sent));
          if (!answer.ok || answer.result !== requestXml) throw new Error('the request document did not survive');
          if (checkedSendLength !== -1) throw new Error('the sendRequestXML answer changed size');
          checkedSendLength = sent.body.length;
        }
        const receive = templates.receiveResponseXML(ticket);
        t0 = performance.now();
        const received = await connection.call(receive.head, receive.parts);
        figures.receive.push(performance.now() - t0);
        const percentText = /ResponseXMLResult>(-?\d+)</i.exec(expectOk('receiveResponseXML', received))?.[1];
        const percent = Number(percentText);
        if (percentText === undefined || percent < 0) throw new Error(`receiveResponseXML answered ${percentText}`);
        figures.calls += 2;
        if (percent >= 100) break;
      }
      const close = templates.closeConnection(ticket);
      expectOk('closeConnection', await connection.call(close.head, close.parts));
      figures.calls += 2;
      figures.sessions++;
    }
    connection.socket.destroy();
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  figures.seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpuAtStart);
  figures.clientCpuMs = (used.user + used.system) / 1000;
  return figures;
}

async function client() {
  process.on('message', async (message: { url: string; caseName: CaseName; durationMs: number; id: number }) => {
    const figures = await runLoad(message.url, message.caseName, message.durationMs);
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    sorted(figures.send);
    sorted(figures.receive);
    process.send!({
      load: {
        id: message.id,
        sessionsPerSecond: figures.sessions / figures.seconds,
        calls: figures.calls,
        clientCpuPerCallUs: (figures.clientCpuMs * 1000) / Math.max(1, figures.calls),
        sendP50: percentile(figures.send, 50),
        sendP99: percentile(figures.send, 99),
        receiveP50: percentile(figures.receive, 50),
        receiveP99: percentile(figures.receive, 99),
      },
    });
  });
  process.send!({ ready: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator.

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

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
