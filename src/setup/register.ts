import type { Shop as ShopifyShop } from '../domain/shopify-records.ts';
import { ok, type Result } from '../errors/index.ts';
import { documentText } from '../extract/documents.ts';
import type { AdminGraphqlClient } from '../shopify/index.ts';
import { getShopByDomain, type Shop, type Storage } from '../storage/index.ts';
import type { SetupService } from './service.ts';

/**
 * Registers the shop a Shopify client reaches (its name, currency and time zone as Shopify reports them), or
 * returns it when it is already registered — the first thing a single-store install and the demo do.
 */
export async function registerShopFromShopify(
  storage: Storage,
  setup: SetupService,
  client: AdminGraphqlClient,
): Promise<Result<Shop>> {
  const answer = await client.request<{ shop: ShopifyShop }>(documentText('Shop'));
  if (!answer.ok) return answer;
  const shop = answer.value.data.shop;
  const existing = await getShopByDomain(storage, shop.myshopifyDomain.toLowerCase());
  if (existing) return ok(existing);
  return setup.registerShop({
    domain: shop.myshopifyDomain,
    name: shop.name,
    currency: shop.currencyCode,
    timeZone: shop.ianaTimezone,
  });
}
