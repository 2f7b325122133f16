/** Standalone sign-in: the admin token once, answered with an HttpOnly cookie; the token is kept nowhere here. */
import { Banner, BlockStack, Button, Card, Form, FormLayout, Page, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { signIn } from '../api.ts';
import { errorText } from '../components.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function SignIn(props: { expired: boolean; onSignedIn: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(props.expired ? t('signIn.expiredLink') : null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
      setToken('');
      props.onSignedIn();
    } catch (caught) {
      setError(errorText(caught as Error, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page narrowWidth title={t('signIn.title')}>
      <Card>
        <Form onSubmit={submit}>
          <FormLayout>
            <Text as="p">{t('signIn.intro')}</Text>
            {error ? (
              <Banner tone="critical">
                <p>{error}</p>
              </Banner>
            ) : null}
            <TextField
              label={t('signIn.token')}
              type="password"
              autoComplete="current-password"
              value={token}
              onChange={setToken}
              autoFocus
            />
            <BlockStack gap="200">
              <Button variant="primary" submit loading={busy} disabled={token.trim() === ''}>
                {t('signIn.submit')}
              </Button>
              <Text as="p" tone="subdued">
                {t('signIn.embeddedHint')}
              </Text>
            </BlockStack>
          </FormLayout>
        </Form>
      </Card>
    </Page>
  );
}
