export { decodeEntities } from './entities.ts';
export { type XmlProblem, XmlSyntaxError } from './errors.ts';
export { escapeXml, escapeXmlBetween } from './escape.ts';
export {
  childElement,
  DEFAULT_MAX_XML_LENGTH,
  parseXml,
  readXml,
  type XmlDocument,
  type XmlElement,
  type XmlParseResult,
  type XmlReadOptions,
} from './reader.ts';
