/**
 * "I entered it in QuickBooks myself": the answer to an item the connector cannot post (a refund whose amounts fit
 * no reading of its taxes). The merchant says who entered it and, for the accountant, a note; the server records
 * it, never posts the item, and the reconciliation expects it in QuickBooks from then on.
 */
import { BlockStack, Button, Modal, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { shopPath } from '../../api.ts';
import type { AttentionItem } from '../../api-types.ts';
import { ErrorBanner, useApi } from '../../components.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** The server refuses longer text (src/attention/entered-by-hand.ts). */
const MAX_TEXT = 200;

export function EnteredByHandButton(props: { domain: string; item: AttentionItem; onRecorded: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [enteredBy, setEnteredBy] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const { item } = props;

  const record = async () => {
    setBusy(true);
    setError(null);
    try {
      const path = `/attention/${encodeURIComponent(String(item.id))}/entered-in-quickbooks`;
      await api.send('POST', shopPath(props.domain, path), {
        ...(enteredBy.trim() ? { enteredBy: enteredBy.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setOpen(false);
      props.onRecorded();
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      // The button as the activator: closing the dialog gives the focus back to it.
      activator={
        <Button onClick={() => setOpen(true)} accessibilityLabel={`${t('attention.enteredByHand')}: ${item.key}`}>
          {t('attention.enteredByHand')}
        </Button>
      }
      open={open}
      onClose={() => setOpen(false)}
      title={t('attention.enteredByHandTitle', { key: item.key })}
      primaryAction={{ content: t('attention.enteredByHandConfirm'), onAction: record, loading: busy }}
      secondaryActions={[{ content: t('start.cancel'), onAction: () => setOpen(false) }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">{t('attention.enteredByHandBody')}</Text>
          <ErrorBanner error={error} />
          <TextField
            label={t('attention.enteredBy')}
            value={enteredBy}
            onChange={setEnteredBy}
            maxLength={MAX_TEXT}
            autoComplete="name"
          />
          <TextField
            label={t('attention.enteredByHandNote')}
            value={note}
            onChange={setNote}
            maxLength={MAX_TEXT}
            multiline={2}
            autoComplete="off"
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
