/** What needs attention, each in plain words with what to do, and Retry / Retry all where a retry applies. */
import {
  Banner,
  type BannerHandles,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  InlineStack,
  Text,
} from '@shopify/polaris';
import { useState } from 'react';
import { shopPath } from '../../api.ts';
import type { AttentionItem, ShopSummary } from '../../api-types.ts';
import { ErrorBanner, ServerMessage, useApi } from '../../components.tsx';
import { useFocusAfter, useLoad } from '../../hooks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { whatToDoText } from '../../labels.ts';

/** Items from before the attention list said `retryable` are outbox entries, which Retry applies to. */
const retryable = (item: AttentionItem) => item.retryable ?? (item.type === undefined || item.type === 'document');

export function AttentionCard(props: { shop: ShopSummary; version: number; onRetried: () => void }) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const api = useApi();
  const domain = props.shop.domain;
  const items = useLoad(() => api.get<AttentionItem[]>(shopPath(domain, '/attention')), [domain, props.version], {
    pollMs: 3000,
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [retried, setRetried] = useState(false);
  // The Retry pressed leaves the list with its item (and Retry all with the last ones): the outcome takes the focus.
  const [outcomeRef, focusOutcome] = useFocusAfter<BannerHandles>();

  const retry = async (list: AttentionItem[]) => {
    setBusy(list.length === 1 ? String(list[0]!.id) : 'all');
    setError(null);
    setRetried(false);
    try {
      for (const item of list) {
        await api.send('POST', shopPath(domain, `/attention/${encodeURIComponent(String(item.id))}/retry`));
      }
      setRetried(true);
      props.onRetried();
      await items.reload();
    } catch (caught) {
      setError(caught as Error);
      await items.reload();
    } finally {
      setBusy(null);
      focusOutcome();
    }
  };
  const list = items.data ?? [];
  const canRetry = list.filter(retryable);

  return (
    // A region named by its heading: a screen reader's landmarks list it, and the focus has a place to stay.
    <section aria-labelledby="attention-title">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd" id="attention-title">
              {t('attention.title')}
            </Text>
            {canRetry.length > 1 ? (
              <Button onClick={() => retry(canRetry)} loading={busy === 'all'}>
                {t('attention.retryAll')}
              </Button>
            ) : null}
          </InlineStack>
          <ErrorBanner error={error ?? items.error} ref={error ? outcomeRef : null} />
          {retried ? (
            <Banner tone="success" ref={outcomeRef}>
              {t('attention.retried')}
            </Banner>
          ) : null}
          {items.data === null ? (
            <Text as="p">{t('app.loading')}</Text>
          ) : list.length === 0 ? (
            <Text as="p" tone="success">
              {t('attention.none')}
            </Text>
          ) : (
            <BlockStack as="ul" gap="0">
              {list.map((item, index) => (
                <li key={String(item.id)} style={{ listStyle: 'none' }}>
                  {index > 0 ? <Divider /> : null}
                  <Box paddingBlock="300">
                    <InlineStack align="space-between" blockAlign="start" gap="400" wrap={false}>
                      <BlockStack gap="100">
                        <ServerMessage as="h3" fontWeight="semibold" code={item.code} english={item.reason} />
                        <Text as="p">{t('attention.whatToDo', { text: whatToDoText(i18n, item) })}</Text>
                        <Text as="p" tone="subdued" variant="bodySm">
                          {item.key} · {t('attention.since', { time: dateTime(item.since) })}
                        </Text>
                      </BlockStack>
                      {retryable(item) ? (
                        <Button
                          onClick={() => retry([item])}
                          loading={busy === String(item.id)}
                          accessibilityLabel={`${t('attention.retry')}: ${item.key}`}
                        >
                          {t('attention.retry')}
                        </Button>
                      ) : null}
                    </InlineStack>
                  </Box>
                </li>
              ))}
            </BlockStack>
          )}
        </BlockStack>
      </Card>
    </section>
  );
}
