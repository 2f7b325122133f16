/** The admin app's message catalogues, shared with the server's tests (the app itself is built by Vite from main.tsx). */
export { en } from './i18n/en.ts';
export { sv } from './i18n/sv.ts';
