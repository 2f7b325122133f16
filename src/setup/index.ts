/** The integration setup, step by step as the help page walks the merchant through it, and shop registration. */
export { registerShopFromShopify, registerSingleStore } from './register.ts';
export {
  createSetupService,
  type HistoryWatch,
  type ListProjectionAnswer,
  type ModeChoice,
  type OptionsInput,
  parseModes,
  type SetupService,
  type SetupStatus,
  STOCKY_SHUT_DOWN_ON,
  type StockyOffer,
  startDateLines,
} from './service.ts';
