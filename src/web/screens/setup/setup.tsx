/** The setup, in the order the connector needs it; each step shows its state from the server. */
import { Badge, BlockStack, Box, Card, InlineStack, Layout, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import type { SetupStatus } from '../../api-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConnectStep } from './connect-step.tsx';
import { SalesTaxStep } from './sales-tax-step.tsx';

// The settings form (mapping table, choices) and the start's confirmation are loaded when their step comes: a
// new shop's first screen is the Connect step, and it should not wait for their code.
const OptionsStep = lazy(() => import('./options-step.tsx').then((m) => ({ default: m.OptionsStep })));
const StartStep = lazy(() => import('./start-step.tsx').then((m) => ({ default: m.StartStep })));

type Shown = 'connect' | 'salesTax' | 'options' | 'start';
const SHOWN: Shown[] = ['connect', 'salesTax', 'options', 'start'];

function doneOf(status: SetupStatus, step: string): boolean {
  return status.steps.find((s) => s.step === step)?.done ?? false;
}

export function SetupScreen(props: { status: SetupStatus; reload: () => Promise<void>; header: ReactNode }) {
  const { t } = useI18n();
  const { status } = props;
  const done: Record<Shown, boolean> = {
    connect: doneOf(status, 'appToken') && doneOf(status, 'connect'),
    salesTax: doneOf(status, 'salesTax'),
    options: doneOf(status, 'options'),
    start: doneOf(status, 'start'),
  };
  const current = SHOWN.find((step) => !done[step]) ?? null;

  // While the Web Connector is awaited, the page follows the server by itself.
  const waiting = status.companyFile !== null && !done.connect;
  const { reload } = props;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [waiting, reload]);

  const titles: Record<Shown, string> = {
    connect: t('connect.title'),
    salesTax: t('tax.title'),
    options: t('settings.title'),
    start: t('start.title'),
  };

  return (
    <Page title={t('setup.title')} subtitle={status.shop.name}>
      <BlockStack gap="400">
        {props.header}
        <Text as="p" tone="subdued">
          {t('setup.subtitle')}
        </Text>
        <Layout>
          {SHOWN.map((step, index) => {
            const state = done[step] ? 'done' : step === current ? 'current' : 'later';
            return (
              <Layout.Section key={step}>
                <Card>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center" wrap={false}>
                      <BlockStack gap="050">
                        <Text as="p" tone="subdued" variant="bodySm">
                          {t('setup.stepOf', { n: index + 1, total: SHOWN.length })}
                        </Text>
                        <Text as="h2" variant="headingMd">
                          {titles[step]}
                        </Text>
                      </BlockStack>
                      <Badge tone={state === 'done' ? 'success' : state === 'current' ? 'attention' : undefined}>
                        {t(`setup.status.${state}`)}
                      </Badge>
                    </InlineStack>
                    <Box>
                      {step === 'connect' ? (
                        <ConnectStep status={status} reload={props.reload} done={done.connect} />
                      ) : step === 'salesTax' ? (
                        <SalesTaxStep status={status} reload={props.reload} active={state !== 'later'} />
                      ) : state === 'later' ? (
                        <Text as="p" tone="subdued">
                          {t(step === 'options' ? 'settings.intro' : 'start.intro')}
                        </Text>
                      ) : (
                        <Suspense fallback={<SkeletonBodyText lines={3} />}>
                          {step === 'options' ? (
                            <OptionsStep status={status} reload={props.reload} active />
                          ) : (
                            <StartStep status={status} reload={props.reload} active={state === 'current'} />
                          )}
                        </Suspense>
                      )}
                    </Box>
                  </BlockStack>
                </Card>
              </Layout.Section>
            );
          })}
        </Layout>
      </BlockStack>
    </Page>
  );
}
