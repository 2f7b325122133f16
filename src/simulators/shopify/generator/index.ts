export type { ShopProfileKey } from './catalog.ts';
export { PROFILES } from './catalog.ts';
export type { GenerateShopOptions } from './generate-shop.ts';
export { generateOrders, generateShop, serializeShop, writeShopFile } from './generate-shop.ts';
export { checkOrderInvariants, checkShopInvariants } from './invariants.ts';
export { STOCKY_SHUTDOWN_MS } from './purchasing.ts';
