/** Pieces every screen uses: the API error in the merchant's words, and the API in a context. */
import { Banner, type BannerHandles, BlockStack, Text } from '@shopify/polaris';
import { Component, createContext, forwardRef, type ReactNode, useContext } from 'react';
import { type Api, ApiError } from './api.ts';
import { type I18n, useI18n } from './i18n/i18n.tsx';
import { serverText } from './i18n/server-messages.ts';

const ApiContext = createContext<Api | null>(null);
export const ApiProvider = ApiContext.Provider;

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/**
 * A server message in the merchant's language: the catalogue's words for its code, and — when those replace the
 * server's English — the English as a detail, since it names the record, account or field the code cannot.
 */
export function serverMessage(
  i18n: Pick<I18n, 'locale'>,
  code: string | null | undefined,
  english: string,
): { text: string; detail: string | null } {
  const text = serverText(i18n.locale, code, english);
  return { text, detail: text === english || english.trim() === '' ? null : english };
}

/** The API's merchant message (in plain words, in the merchant's language), or what to do when the connector did not answer. */
export function errorText(error: Error, i18n: Pick<I18n, 'locale' | 't'>): string {
  const text = error instanceof ApiError ? serverText(i18n.locale, error.code, error.message) : '';
  return text || i18n.t('app.error.network');
}

/** A message from the server: its text, then the server's own words as a quieter detail when they were translated. */
export function ServerMessage(props: {
  code: string | null | undefined;
  english: string;
  tone?: 'critical' | 'subdued';
  as?: 'p' | 'span' | 'h3';
  fontWeight?: 'semibold';
}) {
  const i18n = useI18n();
  const { text, detail } = serverMessage(i18n, props.code, props.english);
  return (
    <BlockStack gap="050">
      <Text as={props.as ?? 'p'} tone={props.tone} {...(props.fontWeight ? { fontWeight: props.fontWeight } : {})}>
        {text}
      </Text>
      {detail ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {i18n.t('app.error.detail', { text: detail })}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** The API's error as a banner; its ref focuses it (Polaris banners take the focus), for after an action failed. */
export const ErrorBanner = forwardRef<BannerHandles, { error: Error | null; onRetry?: () => void; title?: string }>(
  function ErrorBanner(props, ref) {
    const i18n = useI18n();
    const { t } = i18n;
    if (!props.error) return null;
    const error = props.error;
    const english = error instanceof ApiError ? error.message : '';
    const lines = errorText(error, i18n).split('\n');
    const detail = error instanceof ApiError ? serverMessage(i18n, error.code, english).detail : null;
    return (
      <Banner
        ref={ref}
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
          {detail ? (
            <Text as="p" tone="subdued" variant="bodySm">
              {t('app.error.detail', { text: detail })}
            </Text>
          ) : null}
        </BlockStack>
      </Banner>
    );
  },
);

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
