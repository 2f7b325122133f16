/** Pieces every screen uses: the API error in the merchant's words, and the API in a context. */
import { Banner, BlockStack, Text } from '@shopify/polaris';
import { createContext, useContext } from 'react';
import { type Api, ApiError } from './api.ts';
import { useI18n } from './i18n/i18n.tsx';

const ApiContext = createContext<Api | null>(null);
export const ApiProvider = ApiContext.Provider;

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** The API's merchant message (it is already in plain words), or what to do when the connector did not answer. */
export function errorText(error: Error, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError && error.message) return error.message;
  return t('app.error.network');
}

export function ErrorBanner(props: { error: Error | null; onRetry?: () => void; title?: string }) {
  const { t } = useI18n();
  if (!props.error) return null;
  const lines = errorText(props.error, t).split('\n');
  return (
    <Banner
      tone="critical"
      title={props.title ?? t('app.error.title')}
      {...(props.onRetry ? { action: { content: t('app.retry'), onAction: props.onRetry } } : {})}
    >
      <BlockStack gap="100">
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of one message, never reordered.
          <Text as="p" key={i}>
            {line}
          </Text>
        ))}
      </BlockStack>
    </Banner>
  );
}
