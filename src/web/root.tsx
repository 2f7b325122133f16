/**
 * The admin app's root: decides where it runs (inside Shopify admin with App Bridge, or standalone), the
 * merchant's language, and renders the app inside Polaris' provider with Polaris' own strings in that language.
 */
import { AppProvider } from '@shopify/polaris';
import polarisEn from '@shopify/polaris/locales/en.json';
import polarisSv from '@shopify/polaris/locales/sv.json';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { pickLocale } from './i18n/i18n.tsx';
import { polarisSwedishFixes } from './i18n/polaris.ts';

const params = new URLSearchParams(window.location.search);
// App Bridge's script is in the page only when Shopify admin opened it (the server adds it for embedded=1).
const embedded = params.get('embedded') === '1' && typeof window.shopify !== 'undefined';
const locale = pickLocale([
  params.get('locale'),
  embedded ? window.shopify.config.locale : null,
  ...navigator.languages,
]);
document.documentElement.lang = locale;

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');
createRoot(root).render(
  <StrictMode>
    <AppProvider i18n={locale === 'sv' ? [polarisSwedishFixes, polarisSv] : polarisEn}>
      <App
        embedded={embedded}
        locale={locale}
        embeddedShop={embedded ? (params.get('shop') ?? window.shopify.config.shop ?? null) : null}
        signInExpired={params.get('signin') === 'expired'}
      />
    </AppProvider>
  </StrictMode>,
);
