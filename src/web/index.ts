/** The admin app's message catalogues (its own and the Swedish for the server's codes), shared with the server's tests (the app itself is built by Vite from main.tsx). */
export { en } from './i18n/en.ts';
export { formatMessage, type MessageValues } from './i18n/format-message.ts';
export { polarisSwedishFixes } from './i18n/polaris.ts';
export { englishOnly, serverText, swedish } from './i18n/server-messages.ts';
export { sv } from './i18n/sv.ts';
