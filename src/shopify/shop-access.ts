import type { Config } from '../config/index.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import type { ShopifyAuth, TokenStore } from './auth.ts';
import { type AdminClientOptions, type AdminGraphqlClient, createAdminGraphqlClient } from './graphql-client.ts';

/**
 * The Admin API client for one shop, from configuration and the stored tokens:
 * - an access token in the configuration for this shop (SHOPIFY_SHOP + SHOPIFY_ACCESS_TOKEN) wins: the
 *   environment may override what is stored;
 * - otherwise the shop's stored token: the single-store token saved by `setup register`, or the embedded app's
 *   expiring token (refreshed before it expires).
 * `SHOPIFY_API_BASE_URL` points both at a simulator. No token at all is the expected failure SHOPIFY_NOT_CONNECTED,
 * saying how to connect.
 */
export async function createShopifyClientForShop(options: {
  shopDomain: string;
  shopify: Config['shopify'];
  tokens: TokenStore | null;
  logger?: Logger;
  /** Client options for this use (an interactive command fails fast on an unreachable Shopify). */
  client?: Partial<Omit<AdminClientOptions, 'shopDomain' | 'accessToken' | 'endpoint'>>;
}): Promise<Result<AdminGraphqlClient>> {
  const { shopDomain, shopify, tokens } = options;
  const base = {
    shopDomain,
    ...(shopify.apiBaseUrl ? { endpoint: shopify.apiBaseUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.client,
  };
  if (shopify.accessToken && shopify.shopDomain === shopDomain) {
    return ok(createAdminGraphqlClient({ ...base, accessToken: shopify.accessToken }));
  }
  const stored = tokens ? await tokens.load(shopDomain) : ok(null);
  if (!stored.ok) return stored;
  if (!tokens || stored.value === null) {
    return err(
      new ConnectorError({
        code: 'SHOPIFY_NOT_CONNECTED',
        message: `No access token configured or stored for ${shopDomain}`,
        merchantMessage: `The connector has no access to the Shopify store ${shopDomain}. Register it with its Admin API access token (setup register with SHOPIFY_SHOP and SHOPIFY_ACCESS_TOKEN), or open the app from Shopify admin.`,
        merchantMustAct: true,
      }),
    );
  }
  return ok(createAdminGraphqlClient({ ...base, accessToken: () => tokens.accessTokenFor(shopDomain) }));
}

/**
 * A single-store install's Admin API token (a custom app's, it does not expire), stored encrypted like the
 * embedded app's, so later commands and the server need only the database and the encryption key.
 */
export async function saveAdminApiToken(tokens: TokenStore, shopDomain: string, accessToken: string): Promise<void> {
  await tokens.save(shopDomain, {
    accessToken,
    scope: '',
    expiresAt: null,
    refreshToken: null,
    refreshTokenExpiresAt: null,
  });
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
