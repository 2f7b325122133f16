/**
 * The HTTP face of the Web Connector service: one POST endpoint speaking SOAP, plus `GET ?wsdl`.
 *
 * Every call goes through one wrapper (`invoke`): parse → log the call (method, the first characters of the
 * ticket, sizes; never the password, never a whole ticket) → call the backend → log the answer → on an exception,
 * answer with the method's error answer and remember why for getLastError → respond.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toConnectorError } from '../../errors/index.ts';
import type { Logger } from '../../logger/index.ts';
import type { AuthenticateAnswer, WebConnectorBackend } from './backend.ts';
import {
  actionFromContentType,
  parseSoapCall,
  type SoapCall,
  type SoapResultValue,
  type SoapVersion,
  soapContentType,
  type WebConnectorMethod,
  writeSoapFault,
  writeSoapResponse,
  writeSoapResponseBytes,
} from './envelope.ts';
import { buildWebConnectorWsdl } from './wsdl.ts';

export interface WebConnectorServiceOptions {
  logger: Logger;
  /**
   * Largest request body accepted, in bytes; larger ones get 413. A receiveResponseXML carries a whole qbXML
   * response (a query page of a few hundred records is a few MB, escaped), so the default is generous: 32 MiB.
   */
  maxBodyBytes?: number;
  /** The public endpoint URL written into the WSDL; default: derived from the request's Host header. */
  publicUrl?: string;
}

/** What the service answers to one SOAP body, before HTTP. */
interface WireReply {
  status: number;
  contentType: string;
  /** Bytes when the answer was written straight to bytes (large results), else text. */
  body: string | Buffer;
}

/** What the service answers to one SOAP body, before HTTP. */
export interface SoapReply {
  status: number;
  contentType: string;
  body: string;
}

