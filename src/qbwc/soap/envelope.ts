/**
 * SOAP envelopes of the QuickBooks Web Connector protocol: reading the calls QBWC makes and writing our answers
 * (and, for the Web Connector simulator, the reverse). SOAP 1.1 document/literal is what QBWC speaks; SOAP 1.2
 * is accepted too because it costs one namespace and one content type.
 *
 * Facts this relies on (../shared/research/qbwc-qbxml.md §1):
 * - every method element and its children are in http://developer.intuit.com/ (elementFormDefault="qualified");
 * - SOAPAction is http://developer.intuit.com/<method>, quoted by QBWC's .NET client;
 * - qbXML travels entity-escaped as text inside <response> and <strHCPResponse>; empty hresult/message arrive
 *   as empty elements;
 * - answers are <methodResponse xmlns="http://developer.intuit.com/"><methodResult>…</methodResult>, and
 *   authenticate's result is an ArrayOfString (repeated <string> children).
 */
import { childElement, escapeXml, escapeXmlBetween, parseXml, type XmlElement } from '../../xml/index.ts';

export const INTUIT_NAMESPACE = 'http://developer.intuit.com/';
export const SOAP11_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

export type SoapVersion = '1.1' | '1.2';

/** The eight methods of the Web Connector WSDL, their parameters in WSDL order, and their result kind. */
export const WEB_CONNECTOR_METHODS = {
  serverVersion: { parameters: [], result: 'string' },
  clientVersion: { parameters: ['strVersion'], result: 'string' },
  authenticate: { parameters: ['strUserName', 'strPassword'], result: 'strings' },
  sendRequestXML: {
    parameters: ['ticket', 'strHCPResponse', 'strCompanyFileName', 'qbXMLCountry', 'qbXMLMajorVers', 'qbXMLMinorVers'],
    result: 'string',
  },
  receiveResponseXML: { parameters: ['ticket', 'response', 'hresult', 'message'], result: 'int' },
  connectionError: { parameters: ['ticket', 'hresult', 'message'], result: 'string' },
  getLastError: { parameters: ['ticket'], result: 'string' },
  closeConnection: { parameters: ['ticket'], result: 'string' },
} as const satisfies Record<string, { parameters: readonly string[]; result: 'string' | 'strings' | 'int' }>;

export type WebConnectorMethod = keyof typeof WEB_CONNECTOR_METHODS;

export function isWebConnectorMethod(name: string): name is WebConnectorMethod {
  return Object.hasOwn(WEB_CONNECTOR_METHODS, name);
}

export interface SoapCall {
  method: WebConnectorMethod;
  /** Parameter values by WSDL name; an absent or empty element is "". Unknown children are ignored. */
  parameters: Record<string, string>;
  soapVersion: SoapVersion;
}

export type SoapCallResult = { ok: true; call: SoapCall } | { ok: false; faultCode: 'Client'; reason: string };

/** `"http://developer.intuit.com/authenticate"` or unquoted → `authenticate`; "" when absent. */
export function methodFromSoapAction(header: string | undefined): string {
  if (!header) return '';
  let value = header.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).trim();
  const slash = value.lastIndexOf('/');
  return slash === -1 ? value : value.slice(slash + 1);
}

/** SOAP 1.2 carries the action as a parameter of the content type: `application/soap+xml; action="…"`. */
export function actionFromContentType(contentType: string | undefined): string | undefined {
  const match = contentType ? /;\s*action\s*=\s*("[^"]*"|[^;\s]*)/i.exec(contentType) : null;
  return match ? match[1] : undefined;
}

/**
 * Reads one Web Connector call. The body decides the method (namespace-aware, any prefix); a SOAPAction that
 * names a different method is refused, because a proxy or client that mixes them up would otherwise have us
 * answer the wrong question.
 */
