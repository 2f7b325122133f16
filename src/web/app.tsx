/**
 * The app: who is signed in (App Bridge inside Shopify admin, the session cookie standalone), which shop, and
 * which screen — the setup until the integration has started, then the dashboard, documents, reconciliation
 * and settings.
 */
import { Button, InlineStack, Page, Select, SkeletonPage } from '@shopify/polaris';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type Api, type Credentials, cookieSession, createApi, shopPath, signOut } from './api.ts';
import type { SetupStatus, ShopSummary } from './api-types.ts';
import { ApiProvider, ErrorBanner, ScreenBoundary, useApi } from './components.tsx';
import { useLoad, useRoute } from './hooks.ts';
import { I18nProvider, type Locale, useI18n, useI18nFor } from './i18n/i18n.tsx';
import { SetupScreen } from './screens/setup/setup.tsx';
import { SignIn } from './screens/sign-in.tsx';

// After the start the app is tabs over the dashboard, documents, reconciliation and settings: a chunk of its own,
// since a new shop's first screen is the setup.
const StartedScreens = lazy(() => import('./screens/started.tsx').then((m) => ({ default: m.StartedScreens })));

export interface AppProps {
  embedded: boolean;
  locale: Locale;
  embeddedShop: string | null;
  signInExpired: boolean;
}

type Session = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; credentials: Credentials };

export function App(props: AppProps) {
  const [session, setSession] = useState<Session>(() =>
    props.embedded
      ? { state: 'signed-in', credentials: { kind: 'embedded', sessionToken: () => window.shopify.idToken() } }
      : { state: 'checking' },
  );
  const [error, setError] = useState<Error | null>(null);
  const i18n = useI18nFor(props.locale, null);

  const check = useCallback(async () => {
    try {
      setError(null);
      const live = await cookieSession();
      setSession(
        live
          ? { state: 'signed-in', credentials: { kind: 'cookie', csrfToken: live.csrfToken } }
          : { state: 'signed-out' },
      );
    } catch (caught) {
      setError(caught as Error);
    }
  }, []);
  useEffect(() => {
    if (!props.embedded) void check();
  }, [props.embedded, check]);

  const api = useMemo(
    () =>
      session.state === 'signed-in' ? createApi(session.credentials, () => setSession({ state: 'signed-out' })) : null,
    [session],
  );

  if (error) {
    return (
      <I18nProvider value={i18n}>
        <Page title={i18n.t('app.title')}>
          <ErrorBanner error={error} onRetry={check} />
        </Page>
      </I18nProvider>
    );
  }
  if (session.state === 'checking') return <SkeletonPage title={i18n.t('app.loading')} />;
  if (session.state === 'signed-out' || !api) {
    return (
      <I18nProvider value={i18n}>
        <SignIn expired={props.signInExpired} onSignedIn={check} />
      </I18nProvider>
    );
  }
  return (
    <ApiProvider value={api}>
      <ShopApp
        api={api}
        locale={props.locale}
        embeddedShop={props.embeddedShop}
        onSignOut={
          session.credentials.kind === 'cookie'
            ? async () => {
                await signOut((session.credentials as { csrfToken: string }).csrfToken);
                setSession({ state: 'signed-out' });
              }
            : null
        }
      />
    </ApiProvider>
  );
}

function ShopApp(props: { api: Api; locale: Locale; embeddedShop: string | null; onSignOut: (() => void) | null }) {
  const shops = useLoad(() => props.api.get<ShopSummary[]>('/api/shops'), [props.api]);
  const [chosen, setChosen] = useState<string | null>(props.embeddedShop);
  const shop = shops.data?.find((s) => s.domain === chosen) ?? shops.data?.[0] ?? null;
  const i18n = useI18nFor(props.locale, shop);

  return (
    <I18nProvider value={i18n}>
      {shops.error ? (
        <Page title={i18n.t('app.title')}>
          <ErrorBanner error={shops.error} onRetry={shops.reload} />
        </Page>
      ) : !shops.data ? (
        <SkeletonPage title={i18n.t('app.loading')} />
      ) : !shop ? (
        <Page title={i18n.t('app.title')}>
          <ErrorBanner error={new Error(i18n.t('app.noShops'))} />
        </Page>
      ) : (
        <ShopScreens
          key={shop.domain}
          shop={shop}
          picker={
            shops.data.length > 1 ? (
              <Select
                label={i18n.t('app.chooseShop')}
                labelInline
                options={shops.data.map((s) => ({ label: s.name, value: s.domain }))}
                value={shop.domain}
                onChange={setChosen}
              />
            ) : null
          }
          onSignOut={props.onSignOut}
        />
      )}
    </I18nProvider>
  );
}

function ShopScreens(props: { shop: ShopSummary; picker: ReactNode; onSignOut: (() => void) | null }) {
  const api = useApi();
  const i18n = useI18n();
  const status = useLoad(() => api.get<SetupStatus>(shopPath(props.shop.domain, '/setup')), [props.shop.domain]);
  const [route, go] = useRoute();
  const started = status.data?.integration.state === 'started';
  // Whether this page showed the setup: then the start replaced it under the merchant's focus.
  const setupShown = useRef(false);
  if (status.data && !started) setupShown.current = true;

  const header = (
    <InlineStack gap="300" align="end" blockAlign="center">
      {props.picker}
      {props.onSignOut ? (
        <Button variant="plain" onClick={props.onSignOut}>
          {i18n.t('app.signOut')}
        </Button>
      ) : null}
    </InlineStack>
  );

  if (status.error && !status.data) {
    return (
      <Page title={i18n.t('app.title')}>
        <ErrorBanner error={status.error} onRetry={status.reload} />
      </Page>
    );
  }
  if (!status.data) return <SkeletonPage title={i18n.t('app.loading')} />;
  if (!started) {
    return (
      <ScreenBoundary>
        <SetupScreen status={status.data} reload={status.reload} header={header} />
      </ScreenBoundary>
    );
  }
  return (
    <Suspense fallback={<SkeletonPage title={i18n.t('app.loading')} />}>
      <StartedScreens
        shop={props.shop}
        status={status.data}
        header={header}
        route={route}
        go={go}
        focusTabs={setupShown.current}
      />
    </Suspense>
  );
}
