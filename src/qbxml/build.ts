/**
 * qbXML documents out: request documents (the connector, sent through the Web Connector) and response documents
 * (the QuickBooks simulator). Bodies are plain objects in Intuit's element names; see write.ts for the rules.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { MessageName } from './generated/schema.ts';
import type { In, RequestTypes } from './generated/types.ts';
import { messageDef, typeInfo } from './schema.ts';
import { newContext, type Substitution, ValueProblem, writeAttributes, writeContent } from './write.ts';

export type OnError = 'stopOnError' | 'continueOnError' | 'rollbackOnError';

/** Attributes a request element may carry (which ones a message allows comes from the schema). */
export interface RequestAttributes {
  iterator?: 'Start' | 'Continue' | 'Stop';
  iteratorID?: string;
  metaData?: 'NoMetaData' | 'MetaDataOnly' | 'MetaDataAndResponseData';
}

/** One request: `body` is the content of the `<type>Rq` element, e.g. `{ CustomerAdd: { Name: 'Ada' } }`. */
export type QbxmlRequest = {
  [K in MessageName]: {
    type: K;
    /** Echoed on the response; at most 50 characters (QuickBooks status 1060 otherwise). */
    requestID: string;
    body: RequestTypes<In>[K];
    attributes?: RequestAttributes;
  };
}[MessageName];

export interface RequestDocumentInput {
  requests: readonly QbxmlRequest[];
  onError: OnError;
  /** qbXML error recovery: QuickBooks remembers this message set's outcome under the id. */
  newMessageSetID?: string;
  /** qbXML error recovery: asks for the stored outcome of an earlier message set instead of running it again. */
  oldMessageSetID?: string;
  responseData?: 'includeAll' | 'includeNone';
  /** Free-text fields (Memo, Desc, …) that may be cut to QuickBooks' limit instead of failing. */
  shorten?: readonly string[];
}

export interface RequestDocument {
  xml: string;
  /** Every character substitution (Latin-1) and every shortening made, with where. */
  substitutions: Substitution[];
}

export const XML_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n';

const ATTRIBUTE_ORDER = ['requestID', 'iterator', 'iteratorID', 'metaData'] as const;

function requestAttributes(type: MessageName, request: QbxmlRequest): [string, string | undefined][] {
  const info = typeInfo(messageDef(type).rq);
  const given = (request.attributes ?? {}) as Record<string, string | undefined>;
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !info.attributeNames.has(name)) {
      throw new ConnectorError({ code: 'QBXML_INVALID_REQUEST', message: `${type}Rq has no attribute ${name}` });
    }
  }
  for (const def of info.def.a ?? []) {
    const value = given[def.name];
    if (value !== undefined && def.en && !def.en.includes(value)) {
      throw new ConnectorError({
        code: 'QBXML_INVALID_REQUEST',
        message: `${type}Rq ${def.name} must be one of ${def.en.join(', ')}`,
      });
    }
  }
  if (request.requestID.length > 50) {
    throw new ConnectorError({
      code: 'QBXML_INVALID_REQUEST',
      message: `requestID "${request.requestID}" is over 50 characters (QuickBooks answers 1060)`,
    });
  }
  return ATTRIBUTE_ORDER.map((name) => [name, name === 'requestID' ? request.requestID : given[name]]);
}

/**
 * Builds a request document. Value problems the data can cause (too long, not an amount, not a date) come back as
 * an error Result; programming errors (unknown element, wrong JS type, structure the schema forbids) throw.
 */
export function buildRequestDocument(input: RequestDocumentInput): Result<RequestDocument> {
  const ctx = newContext(input.shorten);
  ctx.xml = `${XML_PROLOG}<QBXML><QBXMLMsgsRq${writeAttributes([
    ['onError', input.onError],
    ['newMessageSetID', input.newMessageSetID],
    ['oldMessageSetID', input.oldMessageSetID],
    ['responseData', input.responseData],
  ])}>`;
  try {
    for (let i = 0; i < input.requests.length; i++) {
      const request = input.requests[i]!;
      const type = request.type;
      const def = messageDef(type);
      if (!def) throw new ConnectorError({ code: 'QBXML_INVALID_REQUEST', message: `Unknown message ${type}` });
      ctx.xml += `<${type}Rq${writeAttributes(requestAttributes(type, request))}>`;
      ctx.path.push(`${type}Rq`, i);
      writeContent(ctx, typeInfo(def.rq), request.body as unknown as Record<string, unknown>);
      ctx.path.length = 0;
      ctx.xml += `</${type}Rq>`;
    }
  } catch (error) {
    if (error instanceof ValueProblem) return err(error.error);
    throw error;
  }
  ctx.xml += '</QBXMLMsgsRq></QBXML>\n';
  return ok({ xml: ctx.xml, substitutions: ctx.substitutions });
}

