/** Step 3: the sales tax check, and creating the 0 % sales tax item. */
import { ok, type Result } from '../errors/index.ts';
import { updateIntegration } from '../integration/index.ts';
import { enqueue } from '../outbox/index.ts';
import { READ_PRIORITY, requestCompanyRead, snapshotFacts } from './company-lists.ts';
import { nameOf, type SetupContext, str } from './context.ts';
import { checkSalesTax, type SalesTaxCheck, type SalesTaxFacts, ZERO_RATE_ITEM_NAME } from './sales-tax-check.ts';
import { shopOf } from './shop.ts';
import { computeStatus, gate } from './status.ts';

export async function runSalesTaxCheck(ctx: SetupContext, domain: string): Promise<Result<SalesTaxCheck>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const status = await computeStatus(ctx, found.value.shop, found.value.integration);
  const gated = gate(status, 'salesTax');
  if (!gated.ok) return gated;
  const { snapshot, part } = await snapshotFacts(ctx, status.companyFile!.id);
  const preferences = snapshot.preferences as { SalesTaxPreferences?: Record<string, unknown> } | null;
  const taxPreferences = preferences?.SalesTaxPreferences ?? null;
  const items = (part('ItemSalesTaxQuery') ?? []).map((ret) => ({
    name: nameOf(ret) ?? '',
    ratePercent: str(ret.TaxRate),
    isActive: ret.IsActive !== false,
  }));
  const defaultName = nameOf((taxPreferences?.DefaultItemSalesTaxRef as Record<string, unknown> | undefined) ?? {});
  const facts: SalesTaxFacts = {
    salesTaxOn: taxPreferences !== null,
    mostCommonItem: defaultName
      ? {
          name: defaultName,
          ratePercent: items.find((i) => i.name.toLowerCase() === defaultName.toLowerCase())?.ratePercent ?? null,
        }
      : null,
    salesTaxItems: items,
  };
  const result = checkSalesTax(facts);
  const updated = await updateIntegration(
    ctx.storage,
    found.value.integration,
    { taxCheck: { result, checkedAt: ctx.clock().toISOString() } },
    ctx.clock(),
  );
  if (!updated.ok) return updated;
  return ok(result);
}

export async function createZeroRateTaxItem(ctx: SetupContext, domain: string): Promise<Result<{ name: string }>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const status = await computeStatus(ctx, found.value.shop, found.value.integration);
  const gated = gate(status, 'salesTax');
  if (!gated.ok) return gated;
  const companyFileId = status.companyFile!.id;
  await enqueue(
    ctx.storage,
    [
      {
        companyFileId,
        key: 'setup/zero-rate-sales-tax-item',
        kind: 'item',
        request: {
          type: 'ItemSalesTaxAdd',
          body: {
            ItemSalesTaxAdd: {
              Name: ZERO_RATE_ITEM_NAME,
              ItemDesc: 'Shopify posts its own tax amounts; QuickBooks adds none.',
              TaxRate: '0',
            },
          },
        },
        priority: READ_PRIORITY + 1,
        source: { kind: 'setup', id: 'zero-rate-sales-tax-item' },
      },
    ],
    ctx.clock(),
  );
  const read = await requestCompanyRead(ctx, found.value.integration, companyFileId);
  if (!read.ok) return read;
  return ok({ name: ZERO_RATE_ITEM_NAME });
}
