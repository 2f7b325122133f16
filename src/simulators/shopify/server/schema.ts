/**
 * Shopify's own Admin GraphQL schemas (introspection results), read from ../shared/shopify. They are Shopify's files
 * and not redistributed with the product, so a missing file is reported in plain words rather than as a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';
import { buildClientSchema } from 'graphql';

export const DEFAULT_SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'shopify');

export interface ShopifySchemas {
  /** Admin API 2026-10. */
  stable: GraphQLSchema;
  /**
   * The unstable 2026-09 schema: the first to carry `inventoryPurchaseOrders`. The changelog says the purchase-order
   * read API is GA in 2026-10, but the 2026-10 introspection file does not list it, so purchase-order queries are
   * validated and executed against this one.
   */
  unstable: GraphQLSchema;
}

const cache = new Map<string, ShopifySchemas>();

export function loadShopifySchemas(directory = DEFAULT_SCHEMA_DIR): ShopifySchemas {
  const cached = cache.get(directory);
  if (cached) return cached;
  const read = (file: string): GraphQLSchema => {
    const path = join(directory, file);
    if (!existsSync(path)) {
      throw new Error(
        `Shopify's Admin GraphQL schema is missing: ${path}. The Shopify simulator is built from it and the file is not redistributed; place ../shared next to the repository (see README).`,
      );
    }
    const parsed = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { data: IntrospectionQuery };
    return buildClientSchema(parsed.data);
  };
  const schemas = { stable: read('admin-2026-10.json.gz'), unstable: read('admin-unstable-2026-09.json.gz') };
  cache.set(directory, schemas);
  return schemas;
}
