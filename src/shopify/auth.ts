import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';
import type { Queryable } from '../storage/index.ts';
import { decryptSecret, encryptSecret } from './token-crypto.ts';

/**
 * Shopify access for one app, built once from validated configuration (shopify-app-js style: factories closing
 * over config). Two ways in:
 * - Embedded app: App Bridge sends a session token (a JWT signed with the client secret); it is verified with
 *   `@shopify/shopify-api` and exchanged for an expiring offline token (1 h, plus a refresh token that Shopify
 *   rotates on every refresh): https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
 *   and https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
 * - Single store (self-hosted): an Admin API access token from configuration, used as is.
 *
 * The token endpoint is called directly rather than through `shopify.auth.tokenExchange`, because the library
 * builds `https://{shop}` itself and so cannot reach a simulator over plain http; the request is the documented
 * one, field for field.
 */
export interface ShopifyAppConfig {
  apiKey: string;
  apiSecret: string;
  /** Origin of the Admin API instead of https://{shop} (simulator, tests). */
  endpoint?: string | null;
  /** The host name the app is served from (needed by @shopify/shopify-api; not used for requests). */
  appHost?: string;
  fetch?: typeof fetch;
  logger?: Logger;
  clock?: () => Date;
  /** Refresh this long before expiry. Default 5 minutes. */
  refreshMarginMs?: number;
}

export interface AccessTokens {
  accessToken: string;
  scope: string;
  /** null for non-expiring tokens (single-store installs, older apps). */
  expiresAt: Date | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
}

export interface SessionTokenClaims {
  shopDomain: string;
  userId: string | null;
  expiresAt: Date;
}

interface TokenResponse {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

/** Row of `shopify_tokens` (migration 0100): both tokens encrypted with token-crypto. */
export interface ShopifyTokenRow {
  shop_domain: string;
  access_token: string;
  access_token_expires_at: string | null;
  refresh_token: string | null;
  refresh_token_expires_at: string | null;
  scope: string;
  updated_at: string;
}

declare module '../storage/schema.ts' {
  interface Database {
    shopify_tokens: ShopifyTokenRow;
  }
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function createShopifyAuth(config: ShopifyAppConfig) {
  if (!config.apiKey || !config.apiSecret) throw new Error('createShopifyAuth needs the app API key and secret');
  const fetchFn = config.fetch ?? fetch;
  const clock = config.clock ?? (() => new Date());
  const logger = config.logger ?? silentLogger;
  const library = shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    hostName: config.appHost ?? 'localhost',
    apiVersion: ApiVersion.October26,
    isEmbeddedApp: true,
    logger: { level: 0, log: async () => {} },
  });

  const tokenUrl = (shopDomain: string) =>
    new URL('/admin/oauth/access_token', config.endpoint ?? `https://${shopDomain}`).href;

