/** The connector's services wired from configuration, shared by the HTTP server and the command line. */
export { type ConnectorServices, createConnectorServices, SOAP_PATH } from './connector-services.ts';
