import { openSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { listen } from 'soap';
import { createLogger } from '../../src/logger/index.ts';
import { buildWebConnectorWsdl, startWebConnectorServer, writeSoapResponse } from '../../src/qbwc/soap/index.ts';
import { percentile } from './load.ts';
import { backendFor, instantAnswers, payloads } from './payloads.ts';
import { type CaseName, PAIRS_PER_SESSION, type ServerKind, SOAP_PATH } from './settings.ts';

export async function startBaseline(requestXml: string): Promise<Server> {
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
export async function startFloor(requestXml: string): Promise<Server> {
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

export async function serve(kind: ServerKind, caseName: CaseName) {
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