  async function postToken(shopDomain: string, body: Record<string, string>): Promise<Result<AccessTokens>> {
    if (!SHOP_DOMAIN.test(shopDomain)) {
      return err(new ConnectorError({ code: 'SHOPIFY_BAD_SHOP_DOMAIN', message: `Not a shop domain: ${shopDomain}` }));
    }
    let response: Response;
    try {
      response = await fetchFn(tokenUrl(shopDomain), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_id: config.apiKey, client_secret: config.apiSecret, ...body }),
      });
    } catch (error) {
      return err(
        new ConnectorError({
          code: 'SHOPIFY_UNAVAILABLE',
          message: `Token request to ${shopDomain} failed: ${(error as Error).message}`,
          merchantMessage: 'Shopify could not be reached to connect the store. Try again in a few minutes.',
          retryable: true,
        }),
      );
    }
    const text = await response.text();
    if (!response.ok) {
      return err(
        new ConnectorError({
          code: response.status >= 500 ? 'SHOPIFY_UNAVAILABLE' : 'SHOPIFY_TOKEN_REFUSED',
          // The body of a refusal names the problem ("invalid_subject_token"); it holds no secret.
          message: `Shopify refused the token request for ${shopDomain}: HTTP ${response.status} ${text.slice(0, 300)}`,
          merchantMessage:
            response.status >= 500
              ? 'Shopify could not be reached to connect the store. Try again in a few minutes.'
              : 'Shopify did not accept the connection. Open the app again from Shopify admin; if it keeps happening, reinstall the app.',
          merchantMustAct: response.status < 500,
          retryable: response.status >= 500,
        }),
      );
    }
    const parsed = JSON.parse(text) as TokenResponse;
    const now = clock().getTime();
    return ok({
      accessToken: parsed.access_token,
      scope: parsed.scope,
      expiresAt: parsed.expires_in ? new Date(now + parsed.expires_in * 1000) : null,
      refreshToken: parsed.refresh_token ?? null,
      refreshTokenExpiresAt: parsed.refresh_token_expires_in
        ? new Date(now + parsed.refresh_token_expires_in * 1000)
        : null,
    });
  }

  return {
    /**
     * Verifies an App Bridge session token: signature, audience and exp/nbf (10 s tolerance) in Shopify's library;
     * here, that `exp` is present (jose checks it only when present) and that `iss` names the same shop as `dest`
     * (https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens#anatomy-of-a-session-token).
     * The library's error message quotes the whole token, a live bearer credential: it is cut out before the
     * message reaches a log line or a ConnectorError.
     */
    async verifySessionToken(token: string): Promise<Result<SessionTokenClaims>> {
      const rejected = (reason: string) => {
        const safe = token ? reason.split(token).join('[session token]') : reason;
        logger.info('session token rejected', { reason: safe });
        return err(
          new ConnectorError({
            code: 'SHOPIFY_SESSION_TOKEN_INVALID',
            message: `Session token rejected: ${safe}`,
            merchantMessage: 'Your Shopify session has expired. Reload the app page in Shopify admin.',
            merchantMustAct: true,
          }),
        );
      };
      let payload: Awaited<ReturnType<typeof library.session.decodeSessionToken>>;
      try {
        payload = await library.session.decodeSessionToken(token);
      } catch (error) {
        return rejected((error as Error).message);
      }
      if (typeof payload.exp !== 'number') return rejected('the token has no expiry (exp)');
      let shopDomain: string;
      let issuerHost: string;
      try {
        shopDomain = new URL(payload.dest).hostname;
        issuerHost = new URL(payload.iss).hostname;
      } catch {
        return rejected('dest or iss is not a URL');
      }
      if (shopDomain === '' || issuerHost !== shopDomain) {
        return rejected(`iss (${issuerHost}) and dest (${shopDomain}) name different shops`);
      }
      return ok({ shopDomain, userId: payload.sub ?? null, expiresAt: new Date(payload.exp * 1000) });
    },

    /** Exchanges a verified session token for an expiring offline access token. */
    async exchangeSessionToken(shopDomain: string, sessionToken: string): Promise<Result<AccessTokens>> {
      return postToken(shopDomain, {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: sessionToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
        expiring: '1',
      });
    },

    /** Trades the refresh token for a new access token and a new refresh token (the old one stops working). */
    async refreshAccessToken(shopDomain: string, refreshToken: string): Promise<Result<AccessTokens>> {
      return postToken(shopDomain, { grant_type: 'refresh_token', refresh_token: refreshToken });
    },

    refreshMarginMs: config.refreshMarginMs ?? 5 * 60_000,
    clock,
  };
}

export type ShopifyAuth = ReturnType<typeof createShopifyAuth>;

/**
 * Tokens per shop, encrypted at rest. `accessTokenFor` refreshes an expiring token before it expires and stores
 * the rotated refresh token in the same step; concurrent callers in this process share one refresh.
 */
