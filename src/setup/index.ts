/** The integration setup, step by step as the help page walks the merchant through it, and shop registration. */
export { registerShopFromShopify, registerSingleStore } from './register.ts';
export {
  createSetupService,
  type HistoryWatch,
  type ModeChoice,
  type OptionsInput,
  type SetupService,
  type SetupStatus,
  startDateLines,
} from './service.ts';
