/** Settings after the start: the mapping (for documents not yet sent) and the schedule change; the rest is locked. */
import { Banner, BlockStack, Button, Card, FormLayout, List, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { ApiError, shopPath } from '../api.ts';
import type { MappingProblem, SettingsAfterStart, ShopSummary } from '../api-types.ts';
import { ErrorBanner, useApi } from '../components.tsx';
import { useLoad } from '../hooks.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { MappingTable } from './mapping-table.tsx';
import { ScheduleFields } from './setup/options-step.tsx';
import { STOCKY_SHUT_DOWN_ON } from './setup/purchase-order-source.tsx';

export function SettingsAfterStartScreen(props: { shop: ShopSummary }) {
  const { t, dateTime, date } = useI18n();
  const api = useApi();
  const domain = props.shop.domain;
  const settings = useLoad(() => api.get<SettingsAfterStart>(shopPath(domain, '/settings')), [domain]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [kind, setKind] = useState<'manual' | 'daily'>('manual');
  const [time, setTime] = useState('02:00');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!settings.data) return;
    setMapping(settings.data.mapping);
    setKind(settings.data.schedule.kind);
    if (settings.data.schedule.kind === 'daily') setTime(settings.data.schedule.localTime);
  }, [settings.data]);

  if (settings.error && !settings.data) return <ErrorBanner error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Text as="p">{t('app.loading')}</Text>;
  const data = settings.data;

  const save = async () => {
    setBusy(true);
    setError(null);
    setProblems([]);
    setSaved(false);
    try {
      await api.send('PUT', shopPath(domain, '/settings'), {
        mapping,
        schedule: kind === 'manual' ? 'manual' : { kind: 'daily', localTime: time },
      });
      setSaved(true);
      await settings.reload();
    } catch (caught) {
      setError(caught as Error);
      if (caught instanceof ApiError)
        setProblems((caught.details.mappingProblems as MappingProblem[] | undefined) ?? []);
    } finally {
      setBusy(false);
    }
  };
  const locked = (setting: string, value: unknown) => {
    const mode = (choice: string) => (choice === 'detailed' ? t('settings.mode.detailed') : t('settings.mode.summary'));
    if (setting === 'modes') {
      const modes = value as Record<'customers' | 'inventory' | 'vendors', string>;
      return t('afterStart.locked.modes', {
        customers: mode(modes.customers),
        inventory: mode(modes.inventory),
        vendors: mode(modes.vendors),
      });
    }
    const shown =
      typeof value === 'boolean'
        ? t(value ? 'afterStart.yes' : 'afterStart.no')
        : setting === 'startDate' && typeof value === 'string'
          ? date(value)
          : setting === 'purchaseOrderSource'
            ? value === 'stocky'
              ? 'Stocky'
              : t('settings.poShopify')
            : String(value);
    return t(`afterStart.locked.${setting}` as 'afterStart.locked.startDate', { value: shown });
  };

  return (
    <BlockStack gap="400">
      <Card>
        <FormLayout>
          <Text as="h2" variant="headingMd">
            {t('afterStart.title')}
          </Text>
          <Text as="p">{t('afterStart.intro')}</Text>
          <ErrorBanner error={error} />
          {saved ? <Banner tone="success">{t('settings.saved')}</Banner> : null}
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t('settings.mapping')}
            </Text>
            <Text as="p" tone="subdued">
              {t('afterStart.mappingHelp')}
            </Text>
            <MappingTable
              categories={data.categories}
              accounts={data.accounts}
              newAccounts={[...data.accountsToCreate, ...data.proposedNewAccounts]}
              mapping={mapping}
              problems={problems}
              onChange={(category, account) => setMapping((m) => ({ ...m, [category]: account }))}
            />
          </BlockStack>
          <ScheduleFields kind={kind} time={time} timeZone={props.shop.timeZone} onKind={setKind} onTime={setTime} />
          {data.nextScheduledRun ? (
            <Text as="p" tone="subdued">
              {t('dashboard.nextScheduled', { time: dateTime(data.nextScheduledRun) })}
            </Text>
          ) : null}
          <Button variant="primary" onClick={save} loading={busy}>
            {t('settings.save')}
          </Button>
        </FormLayout>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t('afterStart.locked')}
          </Text>
          <Text as="p" tone="subdued">
            {t('afterStart.lockedHelp')}
          </Text>
          <List>
            {data.locked.map((item) => (
              <List.Item key={item.setting}>{locked(item.setting, item.value)}</List.Item>
            ))}
          </List>
          {data.locked.some((item) => item.setting === 'purchaseOrderSource' && item.value === 'stocky') ? (
            <Text as="p" tone="caution">
              {t('afterStart.stockyShutdown', { date: date(STOCKY_SHUT_DOWN_ON) })}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
