import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { ChosenItem, Decision, SlotName } from "../../src/decide/types.ts";
import { type Language, type Profile, parseProfileLine } from "../../src/profile/index.ts";
import { type View, buildView } from "../../src/view/index.ts";
import { SENDER } from "../view/fixtures.ts";
import { TEST_KEYS } from "./signing-keys.ts";

/**
 * Views for PDF tests, made by hand from sample profiles: the real view builder over a fixed decision, so
 * the PDF tests depend on the view's shape but not on the catalogue or the rules engine.
 */

/** The test suite's own signing keys. */
export const KEYS = TEST_KEYS;
export const LINKS = {
  payBase: "https://pay.northwind-energy.example/p",
  unsubscribeBase: "https://www.northwind-energy.example/unsubscribe",
  trackBase: "https://go.northwind-energy.example/r",
};

let samples: Profile[] | undefined;

/** The 200 sample customers. */
export function sampleProfiles(): Profile[] {
  if (!samples) {
    const lines = readFileSync(new URL("../../samples/customers-200.ndjson", import.meta.url), "utf8")
      .split("\n")
      .filter(Boolean);
    samples = lines.map((l, i) => {
      const r = parseProfileLine(l, i + 1);
      if (!r.ok) throw new Error(`sample line ${i + 1} is invalid`);
      return r.value;
    });
  }
  return samples;
}

export const sampleProfile = (id: string): Profile => structuredClone(sampleProfiles().find((p) => p.id === id)!);

export function labelsFor(template: string, language: Language): Record<string, string> {
  return parseYaml(
    readFileSync(new URL(`../../templates/${template}/locales/${language}.yaml`, import.meta.url), "utf8"),
  );
}

const COPY: Record<Language, Record<string, [string, string, string]>> = {
  en: {
    hero: [
      "Fix your price for 24 months",
      "Switch to Fixed 24 and pay the same unit rate until 2028, whatever happens to wholesale prices.",
      "See the fixed tariff",
    ],
    smart: [
      "Get a free smart meter",
      "No more estimated bills: readings are sent automatically.",
      "Book an installation",
    ],
    paperless: ["Go paperless", "Get your statements by email and save paper.", ""],
    cap: [
      "Price cap change",
      "From 1 January the price cap changes; your unit rates stay within it.",
      "Read about the price cap",
    ],
    tariff: [
      "Tariff information",
      "Your tariff details and the cheapest tariff for you are printed on the back of this page.",
      "",
    ],
  },
  fr: {
    hero: [
      "Bloquez votre prix pendant 24 mois",
      "Passez à l'offre Fixe 24 et payez le même prix du kWh jusqu'en 2028, quoi qu'il arrive sur les marchés.",
      "Voir l'offre à prix fixe",
    ],
    smart: [
      "Un compteur communicant offert",
      "Fini les factures estimées : vos relevés sont transmis automatiquement.",
      "Prendre rendez-vous",
    ],
    paperless: ["Passez au sans papier", "Recevez vos relevés par e-mail.", ""],
    cap: [
      "Évolution du bouclier tarifaire",
      "Au 1er janvier, le plafond évolue ; vos prix restent en dessous.",
      "En savoir plus",
    ],
    tariff: ["Informations tarifaires", "Le détail de votre tarif figure au verso.", ""],
  },
  de: {
    hero: [
      "Sichern Sie sich 24 Monate Festpreis",
      "Wechseln Sie zu Fix 24 und zahlen Sie bis 2028 denselben Arbeitspreis, egal wie sich die Großhandelspreise entwickeln.",
      "Zum Festpreistarif",
    ],
    smart: [
      "Kostenloser Smart Meter",
      "Keine geschätzten Rechnungen mehr: Zählerstände werden automatisch übermittelt.",
      "Termin vereinbaren",
    ],
    paperless: ["Papierlos werden", "Erhalten Sie Ihre Abrechnungen per E-Mail.", ""],
    cap: [
      "Änderung der Preisobergrenze",
      "Ab 1. Januar ändert sich die Preisobergrenze; Ihre Preise bleiben darunter.",
      "Mehr erfahren",
    ],
    tariff: ["Tarifinformationen", "Ihre Tarifdetails finden Sie auf der Rückseite.", ""],
  },
};

function item(
  id: string,
  slot: SlotName,
  language: Language,
  channels: ChosenItem["channels"],
  kind: ChosenItem["kind"] = "offer",
): ChosenItem {
  const [headline, body, cta] = COPY[language][id];
  return {
    id,
    kind,
    slot,
    priority: 50,
    channels,
    marketing: kind === "offer",
    copy: {
      headline,
      body,
      ...(cta ? { cta: { label: cta, url: `https://www.northwind-energy.example/${id}` } } : {}),
    },
  };
}

export interface DecisionShape {
  hero?: boolean;
  secondary?: number;
  /** Channels of the secondary offers (the second one is email-only by default: absent on paper). */
  emailOnlySecond?: boolean;
}

/** A decision with a hero, up to two secondary offers and two notices, copy in the customer's language. */
export function fixedDecision(p: Profile, runDate: string, shape: DecisionShape = {}): Decision {
  const lang = p.preferences.language;
  const all: ChosenItem["channels"] = ["print", "email", "sms"];
  const secondary = [
    item("smart", "secondary", lang, all),
    item("paperless", "secondary", lang, shape.emailOnlySecond ? ["email"] : all),
  ];
  return {
    customerId: p.id,
    runDate,
    language: lang,
    slots: {
      hero: shape.hero === false ? [] : [item("hero", "hero", lang, all)],
      secondary: secondary.slice(0, shape.secondary ?? 2),
      notice: [item("cap", "notice", lang, all, "regulatory"), item("tariff", "notice", lang, ["print"], "regulatory")],
    },
    trace: [],
  };
}

/** The view of a profile as the PDF channel receives it. */
export function pdfView(p: Profile, shape: DecisionShape = {}, template = "energy-bill"): View {
  const runDate = p.account.statementDate;
  return buildView({
    profile: p,
    decision: fixedDecision(p, runDate, shape),
    labels: labelsFor(template, p.preferences.language),
    runDate,
    keys: KEYS,
    links: LINKS,
    sender: SENDER,
  });
}

/** A profile with `n` charge lines (a long statement). */
export function withCharges(p: Profile, n: number): Profile {
  const q = structuredClone(p);
  q.account.charges = Array.from({ length: n }, (_, i) => ({
    description: `Charge line ${i + 1}: ${i % 3 === 0 ? "Standard Variable Electricity — energy used" : i % 3 === 1 ? "Standing charge" : "Smart Meter rental"}`,
    quantity: 10 + i,
    unit: i % 3 === 1 ? "day" : "kWh",
    rate: 0.25,
    amount: Math.round((10 + i) * 25) / 100,
  }));
  return q;
}
