/**
 * Connect QuickBooks: the app token (shown once, with a copy button), the .qwc download, the Web Connector's
 * steps, then a live "waiting for the Web Connector…" that turns into the company it connected to.
 */
import { Banner, BlockStack, Button, InlineStack, List, Spinner, Text, TextField } from '@shopify/polaris';
import { useEffect, useRef, useState } from 'react';
import { shopPath } from '../../api.ts';
import type { IssuedToken, SetupStatus } from '../../api-types.ts';
import { ErrorBanner, useApi } from '../../components.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function ConnectStep(props: { status: SetupStatus; reload: () => Promise<void>; done: boolean }) {
  const { t, dateTime } = useI18n();
  const api = useApi();
  const { status } = props;
  // The token lives only in this component's memory: never in storage, never in a URL.
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  // Once the Web Connector has connected with it, the token is done with: a later read of the company file (which
  // makes this step wait again) must not show it a second time.
  // The Web Connector's connection replaces this step's controls under the merchant: when the focus was on one of
  // them (now gone, so on the page's body), it goes to the news, which a screen reader then reads.
  // Only when it happens here: a page opened on a connected shop leaves the focus where the browser puts it.
  const connectedRef = useRef<HTMLParagraphElement>(null);
  const wasWaiting = useRef(!props.done);
  useEffect(() => {
    if (!props.done) {
      wasWaiting.current = true;
      return;
    }
    setIssued(null);
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (wasWaiting.current && lost) connectedRef.current?.focus();
    wasWaiting.current = false;
  }, [props.done]);
  const domain = status.shop.domain;
  const companyFile = status.companyFile;
  const bound = companyFile?.boundCompany ?? null;

  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      setIssued(await api.send<IssuedToken>('POST', shopPath(domain, '/setup/app-token')));
      setCopied(null);
      await props.reload();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued!.appToken);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  const download = async () => {
    setError(null);
    try {
      await api.download(shopPath(domain, '/setup/qwc'), `${domain}.qwc`);
    } catch (caught) {
      setError(caught as Error);
    }
  };

  if (props.done && bound) {
    return (
      <BlockStack gap="200">
        <p ref={connectedRef} tabIndex={-1}>
          <Text as="span" fontWeight="semibold">
            {t('connect.connected', { company: bound.companyName, edition: bound.edition, version: bound.version })}
          </Text>
        </p>
        {companyFile?.lastLoginAt ? (
          <Text as="p" tone="subdued">
            {t('connect.lastContact', { time: dateTime(companyFile.lastLoginAt) })}
          </Text>
        ) : null}
      </BlockStack>
    );
  }

  return (
    <BlockStack gap="400">
      <Text as="p">{t('connect.intro')}</Text>
      <ErrorBanner error={error} />
      {issued ? (
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="end" wrap={false}>
            <div style={{ flexGrow: 1 }}>
              <TextField
                label={t('connect.token')}
                value={issued.appToken}
                readOnly
                autoComplete="off"
                monospaced
                helpText={t('connect.tokenOnce')}
                selectTextOnFocus
                // Generate is gone once the token is shown: the token takes the focus (selected, ready to copy).
                autoFocus
              />
            </div>
          </InlineStack>
          <InlineStack gap="200">
            <Button onClick={copy}>{copied === 'yes' ? t('connect.copied') : t('connect.copy')}</Button>
            <Button variant="primary" onClick={download}>
              {t('connect.download')}
            </Button>
          </InlineStack>
          {copied === 'failed' ? <Banner tone="warning">{t('connect.copyFailed')}</Banner> : null}
          <Text as="p" tone="subdued">
            {t('connect.userName', { userName: issued.userName })}
          </Text>
        </BlockStack>
      ) : (
        <InlineStack gap="200" blockAlign="center">
          <Button variant={companyFile ? 'secondary' : 'primary'} onClick={generate} loading={busy}>
            {companyFile ? t('connect.generateAgain') : t('connect.generate')}
          </Button>
          {companyFile ? (
            <>
              <Button onClick={download}>{t('connect.download')}</Button>
              <Text as="span" tone="subdued">
                {t('connect.generateAgainHelp')}
              </Text>
            </>
          ) : null}
        </InlineStack>
      )}
      {companyFile ? (
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            {t('connect.instructions')}
          </Text>
          <List type="number">
            <List.Item>{t('connect.step1')}</List.Item>
            <List.Item>{t('connect.step2')}</List.Item>
            <List.Item>{t('connect.step3')}</List.Item>
            <List.Item>{t('connect.step4')}</List.Item>
            <List.Item>{t('connect.step5')}</List.Item>
          </List>
          {companyFile.lockedUntil && Date.parse(companyFile.lockedUntil) > Date.now() ? (
            <Banner tone="warning">{t('connect.locked', { time: dateTime(companyFile.lockedUntil) })}</Banner>
          ) : null}
          <div role="status" aria-live="polite">
            {bound ? (
              <Text as="p">{t('connect.reading', { company: bound.companyName })}</Text>
            ) : (
              <InlineStack gap="200" blockAlign="center">
                <Spinner size="small" accessibilityLabel={t('connect.waiting')} />
                <BlockStack gap="050">
                  <Text as="p" fontWeight="semibold">
                    {t('connect.waiting')}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t('connect.waitingHelp')}
                  </Text>
                </BlockStack>
              </InlineStack>
            )}
          </div>
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
