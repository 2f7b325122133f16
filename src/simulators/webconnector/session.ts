/**
 * The QuickBooks Web Connector, simulated: one update session (what happens when QBWC's "Update Selected" runs
 * or Auto-Run fires), and the Auto-Run loop.
 *
 * Order and rules follow Intuit's Web Connector Programmer's Guide as summarised in
 * ../shared/research/qbwc-qbxml.md §1.2–1.3:
 * serverVersion → clientVersion (W: warn, E:/O: stop) → authenticate ([1] nvu/none/busy stop; "" or a path
 * opens QuickBooks; [2] postpone and [3] minimum interval steer Auto-Run) → open the company (on failure
 * connectionError: "done" stops, anything else is a company file to retry, at most twice) → FileID stored on first
 * connect → (sendRequestXML → QuickBooks → receiveResponseXML)* with strHCPResponse on the first call only;
 * "" or "NoOp" → getLastError ("NoOp" → wait about 5 s, ask again); percentage 100 → closeConnection;
 * negative → getLastError → closeConnection.
 */
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { checkAppUrl, type QwcFile } from '../../qbwc/qwc/index.ts';
import type { WebConnectorMethod } from '../../qbwc/soap/index.ts';
import type { QuickBooksRequestProcessor } from './processor.ts';
import type { RandomFaultKind, RandomFaultPlan } from './random-faults.ts';
import { type CallOutcome, callWebConnectorMethod, createAgent, type TransportFaultKind } from './transport.ts';

export interface TransportFault {
  method: WebConnectorMethod;
  /** A transport fault, or `cut-response`: the qbXML a receiveResponseXML carries is cut off half-way. */
  kind: TransportFaultKind | 'cut-response';
  /** Which call of `method` in the session fails: 1 = the first (default). */
  occurrence?: number;
  /** For runWebConnectorSchedule: which session (1 = the first, default). */
  session?: number;
}

export interface WebConnectorSessionOptions {
  qwc: QwcFile;
  /** What the merchant typed into the Web Connector for this application. */
  password: string;
  processor: QuickBooksRequestProcessor;
  /** The file open in QuickBooks: used when authenticate answers "" and reported as strCompanyFileName. */
  openCompanyFile?: string;
  /** The Web Connector's version, sent to clientVersion. Default 2.3.0.215. */
  webConnectorVersion?: string;
  /** qbXML version and country of the request processor. Default: what the processor says (else 13.0, US). */
  qbxmlMajorVersion?: number;
  qbxmlMinorVersion?: number;
  country?: string;
  /** What the merchant clicks on a clientVersion "W:" warning. Default continue. */
  onVersionWarning?: 'continue' | 'cancel';
  /** Multiplies every wait (NoOp pause, Auto-Run interval): 1 = real time; 0.001 in tests. */
  timeScale?: number;
  /** How long one call may take before the Web Connector gives up, in real milliseconds. Default 120 000. */
  callTimeoutMs?: number;
  faults?: readonly TransportFault[];
  /** Seeded random faults drawn for every call a `faults` entry does not name (shared across sessions). */
  randomFaults?: RandomFaultPlan;
  /**
   * How many of this session's attempts to open the company file fail as if QuickBooks could not be started
   * (0x80040408), so the Web Connector reports them through connectionError. Default: `randomFaults` decides
   * (`open-failure`, the first attempt only), else none.
   */
  openFailures?: number;
  /**
   * Called just before each call goes out (the first call of a method is occurrence 1), with the fault it is about
   * to suffer if any, e.g. to kill the service at a chosen point inside that method.
   */
  beforeCall?: (method: WebConnectorMethod, occurrence: number, fault?: string) => void;
  /**
   * Where the calls go, in turn (a load balancer in front of several instances of the service); default the
   * .qwc's AppURL. Each must pass the same checks as the AppURL.
   */
  appUrls?: readonly string[];
  /** Safety stop for a service that answers NoOp for ever. Default 1000. */
  maxNoOps?: number;
}

