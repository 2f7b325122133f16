/**
 * Where purchase orders come from: Shopify's own, and Stocky only when the server says the store still holds
 * Stocky data (a saved key, Stocky records read, a Stocky address configured) — with Stocky's shutdown explained
 * and what Stocky answered the saved key.
 */
import { Banner, BlockStack, ChoiceList, Text, TextField } from '@shopify/polaris';
import type { StockyOffer } from '../../api-types.ts';
import { ServerMessage } from '../../components.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** The day Shopify shut Stocky down (the server sends it with the offer; the locked settings after start need it too). */
export const STOCKY_SHUT_DOWN_ON = '2026-08-31';

export function PurchaseOrderFields(props: {
  offer: StockyOffer;
  source: 'shopify' | 'stocky';
  onSource(source: 'shopify' | 'stocky'): void;
  stockyKey: string;
  onStockyKey(key: string): void;
  /** A Stocky key is saved: an empty field keeps it. */
  keySaved: boolean;
}) {
  const { t, date } = useI18n();
  const { offer } = props;
  if (!offer.offered) {
    return (
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t('settings.purchaseOrders')}
        </Text>
        <Text as="p">{t('settings.poShopify')}</Text>
      </BlockStack>
    );
  }
  const shutdown = t('settings.stockyShutdown', { date: date(offer.shutDownOn) });
  return (
    <BlockStack gap="200">
      <ChoiceList
        title={t('settings.purchaseOrders')}
        choices={[
          { label: t('settings.poShopify'), value: 'shopify' },
          { label: t('settings.poStocky'), value: 'stocky', helpText: shutdown },
        ]}
        selected={[props.source]}
        onChange={(selected) => props.onSource(selected[0] === 'stocky' ? 'stocky' : 'shopify')}
      />
      {/* The strongest fact is enough for the merchant (key, then records, then the address); the API lists all. */}
      {offer.reasons[0] ? (
        <Text as="p" tone="subdued">
          {t(`settings.stockyWhy.${offer.reasons[0]}`)}
        </Text>
      ) : null}
      {offer.answer?.state === 'answers' ? (
        <Text as="p" tone="success">
          {t('settings.stockyAnswers')}
        </Text>
      ) : offer.answer ? (
        <Banner tone="warning">
          <ServerMessage code={offer.answer.code} english={offer.answer.message} />
        </Banner>
      ) : null}
      {props.source === 'stocky' ? (
        <TextField
          label={t('settings.stockyKey')}
          type="password"
          autoComplete="off"
          value={props.stockyKey}
          onChange={props.onStockyKey}
          helpText={
            props.keySaved
              ? `${t('settings.stockyKeyHelp')} ${t('settings.stockyKeyKept')}`
              : t('settings.stockyKeyHelp')
          }
        />
      ) : null}
    </BlockStack>
  );
}
