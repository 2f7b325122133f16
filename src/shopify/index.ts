export {
  type AccessTokens,
  createShopifyAuth,
  createTokenStore,
  type SessionTokenClaims,
  type ShopifyAppConfig,
  type ShopifyAuth,
  type TokenStore,
} from './auth.ts';
export {
  ADMIN_API_VERSION,
  type AdminClientOptions,
  type AdminGraphqlClient,
  type ClientWait,
  createAdminGraphqlClient,
  type GraphqlSuccess,
  type QueryCost,
  retryAfterMs,
  type ThrottleStatus,
} from './graphql-client.ts';
export { connectEmbeddedShop, createShopifyClientForShop, saveAdminApiToken } from './shop-access.ts';
export { decryptSecret, encryptSecret } from './token-crypto.ts';
export { signWebhookBody, verifyWebhookHmac } from './webhook-hmac.ts';
