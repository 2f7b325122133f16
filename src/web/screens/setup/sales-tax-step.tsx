/** Sales tax: the check's result in plain words, and a button that creates the 0 % item when it is missing. */
import { Banner, type BannerHandles, BlockStack, Button, InlineStack, List, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { shopPath } from '../../api.ts';
import type { SalesTaxCheck, SetupStatus } from '../../api-types.ts';
import { ErrorBanner, useApi } from '../../components.tsx';
import { useFocusAfter } from '../../hooks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { serverText } from '../../i18n/server-messages.ts';

export function SalesTaxStep(props: { status: SetupStatus; reload: () => Promise<void>; active: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const domain = props.status.shop.domain;
  const recorded = props.status.integration.taxCheck?.result ?? null;
  const [result, setResult] = useState<SalesTaxCheck | null>(recorded);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'create' | null>(null);
  const [error, setError] = useState<Error | null>(null);
  // The buttons pressed go once the check passes or the item is asked for: the result takes the focus.
  const [resultRef, focusResult] = useFocusAfter<BannerHandles>();
  // Checking again after a change in QuickBooks: the connector reads the company file again first.
  const [rereading, setRereading] = useState(false);
  const connected = props.status.steps.find((s) => s.step === 'connect')?.done ?? false;

  const check = async () => {
    setBusy('check');
    setError(null);
    try {
      setResult(await api.send<SalesTaxCheck>('POST', shopPath(domain, '/setup/sales-tax-check')));
      // The result takes the focus as it shows, not once the setup's status has been read again.
      focusResult();
      await props.reload();
    } catch (caught) {
      setError(caught as Error);
      focusResult();
    } finally {
      setBusy(null);
    }
  };
  // QuickBooks' preferences reach the connector only in a Web Connector session that has work to do, so a change
  // the merchant just made there (the most common sales tax item) is read before the check runs again.
  const checkAgain = async () => {
    setBusy('check');
    setError(null);
    try {
      await api.send('POST', shopPath(domain, '/setup/refresh-company-lists'));
      await props.reload();
      setRereading(true);
    } catch (caught) {
      setError(caught as Error);
      setBusy(null);
    }
    focusResult();
  };
  // The read is done when the Connect step is done again (the setup screen polls while it is not).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the read completes, not when `check` changes.
  useEffect(() => {
    if (!rereading || !connected) return;
    setRereading(false);
    void check();
  }, [rereading, connected]);

  if (!props.active || rereading) {
    return rereading ? (
      <Banner tone="info" ref={resultRef}>
        {t('tax.rereading')}
      </Banner>
    ) : (
      <Text as="p" tone="subdued">
        {t('tax.intro')}
      </Text>
    );
  }
  const create = async () => {
    setBusy('create');
    setError(null);
    try {
      const item = await api.send<{ name: string }>('POST', shopPath(domain, '/setup/zero-rate-tax-item'));
      setCreated(item.name);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(null);
      focusResult();
    }
  };
  const problemText = (problem: { code: string; message: string }) => {
    const key = `tax.problem.${problem.code}`;
    return i18n.has(key) ? t(key) : serverText(i18n.locale, problem.code, problem.message);
  };

  return (
    <BlockStack gap="300">
      <Text as="p">{t('tax.intro')}</Text>
      <ErrorBanner error={error} ref={error ? resultRef : null} />
      <div role="status" aria-live="polite">
        {result?.status === 'pass' ? (
          <Banner tone="success" ref={error ? null : resultRef}>
            {t('tax.pass', { item: result.mostCommonItem ?? '' })}
          </Banner>
        ) : result?.status === 'fix' ? (
          <Banner tone="warning" title={t('tax.fix')} ref={error ? null : resultRef}>
            <BlockStack gap="200">
              <List>
                {(result.problems ?? []).map((problem) => (
                  <List.Item key={problem.code}>{problemText(problem)}</List.Item>
                ))}
              </List>
              {result.zeroRateItem ? (
                <Text as="p">{t('tax.zeroItemExists', { item: result.zeroRateItem })}</Text>
              ) : null}
              {created ? <Text as="p">{t('tax.created', { item: created })}</Text> : null}
            </BlockStack>
          </Banner>
        ) : null}
      </div>
      {result?.status !== 'pass' ? (
        <InlineStack gap="200">
          <Button variant="primary" onClick={result ? checkAgain : check} loading={busy === 'check'}>
            {result ? t('tax.checkAgain') : t('tax.check')}
          </Button>
          {result?.status === 'fix' && result.offerToCreate && !created ? (
            <Button onClick={create} loading={busy === 'create'}>
              {t('tax.create', { item: result.offerToCreate.name })}
            </Button>
          ) : null}
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
