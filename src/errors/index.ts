export {
  ConnectorError,
  type ConnectorErrorInit,
  isConnectorError,
  type SerializedConnectorError,
  toConnectorError,
} from './connector-error.ts';
export { err, ok, type Result, unwrap } from './result.ts';
