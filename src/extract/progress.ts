import type { ClientWait } from '../shopify/index.ts';

/**
 * What a pull tells whoever watches it (the CLI's progress display): per entity, how many records are stored so
 * far and how many there are (when Shopify can count them); a bulk operation's state and the objects it exported;
 * and each wait for Shopify (its rate limit, or before a retry).
 */
export type ExtractProgress =
  | { type: 'entity'; entity: string; seen: number; total: number | null; done: boolean }
  | { type: 'bulk'; entity: string; status: string; objects: number }
  | ClientWait;

export type ExtractProgressListener = (event: ExtractProgress) => void;
