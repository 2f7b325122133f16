/**
 * The documents browser: filter by state, kind and date; each row links to its Shopify order and shows the
 * QuickBooks reference and amount. Reads GET /documents (a page at a time, with its cursor).
 */
import {
  Badge,
  BlockStack,
  Button,
  Card,
  DataTable,
  FormLayout,
  Link,
  Select,
  Text,
  TextField,
} from '@shopify/polaris';
import { useState } from 'react';
import { shopPath } from '../../api.ts';
import type { DocumentRow, DocumentsPage, ShopSummary } from '../../api-types.ts';
import { ErrorBanner, ServerMessage, useApi } from '../../components.tsx';
import { useFocusAfter, useLoad } from '../../hooks.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { documentStateLabel, gatewayLabel, kindLabel } from '../../labels.ts';

/**
 * The name to show: QuickBooks' name of the record or of the customer or vendor. A payment method the connector
 * made from a gateway and not yet named by QuickBooks reads as the gateway in words, never as its id.
 */
function nameOf(i18n: Parameters<typeof gatewayLabel>[0], row: DocumentRow): string | null {
  if (row.name) return row.name;
  const gateway = /^payment-method\/(.+)$/.exec(row.key);
  return gateway ? gatewayLabel(i18n, gateway[1]!) : null;
}

const GROUPS = ['attention', 'in_quickbooks', 'on_the_way', 'waiting'] as const;
const KINDS = [
  'SalesReceiptAdd',
  'InvoiceAdd',
  'CreditMemoAdd',
  'ReceivePaymentAdd',
  'DepositAdd',
  'JournalEntryAdd',
  'SalesOrderAdd',
  'PurchaseOrderAdd',
  'ItemReceiptAdd',
  'BillAdd',
  'CustomerAdd',
  'VendorAdd',
  'ItemNonInventoryAdd',
  'ItemInventoryAdd',
  'ItemOtherChargeAdd',
  'AccountAdd',
  'ClassAdd',
  'PaymentMethodAdd',
];

interface Filters {
  state: string;
  kind: string;
  from: string;
  to: string;
}

function query(filters: Filters, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  params.set('limit', '50');
  return params.toString();
}

const tone = (row: DocumentRow) =>
  row.attention ? 'critical' : row.state === 'applied' ? 'success' : row.state === 'cancelled' ? undefined : 'info';

export function DocumentsScreen(props: { shop: ShopSummary }) {
  const i18n = useI18n();
  const { t, money, date } = i18n;
  const api = useApi();
  const domain = props.shop.domain;
  const [draft, setDraft] = useState<Filters>({ state: '', kind: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [more, setMore] = useState<DocumentRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<Error | null>(null);
  // Show more goes with the last page: the count of what is shown takes the focus (and says how far the list got).
  const [countRef, focusCount] = useFocusAfter<HTMLParagraphElement>();
  const page = useLoad(async () => {
    const first = await api.get<DocumentsPage>(shopPath(domain, `/documents?${query(filters, null)}`));
    setMore([]);
    setCursor(first.nextCursor);
    return first;
  }, [domain, filters]);

  const loadMore = async () => {
    setMoreError(null);
    try {
      const next = await api.get<DocumentsPage>(shopPath(domain, `/documents?${query(filters, cursor)}`));
      setMore((rows) => [...rows, ...next.documents]);
      setCursor(next.nextCursor);
      if (!next.nextCursor) focusCount();
    } catch (caught) {
      setMoreError(caught as Error);
    }
  };
  const rows = [...(page.data?.documents ?? []), ...more];

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t('documents.title')}
        </Text>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFilters(draft);
          }}
        >
          <FormLayout>
            <FormLayout.Group condensed>
              <Select
                label={t('documents.state')}
                options={[
                  { label: t('documents.all'), value: '' },
                  ...GROUPS.map((g) => ({ label: t(`documents.group.${g}`), value: g })),
                ]}
                value={draft.state}
                onChange={(state) => setDraft((d) => ({ ...d, state }))}
              />
              <Select
                label={t('documents.kind')}
                options={[
                  { label: t('documents.all'), value: '' },
                  ...KINDS.map((k) => ({ label: kindLabel(i18n, k), value: k })),
                ]}
                value={draft.kind}
                onChange={(kind) => setDraft((d) => ({ ...d, kind }))}
              />
              <TextField
                label={t('documents.from')}
                type="date"
                value={draft.from}
                onChange={(from) => setDraft((d) => ({ ...d, from }))}
                autoComplete="off"
              />
              <TextField
                label={t('documents.to')}
                type="date"
                value={draft.to}
                onChange={(to) => setDraft((d) => ({ ...d, to }))}
                autoComplete="off"
              />
            </FormLayout.Group>
            <Button submit>{t('documents.apply')}</Button>
          </FormLayout>
        </form>
        <ErrorBanner error={page.error} onRetry={page.reload} />
        {page.data ? (
          rows.length === 0 ? (
            <Text as="p" tone="subdued">
              {t('documents.none')}
            </Text>
          ) : (
            <BlockStack gap="300">
              <DataTable
                columnContentTypes={['text', 'text', 'text', 'text', 'text', 'text', 'numeric']}
                headings={[
                  t('documents.date'),
                  t('documents.document'),
                  t('documents.name'),
                  t('documents.order'),
                  t('documents.reference'),
                  t('documents.state'),
                  t('documents.amount'),
                ]}
                rows={rows.map((row) => [
                  row.date === null ? '—' : date(row.date),
                  kindLabel(i18n, row.kind, row.label),
                  nameOf(i18n, row) ?? '—',
                  row.shopifyOrder ? (
                    <Link key={`o${row.id}`} url={row.shopifyOrder.adminUrl} target="_blank">
                      {row.shopifyOrder.name}
                    </Link>
                  ) : (
                    '—'
                  ),
                  // A list record's ListID means nothing to a merchant: its name is in the name column.
                  row.quickbooks?.refNumber ?? '—',
                  <BlockStack key={`s${row.id}`} gap="100">
                    <span>
                      <Badge tone={tone(row)}>{documentStateLabel(i18n, row.state, row.stateLabel)}</Badge>
                    </span>
                    {row.attention ? (
                      <ServerMessage
                        as="span"
                        tone="critical"
                        code={row.attention.code}
                        english={row.attention.reason}
                      />
                    ) : null}
                  </BlockStack>,
                  row.amount === null ? '—' : money(row.amount),
                ])}
              />
              <p ref={countRef} tabIndex={-1}>
                <Text as="span" tone="subdued">
                  {t('documents.total', { shown: rows.length, total: page.data.total })}
                </Text>
              </p>
              <ErrorBanner error={moreError} />
              {cursor ? (
                <div>
                  <Button onClick={loadMore}>{t('documents.more')}</Button>
                </div>
              ) : null}
            </BlockStack>
          )
        ) : null}
      </BlockStack>
    </Card>
  );
}
