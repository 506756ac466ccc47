import type { Language } from "../profile/types.ts";

/** Unit prices in the market's currency: energy per kWh, standing charges per day, extras per month. */
export interface Prices {
  electricity: { "ELEC-STD": number; "ELEC-FIX24": number; "ELEC-EV": number; standing: number };
  gas: { unit: number; standing: number };
  broadband: number;
  boilerCare: number;
  /** Paid per kWh a solar customer exports: a credit line on the bill. */
  solarExport: number;
}

/** Where a customer lives decides the locale, the currency, the language of the bill, its prices and tax. */
export interface Market {
  locale: "en-GB" | "en-IE" | "fr-FR" | "de-DE";
  currency: "GBP" | "EUR";
  language: Language;
  country: "GB" | "IE" | "FR" | "DE";
  /** The market's share of a supplier's customers when every market is asked for. */
  share: number;
  /** VAT on energy for homes, and for businesses where the rate differs. */
  vat: { home: number; business: number };
  prices: Prices;
  /** Country calling code and the national prefix of mobile numbers. */
  mobile: { code: string; prefixes: readonly string[]; digits: number };
}

export const MARKETS: readonly Market[] = [
  {
    locale: "en-GB",
    currency: "GBP",
    language: "en",
    country: "GB",
    share: 50,
    vat: { home: 0.05, business: 0.2 },
    prices: {
      electricity: { "ELEC-STD": 0.2462, "ELEC-FIX24": 0.2289, "ELEC-EV": 0.085, standing: 0.6052 },
      gas: { unit: 0.0624, standing: 0.3165 },
      broadband: 29,
      boilerCare: 12.5,
      solarExport: 0.15,
    },
    mobile: { code: "44", prefixes: ["7700", "7911", "7400", "7582"], digits: 6 },
  },
  {
    locale: "en-IE",
    currency: "EUR",
    language: "en",
    country: "IE",
    share: 16,
    vat: { home: 0.09, business: 0.135 },
    prices: {
      electricity: { "ELEC-STD": 0.3512, "ELEC-FIX24": 0.329, "ELEC-EV": 0.125, standing: 0.78 },
      gas: { unit: 0.118, standing: 0.41 },
      broadband: 45,
      boilerCare: 15,
      solarExport: 0.185,
    },
    mobile: { code: "353", prefixes: ["83", "85", "86", "87"], digits: 7 },
  },
  {
    locale: "fr-FR",
    currency: "EUR",
    language: "fr",
    country: "FR",
    share: 17,
    vat: { home: 0.2, business: 0.2 },
    prices: {
      electricity: { "ELEC-STD": 0.2516, "ELEC-FIX24": 0.239, "ELEC-EV": 0.1696, standing: 0.52 },
      gas: { unit: 0.11, standing: 0.33 },
      broadband: 34.99,
      boilerCare: 13.9,
      solarExport: 0.13,
    },
    mobile: { code: "33", prefixes: ["6", "7"], digits: 8 },
  },
  {
    locale: "de-DE",
    currency: "EUR",
    language: "de",
    country: "DE",
    share: 17,
    vat: { home: 0.19, business: 0.19 },
    prices: {
      electricity: { "ELEC-STD": 0.369, "ELEC-FIX24": 0.339, "ELEC-EV": 0.249, standing: 0.45 },
      gas: { unit: 0.119, standing: 0.39 },
      broadband: 39.99,
      boilerCare: 14.9,
      solarExport: 0.082,
    },
    mobile: { code: "49", prefixes: ["151", "160", "170", "176"], digits: 7 },
  },
];

export type SampleLocale = Market["locale"];

export const SAMPLE_LOCALES: readonly SampleLocale[] = MARKETS.map((m) => m.locale);
