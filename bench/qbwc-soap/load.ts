import { connect, type Socket } from 'node:net';
import {
  INTUIT_NAMESPACE,
  parseSoapAnswer,
  type WebConnectorMethod,
  writeSoapCall,
} from '../../src/qbwc/soap/index.ts';
import { payloads } from './payloads.ts';
import { type CaseName, CONNECTIONS, SOAP_PATH, USER_AGENT } from './settings.ts';

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/** One keep-alive HTTP/1.1 connection, one call at a time (QBWC never pipelines). */
export class Connection {
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

export const TICKET_MARK = '\u0001ticket\u0001';

/** A call's body split around the ticket, encoded once: a session only changes the ticket. */
export function callTemplate(method: WebConnectorMethod, parameters: Record<string, string | number>, port: number) {
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

export interface LoadFigures {
  sessions: number;
  calls: number;
  seconds: number;
  clientCpuMs: number;
  send: number[];
  receive: number[];
}

export async function runLoad(url: string, caseName: CaseName, durationMs: number): Promise<LoadFigures> {
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

export async function client() {
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

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
