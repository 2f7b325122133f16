import { createAdminApiClient } from '@shopify/admin-api-client';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type Logger, silentLogger } from '../logger/index.ts';

/**
 * The Admin GraphQL client: Shopify's own `@shopify/admin-api-client` (the client inside `@shopify/shopify-api`)
 * with our pacing and retry policy around it.
 *
 * Why the lower-level client: `shopifyApi().clients.Graphql` builds its URL as `https://{shop}` and fetches through
 * a process-wide fetch, so it cannot be pointed at a simulator over plain http per client. The admin client takes a
 * `customFetchApi`; ours rewrites the origin to `endpoint` when one is configured (tests, demo) and is plain
 * `fetch` otherwise.
 *
 * Throttling (https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits): every answer carries
 * `extensions.cost.throttleStatus` (bucket size, points available, restore rate per second). The client keeps an
 * estimate of the bucket and waits before a query that would not fit, so a run paces itself to the restore rate.
 * A THROTTLED answer (HTTP 200 with `errors[].extensions.code`) or HTTP 429 waits and retries without limit: a
 * throttled run slows down, it never fails. HTTP 5xx and network failures retry with exponential backoff a bounded
 * number of times, honouring `Retry-After`, then give up with a retryable error.
 */
export const ADMIN_API_VERSION = '2026-10';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminClientOptions {
  /** "example.myshopify.com" */
  shopDomain: string;
  /**
   * A fixed token (single-store install), or a function giving a fresh one (expiring offline tokens, e.g.
   * `() => tokenStore.accessTokenFor(shop)`); a failure there is returned by `request` as is.
   */
  accessToken: string | (() => Promise<string | Result<string>>);
  /** Origin to send requests to instead of https://{shopDomain}, e.g. "http://127.0.0.1:4312" for the simulator. */
  endpoint?: string;
  apiVersion?: string;
  fetch?: typeof fetch;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Attempts for 5xx and network failures before giving up (throttling never counts). Default 6. */
  maxTransientRetries?: number;
  /** First backoff delay for transient failures, doubled each time (default 500 ms, capped at 30 s). */
  backoffMs?: number;
}

export interface GraphqlSuccess<T> {
  data: T;
  cost: QueryCost | null;
}

/** What a client tells its watchers: it is about to wait (Shopify's rate limit, or before retrying a failure). */
export interface ClientWait {
  type: 'waiting';
  reason: 'rate-limit' | 'retry';
  ms: number;
}

