/**
 * The seam between the SOAP transport (this folder) and the business of a Web Connector session (tickets in the
 * database, the outbox, applying responses — src/qbwc/session/ and src/qbwc/delivery/).
 *
 * The SOAP service parses each call, logs it (never the password or a whole ticket), calls exactly one method
 * here, and writes the answer. It keeps no session state of its own: several server instances may serve one
 * Web Connector, so everything a later call needs lives behind this interface.
 *
 * Every method may be synchronous or return a promise. A method that throws is a bug or an outage, never an
 * expected answer: the service turns it into the method's error answer (see each method) and reports it through
 * `methodFailed` so that the `getLastError` QBWC calls next can explain it. Expected refusals are answers, not
 * exceptions (`nvu`, `""`, a negative percentage).
 *
 * Call order (QBWC): serverVersion → clientVersion → authenticate → [QuickBooks opens the company file; on
 * failure connectionError] → (sendRequestXML → receiveResponseXML)* → closeConnection, with getLastError after
 * an empty sendRequestXML, a "NoOp", or a negative receiveResponseXML.
 */

/** What authenticate answers; the service writes it as QBWC's ArrayOfString. */
export interface AuthenticateAnswer {
  /** Session ticket QBWC passes to every later call. "" is allowed with `nvu`. Never logged in full. */
  ticket: string;
  /**
   * - `'nvu'`: not a valid user (wrong user name or password, or locked out). QBWC stops and says so.
   * - `'none'`: valid, but no work now; QBWC does not open QuickBooks and calls closeConnection.
   * - `'busy'`: another session holds this company file; QBWC tries again later.
   * - `''`: proceed with the company file open in QuickBooks now.
   * - any other string: proceed with this company file path (passed to QuickBooks' BeginSession).
   */
  result: 'nvu' | 'none' | 'busy' | '' | (string & {});
  /** Slot [2]: postpone this update by this many seconds (honoured only when the merchant enabled Auto-Run). */
  postponeSeconds?: number;
  /** Slot [3]: the least number of seconds between runs; raises the merchant's "Every N minutes" if lower. */
  minimumRunEverySeconds?: number;
}

export interface SendRequestInput {
  ticket: string;
  /**
   * On the first sendRequestXML of a session only: the qbXML responses to HostQuery, CompanyQuery (with the
   * FileID DataExt owned by the .qwc OwnerID) and PreferencesQuery, already unescaped. "" afterwards.
   */
  hcpResponse: string;
  /** The company file QuickBooks opened (full path). */
  companyFileName: string;
  /** 'US', 'CA', 'UK', 'AU'… the QuickBooks edition's country. */
  country: string;
  /** The highest qbXML version the request processor supports, e.g. 13 and 0. */
  majorVersion: number;
  minorVersion: number;
}

export interface ReceiveResponseInput {
  ticket: string;
  /** The qbXML response document (unescaped); "" when QuickBooks could not process the request. */
  response: string;
  /** Hex HRESULT (e.g. "0x80040400", a qbXML parse error) when QuickBooks threw instead of answering; else "". */
  hresult: string;
  message: string;
}

export interface ConnectionErrorInput {
  ticket: string;
  /** Hex HRESULT from OpenConnection/BeginSession (e.g. "0x80040408", could not start QuickBooks). */
  hresult: string;
  message: string;
}

/** A backend method threw; the service answered QBWC with that method's error answer. */
export interface MethodFailure {
  method: string;
  ticket: string;
  error: unknown;
}

export interface WebConnectorBackend {
  /** Any text; QBWC shows it under "More information". Error answer: "". */
  serverVersion(): string | Promise<string>;
  /**
   * `version` is QBWC's own version ("2.3.0.215"). Answer "" to proceed, "W:<text>" to warn (the merchant may
   * continue), "E:<text>" to stop with an error, "O:<version>" to ask for a newer QBWC (stops).
   * Error answer: "" (proceed — an outage here should not block a sync that may still work).
   */
  clientVersion(version: string): string | Promise<string>;
  /**
   * `userName` is the .qwc UserName, `password` what the merchant typed into QBWC (the app token). The password
   * must never be logged or stored in clear. Error answer: a SOAP Server fault (QBWC shows its text), because
   * none of `nvu`/`none`/`busy` would tell the truth.
   */
  authenticate(userName: string, password: string): AuthenticateAnswer | Promise<AuthenticateAnswer>;
  /**
   * The next qbXML request document for QuickBooks; "NoOp" when work is being prepared (QBWC calls getLastError,
   * and if that also answers "NoOp" it waits about 5 s and asks again); "" to end the session with an error
   * (QBWC calls getLastError, shows its answer and closes). Error answer: "".
   */
  sendRequestXML(input: SendRequestInput): string | Promise<string>;
  /**
   * Applies a response. Answer the percentage done: 0–99 → QBWC calls sendRequestXML again; 100 → done,
   * closeConnection; negative → error, QBWC calls getLastError then closeConnection. Error answer: -1.
   */
  receiveResponseXML(input: ReceiveResponseInput): number | Promise<number>;
  /**
   * QuickBooks could not open the company file. Answer "done" to stop, or a company file path to try again
   * ("" = the file open now); QBWC should not be sent to retry more than a couple of times. Error answer: "done".
   */
  connectionError(input: ConnectionErrorInput): string | Promise<string>;
  /**
   * A message for the merchant explaining why the session stopped (QBWC shows it), or "NoOp" (see
   * sendRequestXML). When a backend method threw during this session, the service passed it to `methodFailed`
   * first, so this method can explain it. Error answer: a generic plain-English message.
   */
  getLastError(ticket: string): string | Promise<string>;
  /** Ends the session; the answer is shown in QBWC's status column ("OK", "Complete: 12 documents"). */
  closeConnection(ticket: string): string | Promise<string>;
  /**
   * Optional: a backend method threw and the service answered with its error answer. Persist what getLastError
   * should say (the service also remembers it in memory, for a backend that does not implement this).
   */
  methodFailed?(failure: MethodFailure): void | Promise<void>;
}
