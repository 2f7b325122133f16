/**
 * Step 1 of the help page: QuickBooks must have sales tax turned on, and its "most common sales tax item" must
 * be a 0 % item. The connector posts Shopify's own tax amounts as lines; if QuickBooks also computed tax with
 * a non-zero default item, every receipt would carry tax twice. qbXML can read the preference
 * (PreferencesQuery → SalesTaxPreferences, present only when sales tax is on) but cannot change it, so the
 * check tells the merchant exactly where to click, and can offer a 0 % item to choose.
 */
import type { SalesTaxCheck } from '../integration/index.ts';

export type { SalesTaxCheck };

export interface SalesTaxFacts {
  /** False when PreferencesQuery has no SalesTaxPreferences (sales tax is off). */
  salesTaxOn: boolean;
  /** The preference's DefaultItemSalesTaxRef, resolved against the sales tax items. */
  mostCommonItem: { name: string; ratePercent: string | null } | null;
  /** Every active sales tax item in the company file, with its rate as QuickBooks reports it ("8.875"). */
  salesTaxItems: { name: string; ratePercent: string | null; isActive: boolean }[];
}

/** The 0 % sales tax item the connector creates on request. */
export const ZERO_RATE_ITEM_NAME = 'Shopify Tax 0%';

const MENU_PATH = 'Edit > Preferences > Sales Tax > Company Preferences';

function isZeroRate(ratePercent: string | null): boolean {
  return ratePercent !== null && /^[+-]?0*(\.0*)?$/.test(ratePercent.trim());
}

function describeRate(ratePercent: string | null): string {
  if (ratePercent === null) return 'no rate';
  // Rates are PERCENTTYPE strings; show them as QuickBooks does, without trailing zeros.
  const trimmed = ratePercent.includes('.') ? ratePercent.replace(/0+$/, '').replace(/\.$/, '') : ratePercent;
  return `${trimmed} %`;
}

export function checkSalesTax(facts: SalesTaxFacts): SalesTaxCheck {
  const zero = facts.salesTaxItems.find((item) => item.isActive && isZeroRate(item.ratePercent)) ?? null;
  const zeroRateItem = zero?.name ?? null;
  const offerToCreate = zeroRateItem === null ? { name: ZERO_RATE_ITEM_NAME } : null;
  const pick = zeroRateItem ?? ZERO_RATE_ITEM_NAME;

  if (!facts.salesTaxOn) {
    return {
      status: 'fix',
      problems: [
        {
          code: 'SALES_TAX_OFF',
          message: `Sales tax is turned off in QuickBooks. In QuickBooks, open ${MENU_PATH}, set "Do you charge sales tax?" to Yes, and choose "${pick}" as "Your most common sales tax item". Then run this check again.`,
        },
      ],
      zeroRateItem,
      offerToCreate,
    };
  }
  if (facts.mostCommonItem === null) {
    return {
      status: 'fix',
      problems: [
        {
          code: 'DEFAULT_TAX_ITEM_MISSING',
          message: `QuickBooks has no "most common sales tax item". In ${MENU_PATH}, choose "${pick}" (a 0 % item) as "Your most common sales tax item".`,
        },
      ],
      zeroRateItem,
      offerToCreate,
    };
  }
  if (!isZeroRate(facts.mostCommonItem.ratePercent)) {
    return {
      status: 'fix',
      problems: [
        {
          code: 'DEFAULT_TAX_ITEM_NOT_ZERO',
          message: `Your most common sales tax item in QuickBooks is "${facts.mostCommonItem.name}" at ${describeRate(facts.mostCommonItem.ratePercent)}. QuickBooks would add tax on top of the tax Shopify already charged. In ${MENU_PATH}, choose "${pick}" (0 %) as "Your most common sales tax item".`,
        },
      ],
      zeroRateItem,
      offerToCreate,
    };
  }
  return { status: 'pass', mostCommonItem: facts.mostCommonItem.name };
}
