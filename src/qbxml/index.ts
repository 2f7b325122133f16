/** The qbXML layer: Intuit's element names, generated tables, builder, parser, validator and status catalogue. */
export {
  buildRequestDocument,
  buildResponseDocument,
  defaultRetName,
  type OnError,
  type QbxmlRequest,
  type RequestAttributes,
  type RequestDocument,
  type RequestDocumentInput,
  type ResponseDocumentInput,
  type ResponseInput,
  XML_PROLOG,
} from './build.ts';
export {
  COMPLEX_TYPES,
  ENVELOPE_RQ_ATTRIBUTES,
  ENVELOPE_RS_ATTRIBUTES,
  MESSAGES,
  type MessageName,
} from './generated/schema.ts';
export type * from './generated/types.ts';
export { isLatin1Safe, toLatin1 } from './latin1.ts';
export {
  findTooLong,
  maxLengthOf,
  type ParsedRequest,
  parseRequestDocument,
  parseResponseDocument,
  QB_PARSE_ERROR_MESSAGE,
  type QbxmlResponse,
  type RequestDocumentParsed,
  type RequestParseFailure,
  type ResponseDocument,
} from './parse.ts';
export { sampleRequests } from './samples.ts';
export { isMessageName, typeInfo } from './schema.ts';
export type { In, Out, ScalarDef, ScalarKind, Scalars } from './schema-types.ts';
export {
  describeStatus,
  hresultError,
  knownStatusCodes,
  responseError,
  type StatusClass,
  type StatusContext,
  type StatusDescription,
} from './status.ts';
export { SHORTENABLE_FIELDS, type Substitution } from './write.ts';