export function createTokenStore(options: { storage: Queryable; encryptionKey: Buffer; auth: ShopifyAuth | null }) {
  const { storage, encryptionKey, auth } = options;
  const refreshing = new Map<string, Promise<Result<string>>>();

  async function save(shopDomain: string, tokens: AccessTokens): Promise<void> {
    const row = {
      access_token: encryptSecret(tokens.accessToken, encryptionKey),
      access_token_expires_at: tokens.expiresAt?.toISOString() ?? null,
      refresh_token: tokens.refreshToken === null ? null : encryptSecret(tokens.refreshToken, encryptionKey),
      refresh_token_expires_at: tokens.refreshTokenExpiresAt?.toISOString() ?? null,
      scope: tokens.scope,
      updated_at: new Date().toISOString(),
    };
    await storage.db
      .insertInto('shopify_tokens')
      .values({ shop_domain: shopDomain, ...row })
      .onConflict((oc) => oc.column('shop_domain').doUpdateSet(row))
      .execute();
  }

  async function load(shopDomain: string): Promise<Result<AccessTokens | null>> {
    const row = await storage.db
      .selectFrom('shopify_tokens')
      .selectAll()
      .where('shop_domain', '=', shopDomain)
      .executeTakeFirst();
    if (!row) return ok(null);
    const access = decryptSecret(row.access_token, encryptionKey);
    if (!access.ok) return access;
    let refreshToken: string | null = null;
    if (row.refresh_token !== null) {
      const refresh = decryptSecret(row.refresh_token, encryptionKey);
      if (!refresh.ok) return refresh;
      refreshToken = refresh.value;
    }
    return ok({
      accessToken: access.value,
      scope: row.scope,
      expiresAt: row.access_token_expires_at ? new Date(row.access_token_expires_at) : null,
      refreshToken,
      refreshTokenExpiresAt: row.refresh_token_expires_at ? new Date(row.refresh_token_expires_at) : null,
    });
  }

  async function refresh(shopDomain: string, tokens: AccessTokens): Promise<Result<string>> {
    if (!auth || !tokens.refreshToken)
      return err(reconnect(shopDomain, 'the access token expired and cannot be refreshed'));
    const now = auth.clock().getTime();
    if (tokens.refreshTokenExpiresAt && tokens.refreshTokenExpiresAt.getTime() <= now) {
      return err(reconnect(shopDomain, 'the refresh token expired'));
    }
    const renewed = await auth.refreshAccessToken(shopDomain, tokens.refreshToken);
    if (!renewed.ok) return renewed;
    await save(shopDomain, renewed.value);
    return ok(renewed.value.accessToken);
  }

  return {
    save,
    load,
    async remove(shopDomain: string): Promise<void> {
      await storage.db.deleteFrom('shopify_tokens').where('shop_domain', '=', shopDomain).execute();
    },
    async accessTokenFor(shopDomain: string): Promise<Result<string>> {
      const loaded = await load(shopDomain);
      if (!loaded.ok) return loaded;
      const tokens = loaded.value;
      if (!tokens) return err(reconnect(shopDomain, 'no token stored'));
      const margin = auth?.refreshMarginMs ?? 5 * 60_000;
      const now = (auth?.clock() ?? new Date()).getTime();
      if (tokens.expiresAt === null || tokens.expiresAt.getTime() - margin > now) return ok(tokens.accessToken);
      const inFlight = refreshing.get(shopDomain);
      if (inFlight) return inFlight;
      const pending = refresh(shopDomain, tokens).finally(() => refreshing.delete(shopDomain));
      refreshing.set(shopDomain, pending);
      return pending;
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;

function reconnect(shopDomain: string, why: string): ConnectorError {
  return new ConnectorError({
    code: 'SHOPIFY_NOT_CONNECTED',
    message: `No usable Shopify token for ${shopDomain}: ${why}`,
    merchantMessage:
      'The connector is no longer connected to your Shopify store. Open the app from Shopify admin to reconnect it.',
    merchantMustAct: true,
  });
}
