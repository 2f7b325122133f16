export * from './generator/index.ts';
export { readShopFile } from './generator/read-shop-file.ts';
export { type BulkSpeed, checkBulkQuery, DEFAULT_BULK_SPEED } from './server/bulk.ts';
export type { BulkOperationRecord } from './server/resolvers.ts';
export { loadShopifySchemas } from './server/schema.ts';
export type { ShopifySimulator, ShopifySimulatorOptions, WebhookDelivery } from './server/shopify-simulator.ts';
export {
  API_VERSION,
  signSessionToken,
  startShopifySimulator,
  verifySessionToken,
} from './server/shopify-simulator.ts';
export { ShopStore } from './server/store.ts';
