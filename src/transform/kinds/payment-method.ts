/**
 * Payment methods, one per gateway money moved through. QuickBooks' own (a "Cash" it already has) is adopted
 * rather than added again: it is the same thing whoever created it.
 */
import type { PaymentMethodRecord } from '../documents.ts';
import { paymentMethodKey } from '../fragments.ts';
import type { ListKind } from './kind.ts';

/** Shopify's display name of a gateway, or its name in words ("gift_card" → "Gift Card"). */
export function gatewayLabel(gateway: string, formatted: string | null): string {
  if (formatted?.trim()) return formatted.trim();
  return gateway
    .split('_')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

function methodType(gateway: string): PaymentMethodRecord['type'] {
  if (gateway === 'cash') return 'Cash';
  if (gateway === 'gift_card') return 'GiftCard';
  if (gateway === 'shopify_payments') return 'OtherCreditCard';
  return 'Other';
}

export const paymentMethod: ListKind<PaymentMethodRecord> = {
  priority: 90,
  nameList: 'paymentMethods',
  adopts: 'paymentMethods',
  records: (input) =>
    input.gateways.map(([gateway, formatted]) => {
      const key = paymentMethodKey(gateway);
      return {
        key,
        name: { wanted: gatewayLabel(gateway, formatted), fallback: 'Payment', since: '' },
        named: (name) => ({ kind: 'paymentMethod', key, name, type: methodType(gateway) }),
      };
    }),
  plan: (record) => ({
    message: 'PaymentMethodAdd',
    body: { PaymentMethodAdd: { Name: record.name, PaymentMethodType: record.type } },
  }),
};
