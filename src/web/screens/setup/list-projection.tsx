/**
 * The 14,500 rule in numbers while the merchant chooses Summary or Detailed: the server counts what Detailed would
 * create per list (Shopify as read, the company file's lists as read) and says whether it fits; asked again at
 * each choice, so a refusal shows beside its list before anything is saved.
 */
import { BlockStack, Text } from '@shopify/polaris';
import { shopPath } from '../../api.ts';
import type { DetailedVerdict, ListName, ListProjection, Modes } from '../../api-types.ts';
import { ErrorBanner, useApi } from '../../components.tsx';
import { type Loaded, useLoad } from '../../hooks.ts';
import { type I18n, useI18n } from '../../i18n/i18n.tsx';

/** Asked once `ready` (the settings step's history read is done: counted before it, Shopify's lists are partial). */
export function useListProjection(domain: string, modes: Modes, ready: boolean): Loaded<ListProjection | null> {
  const api = useApi();
  const query = new URLSearchParams({ ...modes }).toString();
  return useLoad(
    () =>
      ready ? api.get<ListProjection>(shopPath(domain, `/setup/list-projection?${query}`)) : Promise.resolve(null),
    [domain, query, ready],
  );
}

function editionName(i18n: I18n, edition: ListProjection['edition']): string {
  return edition === 'pro' ? i18n.t('settings.edition.pro') : i18n.t('settings.edition.premier');
}

/** The list's numbers in one sentence, then its limit, then whether Detailed fits. */
function verdictLines(i18n: I18n, list: ListName, verdict: DetailedVerdict, edition: ListProjection['edition']) {
  const { t, number } = i18n;
  const created = t(`settings.projection.${list}`, {
    creates: number(verdict.creates),
    projected: number(verdict.projected),
    names: number(verdict.projectedNames ?? 0),
  });
  const limit =
    verdict.limit === null
      ? null
      : verdict.listLimit !== null
        ? t('settings.projection.namesLimit', {
            edition: editionName(i18n, edition),
            limit: number(verdict.limit),
            listLimit: number(verdict.listLimit),
          })
        : t('settings.projection.itemsLimit', { edition: editionName(i18n, edition), limit: number(verdict.limit) });
  return { created, limit };
}

/**
 * Why Detailed is refused for a list set to it, as its Select's error: the numbers, the limit and what to do
 * (null when it fits or is not chosen). The field then carries them, so the list's lines below leave them out.
 */
export function refusalFor(i18n: I18n, list: ListName, projection: ListProjection | null, modes: Modes): string | null {
  if (!projection || modes[list] !== 'detailed' || projection.lists[list].allowed) return null;
  const { created, limit } = verdictLines(i18n, list, projection.lists[list], projection.edition);
  const refused = i18n.t('settings.projection.refused', { list: i18n.t(`settings.listName.${list}`) });
  return [created, limit, refused].filter(Boolean).join(' ');
}

export function ListProjectionLines(props: { projection: Loaded<ListProjection | null>; modes: Modes }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const { data, error } = props.projection;
  if (error && !data) return <ErrorBanner error={error} onRetry={props.projection.reload} />;
  if (!data) return <Text as="p">{t('settings.projection.loading')}</Text>;
  return (
    <BlockStack gap="100">
      {/* The numbers below are then those of the choices before: said, not left to look current. */}
      <ErrorBanner error={error} onRetry={props.projection.reload} />
      <Text as="p" tone="subdued">
        {t('settings.projection.now', {
          customers: number(data.quickbooks.customers),
          vendors: number(data.quickbooks.vendors),
          items: number(data.quickbooks.items),
        })}
      </Text>
      {data.edition === 'enterprise' ? <Text as="p">{t('settings.projection.enterprise')}</Text> : null}
      {(['customers', 'inventory', 'vendors'] as const).map((list) => {
        const verdict = data.lists[list];
        if (refusalFor(i18n, list, data, props.modes)) return null;
        const { created, limit } = verdictLines(i18n, list, verdict, data.edition);
        // Shown whatever the list is set to: the merchant sees before choosing Detailed whether it would fit.
        const refused = !verdict.allowed;
        return (
          <BlockStack gap="050" key={list}>
            <Text as="p" fontWeight="semibold">
              {t(`settings.mode.${list}`)}
            </Text>
            <Text as="p">{created}</Text>
            {limit ? (
              <Text as="p" tone={refused ? 'critical' : 'subdued'}>
                {limit}{' '}
                {refused
                  ? t('settings.projection.refused', { list: t(`settings.listName.${list}`) })
                  : t('settings.projection.allowed')}
              </Text>
            ) : null}
          </BlockStack>
        );
      })}
    </BlockStack>
  );
}
