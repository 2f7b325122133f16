export {
  APP_DESCRIPTION,
  APPLICATION_OWNER_ID,
  type ConnectorQwcInput,
  connectorQwcOptions,
} from './connector-qwc.ts';
export {
  buildQwcFile,
  checkAppUrl,
  normaliseGuid,
  parseQwcFile,
  type QwcFile,
  type QwcFileOptions,
} from './qwc-file.ts';
