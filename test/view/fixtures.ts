import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ChosenItem, Decision } from "../../src/decide/types.ts";
import type { Language, Profile } from "../../src/profile/index.ts";
import { type ViewInput, buildView } from "../../src/view/index.ts";
import { TEST_KEYS } from "../support/signing-keys.ts";

/** Hand-built inputs for view and channel tests: one realistic customer, overridable piece by piece. */

/** The test suite's own signing keys. */
export const KEYS = TEST_KEYS;
/** The sample theme's sender: statements are posted in Britain. */
export const SENDER = { country: "GB", language: "en" };
export const LINKS = {
  payBase: "https://pay.northwind-energy.example/p",
  unsubscribeBase: "https://www.northwind-energy.example/unsubscribe",
  trackBase: "https://go.northwind-energy.example/r",
};

const MONTHS = [
  "2025-11",
  "2025-12",
  "2026-01",
  "2026-02",
  "2026-03",
  "2026-04",
  "2026-05",
  "2026-06",
  "2026-07",
  "2026-08",
  "2026-09",
  "2026-10",
];

export function makeProfile(
  over: { locale?: string; currency?: string; language?: Language } & Partial<Profile> = {},
): Profile {
  const { locale = "en-GB", currency = "GBP", language = "en", ...rest } = over;
  return {
    id: "C0000001",
    name: { title: "Dr", first: "Chloé", last: "van der Berg" },
    locale,
    currency,
    contact: {
      email: "vanderberg.1@example.com",
      mobile: "+447700999401",
      address: { lines: ["214 Mill Lane"], city: "Manchester", postcode: "M1 2AB", country: "GB" },
    },
    preferences: { channels: ["email", "sms"], paperless: true, marketingConsent: true, language },
    segment: "residential",
    tenureMonths: 19,
    products: [{ code: "ELEC-STD", name: "Standard Variable Electricity" }],
    account: {
      number: "72704936",
      statementDate: "2026-11-01",
      periodStart: "2026-10-01",
      periodEnd: "2026-10-31",
      dueDate: "2026-11-22",
      previousBalance: 205.47,
      paymentsReceived: 205.47,
      charges: [
        { description: "Electricity — energy used", quantity: 427.23, unit: "kWh", rate: 0.2462, amount: 105.18 },
        { description: "Electricity — standing charge", quantity: 31, unit: "day", rate: 0.6052, amount: 18.76 },
      ],
      subtotal: 123.94,
      vat: 6.2,
      balanceDue: 1130.14,
      directDebit: false,
      inArrears: false,
    },
    usage: {
      unit: "kWh",
      monthly: MONTHS.map((month, i) => ({ month, value: i === 11 ? 427.23 : 400 + i * 10 })),
      daily: [],
      peerAverage: 459.71,
    },
    interactions: [],
    ...rest,
  };
}

export function makeItem(over: Partial<ChosenItem> & { id: string }): ChosenItem {
  return {
    kind: "offer",
    slot: "hero",
    priority: 50,
    channels: ["print", "email", "sms"],
    marketing: true,
    copy: {
      headline: "Go smart",
      body: "Get a free smart meter.",
      sms: "Get a free smart meter: no more estimated bills.",
      cta: { label: "Book now", url: "https://www.northwind-energy.example/smart?ref=bill" },
    },
    ...over,
  };
}

export function makeDecision(profile: Profile, items: ChosenItem[] = []): Decision {
  return {
    customerId: profile.id,
    runDate: "2026-11-01",
    language: profile.preferences.language,
    slots: {
      hero: items.filter((i) => i.slot === "hero"),
      secondary: items.filter((i) => i.slot === "secondary"),
      notice: items.filter((i) => i.slot === "notice"),
    },
    trace: items.map((i) => ({ id: i.id, slot: i.slot, chosen: true, rule: "chosen", reason: "eligible" })),
  };
}

const labelCache = new Map<string, Record<string, string>>();
/** The energy-bill template's real labels for a language. */
export function labelsFor(language: Language): Record<string, string> {
  let labels = labelCache.get(language);
  if (!labels) {
    labels = parse(readFileSync(`templates/energy-bill/locales/${language}.yaml`, "utf8")) as Record<string, string>;
    labelCache.set(language, labels);
  }
  return labels;
}

export function makeViewInput(profile: Profile, items: ChosenItem[] = []): ViewInput {
  return {
    profile,
    decision: makeDecision(profile, items),
    labels: labelsFor(profile.preferences.language),
    runDate: "2026-11-01",
    keys: KEYS,
    links: LINKS,
    sender: SENDER,
  };
}

export const viewOf = (profile: Profile, items: ChosenItem[] = []) => buildView(makeViewInput(profile, items));
