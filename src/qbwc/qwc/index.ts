export {
  buildQwcFile,
  checkAppUrl,
  normaliseGuid,
  parseQwcFile,
  type QwcFile,
  type QwcFileOptions,
} from './qwc-file.ts';