export type SessionOutcome =
  | 'completed'
  | 'stopped-by-service'
  | 'no-work'
  | 'invalid-user'
  | 'busy'
  | 'version-refused'
  | 'version-cancelled'
  | 'connection-failed'
  | 'transport-failed'
  | 'url-refused';

export interface SessionCallRecord {
  method: WebConnectorMethod;
  /** The answer, as the Web Connector read it; null when the call failed. */
  answer: string | number | string[] | null;
  /** Sizes and flags of what was sent (never the password). */
  sent: Record<string, string | number | boolean>;
  failure?: string;
  /** The random fault this call suffered, if any. */
  injected?: RandomFaultKind;
  durationMs: number;
}

export interface SessionLog {
  outcome: SessionOutcome;
  /** What the Web Connector would show in its status column or a dialog. */
  message: string;
  calls: SessionCallRecord[];
  /** Request documents QuickBooks executed (or failed with an HRESULT) in this session. */
  requestsProcessed: number;
  /** Attempts to open the company file that failed because a fault said so (`openFailures`, `open-failure`). */
  openFailures: number;
  companyFile: string | null;
  postponeSeconds: number | null;
  minimumRunEverySeconds: number | null;
}

const NO_OP_PAUSE_MS = 5000;
const CONNECTION_RETRIES = 2;
/** What QBXMLRP2's OpenConnection/BeginSession raises when QuickBooks cannot be started (research §1.3). */
const QUICKBOOKS_DID_NOT_START = {
  ok: false as const,
  hresult: '0x80040408',
  message: 'Could not start QuickBooks.',
};

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

