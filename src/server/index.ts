/** The HTTP server: the SOAP service for the Web Connector, the JSON API, webhooks and the admin app, wired to the connector's services. */
export { type ConnectorApp, SOAP_PATH, startConnector, WEBHOOK_PATH } from './app.ts';
export { freePort } from './free-port.ts';
