/**
 * Settings before the start: the account mapping, the schedule, Summary/Detailed per list (with the 14,500 rule
 * in numbers), the purchase-order source (Stocky only for stores that still hold Stocky data) and the start date.
 */
import {
  Banner,
  BlockStack,
  Button,
  Checkbox,
  ChoiceList,
  FormLayout,
  Select,
  Text,
  TextField,
} from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { ApiError, shopPath } from '../../api.ts';
import type { MappingProblem, Modes, OptionsProposal, SetupStatus } from '../../api-types.ts';
import { ErrorBanner, useApi } from '../../components.tsx';
import { useLoad } from '../../hooks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { MappingTable } from '../mapping-table.tsx';
import { ListProjectionLines, refusalFor, useListProjection } from './list-projection.tsx';
import { PurchaseOrderFields } from './purchase-order-source.tsx';

function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

export function OptionsStep(props: { status: SetupStatus; reload: () => Promise<void>; active: boolean }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const api = useApi();
  const { status } = props;
  const domain = status.shop.domain;
  const saved = status.integration.options;
  const proposal = useLoad(
    () => (props.active ? api.get<OptionsProposal>(shopPath(domain, '/setup/options')) : Promise.resolve(null)),
    [props.active, domain],
  );
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [scheduleKind, setScheduleKind] = useState<'manual' | 'daily'>(saved?.schedule.kind ?? 'manual');
  const [time, setTime] = useState(saved?.schedule.kind === 'daily' ? saved.schedule.localTime : '02:00');
  const [modes, setModes] = useState<Modes>(
    saved?.modes ?? { customers: 'summary', inventory: 'summary', vendors: 'summary' },
  );
  const [poSource, setPoSource] = useState<'shopify' | 'stocky'>(saved?.purchaseOrderSource.kind ?? 'shopify');
  const [stockyKey, setStockyKey] = useState('');
  const [startDate, setStartDate] = useState(saved?.startDate ?? todayIn(status.shop.timeZone));
  const [useClasses, setUseClasses] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [savedNow, setSavedNow] = useState(false);
  // Asked again at each choice: the numbers and the verdict are the server's, before anything is saved.
  const projection = useListProjection(domain, modes, proposal.data !== null);

  useEffect(() => {
    if (proposal.data) setMapping({ ...proposal.data.mapping, ...(saved?.mapping ?? {}) });
  }, [proposal.data, saved?.mapping]);

  if (!props.active) {
    return (
      <Text as="p" tone="subdued">
        {t('settings.intro')}
      </Text>
    );
  }
  if (proposal.error) return <ErrorBanner error={proposal.error} onRetry={proposal.reload} />;
  if (!proposal.data) return <Text as="p">{t('app.loading')}</Text>;
  const data = proposal.data;
  // A refused Detailed mode carries what QuickBooks' lists would hold with the choices made: shown in numbers.
  const refusedProjection =
    error instanceof ApiError && error.code === 'QB_LIST_LIMIT_DETAILED_REFUSED'
      ? (error.details.projection as { names: number; customers: number; vendors: number; items: number } | undefined)
      : undefined;

  const save = async () => {
    setBusy(true);
    setError(null);
    setProblems([]);
    setSavedNow(false);
    try {
      await api.send('PUT', shopPath(domain, '/setup/options'), {
        mapping,
        createMissingAccounts: true,
        schedule: scheduleKind === 'manual' ? 'manual' : { kind: 'daily', localTime: time },
        modes,
        purchaseOrderSource:
          poSource === 'stocky' && data.stocky.offered ? { kind: 'stocky', apiKey: stockyKey } : { kind: 'shopify' },
        startDate,
        useClasses,
      });
      setStockyKey('');
      setSavedNow(true);
      await props.reload();
    } catch (caught) {
      setError(caught as Error);
      if (caught instanceof ApiError)
        setProblems((caught.details.mappingProblems as MappingProblem[] | undefined) ?? []);
    } finally {
      setBusy(false);
    }
  };
  const modeOptions = [
    { label: t('settings.mode.summary'), value: 'summary' },
    { label: t('settings.mode.detailed'), value: 'detailed' },
  ];

  return (
    <FormLayout>
      <Text as="p">{t('settings.intro')}</Text>
      <ErrorBanner error={error} />
      {refusedProjection ? (
        <Banner tone="warning">
          {t('settings.projection', {
            names: number(refusedProjection.names),
            customers: number(refusedProjection.customers),
            vendors: number(refusedProjection.vendors),
            items: number(refusedProjection.items),
          })}
        </Banner>
      ) : null}
      {savedNow ? <Banner tone="success">{t('settings.saved')}</Banner> : null}
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t('settings.mapping')}
        </Text>
        <Text as="p" tone="subdued">
          {t('settings.mappingHelp')}
        </Text>
        <MappingTable
          categories={data.categories}
          accounts={data.accounts}
          newAccounts={data.accountsToCreate}
          mapping={mapping}
          problems={problems}
          onChange={(category, account) => setMapping((m) => ({ ...m, [category]: account }))}
        />
      </BlockStack>
      <ScheduleFields
        kind={scheduleKind}
        time={time}
        timeZone={status.shop.timeZone}
        onKind={setScheduleKind}
        onTime={setTime}
      />
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t('settings.modes')}
        </Text>
        <Text as="p" tone="subdued">
          {t('settings.modesHelp')}
        </Text>
        <FormLayout.Group condensed>
          {(['customers', 'inventory', 'vendors'] as const).map((list) => (
            <Select
              key={list}
              label={t(`settings.mode.${list}`)}
              options={modeOptions}
              value={modes[list]}
              onChange={(value) => setModes((m) => ({ ...m, [list]: value as 'summary' | 'detailed' }))}
              error={refusalFor(i18n, list, projection.data, modes) ?? undefined}
            />
          ))}
        </FormLayout.Group>
        <ListProjectionLines projection={projection} modes={modes} />
      </BlockStack>
      <PurchaseOrderFields
        offer={data.stocky}
        source={poSource}
        onSource={setPoSource}
        stockyKey={stockyKey}
        onStockyKey={setStockyKey}
        keySaved={saved?.purchaseOrderSource.kind === 'stocky'}
      />
      <BlockStack gap="100">
        <TextField
          label={t('settings.startDate')}
          type="date"
          value={startDate}
          onChange={setStartDate}
          autoComplete="off"
          helpText={t('settings.startDateHelp')}
        />
        {data.startDate ? <StartDateIncludes history={data.startDate} startDate={startDate} /> : null}
      </BlockStack>
      <Checkbox label={t('settings.classes')} checked={useClasses} onChange={setUseClasses} />
      <Button variant="primary" onClick={save} loading={busy}>
        {t('settings.save')}
      </Button>
    </FormLayout>
  );
}

