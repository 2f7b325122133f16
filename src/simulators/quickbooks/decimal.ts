/**
 * Exact decimals for the simulator's arithmetic. qbXML quantities, rates, prices and percentages carry up to five
 * decimals (QUANTYPE, PRICETYPE, PERCENTTYPE in qbxmltypes130.xsd); they are held as bigints scaled by 10^5.
 * Amounts are `Money` (bigint hundredths). Average cost keeps extra precision: hundredths scaled by 10^6.
 */
export const QUANTITY_SCALE = 100_000n;
export const COST_SCALE = 1_000_000n;

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** Parses a decimal string at the given number of decimals; returns null when it is not a decimal or too precise. */
export function parseScaled(value: string, decimals: number): bigint | null {
  const match = DECIMAL.exec(value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole = '', fraction = ''] = match;
  if (fraction.length > decimals && /[1-9]/.test(fraction.slice(decimals))) return null;
  const scaled =
    BigInt(whole === '' ? '0' : whole) * 10n ** BigInt(decimals) +
    BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0');
  return sign === '-' ? -scaled : scaled;
}

/** Formats a scaled bigint with trailing zeros removed ("2", "2.5", "-0.125"). */
export function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  let fraction = (abs % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  if (decimals === 0) fraction = '';
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`;
}

/** Integer division rounded half away from zero, the rounding QuickBooks uses for amounts. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const rounded = (n % d) * 2n >= d ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

export function parseQuantity(value: string): bigint | null {
  return parseScaled(value, 5);
}

export function formatQuantity(value: bigint): string {
  return formatScaled(value, 5);
}

/** Amount of `quantity` units at `rate` (both scaled by 10^5), in hundredths. */
export function extend(quantity: bigint, rate: bigint): bigint {
  return divideRounded(quantity * rate * 100n, QUANTITY_SCALE * QUANTITY_SCALE);
}

/** Formats a cost per unit held as hundredths × 10^6 as a PRICETYPE (five decimals at most). */
export function formatUnitCost(cost: bigint): string {
  return formatScaled(divideRounded(cost * 1000n, COST_SCALE), 5);
}
