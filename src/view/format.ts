/**
 * Locale formatting for every channel. Constructing Intl objects costs far more than using them, so one set of
 * formatters per locale and currency is built on first use and kept for the life of the process.
 */

export interface Formatters {
  locale: string;
  currency: string;
  /** Digits after the decimal point of the currency (2 for GBP and EUR): amounts are signed in these units. */
  minorDigits: number;
  /** `£1,234.50`, `1 234,50 €` */
  money(amount: number): string;
  /** A unit rate, with up to four decimals: `£0.2462`. */
  rate(amount: number): string;
  /** `1,234.56`, with at most two decimals. */
  number(value: number): string;
  /** A whole number: `427`. */
  integer(value: number): string;
  /** `0.07` → `7%`, `7 %` */
  percent(ratio: number): string;
  /** ISO `2026-11-01` → `1 November 2026`, `1. November 2026` */
  date(iso: string): string;
  /** ISO `2026-10` or `2026-10-01` → `Oct`, `oct.`, `Okt.` */
  monthShort(iso: string): string;
  /** ISO `2026-10` → `October`, `octobre`, `Oktober` */
  monthLong(iso: string): string;
}

/**
 * A memo for the process, not part of the render caches: an entry is a pure function of its key (locale,
 * currency, language) and of the process's ICU data, built from immutable Intl objects, and no engine input
 * (theme, templates, World) reaches it, so engines sharing it read exactly what each would build. It holds a
 * handful of locale and currency pairs, each with the dates it has formatted (a few hundred a year).
 */
const cache = new Map<string, Formatters>();

/** Dates in profiles are calendar dates: read and print them in UTC so no time zone shifts a day. */
function utcDate(iso: string): Date {
  return new Date(`${iso.length === 7 ? `${iso}-01` : iso.slice(0, 10)}T00:00:00Z`);
}

/** A run shares a handful of dates (statement, due, the usage months): format each once. */
function memo(format: (iso: string) => string): (iso: string) => string {
  const seen = new Map<string, string>();
  return (iso) => {
    let text = seen.get(iso);
    if (text === undefined) {
      text = format(iso);
      seen.set(iso, text);
    }
    return text;
  };
}

function build(locale: string, currency: string, wordsLocale: string): Formatters {
  const money = new Intl.NumberFormat(locale, { style: "currency", currency });
  const minorDigits = money.resolvedOptions().maximumFractionDigits ?? 2;
  const rate = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: minorDigits,
    maximumFractionDigits: 4,
  });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(wordsLocale, { dateStyle: "long", timeZone: "UTC" });
  const monthShort = new Intl.DateTimeFormat(wordsLocale, { month: "short", timeZone: "UTC" });
  const monthLong = new Intl.DateTimeFormat(wordsLocale, { month: "long", timeZone: "UTC" });
  return {
    locale,
    currency,
    minorDigits,
    money: (v) => money.format(v),
    rate: (v) => rate.format(v),
    number: (v) => number.format(v),
    integer: (v) => integer.format(v),
    percent: (v) => percent.format(v),
    date: memo((iso) => date.format(utcDate(iso))),
    monthShort: memo((iso) => monthShort.format(utcDate(iso))),
    monthLong: memo((iso) => monthLong.format(utcDate(iso))),
  };
}

/**
 * Formatters for a locale (`fr-FR`) and currency (`EUR`). Numbers follow the locale; month names and dates
 * follow `language` when given and it differs from the locale's own language (a German speaker in en-GB
 * reads `1. November 2026` with British money).
 */
export function formatters(locale: string, currency: string, language?: string): Formatters {
  const wordsLocale = !language || locale.startsWith(`${language}-`) ? locale : `${language}-${locale.slice(3)}`;
  const key = `${locale}|${currency}|${wordsLocale}`;
  let f = cache.get(key);
  if (!f) {
    f = build(locale, currency, wordsLocale);
    cache.set(key, f);
  }
  return f;
}

/** An amount in the currency's minor units (pence, cents), exact for amounts that came with two decimals. */
export function toMinorUnits(amount: number, minorDigits: number): number {
  return Math.round(amount * 10 ** minorDigits);
}
