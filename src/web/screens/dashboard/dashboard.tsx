/**
 * The dashboard: the Web Connector's last contact and next expected run, the running sync as a progress bar
 * (planned, sent, applied) that updates live, Sync now, the recent syncs, and what needs attention.
 */
import {
  Badge,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  ProgressBar,
  Text,
} from '@shopify/polaris';
import { useState } from 'react';
import { shopPath } from '../../api.ts';
import type { SetupStatus, ShopSummary, SyncProgress, SyncRun, WebConnectorContact } from '../../api-types.ts';
import { ErrorBanner, ServerMessage, useApi } from '../../components.tsx';
import { useLoad } from '../../hooks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { AttentionCard } from './attention.tsx';

const RUNNING = new Set(['preparing', 'delivering']);

export function runTone(state: SyncRun['state']) {
  return state === 'completed'
    ? 'success'
    : state === 'failed'
      ? 'critical'
      : state === 'completed_with_attention'
        ? 'warning'
        : 'info';
}

export function Dashboard(props: { shop: ShopSummary; status: SetupStatus }) {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const domain = props.shop.domain;
  const runs = useLoad(() => api.get<SyncRun[]>(shopPath(domain, '/sync-runs')), [domain], { pollMs: 2000 });
  const latest = runs.data?.[0] ?? null;
  const progress = useLoad(
    () => (latest ? api.get<SyncProgress>(shopPath(domain, `/sync-runs/${latest.id}`)) : Promise.resolve(null)),
    [domain, latest?.id, latest?.state],
    { pollMs: 1500, poll: (p) => p !== null && (RUNNING.has(p.run.state) || p.outbox.remaining > 0) },
  );
  const contact = useLoad(() => api.get<WebConnectorContact>(shopPath(domain, '/web-connector')), [domain], {
    pollMs: 5000,
  });
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<Error | null>(null);
  const [attentionVersion, setAttentionVersion] = useState(0);

  const syncNow = async () => {
    setSyncing(true);
    setSyncError(null);
    try {
      await api.send('POST', shopPath(domain, '/sync'));
      await runs.reload();
    } catch (caught) {
      setSyncError(caught as Error);
    } finally {
      setSyncing(false);
    }
  };
  const schedule = props.status.integration.options?.schedule;

  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t('dashboard.webConnector')}
            </Text>
            <ErrorBanner error={contact.error} />
            <WebConnectorFacts contact={contact.data} />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {t('dashboard.sync')}
              </Text>
              <Button variant="primary" onClick={syncNow} loading={syncing}>
                {t('dashboard.syncNow')}
              </Button>
            </InlineStack>
            <ErrorBanner error={syncError} />
            <Text as="p" tone="subdued">
              {schedule?.kind === 'daily'
                ? t('dashboard.dailyAt', { time: schedule.localTime, timeZone: props.shop.timeZone })
                : t('dashboard.manualSchedule')}
            </Text>
            <SyncProgressView progress={progress.data} />
          </BlockStack>
        </Card>
      </InlineGrid>
      <AttentionCard shop={props.shop} version={attentionVersion} onRetried={() => setAttentionVersion((v) => v + 1)} />
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t('dashboard.recentSyncs')}
          </Text>
          <ErrorBanner error={runs.error} onRetry={runs.reload} />
          {runs.data && runs.data.length > 0 ? (
            <DataTable
              columnContentTypes={['text', 'text', 'text', 'numeric']}
              headings={[
                t('dashboard.started'),
                t('dashboard.trigger'),
                t('dashboard.outcome'),
                t('dashboard.documents'),
              ]}
              rows={runs.data.slice(0, 10).map((run) => [
                dateTime(run.startedAt),
                t(`trigger.${run.trigger}`),
                <BlockStack key={run.id} gap="100">
                  <span>
                    <Badge tone={runTone(run.state)}>{t(`run.${run.state}`)}</Badge>
                  </span>
                  {run.error ? (
                    <ServerMessage
                      as="span"
                      tone="critical"
                      code={run.error.code}
                      english={run.error.merchantMessage ?? run.error.message}
                    />
                  ) : null}
                </BlockStack>,
                run.summary ? String(run.summary.planned) : '—',
              ])}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t('dashboard.noSync')}
            </Text>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function WebConnectorFacts(props: { contact: WebConnectorContact | null }) {
  const { t, dateTime } = useI18n();
  const contact = props.contact;
  if (!contact) return <Text as="p">{t('app.loading')}</Text>;
  const next = contact.nextExpectedAt;
  const overdue = next !== null && Date.parse(next) + 5 * 60_000 < Date.now();
  return (
    <BlockStack gap="200">
      <InlineStack gap="200">
        <Text as="span" fontWeight="semibold">
          {t('dashboard.lastContact')}:
        </Text>
        <Text as="span">{contact.lastContactAt ? dateTime(contact.lastContactAt) : t('dashboard.never')}</Text>
      </InlineStack>
      <InlineStack gap="200">
        <Text as="span" fontWeight="semibold">
          {t('dashboard.nextRun')}:
        </Text>
        <Text as="span" tone={overdue ? 'critical' : undefined}>
          {next ? (overdue ? t('dashboard.overdue', { time: dateTime(next) }) : dateTime(next)) : t('dashboard.notYet')}
        </Text>
      </InlineStack>
      {contact.lockedUntil ? (
        <Text as="p" tone="critical">
          {t('connect.locked', { time: dateTime(contact.lockedUntil) })}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function SyncProgressView(props: { progress: SyncProgress | null }) {
  const { t, number, dateTime } = useI18n();
  const p = props.progress;
  if (!p) {
    return (
      <Text as="p" tone="subdued">
        {t('dashboard.noSync')}
      </Text>
    );
  }
  const { outbox, run } = p;
  const planned = outbox.planned;
  const sent = outbox.applied + outbox.inFlight + outbox.failed + outbox.needsAttention;
  const percent = planned === 0 ? (run.state === 'preparing' ? 0 : 100) : Math.round((outbox.applied / planned) * 100);
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={runTone(run.state)}>{t(`run.${run.state}`)}</Badge>
        <Text as="span" tone="subdued">
          {t('dashboard.started')}: {dateTime(run.startedAt)}
        </Text>
      </InlineStack>
      <div role="status" aria-live="polite">
        <BlockStack gap="200">
          <ProgressBar
            progress={percent}
            // Green once everything planned is in QuickBooks, as the run's badge beside it.
            tone={
              run.state === 'failed' ? 'critical' : percent === 100 && !RUNNING.has(run.state) ? 'success' : 'highlight'
            }
            ariaLabelledBy="sync-progress-label"
          />
          <Text as="p" id="sync-progress-label">
            {run.state === 'preparing'
              ? t('dashboard.preparing')
              : t('dashboard.appliedOf', { applied: number(outbox.applied), planned: number(planned) })}
          </Text>
          <InlineStack gap="400">
            <Text as="span">
              {t('dashboard.planned')}: <strong>{number(planned)}</strong>
            </Text>
            <Text as="span">
              {t('dashboard.sent')}: <strong>{number(sent)}</strong>
            </Text>
            <Text as="span">
              {t('dashboard.applied')}: <strong>{number(outbox.applied)}</strong>
            </Text>
          </InlineStack>
          {run.state === 'delivering' && outbox.remaining > 0 ? (
            <Text as="p" tone="subdued">
              {t('dashboard.waitingForWebConnector')}
            </Text>
          ) : null}
          {run.error ? (
            <ServerMessage
              tone="critical"
              code={run.error.code}
              english={run.error.merchantMessage ?? run.error.message}
            />
          ) : null}
        </BlockStack>
      </div>
    </BlockStack>
  );
}
