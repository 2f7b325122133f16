/** The languages the admin app speaks (from Shopify's `locale`, English otherwise). */
export type Locale = 'en' | 'sv';
