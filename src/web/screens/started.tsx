/**
 * The app after the start: tabs over the dashboard, documents, reconciliation and settings, each screen a chunk
 * of its own, loaded when its tab is first opened.
 */
import { BlockStack, Box, Card, Page, SkeletonBodyText, Tabs, Text } from '@shopify/polaris';
import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import type { SetupStatus, ShopSummary } from '../api-types.ts';
import { ScreenBoundary } from '../components.tsx';
import type { Route } from '../hooks.ts';
import { useI18n } from '../i18n/i18n.tsx';

const Dashboard = lazy(() => import('./dashboard/dashboard.tsx').then((m) => ({ default: m.Dashboard })));
const DocumentsScreen = lazy(() => import('./dashboard/documents.tsx').then((m) => ({ default: m.DocumentsScreen })));
const ReconciliationScreen = lazy(() =>
  import('./dashboard/reconciliation.tsx').then((m) => ({ default: m.ReconciliationScreen })),
);
const SettingsAfterStartScreen = lazy(() =>
  import('./settings-after-start.tsx').then((m) => ({ default: m.SettingsAfterStartScreen })),
);

function ScreenLoading() {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="span" visuallyHidden>
          {t('app.loading')}
        </Text>
        <SkeletonBodyText lines={6} />
      </BlockStack>
    </Card>
  );
}

const STARTED_TABS: Route[] = ['home', 'documents', 'reconciliation', 'settings'];

export function StartedScreens(props: {
  shop: ShopSummary;
  status: SetupStatus;
  header: ReactNode;
  route: Route;
  go: (route: Route) => void;
  /** The start just replaced the setup: the focus goes to the tabs rather than staying on nothing. */
  focusTabs: boolean;
}) {
  const i18n = useI18n();
  const { route, go } = props;
  const tabs = STARTED_TABS.map((tab) => ({
    id: `tab-${tab}`,
    content: i18n.t(tab === 'home' ? 'nav.dashboard' : (`nav.${tab}` as const)),
    panelID: `panel-${tab}`,
  }));
  const selected = Math.max(0, STARTED_TABS.indexOf(route));
  // Once, when the screens first show (a ref, read at mount): moving it on every tab change would fight the keyboard.
  const focusOn = useRef(props.focusTabs ? `tab-${STARTED_TABS[selected]}` : null);
  useEffect(() => {
    const id = focusOn.current;
    if (!id) return;
    // Polaris' Tabs measure themselves before they draw the tab buttons: wait a few frames for the button.
    let frame = 0;
    let left = 60;
    const attempt = () => {
      const tab = document.getElementById(id);
      if (tab) tab.focus();
      else if (left-- > 0) frame = requestAnimationFrame(attempt);
    };
    attempt();
    return () => cancelAnimationFrame(frame);
  }, []);
  return (
    <Page title={i18n.t('app.title')} subtitle={props.status.shop.name} fullWidth>
      <BlockStack gap="400">
        {props.header}
        <Tabs tabs={tabs} selected={selected} onSelect={(index) => go(STARTED_TABS[index]!)} />
        <Box id={`panel-${STARTED_TABS[selected]}`}>
          <ScreenBoundary key={route}>
            <Suspense fallback={<ScreenLoading />}>
              {route === 'documents' ? (
                <DocumentsScreen shop={props.shop} />
              ) : route === 'reconciliation' ? (
                <ReconciliationScreen shop={props.shop} />
              ) : route === 'settings' ? (
                <SettingsAfterStartScreen shop={props.shop} />
              ) : (
                <Dashboard shop={props.shop} status={props.status} />
              )}
            </Suspense>
          </ScreenBoundary>
        </Box>
      </BlockStack>
    </Page>
  );
}
