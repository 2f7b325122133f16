import type { Config } from '../config/config.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import type { ShopifyAuth, TokenStore } from './auth.ts';
import { type AdminGraphqlClient, createAdminGraphqlClient } from './graphql-client.ts';

/**
 * The Admin API client for one shop, from configuration: the single-store path when the configuration holds an
 * access token for this shop (a self-hosted install), otherwise the shop's stored token from the embedded-app path
 * (refreshed before it expires). `SHOPIFY_API_BASE_URL` points both at a simulator.
 */
export function createShopifyClientForShop(options: {
  shopDomain: string;
  shopify: Config['shopify'];
  tokens: TokenStore | null;
  logger?: Logger;
}): Result<AdminGraphqlClient> {
  const { shopDomain, shopify, tokens } = options;
  const endpoint = shopify.apiBaseUrl ?? undefined;
  if (shopify.accessToken && shopify.shopDomain === shopDomain) {
    return ok(
      createAdminGraphqlClient({ shopDomain, accessToken: shopify.accessToken, endpoint, logger: options.logger }),
    );
  }
  if (!tokens) {
    return err(
      new ConnectorError({
        code: 'SHOPIFY_NOT_CONNECTED',
        message: `No access token configured or stored for ${shopDomain}`,
        merchantMessage:
          'The connector is not connected to this Shopify store. Open the app from Shopify admin, or set SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN for a self-hosted install.',
        merchantMustAct: true,
      }),
    );
  }
  return ok(
    createAdminGraphqlClient({
      shopDomain,
      accessToken: () => tokens.accessTokenFor(shopDomain),
      endpoint,
      logger: options.logger,
    }),
  );
}

/**
 * The embedded app's first contact: verify App Bridge's session token, exchange it for an expiring offline token,
 * store it (encrypted). Returns the shop it belongs to.
 */
export async function connectEmbeddedShop(options: {
  auth: ShopifyAuth;
  tokens: TokenStore;
  sessionToken: string;
}): Promise<Result<{ shopDomain: string; scope: string }>> {
  const claims = await options.auth.verifySessionToken(options.sessionToken);
  if (!claims.ok) return claims;
  const exchanged = await options.auth.exchangeSessionToken(claims.value.shopDomain, options.sessionToken);
  if (!exchanged.ok) return exchanged;
  await options.tokens.save(claims.value.shopDomain, exchanged.value);
  return ok({ shopDomain: claims.value.shopDomain, scope: exchanged.value.scope });
}
