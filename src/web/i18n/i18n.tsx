/**
 * The merchant's language (Shopify's `locale`: the launch URL's parameter or App Bridge's config; standalone, the
 * browser's) and the shop's currency and time zone: every string comes from a catalogue, every date, number and
 * amount goes through Intl.
 */
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { en, type MessageKey, type Messages } from './en.ts';
import { formatMessage } from './format-message.ts';
import type { Locale } from './locale.ts';
import { sv } from './sv.ts';

export type { Locale };

const CATALOGUES: Record<Locale, Messages> = { en, sv };

export function pickLocale(candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const language = candidate.toLowerCase().split(/[-_]/)[0];
    if (language === 'sv') return 'sv';
    if (language === 'en') return 'en';
  }
  return 'en';
}

export interface I18n {
  locale: Locale;
  /** BCP 47 tag for Intl (sv-SE, en-US). */
  tag: string;
  /** A number value is formatted for the language, and chooses the wording of a `{name, plural, …}`. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A decimal string in the shop's currency, formatted exactly (Intl reads the string, not a float). */
  money(amount: string): string;
  number(value: number): string;
  /** An ISO instant in the shop's time zone. */
  dateTime(iso: string): string;
  /** A calendar date (YYYY-MM-DD) as the merchant writes dates. */
  date(day: string): string;
  has(key: string): key is MessageKey;
}

export function createI18n(locale: Locale, shop: { currency: string; timeZone: string } | null): I18n {
  const messages = CATALOGUES[locale];
  const tag = locale === 'sv' ? 'sv-SE' : 'en-US';
  const currency = new Intl.NumberFormat(tag, { style: 'currency', currency: shop?.currency ?? 'USD' });
  const numbers = new Intl.NumberFormat(tag);
  const formatters = { plurals: new Intl.PluralRules(tag), numbers };
  const dateTimes = new Intl.DateTimeFormat(tag, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(shop ? { timeZone: shop.timeZone } : {}),
  });
  const dates = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    locale,
    tag,
    t: (key, values = {}) => formatMessage(messages[key], values, formatters),
    money: (amount) => currency.format(amount as `${number}`),
    number: (value) => numbers.format(value),
    dateTime: (iso) => dateTimes.format(new Date(iso)),
    date: (day) => dates.format(new Date(`${day}T00:00:00Z`)),
    has: (key): key is MessageKey => key in messages,
  };
}

const Context = createContext<I18n>(createI18n('en', null));

export function I18nProvider(props: { value: I18n; children: ReactNode }) {
  return <Context.Provider value={props.value}>{props.children}</Context.Provider>;
}

export function useI18n(): I18n {
  return useContext(Context);
}

export function useI18nFor(locale: Locale, shop: { currency: string; timeZone: string } | null): I18n {
  const currency = shop?.currency ?? null;
  const timeZone = shop?.timeZone ?? null;
  return useMemo(
    () => createI18n(locale, currency && timeZone ? { currency, timeZone } : null),
    [locale, currency, timeZone],
  );
}
