import type { Shop as ShopifyShop } from '../domain/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { documentText } from '../extract/index.ts';
import { type AdminGraphqlClient, saveAdminApiToken, type TokenStore } from '../shopify/index.ts';
import { appendAudit, getShopByDomain, type Shop, type Storage } from '../storage/index.ts';
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
  return registerAnswered(storage, setup, answer.value.data.shop);
}

async function registerAnswered(storage: Storage, setup: SetupService, shop: ShopifyShop): Promise<Result<Shop>> {
  const existing = await getShopByDomain(storage, shop.myshopifyDomain.toLowerCase());
  if (existing) return ok(existing);
  return setup.registerShop({
    domain: shop.myshopifyDomain,
    name: shop.name,
    currency: shop.currencyCode,
    timeZone: shop.ianaTimezone,
  });
}

/**
 * A single-store install: registers the shop with its Admin API access token and stores the token (encrypted), so
 * every later command and the server read the shop with it — the environment needs the token only this once (and
 * may still override it). The token must belong to the shop named: Shopify's answer to it says which shop it is.
 * Registering again with a new token replaces the stored one.
 */
export async function registerSingleStore(options: {
  storage: Storage;
  setup: SetupService;
  tokens: TokenStore;
  client: AdminGraphqlClient;
  shopDomain: string;
  accessToken: string;
}): Promise<Result<Shop>> {
  const answer = await options.client.request<{ shop: ShopifyShop }>(documentText('Shop'));
  if (!answer.ok) return answer;
  const actual = answer.value.data.shop.myshopifyDomain.toLowerCase();
  if (actual !== options.shopDomain.toLowerCase()) {
    return err(
      new ConnectorError({
        code: 'SHOPIFY_TOKEN_OTHER_SHOP',
        message: `The access token for ${options.shopDomain} belongs to ${actual}`,
        merchantMessage: `SHOPIFY_ACCESS_TOKEN belongs to the store ${actual}, not ${options.shopDomain}. Set SHOPIFY_SHOP to ${actual}, or use the token of ${options.shopDomain}.`,
        merchantMustAct: true,
      }),
    );
  }
  const shop = await registerAnswered(options.storage, options.setup, answer.value.data.shop);
  if (!shop.ok) return shop;
  await saveAdminApiToken(options.tokens, shop.value.domain, options.accessToken);
  await appendAudit(options.storage, {
    actor: 'merchant',
    action: 'shopify.token.saved',
    shopId: shop.value.id,
    details: { kind: 'admin-api-token' },
  });
  return shop;
}