export interface WebConnectorService {
  (request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** The SOAP part alone (no HTTP): what `body` with these headers gets. For benches and in-process use. */
  answer(body: string, headers: { soapAction?: string; contentType?: string }): Promise<SoapReply>;
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const REMEMBERED_FAILURES = 1000;
const GENERIC_LAST_ERROR =
  'The connector could not explain the last error. Nothing was posted twice; the next run will continue where this one stopped.';

/** Enough of a ticket to follow one session through the logs, not enough to use it. */
export function ticketPrefix(ticket: string): string {
  return ticket.length <= 8 ? (ticket === '' ? '' : '…') : `${ticket.slice(0, 8)}…`;
}

function soapVersionOf(contentType: string | undefined): SoapVersion {
  return contentType?.toLowerCase().includes('application/soap+xml') ? '1.2' : '1.1';
}

function authenticateArray(answer: AuthenticateAnswer): string[] {
  if (typeof answer?.ticket !== 'string' || typeof answer.result !== 'string') {
    throw new TypeError('authenticate must answer { ticket: string, result: string }');
  }
  const out = [answer.ticket, answer.result];
  const postpone = answer.postponeSeconds;
  const minimum = answer.minimumRunEverySeconds;
  // Slot [3] without slot [2] still needs an empty [2]: QBWC reads the array by position.
  if (postpone !== undefined || minimum !== undefined) out.push(postpone === undefined ? '' : String(postpone));
  if (minimum !== undefined) out.push(String(minimum));
  return out;
}

function summarise(method: WebConnectorMethod, result: SoapResultValue): Record<string, unknown> {
  switch (method) {
    case 'authenticate': {
      const status = (result as readonly string[])[1] ?? '';
      return {
        outcome:
          status === 'nvu' || status === 'none' || status === 'busy' ? status : status === '' ? 'open-file' : 'file',
      };
    }
    case 'sendRequestXML':
      return {
        answer: result === '' ? 'empty' : result === 'NoOp' ? 'NoOp' : 'request',
        responseBytes: Buffer.byteLength(result as string),
      };
    case 'receiveResponseXML':
      return { percent: result };
    default:
      return { responseBytes: Buffer.byteLength(String(result)) };
  }
}

export function createWebConnectorService(
  backend: WebConnectorBackend,
  options: WebConnectorServiceOptions,
): WebConnectorService {
  const logger = options.logger;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Why the last call of a ticket failed, when the backend threw: getLastError (next call) explains it even if
  // the backend could not record it. Bounded, oldest first out.
  const failures = new Map<string, string>();

  const rememberFailure = (ticket: string, message: string) => {
    failures.delete(ticket);
    failures.set(ticket, message);
    if (failures.size > REMEMBERED_FAILURES) failures.delete(failures.keys().next().value!);
  };

  async function callBackend(call: SoapCall): Promise<SoapResultValue> {
    const p = call.parameters;
    switch (call.method) {
      case 'serverVersion':
        return expectString(await backend.serverVersion());
      case 'clientVersion':
        return expectString(await backend.clientVersion(p.strVersion!));
      case 'authenticate':
        return authenticateArray(await backend.authenticate(p.strUserName!, p.strPassword!));
      case 'sendRequestXML':
        return expectString(
          await backend.sendRequestXML({
            ticket: p.ticket!,
            hcpResponse: p.strHCPResponse!,
            companyFileName: p.strCompanyFileName!,
            country: p.qbXMLCountry!,
            majorVersion: Number(p.qbXMLMajorVers),
            minorVersion: Number(p.qbXMLMinorVers),
          }),
        );
      case 'receiveResponseXML': {
        const percent = await backend.receiveResponseXML({
          ticket: p.ticket!,
          response: p.response!,
          hresult: p.hresult!,
          message: p.message!,
        });
        if (!Number.isInteger(percent)) throw new TypeError(`receiveResponseXML answered ${percent}, not an integer`);
        return percent;
      }
      case 'connectionError':
        return expectString(
          await backend.connectionError({ ticket: p.ticket!, hresult: p.hresult!, message: p.message! }),
        );
      case 'getLastError': {
        const remembered = failures.get(p.ticket!);
        if (remembered !== undefined) {
          failures.delete(p.ticket!);
          return remembered;
        }
        return expectString(await backend.getLastError(p.ticket!));
      }
      case 'closeConnection':
        failures.delete(p.ticket!);
        return expectString(await backend.closeConnection(p.ticket!));
    }
  }

  /** The method's answer when the backend threw; `null` means "answer with a SOAP Server fault". */
  function errorAnswer(method: WebConnectorMethod, merchantMessage: string): SoapResultValue | null {
    switch (method) {
      case 'serverVersion':
      case 'clientVersion':
      case 'sendRequestXML':
        return '';
      case 'receiveResponseXML':
        return -1;
      case 'connectionError':
        return 'done';
      case 'getLastError':
        return GENERIC_LAST_ERROR;
      case 'closeConnection':
        return merchantMessage;
      case 'authenticate':
        return null;
    }
  }

  async function invoke(call: SoapCall, requestBytes: number): Promise<WireReply> {
    const started = performance.now();
    const ticket = call.parameters.ticket ?? '';
    const fields = { method: call.method, session: ticketPrefix(ticket), requestBytes };
    logger.debug('Web Connector call', fields);
    let result: SoapResultValue | null;
    try {
      result = await callBackend(call);
      const body = writeSoapResponseBytes(call.method, result, call.soapVersion);
      logger.info('Web Connector answer', {
        ...fields,
        ...summarise(call.method, result),
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      });
      return { status: 200, contentType: soapContentType(call.soapVersion), body };
    } catch (thrown) {
      const error = toConnectorError(thrown, 'QBWC_BACKEND_FAILED');
      logger.error('Web Connector backend failed', {
        ...fields,
        error: { code: error.code, message: error.message },
      });
      if (ticket !== '' && call.method !== 'closeConnection' && call.method !== 'getLastError') {
        rememberFailure(ticket, error.merchantMessage);
      }
      try {
        await backend.methodFailed?.({ method: call.method, ticket, error });
      } catch (secondary) {
        logger.error('Web Connector backend could not record a failure', {
          ...fields,
          error: toConnectorError(secondary).message,
        });
      }
      result = errorAnswer(call.method, error.merchantMessage);
      if (result === null) {
        return {
          status: 500,
          contentType: soapContentType(call.soapVersion),
          body: writeSoapFault('Server', error.merchantMessage, call.soapVersion),
        };
      }
      return {
        status: 200,
        contentType: soapContentType(call.soapVersion),
        body: writeSoapResponse(call.method, result, call.soapVersion),
      };
    }
  }

  async function reply(
    body: string,
    requestBytes: number,
    headers: { soapAction?: string; contentType?: string },
  ): Promise<WireReply> {
    const version = soapVersionOf(headers.contentType);
    const action = version === '1.2' ? actionFromContentType(headers.contentType) : headers.soapAction;
    const parsed = parseSoapCall(body, action);
    if (!parsed.ok) {
      logger.warn('Web Connector request refused', { reason: parsed.reason, requestBytes });
      return {
        status: version === '1.2' ? 400 : 500,
        contentType: soapContentType(version),
        body: writeSoapFault('Client', parsed.reason, version),
      };
    }
    return invoke(parsed.call, requestBytes);
  }

  async function answer(body: string, headers: { soapAction?: string; contentType?: string }): Promise<SoapReply> {
    const wire = await reply(body, Buffer.byteLength(body), headers);
    return { ...wire, body: typeof wire.body === 'string' ? wire.body : wire.body.toString('utf8') };
  }

  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === 'GET') {
      const url = parseTarget(request.url ?? '/');
      if (!url) {
        send(response, 400, 'text/plain; charset=utf-8', 'Malformed request address.\n');
        return;
      }
      if ([...url.searchParams.keys()].some((key) => key.toLowerCase() === 'wsdl')) {
        const endpoint = options.publicUrl ?? `http://${request.headers.host ?? 'localhost'}${url.pathname}`;
        send(response, 200, 'text/xml; charset=utf-8', buildWebConnectorWsdl(endpoint));
      } else {
        send(
          response,
          200,
          'text/plain; charset=utf-8',
          'QuickBooks Web Connector endpoint. Add the .qwc file to the Web Connector; append ?wsdl for the WSDL.\n',
        );
      }
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('allow', 'GET, POST');
      send(response, 405, 'text/plain; charset=utf-8', 'Only POST (SOAP) and GET ?wsdl are served here.\n');
      return;
    }
    const contentType = request.headers['content-type'];
    if (contentType && !/^\s*(text\/xml|application\/soap\+xml|application\/xml)\s*(;|$)/i.test(contentType)) {
      send(response, 415, 'text/plain; charset=utf-8', 'Send SOAP as text/xml or application/soap+xml.\n');
      return;
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === 'aborted') {
      // The client went away mid-request (QBWC timed out, or the network dropped): nothing reached the backend.
      logger.warn('Web Connector request aborted by the client before its body arrived');
      return;
    }
    if (body === 'too-large') {
      logger.warn('Web Connector request refused: body too large', { maxBodyBytes });
      response.setHeader('connection', 'close');
      send(response, 413, 'text/plain; charset=utf-8', `Request body larger than ${maxBodyBytes} bytes.\n`);
      return;
    }
    const soapAction = request.headers.soapaction;
    const wire = await reply(body.toString('utf8'), body.length, {
      soapAction: Array.isArray(soapAction) ? soapAction[0] : soapAction,
      contentType,
    });
    send(response, wire.status, wire.contentType, wire.body);
  };