export function parseSoapCall(body: string, soapAction: string | undefined): SoapCallResult {
  const parsed = parseXml(body);
  if (!parsed.ok) {
    const reason =
      parsed.problem === 'doctype-forbidden' || parsed.problem === 'unknown-entity'
        ? `Refused: ${parsed.detail}.`
        : `The request is not well-formed XML: ${parsed.detail}.`;
    return { ok: false, faultCode: 'Client', reason };
  }
  const envelope = parsed.root;
  if (envelope.localName !== 'Envelope') {
    return { ok: false, faultCode: 'Client', reason: `Expected a SOAP Envelope, got <${envelope.name}>.` };
  }
  const soapVersion: SoapVersion | null =
    envelope.namespace === SOAP11_NAMESPACE ? '1.1' : envelope.namespace === SOAP12_NAMESPACE ? '1.2' : null;
  if (!soapVersion) {
    return {
      ok: false,
      faultCode: 'Client',
      reason: `The Envelope is in namespace "${envelope.namespace}", not SOAP 1.1 or 1.2.`,
    };
  }
  const body_ = childElement(envelope, 'Body', envelope.namespace);
  const methodElement = body_?.children[0];
  if (!body_ || !methodElement) {
    return { ok: false, faultCode: 'Client', reason: 'The SOAP Body is missing or empty.' };
  }
  // RPC style (QWC <Style>RPC</Style>) writes the method in Intuit's namespace with unqualified children;
  // document/literal qualifies everything. Both are read; a method in another namespace is not ours.
  if (methodElement.namespace !== INTUIT_NAMESPACE) {
    return {
      ok: false,
      faultCode: 'Client',
      reason: `<${methodElement.name}> is not in the Web Connector namespace ${INTUIT_NAMESPACE}.`,
    };
  }
  const method = methodElement.localName;
  if (!isWebConnectorMethod(method)) {
    return { ok: false, faultCode: 'Client', reason: `Unknown Web Connector method "${method}".` };
  }
  const actionMethod = methodFromSoapAction(soapAction);
  if (actionMethod !== '' && actionMethod !== method) {
    return {
      ok: false,
      faultCode: 'Client',
      reason: `SOAPAction names "${actionMethod}" but the body calls "${method}".`,
    };
  }
  const parameters: Record<string, string> = {};
  for (const name of WEB_CONNECTOR_METHODS[method].parameters) parameters[name] = '';
  for (const child of methodElement.children) {
    if (child.namespace !== INTUIT_NAMESPACE && child.namespace !== '') continue;
    if (Object.hasOwn(parameters, child.localName)) parameters[child.localName] = child.text;
  }
  for (const name of ['qbXMLMajorVers', 'qbXMLMinorVers']) {
    const value = parameters[name];
    if (value !== undefined && !/^\s*-?\d+\s*$/.test(value)) {
      return { ok: false, faultCode: 'Client', reason: `${name} must be an integer, got "${value}".` };
    }
  }
  return { ok: true, call: { method, parameters, soapVersion } };
}

function envelopeNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP12_NAMESPACE : SOAP11_NAMESPACE;
}

export function soapContentType(version: SoapVersion): string {
  return version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
}

function bodyOpening(version: SoapVersion): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${envelopeNamespace(version)}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    '<soap:Body>'
  );
}

const BODY_CLOSING = '</soap:Body></soap:Envelope>';

function wrapBody(version: SoapVersion, inner: string): string {
  return bodyOpening(version) + inner + BODY_CLOSING;
}

export type SoapResultValue = string | number | readonly string[];

/** Writes `<methodResponse xmlns="http://developer.intuit.com/"><methodResult>…</methodResult></methodResponse>`. */
export function writeSoapResponse(method: WebConnectorMethod, result: SoapResultValue, version: SoapVersion): string {
  let inner: string;
  if (Array.isArray(result)) {
    inner = (result as readonly string[]).map((item) => `<string>${escapeXml(item)}</string>`).join('');
  } else {
    inner = escapeXml(String(result));
  }
  return wrapBody(
    version,
    `<${method}Response xmlns="${INTUIT_NAMESPACE}"><${method}Result>${inner}</${method}Result></${method}Response>`,
  );
}

/** Shorter results are written as a string: below this size the byte path saves nothing. */
const BYTE_PATH_MIN_LENGTH = 512;

/**
 * `writeSoapResponse` as the UTF-8 bytes that go on the wire, the same bytes. A sendRequestXML answer carries a
 * whole qbXML message set (tens of KB, thousands of characters to escape): it is escaped straight into bytes.
 */
