/**
 * The reconciliation: Shopify's figures against QuickBooks' per category and per day, differences highlighted,
 * and a chart. QuickBooks answers through the Web Connector, so a period may first be "waiting".
 */
import { Badge, Banner, BlockStack, Button, Card, DataTable, FormLayout, Text, TextField } from '@shopify/polaris';
import { lazy, Suspense, useState } from 'react';
import { shopPath } from '../../api.ts';
import type { Figures, Reconciliation, ReconciliationWaiting, ShopSummary } from '../../api-types.ts';
import { ErrorBanner, ServerMessage, useApi } from '../../components.tsx';
import { useLoad } from '../../hooks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { gatewayLabel } from '../../labels.ts';

const Chart = lazy(() => import('./reconciliation-chart.tsx'));

function dayIn(timeZone: string, offsetDays: number): string {
  const at = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Every figure as one row, whatever categories arrive (payments are one row per gateway). */
export function figureRows(
  shopify: Figures,
  quickbooks: Figures,
): { key: string; category: string; gateway: string | null; shopify: string; quickbooks: string }[] {
  const rows: { key: string; category: string; gateway: string | null; shopify: string; quickbooks: string }[] = [];
  const keys = [...new Set([...Object.keys(shopify), ...Object.keys(quickbooks)])];
  for (const key of keys) {
    const left = shopify[key];
    const right = quickbooks[key];
    if (typeof left === 'object' || typeof right === 'object') {
      const l = (left ?? {}) as Record<string, string>;
      const r = (right ?? {}) as Record<string, string>;
      for (const gateway of [...new Set([...Object.keys(l), ...Object.keys(r)])].sort()) {
        rows.push({
          key: `${key}.${gateway}`,
          category: key,
          gateway,
          shopify: l[gateway] ?? '0.00',
          quickbooks: r[gateway] ?? '0.00',
        });
      }
    } else rows.push({ key, category: key, gateway: null, shopify: left ?? '0.00', quickbooks: right ?? '0.00' });
  }
  return rows;
}

/** Exact difference of two decimal strings with two decimals (no float). */
export function difference(a: string, b: string): string {
  const cents = (v: string) => {
    const negative = v.trim().startsWith('-');
    const [whole, fraction = ''] = v.trim().replace(/^[-+]/, '').split('.');
    const value = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
    return negative ? -value : value;
  };
  const d = cents(a) - cents(b);
  const abs = d < 0n ? -d : d;
  return `${d < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function ReconciliationScreen(props: { shop: ShopSummary }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const domain = props.shop.domain;
  const [draft, setDraft] = useState({ from: dayIn(props.shop.timeZone, -30), to: dayIn(props.shop.timeZone, -1) });
  const [period, setPeriod] = useState(draft);
  const answer = useLoad(
    () =>
      api.getWithStatus<Reconciliation | ReconciliationWaiting>(
        shopPath(domain, `/reconciliation?from=${period.from}&to=${period.to}`),
      ),
    [domain, period.from, period.to],
    { pollMs: 3000, poll: (a) => a?.body.state === 'waiting' },
  );
  const label = (row: { category: string; gateway: string | null }) => {
    // A day's differences name a gateway's payments as `payments.<gateway>`.
    const gateway = row.gateway ?? (row.category.startsWith('payments.') ? row.category.slice(9) : null);
    if (gateway) return t('reconciliation.payments', { gateway: gatewayLabel(i18n, gateway) });
    const key = `category.${row.category}`;
    return i18n.has(key) ? t(key) : row.category;
  };
  const body = answer.data?.body ?? null;

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t('reconciliation.title')}
          </Text>
          <Text as="p" tone="subdued">
            {t('reconciliation.intro')}
          </Text>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              setPeriod(draft);
            }}
          >
            <FormLayout>
              <FormLayout.Group condensed>
                <TextField
                  label={t('reconciliation.from')}
                  type="date"
                  value={draft.from}
                  onChange={(from) => setDraft((d) => ({ ...d, from }))}
                  autoComplete="off"
                />
                <TextField
                  label={t('reconciliation.to')}
                  type="date"
                  value={draft.to}
                  onChange={(to) => setDraft((d) => ({ ...d, to }))}
                  autoComplete="off"
                />
              </FormLayout.Group>
              <Button submit>{t('reconciliation.show')}</Button>
            </FormLayout>
          </form>
          <ErrorBanner error={answer.error} onRetry={answer.reload} />
          {body?.state === 'waiting' ? (
            <Banner tone="info" title={t('reconciliation.waiting')}>
              <p>
                {i18n.locale === 'en'
                  ? body.message
                  : t('reconciliation.waitingText', { time: i18n.dateTime(body.requestedAt) })}
              </p>
            </Banner>
          ) : null}
        </BlockStack>
      </Card>
      {body?.state === 'ready' ? <Ready report={body} label={label} /> : null}
    </BlockStack>
  );
}

function Ready(p: { report: Reconciliation; label: (row: { category: string; gateway: string | null }) => string }) {
  const { t, money, date, dateTime } = useI18n();
  const rows = figureRows(p.report.shopify, p.report.quickbooks);
  const differs = rows.filter((row) => difference(row.shopify, row.quickbooks) !== '0.00');
  return (
    <>
      <Card>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            {t('reconciliation.asOf', { time: dateTime(p.report.asOf) })} · {date(p.report.period.from)} –{' '}
            {date(p.report.period.to)}
          </Text>
          <div role="status">
            {differs.length === 0 ? (
              <Banner tone="success">{t('reconciliation.noDifference')}</Banner>
            ) : (
              <Banner tone="critical">{t('reconciliation.differences', { count: differs.length })}</Banner>
            )}
          </div>
          <DataTable
            columnContentTypes={['text', 'numeric', 'numeric', 'numeric']}
            headings={[
              t('reconciliation.category'),
              t('reconciliation.shopify'),
              t('reconciliation.quickbooks'),
              t('reconciliation.difference'),
            ]}
            rows={rows.map((row) => {
              const diff = difference(row.shopify, row.quickbooks);
              return [
                // A differing category stands out along its whole row, not only in the difference column.
                diff === '0.00' ? (
                  p.label(row)
                ) : (
                  <Text key={row.key} as="span" tone="critical" fontWeight="semibold">
                    {p.label(row)}
                  </Text>
                ),
                money(row.shopify),
                money(row.quickbooks),
                diff === '0.00' ? (
                  money(diff)
                ) : (
                  <Badge key={row.key} tone="critical">
                    {money(diff)}
                  </Badge>
                ),
              ];
            })}
          />
          <Text as="h3" variant="headingSm">
            {t('reconciliation.chart')}
          </Text>
          <Suspense fallback={<Text as="p">{t('app.loading')}</Text>}>
            <Chart
              categories={rows
                .filter((r) => !r.gateway)
                .map((r) => {
                  // A category that differs says so under its bars, by how much (a few cents is no visible bar);
                  // short, since the axis gives each label three lines of a bar group's width.
                  const diff = difference(r.shopify, r.quickbooks);
                  const label =
                    diff === '0.00'
                      ? p.label(r)
                      : t('reconciliation.chartDiffers', {
                          category: p.label(r),
                          difference: money(diff.replace(/^-/, '')),
                        });
                  return { label, shopify: r.shopify, quickbooks: r.quickbooks };
                })}
              series={{ shopify: t('reconciliation.shopify'), quickbooks: t('reconciliation.quickbooks') }}
              formatMoney={money}
            />
          </Suspense>
        </BlockStack>
      </Card>
      {p.report.heldBack && p.report.heldBack.length > 0 ? <HeldBack orders={p.report.heldBack} /> : null}
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t('reconciliation.perDay')}
          </Text>
          <DataTable
            columnContentTypes={['text', 'text']}
            headings={[t('reconciliation.day'), t('dashboard.outcome')]}
            rows={p.report.days.map((day) => [
              date(day.date),
              day.differences.length === 0 ? (
                <Badge key={day.date} tone="success">
                  {t('reconciliation.dayMatches')}
                </Badge>
              ) : (
                <BlockStack key={day.date} gap="100">
                  <span>
                    <Badge tone="critical">{t('reconciliation.dayDiffers', { count: day.differences.length })}</Badge>
                  </span>
                  {day.differences.map((d) => (
                    <Text as="span" key={d.category} tone="critical">
                      {p.label({ category: d.category, gateway: null })}: {money(d.shopify)} / {money(d.quickbooks)}
                    </Text>
                  ))}
                </BlockStack>
              ),
            ])}
          />
        </BlockStack>
      </Card>
    </>
  );
}

/** Orders the sync held back: listed beside the figures so the totals are read knowing what they leave out. */
function HeldBack(props: { orders: NonNullable<Reconciliation['heldBack']> }) {
  const { t, date } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t('reconciliation.heldBack')}
        </Text>
        <Text as="p" tone="subdued">
          {t('reconciliation.heldBackHelp')}
        </Text>
        <DataTable
          columnContentTypes={['text', 'text', 'text', 'text']}
          headings={[
            t('reconciliation.heldBackOrder'),
            t('reconciliation.day'),
            t('reconciliation.heldBackTotal'),
            t('reconciliation.heldBackReason'),
          ]}
          rows={props.orders.map((held) => [
            held.order,
            date(held.date),
            // As Shopify wrote it: damaged data may be no number, or not in the shop's currency.
            `${held.total} ${held.currency}`,
            <ServerMessage key={held.order} as="span" code={held.code} english={held.reason} />,
          ])}
        />
      </BlockStack>
    </Card>
  );
}