/** What the chosen start date includes, counted from the history by day as the merchant changes the date. */
function StartDateIncludes(props: { history: NonNullable<OptionsProposal['startDate']>; startDate: string }) {
  const { t, number, date } = useI18n();
  const { history, byDate } = props.history;
  if (!history.firstDate || !history.lastDate) return <Text as="p">{t('settings.startDateNoHistory')}</Text>;
  const included = { orders: 0, refunds: 0, payouts: 0 };
  for (const day of byDate) {
    if (day.date < props.startDate) continue;
    included.orders += day.orders;
    included.refunds += day.refunds;
    included.payouts += day.payouts;
  }
  return (
    <BlockStack gap="050">
      <Text as="p" fontWeight="semibold">
        {t('settings.startDateIncludes', {
          orders: number(included.orders),
          refunds: number(included.refunds),
          payouts: number(included.payouts),
        })}
      </Text>
      <Text as="p" tone="subdued">
        {t('settings.startDateHistory', {
          orders: number(history.orders),
          first: date(history.firstDate),
          last: date(history.lastDate),
        })}
      </Text>
    </BlockStack>
  );
}

export function ScheduleFields(props: {
  kind: 'manual' | 'daily';
  time: string;
  timeZone: string;
  onKind(kind: 'manual' | 'daily'): void;
  onTime(time: string): void;
}) {
  const { t } = useI18n();
  return (
    <BlockStack gap="200">
      <ChoiceList
        title={t('settings.schedule')}
        choices={[
          { label: t('settings.scheduleManual'), value: 'manual' },
          { label: t('settings.scheduleDaily'), value: 'daily' },
        ]}
        selected={[props.kind]}
        onChange={(selected) => props.onKind(selected[0] === 'daily' ? 'daily' : 'manual')}
      />
      {props.kind === 'daily' ? (
        <TextField
          label={t('settings.scheduleTime', { timeZone: props.timeZone })}
          type="time"
          value={props.time}
          onChange={props.onTime}
          autoComplete="off"
          helpText={t('settings.scheduleWindow', { timeZone: props.timeZone })}
        />
      ) : null}
    </BlockStack>
  );
}