export function writeSoapResponseBytes(
  method: WebConnectorMethod,
  result: SoapResultValue,
  version: SoapVersion,
): Buffer {
  if (typeof result !== 'string' || result.length < BYTE_PATH_MIN_LENGTH) {
    return Buffer.from(writeSoapResponse(method, result, version), 'utf8');
  }
  return escapeXmlBetween(
    `${bodyOpening(version)}<${method}Response xmlns="${INTUIT_NAMESPACE}"><${method}Result>`,
    result,
    `</${method}Result></${method}Response>${BODY_CLOSING}`,
  );
}

/** A SOAP Fault: `Client`/`Sender` for a request we cannot read, `Server`/`Receiver` for our own failure. */
export function writeSoapFault(faultCode: 'Client' | 'Server', reason: string, version: SoapVersion): string {
  if (version === '1.2') {
    const code = faultCode === 'Client' ? 'soap:Sender' : 'soap:Receiver';
    return wrapBody(
      version,
      `<soap:Fault><soap:Code><soap:Value>${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${escapeXml(reason)}</soap:Text></soap:Reason></soap:Fault>`,
    );
  }
  return wrapBody(
    version,
    `<soap:Fault><faultcode>soap:${faultCode}</faultcode><faultstring>${escapeXml(reason)}</faultstring></soap:Fault>`,
  );
}

/** Writes a call the way QBWC's .NET client does (document/literal, every parameter element present). */
export function writeSoapCall(method: WebConnectorMethod, parameters: Record<string, string | number>): string {
  const inner = WEB_CONNECTOR_METHODS[method].parameters
    .map((name) => {
      const value = parameters[name];
      return value === undefined || value === '' ? `<${name} />` : `<${name}>${escapeXml(String(value))}</${name}>`;
    })
    .join('');
  return wrapBody('1.1', `<${method} xmlns="${INTUIT_NAMESPACE}">${inner}</${method}>`);
}

export type SoapAnswer =
  | { ok: true; result: string | string[] }
  | { ok: false; kind: 'fault'; faultCode: string; reason: string }
  | { ok: false; kind: 'malformed'; reason: string };

/**
 * Reads an answer to `method`: the string result, or the `<string>` items of an ArrayOfString; a Fault's code
 * and reason. Used by the Web Connector simulator and by tests.
 */
export function parseSoapAnswer(method: WebConnectorMethod, body: string): SoapAnswer {
  const parsed = parseXml(body);
  if (!parsed.ok) return { ok: false, kind: 'malformed', reason: parsed.detail };
  const envelope = parsed.root;
  if (
    envelope.localName !== 'Envelope' ||
    (envelope.namespace !== SOAP11_NAMESPACE && envelope.namespace !== SOAP12_NAMESPACE)
  ) {
    return { ok: false, kind: 'malformed', reason: `not a SOAP envelope: <${envelope.name}>` };
  }
  const bodyElement = childElement(envelope, 'Body', envelope.namespace);
  const first = bodyElement?.children[0];
  if (!first) return { ok: false, kind: 'malformed', reason: 'empty SOAP Body' };
  if (first.localName === 'Fault' && first.namespace === envelope.namespace) return readFault(first);
  if (first.localName !== `${method}Response` || first.namespace !== INTUIT_NAMESPACE) {
    return { ok: false, kind: 'malformed', reason: `expected ${method}Response, got <${first.name}>` };
  }
  const resultElement = childElement(first, `${method}Result`);
  if (WEB_CONNECTOR_METHODS[method].result === 'strings') {
    return {
      ok: true,
      result: (resultElement?.children ?? []).filter((c) => c.localName === 'string').map((c) => c.text),
    };
  }
  return { ok: true, result: resultElement?.text ?? '' };
}

function readFault(fault: XmlElement): SoapAnswer {
  const soap11Code = childElement(fault, 'faultcode')?.text;
  if (soap11Code !== undefined) {
    return { ok: false, kind: 'fault', faultCode: soap11Code, reason: childElement(fault, 'faultstring')?.text ?? '' };
  }
  const code = childElement(fault, 'Code', fault.namespace);
  const reason = childElement(fault, 'Reason', fault.namespace);
  return {
    ok: false,
    kind: 'fault',
    faultCode: (code && childElement(code, 'Value', fault.namespace)?.text) ?? '',
    reason: (reason && childElement(reason, 'Text', fault.namespace)?.text) ?? '',
  };
}
