/**
 * TEST HELPER — not the connector's backend (that one drives the outbox: src/qbwc/session/, src/qbwc/delivery/).
 *
 * A small in-memory WebConnectorBackend over a queue of qbXML request documents, so the SOAP service and the Web
 * Connector simulator can be tested against each other through real HTTP. It behaves the way a correct backend
 * must on the points the transport cares about: `nvu` on a bad password, `none` with no work, `busy`, NoOp,
 * real percentages, -1 + getLastError on an HRESULT, and qbXML error recovery for a lost response (a document
 * sent without an answer is sent again with `oldMessageSetID`, so QuickBooks replays instead of applying twice).
 */
import { randomUUID } from 'node:crypto';
import type {
  AuthenticateAnswer,
  ConnectionErrorInput,
  MethodFailure,
  ReceiveResponseInput,
  SendRequestInput,
  WebConnectorBackend,
} from './backend.ts';

export interface ReferenceBackendOptions {
  userName: string;
  password: string;
  /** qbXML request documents, each with a `<QBXMLMsgsRq …>` element. */
  requests?: string[];
  /** authenticate's [1] when there is work: "" (the open file, default) or a path. */
  companyFile?: string;
  busy?: boolean;
  clientVersionAnswer?: string;
  postponeSeconds?: number;
  minimumRunEverySeconds?: number;
  /** Answer NoOp this many times at the start of each session. */
  noOpsPerSession?: number;
  /** Successive answers to connectionError; "done" once they run out. */
  connectionErrorAnswers?: string[];
  /** Make a method throw (the service must turn it into the method's error answer). */
  throwIn?: Partial<Record<keyof WebConnectorBackend, Error>>;
}

interface QueuedRequest {
  xml: string;
  state: 'pending' | 'sent' | 'applied';
  messageSetId: string;
  response: string | null;
}

interface TicketState {
  lastError: string;
  noOpsLeft: number;
  current: QueuedRequest | null;
  hcpResponse: string | null;
  closed: boolean;
}

export interface ReferenceBackend extends WebConnectorBackend {
  readonly queue: QueuedRequest[];
  readonly sessions: Map<string, TicketState>;
  readonly calls: Array<{ method: string; detail?: Record<string, unknown> }>;
  readonly failures: MethodFailure[];
  add(xml: string): void;
}

export function createReferenceBackend(options: ReferenceBackendOptions): ReferenceBackend {
  let nextMessageSet = 1;
  const queue: QueuedRequest[] = [];
  const sessions = new Map<string, TicketState>();
  const calls: ReferenceBackend['calls'] = [];
  const failures: MethodFailure[] = [];
  const connectionAnswers = [...(options.connectionErrorAnswers ?? [])];

  const add = (xml: string) => {
    queue.push({ xml, state: 'pending', messageSetId: String(nextMessageSet++), response: null });
  };
  for (const xml of options.requests ?? []) add(xml);

  const maybeThrow = (method: keyof WebConnectorBackend) => {
    const error = options.throwIn?.[method];
    if (error) throw error;
  };
  const session = (ticket: string): TicketState | undefined => {
    const state = sessions.get(ticket);
    return state && !state.closed ? state : undefined;
  };
  const remaining = () => queue.filter((q) => q.state !== 'applied');

  return {
    queue,
    sessions,
    calls,
    failures,
    add,
    serverVersion() {
      calls.push({ method: 'serverVersion' });
      maybeThrow('serverVersion');
      return 'reference backend 1.0';
    },
    clientVersion(version) {
      calls.push({ method: 'clientVersion', detail: { version } });
      maybeThrow('clientVersion');
      return options.clientVersionAnswer ?? '';
    },
    authenticate(userName, password): AuthenticateAnswer {
      calls.push({ method: 'authenticate', detail: { userName } });
      maybeThrow('authenticate');
      const extra = {
        ...(options.postponeSeconds === undefined ? {} : { postponeSeconds: options.postponeSeconds }),
        ...(options.minimumRunEverySeconds === undefined
          ? {}
          : { minimumRunEverySeconds: options.minimumRunEverySeconds }),
      };
      if (userName !== options.userName || password !== options.password) return { ticket: '', result: 'nvu' };
      const ticket = randomUUID();
      if (options.busy) return { ticket, result: 'busy', ...extra };
      if (remaining().length === 0) return { ticket, result: 'none', ...extra };
      sessions.set(ticket, {
        lastError: '',
        noOpsLeft: options.noOpsPerSession ?? 0,
        current: null,
        hcpResponse: null,
        closed: false,
      });
      return { ticket, result: options.companyFile ?? '', ...extra };
    },
    sendRequestXML(input: SendRequestInput) {
      calls.push({ method: 'sendRequestXML', detail: { hcpBytes: input.hcpResponse.length } });
      maybeThrow('sendRequestXML');
      const state = session(input.ticket);
      if (!state) return '';
      if (state.hcpResponse === null) state.hcpResponse = input.hcpResponse;
      if (state.noOpsLeft > 0) {
        state.noOpsLeft--;
        state.lastError = 'NoOp';
        return 'NoOp';
      }
      const next = queue.find((q) => q.state !== 'applied');
      if (!next) {
        state.lastError = 'Nothing left to send.';
        return '';
      }
      state.lastError = '';
      state.current = next;
      // A document already sent without an answer may have been applied: ask QuickBooks to replay its stored
      // response instead of executing it again (qbXML error recovery).
      const attribute = next.state === 'sent' ? 'oldMessageSetID' : 'newMessageSetID';
      next.state = 'sent';
      return next.xml.replace(/<QBXMLMsgsRq\b/, `<QBXMLMsgsRq ${attribute}="${next.messageSetId}"`);
    },
    receiveResponseXML(input: ReceiveResponseInput) {
      calls.push({ method: 'receiveResponseXML', detail: { hresult: input.hresult } });
      maybeThrow('receiveResponseXML');
      const state = session(input.ticket);
      if (!state?.current) return -1;
      if (input.hresult !== '') {
        state.lastError = `QuickBooks could not process the request (${input.hresult}): ${input.message}`;
        return -1;
      }
      state.current.state = 'applied';
      state.current.response = input.response;
      state.current = null;
      const total = queue.length;
      const done = total - remaining().length;
      return done === total ? 100 : Math.floor((done * 100) / total);
    },
    connectionError(input: ConnectionErrorInput) {
      calls.push({ method: 'connectionError', detail: { hresult: input.hresult } });
      maybeThrow('connectionError');
      return connectionAnswers.shift() ?? 'done';
    },
    getLastError(ticket) {
      calls.push({ method: 'getLastError' });
      maybeThrow('getLastError');
      return sessions.get(ticket)?.lastError || 'Unknown session.';
    },
    closeConnection(ticket) {
      calls.push({ method: 'closeConnection' });
      maybeThrow('closeConnection');
      const state = sessions.get(ticket);
      if (state) state.closed = true;
      return 'OK';
    },
    methodFailed(failure) {
      failures.push(failure);
    },
  };
}
