/** Pieces every screen uses: the API error in the merchant's words, and the API in a context. */
import { Banner, BlockStack, Text } from '@shopify/polaris';
import { Component, createContext, type ReactNode, useContext } from 'react';
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

/**
 * A screen that fails to render shows what happened and a way back instead of a blank page: React unmounts the
 * whole tree on an uncaught render error (https://react.dev/reference/react/Component#catching-rendering-errors-with-an-error-boundary).
 */
export class ScreenBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return <ScreenFailed error={this.state.error} onRetry={() => this.setState({ error: null })} />;
  }
}

function ScreenFailed(props: { error: Error; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <Banner tone="critical" title={t('app.error.title')} action={{ content: t('app.retry'), onAction: props.onRetry }}>
      <Text as="p">{t('app.error.screen')}</Text>
      <Text as="p" tone="subdued">
        {props.error.message}
      </Text>
    </Banner>
  );
}