export interface AdminGraphqlClient {
  readonly shopDomain: string;
  /** Calls `listener` before each wait; returns the function that stops it (progress displays use it). */
  watch(listener: (event: ClientWait) => void): () => void;
  request<T>(document: string, variables?: Record<string, unknown>): Promise<Result<GraphqlSuccess<T>>>;
  /** The client's current estimate of the bucket (null before the first answer). */
  throttle(): ThrottleStatus | null;
  /** Requests made, including retries, and time spent waiting for the bucket: for logs and tests. */
  stats(): { requests: number; throttledRetries: number; transientRetries: number; waitedMs: number };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface GraphqlErrorShape {
  message?: string;
  extensions?: { code?: string; documentation?: string };
}

export function createAdminGraphqlClient(options: AdminClientOptions): AdminGraphqlClient {
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const baseFetch = options.fetch ?? fetch;
  const maxTransientRetries = options.maxTransientRetries ?? 6;
  const backoffMs = options.backoffMs ?? 500;
  const apiVersion = options.apiVersion ?? ADMIN_API_VERSION;
  const endpoint = options.endpoint ? new URL(options.endpoint) : null;
  const getToken = async (): Promise<Result<string>> => {
    if (typeof options.accessToken === 'string') return ok(options.accessToken);
    const token = await options.accessToken();
    return typeof token === 'string' ? ok(token) : token;
  };

  const origin = endpoint ? endpoint.origin : `https://${options.shopDomain}`;
  // The admin client reports a network failure as a bare "fetch failed": keep the cause (connection refused, DNS)
  // to tell the merchant what went wrong where.
  let lastNetworkError: string | null = null;
  const rewritingFetch: typeof fetch = async (input, init) => {
    const original = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const target = endpoint ? new URL(original.pathname + original.search, endpoint) : original;
    try {
      const response = await baseFetch(target, init);
      lastNetworkError = null;
      return response;
    } catch (error) {
      lastNetworkError = describeNetworkError(error);
      throw error;
    }
  };

  let client: ReturnType<typeof createAdminApiClient> | null = null;
  let bucket: { status: ThrottleStatus; at: number } | null = null;
  const expectedCost = new Map<string, number>();
  const counters = { requests: 0, throttledRetries: 0, transientRetries: 0, waitedMs: 0 };

  const estimateAvailable = (): number | null => {
    if (!bucket) return null;
    const elapsed = (now() - bucket.at) / 1000;
    return Math.min(
      bucket.status.maximumAvailable,
      bucket.status.currentlyAvailable + elapsed * bucket.status.restoreRate,
    );
  };

  const watchers = new Set<(event: ClientWait) => void>();
  const wait = async (ms: number, reason: ClientWait['reason'] = 'rate-limit') => {
    if (ms <= 0) return;
    counters.waitedMs += ms;
    for (const watcher of watchers) watcher({ type: 'waiting', reason, ms });
    await sleep(ms);
  };

  const waitForBucket = async (cost: number) => {
    const available = estimateAvailable();
    if (available === null || !bucket || bucket.status.restoreRate <= 0) return;
    const needed = Math.min(cost, bucket.status.maximumAvailable);
    if (available >= needed) return;
    await wait(Math.ceil(((needed - available) / bucket.status.restoreRate) * 1000));
  };

  const recordCost = (extensions: unknown): QueryCost | null => {
    const cost = (extensions as { cost?: QueryCost } | undefined)?.cost;
    if (!cost?.throttleStatus) return null;
    bucket = { status: { ...cost.throttleStatus }, at: now() };
    return cost;
  };

  return {
    shopDomain: options.shopDomain,
    watch(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    throttle: () => (bucket ? { ...bucket.status, currentlyAvailable: estimateAvailable() ?? 0 } : null),
    stats: () => ({ ...counters }),
    async request<T>(document: string, variables?: Record<string, unknown>): Promise<Result<GraphqlSuccess<T>>> {
      const fresh = await getToken();
      if (!fresh.ok) return fresh;
      const token = fresh.value;
      if (!client) {
        client = createAdminApiClient({
          storeDomain: options.shopDomain,
          apiVersion,
          accessToken: token,
          customFetchApi: rewritingFetch,
          retries: 0,
          logger: (entry) => logger.debug('shopify admin client', { type: entry.type }),
        });
      }
      let transientFailures = 0;
      for (;;) {
        await waitForBucket(expectedCost.get(document) ?? 50);
        counters.requests += 1;
        const response = await client.request(document, {
          variables,
          headers: { 'X-Shopify-Access-Token': token },
        });
        const cost = recordCost(response.extensions);
        if (cost?.requestedQueryCost != null) expectedCost.set(document, cost.requestedQueryCost);
        const failure = response.errors;
        if (!failure) return ok({ data: response.data as T, cost });

        const graphQLErrors = (failure.graphQLErrors ?? []) as GraphqlErrorShape[];
        const status = failure.networkStatusCode;
        const retryAfter = retryAfterMs(failure.response?.headers.get('retry-after') ?? null);

        if (graphQLErrors.some((e) => e.extensions?.code === 'THROTTLED') || status === 429) {
          counters.throttledRetries += 1;
          const requested = cost?.requestedQueryCost ?? expectedCost.get(document) ?? 50;
          const available = cost?.throttleStatus.currentlyAvailable ?? 0;
          const rate = cost?.throttleStatus.restoreRate ?? 0;
          const fromBucket =
            cost && rate > 0 ? Math.ceil(((requested - available) / rate) * 1000) : retryAfter === null ? 1000 : 0;
          const delay = Math.max(retryAfter ?? 0, fromBucket, 50);
          logger.info('Shopify throttled the request; waiting', { shop: options.shopDomain, delayMs: delay });
          await wait(delay);
          continue;
        }
        if (status === 401 || status === 403) {
          return err(
            new ConnectorError({
              code: 'SHOPIFY_UNAUTHORIZED',
              message: `Shopify answered HTTP ${status} for ${options.shopDomain}`,
              merchantMessage:
                'Shopify refused the connector’s access to your store. Open the app in Shopify admin to reconnect it (or, for a self-hosted install, check the Admin API access token in the configuration).',
              merchantMustAct: true,
              details: { status },
            }),
          );
        }
        const transient = status === undefined || status === 0 || status >= 500;
        if (transient && transientFailures < maxTransientRetries) {
          transientFailures += 1;
          counters.transientRetries += 1;
          const delay = retryAfter ?? Math.min(30_000, backoffMs * 2 ** (transientFailures - 1));
          logger.warn('Shopify request failed; retrying', {
            shop: options.shopDomain,
            status: status ?? null,
            attempt: transientFailures,
            delayMs: delay,
          });
          await wait(delay, 'retry');
          continue;
        }
        if (transient) {
          const cause = status ? `it answered HTTP ${status}` : (lastNetworkError ?? failure.message ?? 'no answer');
          return err(
            new ConnectorError({
              code: 'SHOPIFY_UNAVAILABLE',
              message: `Shopify did not answer for ${options.shopDomain} at ${origin} after ${transientFailures + 1} attempts: ${cause}`,
              merchantMessage: `Shopify could not be reached at ${origin}: ${cause}.${endpoint ? ' Check SHOPIFY_API_BASE_URL.' : ' Check the internet connection, or try again in a few minutes.'}`,
              retryable: true,
              details: { status: status ?? null, address: origin, cause },
            }),
          );
        }
        const accessDenied = graphQLErrors.find((e) => e.extensions?.code === 'ACCESS_DENIED');
        if (accessDenied) {
          return err(
            new ConnectorError({
              code: 'SHOPIFY_ACCESS_DENIED',
              message: `Access denied by Shopify: ${accessDenied.message ?? ''}`,
              merchantMessage:
                'The connector is missing a permission in Shopify. Open the app in Shopify admin and approve the requested permissions.',
              merchantMustAct: true,
            }),
          );
        }
        return err(
          new ConnectorError({
            code: 'SHOPIFY_GRAPHQL_ERROR',
            message: `Shopify GraphQL error (HTTP ${status ?? 'none'}): ${graphQLErrors.map((e) => e.message).join('; ') || failure.message}`,
            details: { status: status ?? null, errors: graphQLErrors.map((e) => e.message ?? '') },
          }),
        );
      }
    },
  };
}

/** A fetch failure in plain words: undici puts the system error (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (nothing listens there)',
    ENOTFOUND: 'the host name was not found (DNS)',
    EAI_AGAIN: 'the host name could not be looked up (DNS)',
    ETIMEDOUT: 'the connection timed out',
    ECONNRESET: 'the connection was reset',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  };
  if (code && words[code]) return `${words[code]} [${code}]`;
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

/** Retry-After is seconds ("2.0") or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