function positiveNumber(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Runs one update session against the .qwc's AppURL and returns what happened, call by call. */
export async function runWebConnectorSession(options: WebConnectorSessionOptions): Promise<SessionLog> {
  const log: SessionLog = {
    outcome: 'completed',
    message: '',
    calls: [],
    requestsProcessed: 0,
    openFailures: 0,
    companyFile: null,
    postponeSeconds: null,
    minimumRunEverySeconds: null,
  };
  const end = (outcome: SessionOutcome, message: string): SessionLog => {
    log.outcome = outcome;
    log.message = message;
    return log;
  };

  const urls: URL[] = [];
  for (const appUrl of options.appUrls ?? [options.qwc.appUrl]) {
    const checked = checkAppUrl(appUrl);
    if (!checked.ok) return end('url-refused', `The Web Connector refuses ${appUrl}: ${checked.error.message}.`);
    urls.push(checked.value);
  }
  if (urls.length === 0) return end('url-refused', 'The Web Connector has no address to call.');
  let calls = 0;
  const agent: HttpAgent | HttpsAgent = createAgent(urls[0]!);
  const timeScale = options.timeScale ?? 1;
  const counts = new Map<WebConnectorMethod, number>();
  const processor = options.processor;
  let companyOpen = false;

  class TransportStop extends Error {}

  const call = async (
    method: WebConnectorMethod,
    parameters: Record<string, string | number>,
    sent: Record<string, string | number | boolean> = {},
  ): Promise<string | string[]> => {
    const count = (counts.get(method) ?? 0) + 1;
    counts.set(method, count);
    const named = options.faults?.find((f) => f.method === method && (f.occurrence ?? 1) === count)?.kind;
    let fault = named === 'cut-response' ? undefined : named;
    let injected: RandomFaultKind | undefined;
    let carried = parameters;
    if (named === 'cut-response' && typeof parameters.response === 'string') {
      carried = { ...parameters, response: parameters.response.slice(0, Math.floor(parameters.response.length / 2)) };
    }
    if (!named && options.randomFaults) {
      const decision = options.randomFaults.next(method);
      if (decision) {
        injected = decision.kind;
        fault = decision.transport;
        if (decision.shorten && typeof parameters.response === 'string' && parameters.response !== '') {
          carried = { ...parameters, response: decision.shorten(parameters.response) };
        }
      }
    }
    const url = urls[calls++ % urls.length]!;
    options.beforeCall?.(method, count, injected ?? named);
    const started = performance.now();
    const outcome: CallOutcome = await callWebConnectorMethod(url, method, carried, {
      agent,
      timeoutMs: options.callTimeoutMs ?? 120_000,
      ...(fault ? { fault } : {}),
    });
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    if (outcome.ok) {
      const answer =
        method === 'receiveResponseXML' && typeof outcome.answer === 'string'
          ? Number.parseInt(outcome.answer, 10)
          : outcome.answer;
      log.calls.push({ method, answer, sent, durationMs, ...(injected ? { injected } : {}) });
      return outcome.answer;
    }
    const failure =
      outcome.kind === 'fault' ? `SOAP fault ${outcome.faultCode}: ${outcome.reason}` : `${outcome.reason}`;
    log.calls.push({ method, answer: null, sent, failure, durationMs, ...(injected ? { injected } : {}) });
    throw new TransportStop(`${method} failed: ${failure}`);
  };

  try {
    await call('serverVersion', {});
    const versionAnswer = String(
      await call('clientVersion', { strVersion: options.webConnectorVersion ?? '2.3.0.215' }),
    );
    if (versionAnswer.startsWith('E:')) return end('version-refused', versionAnswer.slice(2));
    if (versionAnswer.startsWith('O:')) {
      return end('version-refused', `This application needs Web Connector version ${versionAnswer.slice(2)} or later.`);
    }
    if (versionAnswer.startsWith('W:') && options.onVersionWarning === 'cancel') {
      return end('version-cancelled', versionAnswer.slice(2));
    }

    const auth = await call(
      'authenticate',
      { strUserName: options.qwc.userName, strPassword: options.password },
      { userName: options.qwc.userName, passwordLength: options.password.length },
    );
    const slots = Array.isArray(auth) ? auth : [auth];
    const ticket = slots[0] ?? '';
    const status = slots[1] ?? '';
    log.postponeSeconds = positiveNumber(slots[2]);
    log.minimumRunEverySeconds = positiveNumber(slots[3]);
    const lower = status.toLowerCase();
    if (lower === 'nvu' || lower === 'none' || lower === 'busy') {
      await call('closeConnection', { ticket });
      if (lower === 'nvu') return end('invalid-user', 'The user name or password is not valid.');
      if (lower === 'none') return end('no-work', 'No data exchange required.');
      return end('busy', 'The application is busy; the Web Connector will try again later.');
    }

    const failingOpens = options.openFailures ?? (options.randomFaults?.nextOpen() ? 1 : 0);
    const open = (file: string) => {
      if (log.openFailures >= failingOpens) return processor.open(file);
      log.openFailures++;
      return QUICKBOOKS_DID_NOT_START;
    };
    let companyFile = status;
    let opened = open(companyFile);
    for (let retry = 0; !opened.ok; retry++) {
      const answer = String(
        await call(
          'connectionError',
          { ticket, hresult: opened.hresult, message: opened.message },
          { hresult: opened.hresult },
        ),
      );
      if (answer.toLowerCase() === 'done' || retry >= CONNECTION_RETRIES) {
        await call('closeConnection', { ticket });
        return end('connection-failed', `QuickBooks could not be opened (${opened.hresult}): ${opened.message}`);
      }
      companyFile = answer;
      opened = open(companyFile);
    }
    companyOpen = true;
    log.companyFile = companyFile === '' ? (options.openCompanyFile ?? '') : companyFile;
    processor.ensureFileId(options.qwc.ownerId, options.qwc.fileId);

    let first = true;
    let noOps = 0;
    const level = processor.requestProcessorVersion?.() ?? { country: 'US', major: 13, minor: 0 };
    for (;;) {
      const hcpResponse = first ? processor.hostCompanyPreferences(options.qwc.ownerId) : '';
      first = false;
      const request = String(
        await call(
          'sendRequestXML',
          {
            ticket,
            strHCPResponse: hcpResponse,
            strCompanyFileName: log.companyFile,
            qbXMLCountry: options.country ?? level.country,
            qbXMLMajorVers: options.qbxmlMajorVersion ?? level.major,
            qbXMLMinorVers: options.qbxmlMinorVersion ?? level.minor,
          },
          { hcpResponseBytes: Buffer.byteLength(hcpResponse) },
        ),
      );
      if (request === '' || request === 'NoOp') {
        const lastError = String(await call('getLastError', { ticket }));
        if (lastError === 'NoOp') {
          noOps++;
          if (noOps > (options.maxNoOps ?? 1000)) {
            await call('closeConnection', { ticket });
            return end('stopped-by-service', `The service answered NoOp ${noOps} times; giving up for this run.`);
          }
          await sleep(NO_OP_PAUSE_MS * timeScale);
          continue;
        }
        const closing = String(await call('closeConnection', { ticket }));
        return end('stopped-by-service', lastError || closing);
      }

      const result = processor.processRequest(request);
      log.requestsProcessed++;
      const percentAnswer = await call(
        'receiveResponseXML',
        result.ok
          ? { ticket, response: result.responseXml, hresult: '', message: '' }
          : { ticket, response: '', hresult: result.hresult, message: result.message },
        result.ok ? { responseBytes: Buffer.byteLength(result.responseXml) } : { hresult: result.hresult },
      );
      const percent = Number.parseInt(String(percentAnswer), 10);
      if (!Number.isInteger(percent)) {
        return end('transport-failed', `receiveResponseXML answered "${percentAnswer}", not a number.`);
      }
      if (percent < 0) {
        const lastError = String(await call('getLastError', { ticket }));
        await call('closeConnection', { ticket });
        return end('stopped-by-service', lastError);
      }
      if (percent >= 100) {
        const closing = String(await call('closeConnection', { ticket }));
        return end('completed', closing);
      }
    }
  } catch (error) {
    if (error instanceof TransportStop) return end('transport-failed', error.message);
    throw error;
  } finally {
    if (companyOpen) processor.close();
    agent.destroy();
  }
}

export interface WebConnectorScheduleOptions extends WebConnectorSessionOptions {
  /** Stop after this many sessions (default: until `signal` aborts). */
  runs?: number;
  signal?: AbortSignal;
  /** Called after each session, e.g. to print it. */
  onSession?: (log: SessionLog, index: number) => void;
}

/**
 * Auto-Run: a session now, then one every RunEveryNMinutes (or RunEveryNSeconds), raised to authenticate's
 * minimum interval when that is longer; a postpone answer delays only the next run. Waits are scaled by
 * `timeScale`. Faults apply to the session their `session` field names (default the first).
 */
export async function runWebConnectorSchedule(options: WebConnectorScheduleOptions): Promise<SessionLog[]> {
  const logs: SessionLog[] = [];
  const qwc = options.qwc;
  let intervalSeconds = qwc.runEveryNSeconds ?? (qwc.runEveryNMinutes ?? 15) * 60;
  for (let index = 1; options.runs === undefined || index <= options.runs; index++) {
    if (options.signal?.aborted) break;
    const faults = options.faults?.filter((f) => (f.session ?? 1) === index) ?? [];
    const log = await runWebConnectorSession({ ...options, faults });
    logs.push(log);
    options.onSession?.(log, index);
    if (log.minimumRunEverySeconds !== null && log.minimumRunEverySeconds > intervalSeconds) {
      intervalSeconds = log.minimumRunEverySeconds;
    }
    if (options.runs !== undefined && index >= options.runs) break;
    const wait = log.postponeSeconds ?? intervalSeconds;
    await sleep(wait * 1000 * (options.timeScale ?? 1), options.signal);
  }
  return logs;
}
