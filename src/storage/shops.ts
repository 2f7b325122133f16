import { randomUUID } from 'node:crypto';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { fromDbJson, fromDbTime, isUniqueViolation, toDbJson, toDbTime } from './columns.ts';
import type { Queryable, ShopRow } from './schema.ts';

/** A Shopify shop the connector serves. `settings` is the merchant's configuration, owned by the setup part. */
export interface Shop {
  id: string;
  /** The permanent `*.myshopify.com` domain, lower case. */
  domain: string;
  name: string;
  /** ISO 4217 shop currency: the currency of the books. */
  currency: string;
  /** IANA time zone of the shop: the day boundaries of summaries and schedules. */
  timeZone: string;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewShop {
  id?: string;
  domain: string;
  name: string;
  currency: string;
  timeZone: string;
  settings?: Record<string, unknown>;
}

export function shopFromRow(row: ShopRow): Shop {
  return {
    id: row.id,
    domain: row.domain,
    name: row.name,
    currency: row.currency,
    timeZone: row.time_zone,
    settings: fromDbJson(row.settings),
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** Adds a shop; a domain already present is an expected failure (`SHOP_ALREADY_EXISTS`), not a bug. */
export async function createShop(q: Queryable, input: NewShop, now = new Date()): Promise<Result<Shop>> {
  const row: ShopRow = {
    id: input.id ?? randomUUID(),
    domain: input.domain.toLowerCase(),
    name: input.name,
    currency: input.currency,
    time_zone: input.timeZone,
    settings: toDbJson(input.settings ?? {}),
    created_at: toDbTime(now),
    updated_at: toDbTime(now),
  };
  try {
    await q.db.insertInto('shops').values(row).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return err(
      new ConnectorError({
        code: 'SHOP_ALREADY_EXISTS',
        message: `A shop with domain ${row.domain} (or id ${row.id}) already exists`,
        merchantMessage: `The shop ${row.domain} is already connected.`,
        details: { domain: row.domain },
      }),
    );
  }
  return ok(shopFromRow(row));
}

export async function getShop(q: Queryable, id: string): Promise<Shop | null> {
  const row = await q.db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? shopFromRow(row) : null;
}

export async function getShopByDomain(q: Queryable, domain: string): Promise<Shop | null> {
  const row = await q.db.selectFrom('shops').selectAll().where('domain', '=', domain.toLowerCase()).executeTakeFirst();
  return row ? shopFromRow(row) : null;
}

export async function listShops(q: Queryable): Promise<Shop[]> {
  const rows = await q.db.selectFrom('shops').selectAll().orderBy('domain').execute();
  return rows.map(shopFromRow);
}

export interface ShopChanges {
  name?: string;
  currency?: string;
  timeZone?: string;
  settings?: Record<string, unknown>;
}

/** Changes the given fields; returns the shop as stored, or null when there is no such shop. */
export async function updateShop(
  q: Queryable,
  id: string,
  changes: ShopChanges,
  now = new Date(),
): Promise<Shop | null> {
  const row = await q.db
    .updateTable('shops')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.currency === undefined ? {} : { currency: changes.currency }),
      ...(changes.timeZone === undefined ? {} : { time_zone: changes.timeZone }),
      ...(changes.settings === undefined ? {} : { settings: toDbJson(changes.settings) }),
      updated_at: toDbTime(now),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? shopFromRow(row) : null;
}

/** Removes the shop and, by cascade, its company files, outbox and id map (the audit log stays). */
export async function deleteShop(q: Queryable, id: string): Promise<boolean> {
  const result = await q.db.deleteFrom('shops').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
