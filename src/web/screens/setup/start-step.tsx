/** Start integration, behind a confirmation that says it happens once and only support can reset it. */
import { BlockStack, Button, Modal, Text } from '@shopify/polaris';
import { useState } from 'react';
import { shopPath } from '../../api.ts';
import type { SetupStatus } from '../../api-types.ts';
import { ErrorBanner, useApi } from '../../components.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function StartStep(props: { status: SetupStatus; reload: () => Promise<void>; active: boolean }) {
  const { t } = useI18n();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.send('POST', shopPath(props.status.shop.domain, '/setup/start'));
      setOpen(false);
      await props.reload();
    } catch (caught) {
      setError(caught as Error);
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <BlockStack gap="300">
      <Text as="p" tone={props.active ? undefined : 'subdued'}>
        {t('start.intro')}
      </Text>
      <ErrorBanner error={error} />
      <Modal
        // The button as the modal's activator: when the confirmation closes, Polaris gives the focus back to it
        // instead of leaving a keyboard user at the top of the page.
        {...(props.active
          ? {
              activator: (
                <Button variant="primary" onClick={() => setOpen(true)}>
                  {t('start.button')}
                </Button>
              ),
            }
          : {})}
        open={open}
        onClose={() => setOpen(false)}
        title={t('start.confirmTitle')}
        primaryAction={{ content: t('start.confirm'), onAction: start, loading: busy }}
        secondaryActions={[{ content: t('start.cancel'), onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t('start.confirmBody')}</Text>
        </Modal.Section>
      </Modal>
    </BlockStack>
  );
}
