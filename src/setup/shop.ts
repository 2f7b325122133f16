/** The shop being set up and its integration: registering it, finding it, its company file. */
import { currencyDecimals } from '../domain/index.ts';
import { ok, type Result } from '../errors/index.ts';
import { ensureIntegration, type Integration } from '../integration/index.ts';
import {
  appendAudit,
  type CompanyFile,
  createShop,
  getCompanyFile,
  getShopByDomain,
  type NewShop,
  type Shop,
} from '../storage/index.ts';
import { refuse, type SetupContext } from './context.ts';

export async function shopOf(
  ctx: SetupContext,
  domain: string,
): Promise<Result<{ shop: Shop; integration: Integration }>> {
  const shop = await getShopByDomain(ctx.storage, domain.toLowerCase());
  if (!shop) return refuse('SETUP_SHOP_UNKNOWN', `The shop ${domain} is not registered with this connector.`);
  return ok({ shop, integration: await ensureIntegration(ctx.storage, shop.id, ctx.clock()) });
}

export async function companyFileOf(ctx: SetupContext, integration: Integration): Promise<CompanyFile | null> {
  return integration.companyFileId ? getCompanyFile(ctx.storage, integration.companyFileId) : null;
}

/**
 * A shop whose currency has more decimals than QuickBooks Desktop keeps (two) cannot be posted exactly: every
 * amount would be rounded, so the books would never tie out to Shopify. It is refused before anything is stored.
 */
export function currencyRefusal(currency: string): Result<never> | null {
  const decimals = currencyDecimals(currency);
  if (decimals <= 2) return null;
  return refuse(
    'SHOP_CURRENCY_UNSUPPORTED',
    `The shop's currency ${currency} has ${decimals} decimals, and QuickBooks Desktop keeps amounts to two decimals: every amount would be rounded and the books could never match Shopify to the cent. This connector cannot post a shop in ${currency}.`,
  );
}

export async function registerShop(ctx: SetupContext, input: NewShop): Promise<Result<Shop>> {
  const refused = currencyRefusal(input.currency);
  if (refused) return refused;
  const created = await createShop(ctx.storage, { ...input, domain: input.domain.toLowerCase() }, ctx.clock());
  if (created.ok) {
    await ensureIntegration(ctx.storage, created.value.id, ctx.clock());
    await appendAudit(ctx.storage, {
      actor: 'merchant',
      action: 'shop.registered',
      shopId: created.value.id,
      details: {},
    });
  }
  return created;
}
