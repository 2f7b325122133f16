/** qbXML version and country, negotiated on the first sendRequestXML of a Web Connector session. */
export {
  CONNECTOR_QBXML_VERSION,
  type Dialect,
  negotiateDialect,
  type QuickBooksOffer,
  SUPPORTED_COUNTRIES,
} from './negotiate.ts';
