/**
 * The Web Connector's side of the wire: one SOAP call over real HTTP, written the way QBWC's .NET 2.0
 * SoapHttpClientProtocol writes it (SOAP 1.1 document/literal, quoted SOAPAction, text/xml; charset=utf-8, the
 * .NET user agent — ../shared/research/qbwc-qbxml.md §1.1), with the transport faults tests and demos inject.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { INTUIT_NAMESPACE, parseSoapAnswer, type WebConnectorMethod, writeSoapCall } from '../../qbwc/soap/index.ts';

/** The user agent QBWC's .NET 2.0 web-services client sends. */
export const WEB_CONNECTOR_USER_AGENT =
  'Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 2.0.50727.9151)';

/**
 * - `drop-connection`: half the request is sent, then the connection drops; the server never gets the call.
 *   On receiveResponseXML this is "QuickBooks applied the request but the response never reached the server".
 * - `time-out`: the whole request is sent and the server answers, but the Web Connector has given up waiting and
 *   never reads the answer (the server did the work; the Web Connector does not know).
 * - `garbage`: a body that is not XML is sent instead of the envelope.
 */
export type TransportFaultKind = 'drop-connection' | 'time-out' | 'garbage';

export type CallOutcome =
  | { ok: true; answer: string | string[]; status: number }
  | { ok: false; kind: 'fault'; status: number; faultCode: string; reason: string }
  | { ok: false; kind: 'http'; status: number; reason: string }
  | { ok: false; kind: 'network'; reason: string };

export interface CallOptions {
  fault?: TransportFaultKind;
  timeoutMs: number;
  agent: HttpAgent | HttpsAgent;
}

export function createAgent(url: URL): HttpAgent | HttpsAgent {
  return url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
}

export function callWebConnectorMethod(
  url: URL,
  method: WebConnectorMethod,
  parameters: Record<string, string | number>,
  options: CallOptions,
): Promise<CallOutcome> {
  const body = Buffer.from(
    options.fault === 'garbage' ? `\u0000garbage ${method} ]]> <<not xml` : writeSoapCall(method, parameters),
    'utf8',
  );
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<CallOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: CallOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = send(url, {
      method: 'POST',
      agent: options.agent,
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: `"${INTUIT_NAMESPACE}${method}"`,
        'user-agent': WEB_CONNECTOR_USER_AGENT,
        'content-length': body.length,
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, kind: 'network', reason: `no answer to ${method} within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on('error', (error) => finish({ ok: false, kind: 'network', reason: error.message }));
    request.on('response', (response) => {
      if (options.fault === 'time-out') {
        response.destroy();
        request.destroy();
        finish({ ok: false, kind: 'network', reason: `${method} timed out (injected): the answer was never read` });
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => finish({ ok: false, kind: 'network', reason: error.message }));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = response.headers['content-type'] ?? '';
        if ((status !== 200 && status !== 500) || !/xml/i.test(contentType)) {
          finish({ ok: false, kind: 'http', status, reason: `HTTP ${status}: ${text.slice(0, 200)}` });
          return;
        }
        const answer = parseSoapAnswer(method, text);
        if (answer.ok) finish({ ok: true, answer: answer.result, status });
        else if (answer.kind === 'fault') {
          finish({ ok: false, kind: 'fault', status, faultCode: answer.faultCode, reason: answer.reason });
        } else finish({ ok: false, kind: 'http', status, reason: `unreadable answer: ${answer.reason}` });
      });
    });
    if (options.fault === 'drop-connection') {
      request.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        request.destroy();
        finish({ ok: false, kind: 'network', reason: `connection dropped while sending ${method} (injected)` });
      });
      return;
    }
    request.end(body);
  });
}
