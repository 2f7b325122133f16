/**
 * Money in the books: an exact integer count of hundredths of the shop currency (cents for USD), as a bigint.
 * Never a float. QuickBooks' AMTTYPE carries exactly two decimals, so hundredths is the unit of the ledger
 * whatever the currency (a JPY amount of 1200 is 120000n hundredths).
 */
export type Money = bigint;

export const ZERO: Money = 0n;

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string ("12", "12.5", "-0.07") into hundredths. Throws on more than two non-zero decimals. */
export function parseMoney(text: string): Money {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > 2 && /[1-9]/.test(fraction.slice(2))) {
    throw new RangeError(`Amount ${text} has more than two decimals; use roundMoney for rates and costs`);
  }
  const cents = BigInt(whole!) * 100n + BigInt((fraction + '00').slice(0, 2));
  return sign === '-' ? -cents : cents;
}

/**
 * Parses a decimal string with any number of decimals and rounds it to hundredths, half away from zero
 * (unit costs and rates can carry more precision than the ledger).
 */
export function roundMoney(text: string): Money {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const thousandths = BigInt(whole!) * 1000n + BigInt((fraction + '000').slice(0, 3));
  // Half away from zero: only the third decimal decides (0.125 -> 0.13, 0.1249 -> 0.12).
  const cents = thousandths / 10n + (thousandths % 10n >= 5n ? 1n : 0n);
  return sign === '-' ? -cents : cents;
}

/** Formats hundredths as QuickBooks and Shopify write amounts: "12.50", "-0.07". */
export function formatMoney(amount: Money): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / 100n;
  const cents = abs % 100n;
  return `${negative ? '-' : ''}${whole}.${cents < 10n ? '0' : ''}${cents}`;
}

export function sumMoney(amounts: Iterable<Money>): Money {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}

export function absMoney(amount: Money): Money {
  return amount < 0n ? -amount : amount;
}

/**
 * Splits `total` across `weights` in proportion, by largest remainder, so the parts always sum to `total`
 * exactly. Ties go to the earlier index, which keeps the split deterministic. All-zero weights split evenly.
 */
export function allocate(total: Money, weights: readonly bigint[]): Money[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new RangeError('Cannot allocate a non-zero amount across no parts');
    return [];
  }
  if (weights.some((w) => w < 0n)) throw new RangeError('Allocation weights must not be negative');
  let weightSum = sumMoney(weights);
  const effective = weightSum === 0n ? weights.map(() => 1n) : weights;
  if (weightSum === 0n) weightSum = BigInt(weights.length);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const parts: bigint[] = [];
  const remainders: { index: number; remainder: bigint }[] = [];
  let assigned = 0n;
  effective.forEach((weight, index) => {
    const product = abs * weight;
    const part = product / weightSum;
    parts.push(part);
    assigned += part;
    remainders.push({ index, remainder: product % weightSum });
  });
  let left = abs - assigned;
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index]! += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

/** Multiplies a money amount by an integer quantity. */
export function timesQuantity(amount: Money, quantity: number): Money {
  if (!Number.isInteger(quantity)) throw new RangeError(`Quantity must be an integer, got ${quantity}`);
  return amount * BigInt(quantity);
}
