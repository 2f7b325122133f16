import { type Logger, silentLogger } from '../logger/index.ts';
import { verifyWebhookHmac } from '../shopify/index.ts';
import { getShopByDomain, inTransaction, type Storage } from '../storage/index.ts';
import type { ExtractEntity } from './entities.ts';
import { forgetExtractState, recordPullRequest } from './runs.ts';
import { deleteSourceRecords } from './source-records.ts';

/**
 * Shopify webhooks, framework-free: the server hands over the raw body and the headers, and sends back what this
 * returns. A webhook never carries data into the books — it only records that a pull is due, and the pull (the
 * source of truth) reads the current state. That keeps out-of-order, repeated or lost deliveries harmless.
 *
 * - The HMAC is checked on the raw bytes before anything else (401 when it fails, as Shopify's compliance checks
 *   require: https://shopify.dev/docs/apps/build/privacy-law-compliance).
 * - Shopify may deliver the same event more than once; `X-Shopify-Event-Id` is the same on every copy
 *   (https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates), so a copy seen before is acknowledged and
 *   dropped.
 * - Shopify waits 5 s at most and retries on anything but 2xx: the handler only writes a row or two.
 */
export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface WebhookResponse {
  status: number;
  body: string;
}

export interface WebhookHandlerOptions {
  storage: Storage;
  /** The app's client secret (the HMAC key). */
  apiSecret: string;
  logger?: Logger;
  clock?: () => Date;
  /** Largest body accepted. Default 2 MiB (an order with hundreds of lines fits). */
  maxBodyBytes?: number;
  /** Called after app/uninstalled, e.g. to drop the stored tokens and pause the integration. */
  onUninstalled?: (shopDomain: string) => Promise<void>;
}

const ORDER_TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/edited',
  'refunds/create',
]);

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  // Newer deliveries drop the X- prefix (shopify-hmac-sha256, …); node lower-cases header names.
  const value = headers[name] ?? headers[name.replace(/^x-/, '')];
  return Array.isArray(value) ? value[0] : value;
}

/** Topics that delete or disconnect, and the body field that names their shop. */
const SHOP_NAMED_BY: Record<string, string> = {
  'shop/redact': 'shop_domain',
  'customers/redact': 'shop_domain',
  'app/uninstalled': 'myshopify_domain',
};

const answer = (status: number, body: string): WebhookResponse => ({ status, body });