// ---------------------------------------------------------------------------------------------------------------
// Responses (the QuickBooks simulator's side)

export interface ResponseInput {
  type: MessageName;
  requestID?: string;
  statusCode: number;
  statusSeverity: 'Info' | 'Warn' | 'Error';
  statusMessage?: string;
  /** The …Ret objects, in Intuit's element names (amounts as decimal strings or Money). */
  rets?: readonly Record<string, unknown>[];
  /**
   * Element name of each ret, parallel to `rets`, when the response allows several kinds (ItemQuery: ItemServiceRet,
   * ItemInventoryRet, …). Without it, the single …Ret element of the response type is used.
   */
  retNames?: readonly string[];
  retCount?: number;
  iteratorID?: string;
  iteratorRemainingCount?: number;
  errorRecovery?: Record<string, unknown>;
}

export interface ResponseDocumentInput {
  responses: readonly ResponseInput[];
  newMessageSetID?: string;
  messageSetStatusCode?: number;
}

/** The single …Ret element a response type carries, or null when it has several kinds or none. */
export function defaultRetName(type: MessageName): string | null {
  const rets = typeInfo(messageDef(type).rs).order.filter((c) => c.particle.n.endsWith('Ret'));
  return rets.length === 1 ? rets[0]!.particle.n : null;
}

/**
 * Builds a response document: each …Rs with its status attributes and its …Ret bodies in schema order, laid out as
 * QuickBooks writes them (../shared/qbxml/wire): each element on a line of its own, an …Rs without content
 * self-closed (`<CustomerAddRs … />`).
 */
export function buildResponseDocument(input: ResponseDocumentInput): string {
  const ctx = newContext([], false, '\n');
  ctx.xml = `<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs${writeAttributes([
    ['newMessageSetID', input.newMessageSetID],
    ['messageSetStatusCode', input.messageSetStatusCode],
  ])}>\n`;
  for (let i = 0; i < input.responses.length; i++) {
    const response = input.responses[i]!;
    const info = typeInfo(messageDef(response.type).rs);
    const attributes: [string, string | number | undefined][] = [
      ['requestID', response.requestID],
      ['statusCode', response.statusCode],
      ['statusSeverity', response.statusSeverity],
      ['statusMessage', response.statusMessage],
    ];
    if (info.attributeNames.has('retCount')) {
      attributes.push(
        ['retCount', response.retCount],
        ['iteratorRemainingCount', response.iteratorRemainingCount],
        ['iteratorID', response.iteratorID],
      );
    }
    const rets = response.rets ?? [];
    if (rets.length === 0 && !response.errorRecovery) {
      ctx.xml += `<${response.type}Rs${writeAttributes(attributes)} />\n`;
      continue;
    }
    ctx.xml += `<${response.type}Rs${writeAttributes(attributes)}>\n`;
    ctx.path.push(`${response.type}Rs`, i);
    const content: Record<string, unknown> = {};
    const retElement = defaultRetName(response.type);
    if (retElement === null && info.order.every((c) => !c.particle.n.endsWith('Ret')) && rets.length > 0) {
      // TxnDel: the "ret" is a group of fields directly inside the …Rs element.
      Object.assign(content, rets[0]);
    } else {
      // Rets are written in the order given (ItemQuery interleaves kinds); each …Ret body in schema order.
      rets.forEach((ret, index) => {
        const name = response.retNames?.[index] ?? retElement;
        if (!name) throw new Error(`${response.type}Rs needs retNames: it can hold several kinds of …Ret`);
        const child = info.byName.get(name);
        if (!child?.particle.t) throw new Error(`${name} is not a …Ret of ${response.type}Rs`);
        ctx.path.push(name, index);
        ctx.xml += `<${name}>\n`;
        writeContent(ctx, typeInfo(child.particle.t), ret);
        ctx.xml += `</${name}>\n`;
        ctx.path.pop();
        ctx.path.pop();
      });
    }
    if (response.errorRecovery) content.ErrorRecovery = response.errorRecovery;
    writeContent(ctx, info, content);
    ctx.path.length = 0;
    ctx.xml += `</${response.type}Rs>\n`;
  }
  ctx.xml += '</QBXMLMsgsRs>\n</QBXML>\n';
  return ctx.xml;
}