  return Object.assign(handler, { answer });
}

function expectString(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`backend answered ${typeof value}, not a string`);
  return value;
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  if (response.headersSent || response.destroyed) return;
  // One encoding: a string body would be measured (byteLength) and then encoded again by end().
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length });
  response.end(bytes);
}

/** The whole body, or why not. Plain listeners: an async iterator costs more per call than the body's parsing. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // The listeners stay: an error after the outcome (the client resetting a refused upload) must still find one.
    const finish = (outcome: Buffer | 'too-large' | 'aborted') => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        finish('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      finish(request.complete ? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)) : 'aborted'),
    );
    request.on('error', () => finish('aborted'));
    // 'close' before 'end': the client went away mid-body.
    request.on('close', () => finish('aborted'));
  });
}

export interface RunningWebConnectorServer {
  /** The endpoint URL, e.g. http://127.0.0.1:41234/qbwc */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * A plain HTTP server with the service at `path` (default `/qbwc`) and 404 elsewhere, listening on 127.0.0.1 and
 * a free port unless told otherwise. For tests, the simulators and the demo; production mounts the handler in
 * its own server (src/server/).
 */
/** The request target as a URL, or undefined when a client sent something no URL parser accepts. */
function parseTarget(target: string): URL | undefined {
  try {
    return new URL(target, 'http://localhost');
  } catch {
    return undefined;
  }
}

/**
 * See src/server/http.ts SERVER_TIMEOUTS: keep-alive longer than QBWC's 100 s idle reuse, bounded headers and
 * requests. (This folder does not import the server's; the same numbers.)
 */
const KEEP_ALIVE_MS = 125_000;
const HEADERS_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 300_000;

export async function startWebConnectorServer(
  backend: WebConnectorBackend,
  options: WebConnectorServiceOptions & { host?: string; port?: number; path?: string },
): Promise<RunningWebConnectorServer> {
  const path = options.path ?? '/qbwc';
  const service = createWebConnectorService(backend, options);
  const server = createServer((request, response) => {
    const target = request.url ?? '/';
    // The URL parser only for what is not plainly the path (a query, an absolute form, escapes).
    const pathname = target === path ? path : parseTarget(target)?.pathname;
    if (pathname === undefined) {
      send(response, 400, 'text/plain; charset=utf-8', 'Malformed request address.\n');
      return;
    }
    if (pathname !== path) {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found.\n');
      return;
    }
    service(request, response).catch((error: unknown) => {
      options.logger.error('Web Connector handler crashed', { error: toConnectorError(error).message });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error.\n');
      else response.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}${path}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
