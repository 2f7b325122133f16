export type {
  AuthenticateAnswer,
  ConnectionErrorInput,
  MethodFailure,
  ReceiveResponseInput,
  SendRequestInput,
  WebConnectorBackend,
} from './backend.ts';
export {
  INTUIT_NAMESPACE,
  isWebConnectorMethod,
  methodFromSoapAction,
  parseSoapAnswer,
  parseSoapCall,
  SOAP11_NAMESPACE,
  SOAP12_NAMESPACE,
  type SoapAnswer,
  type SoapCall,
  type SoapVersion,
  WEB_CONNECTOR_METHODS,
  type WebConnectorMethod,
  writeSoapCall,
  writeSoapFault,
  writeSoapResponse,
} from './envelope.ts';
export {
  createWebConnectorService,
  type RunningWebConnectorServer,
  type SoapReply,
  startWebConnectorServer,
  ticketPrefix,
  type WebConnectorService,
  type WebConnectorServiceOptions,
} from './service.ts';
export { buildWebConnectorWsdl } from './wsdl.ts';