export function createShopifyWebhookHandler(options: WebhookHandlerOptions) {
  const { storage } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;

  /** Compliance requests are kept as a record of what was asked (and, for redaction, done at once). */
  async function requestPull(
    shopId: string,
    entity: ExtractEntity | 'compliance',
    reason: string,
    sourceId: string | null,
    handled = false,
  ) {
    await recordPullRequest(storage, { shopId, entity, sourceId, reason, now: clock().toISOString(), handled });
  }

  return async function handleShopifyWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    if (request.rawBody.length > maxBodyBytes) return answer(413, 'Payload too large');
    if (!verifyWebhookHmac(request.rawBody, header(request.headers, 'x-shopify-hmac-sha256'), options.apiSecret)) {
      logger.warn('webhook with a bad signature refused', {
        topic: header(request.headers, 'x-shopify-topic') ?? null,
      });
      return answer(401, 'Invalid HMAC');
    }
    const topic = header(request.headers, 'x-shopify-topic');
    const shopDomain = header(request.headers, 'x-shopify-shop-domain')?.toLowerCase();
    const eventId = header(request.headers, 'x-shopify-event-id') ?? header(request.headers, 'x-shopify-webhook-id');
    if (!topic || !shopDomain || !eventId) return answer(400, 'Missing Shopify webhook headers');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(request.rawBody.toString('utf8')) as Record<string, unknown>;
    } catch {
      return answer(400, 'Body is not JSON');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return answer(400, 'Body is not a JSON object');
    }
    // The HMAC signs the body only: the topic and shop headers are not covered. A signed body captured once could
    // otherwise be sent again as another shop's `shop/redact` and erase that shop's data. The destructive topics'
    // bodies name their shop, so they must name the one in the header
    // (https://shopify.dev/docs/apps/build/privacy-law-compliance; app/uninstalled carries the Shop resource).
    const domainField = SHOP_NAMED_BY[topic];
    if (domainField !== undefined) {
      const named = payload[domainField];
      if (typeof named !== 'string' || named.toLowerCase() !== shopDomain) {
        logger.warn('webhook refused: its body does not name the shop in its headers', { topic, shopDomain });
        return answer(400, 'The body does not belong to this shop');
      }
    }

    const firstDelivery = await storage.db
      .insertInto('shopify_webhook_events')
      .values({ event_id: eventId, shop_domain: shopDomain, topic, received_at: clock().toISOString() })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    if (Number(firstDelivery.numInsertedOrUpdatedRows ?? 0n) === 0) {
      logger.debug('duplicate webhook dropped', { topic, eventId });
      return answer(200, 'Duplicate');
    }

    try {
      const shop = await getShopByDomain(storage, shopDomain);
      if (!shop) {
        // Not (or no longer) a shop we serve: acknowledge so Shopify stops retrying; nothing to record.
        logger.info('webhook for an unknown shop', { topic, shopDomain });
        return answer(200, 'Unknown shop');
      }
      const gid = (payload.admin_graphql_api_id as string | undefined) ?? null;

      if (ORDER_TOPICS.has(topic)) {
        const orderGid =
          topic === 'refunds/create' && payload.order_id !== undefined
            ? `gid://shopify/Order/${payload.order_id}`
            : gid;
        await requestPull(shop.id, 'orders', topic, orderGid);
      } else if (topic === 'bulk_operations/finish') {
        await requestPull(shop.id, 'orders', topic, gid);
      } else if (topic === 'app/uninstalled') {
        await requestPull(shop.id, 'shop', topic, null);
        await options.onUninstalled?.(shopDomain);
      } else if (topic === 'customers/data_request') {
        // The connector holds only what Shopify itself holds; the request is recorded for the merchant to answer.
        const customer = payload.customer as { id?: number } | undefined;
        await requestPull(shop.id, 'compliance', topic, customer?.id ? `gid://shopify/Customer/${customer.id}` : null);
      } else if (topic === 'customers/redact') {
        const customer = payload.customer as { id?: number } | undefined;
        if (customer?.id !== undefined) {
          // Orders hold only the customer's id (no name, e-mail or address is pulled with them): removing the
          // customer's own records removes every personal detail the connector stored.
          const removed = await deleteSourceRecords(storage, shop.id, 'customer', [
            `gid://shopify/Customer/${customer.id}`,
          ]);
          await requestPull(shop.id, 'compliance', topic, `gid://shopify/Customer/${customer.id}`, true);
          logger.info('customer redacted', { shopId: shop.id, versionsRemoved: removed });
        }
      } else if (topic === 'shop/redact') {
        await inTransaction(storage, async (scope) => {
          const { db } = scope;
          for (const table of ['source_record_heads', 'source_records'] as const) {
            await db.deleteFrom(table).where('shop_id', '=', shop.id).execute();
          }
          await forgetExtractState(scope, shop.id);
          await db.deleteFrom('shopify_tokens').where('shop_domain', '=', shopDomain).execute();
        });
        await requestPull(shop.id, 'compliance', topic, null, true);
        logger.info('shop data redacted', { shopId: shop.id });
      } else {
        logger.debug('webhook topic not used', { topic });
      }
      return answer(200, 'OK');
    } catch (error) {
      // The copy was recorded as seen before it was handled: forget it, so Shopify's retry of this event (it retries
      // anything but a 2xx) is handled instead of dropped as a duplicate — a redaction request must not be lost.
      await storage.db.deleteFrom('shopify_webhook_events').where('event_id', '=', eventId).execute();
      throw error;
    }
  };
}

export type ShopifyWebhookHandler = ReturnType<typeof createShopifyWebhookHandler>;

/** Kept here for the webhook's callers; the statement lives with the other extract_* SQL. */
export { pendingPullRequests } from './runs.ts';
