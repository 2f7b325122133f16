/**
 * A small seeded pseudo-random generator (sfc32, seeded through the cyrb128 string hash). The shop generator must be
 * deterministic — the same seed gives a byte-identical data file on every machine and Node version — so it never
 * touches Math.random or the clock. Every order draws from its own stream (`Random.for(seed, 'order', index)`), which
 * lets the generator rebuild order N on its own and stream 100,000 orders in bounded memory.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(key: string) {
    const [a, b, c, d] = cyrb128(key);
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    // Warm up: sfc32's first outputs still correlate with the seed words.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static for(seed: string | number, ...parts: (string | number)[]): Random {
    return new Random([String(seed), ...parts.map(String)].join('\u0000'));
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`Empty range ${min}..${max}`);
    return min + (this.nextUint32() % (max - min + 1));
  }

  /** True with probability `percent` / 100 (integer percent keeps the draw exact). */
  chance(percent: number): boolean {
    return this.nextUint32() % 10_000 < Math.round(percent * 100);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by integer weights. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.int(0, total - 1);
    for (const [value, weight] of entries) {
      if (roll < weight) return value;
      roll -= weight;
    }
    return entries[entries.length - 1]![0];
  }

  /** `count` distinct items in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!);
    return out;
  }
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
