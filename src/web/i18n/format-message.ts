/**
 * Fills a catalogue message's `{name}` placeholders, and chooses the wording of `{name, plural, one {# order} other
 * {# orders}}` by the language's plural rules (Intl.PluralRules: English and Swedish both tell `one` from `other`;
 * `=0` picks an exact count). Numbers are formatted by the language's own Intl.NumberFormat, `#` included: "1 order",
 * "1 234 ordrar". This is the subset of ICU MessageFormat the catalogues use; a placeholder with no value stays as
 * written, so a missing value shows instead of vanishing.
 */

export type MessageValues = Record<string, string | number>;

export interface MessageFormatters {
  plurals: Intl.PluralRules;
  numbers: Intl.NumberFormat;
}

export function formatMessage(message: string, values: MessageValues, formatters: MessageFormatters): string {
  let out = '';
  let at = 0;
  while (at < message.length) {
    const open = message.indexOf('{', at);
    if (open === -1) break;
    const close = matchingBrace(message, open);
    if (close === -1) break;
    out += message.slice(at, open);
    out += placeholder(message.slice(open + 1, close), message.slice(open, close + 1), values, formatters);
    at = close + 1;
  }
  return out + message.slice(at);
}

function placeholder(inner: string, whole: string, values: MessageValues, formatters: MessageFormatters): string {
  const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
  if (!plural) {
    const name = inner.trim();
    if (!(name in values)) return whole;
    const value = values[name]!;
    return typeof value === 'number' ? formatters.numbers.format(value) : value;
  }
  const [, name, body] = plural as unknown as [string, string, string];
  const value = values[name];
  if (typeof value !== 'number') return whole;
  const options = pluralOptions(body);
  const chosen = options.get(`=${value}`) ?? options.get(formatters.plurals.select(value)) ?? options.get('other');
  if (chosen === undefined) return whole;
  const formatted = formatters.numbers.format(value);
  return formatMessage(chosen.replace(/#/g, formatted), values, formatters);
}

/** `one {…} other {…}` → their texts by selector. */
function pluralOptions(body: string): Map<string, string> {
  const options = new Map<string, string>();
  let at = 0;
  for (;;) {
    const selector = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(body.slice(at));
    if (!selector) return options;
    const open = at + selector[0].length - 1;
    const close = matchingBrace(body, open);
    if (close === -1) return options;
    options.set(selector[1]!, body.slice(open + 1, close));
    at = close + 1;
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
