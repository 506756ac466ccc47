import type { Charge, Language, Profile, Segment } from "../profile/types.ts";
import type { Market, Prices } from "./markets.ts";
import type { Random } from "./random.ts";

/** Every sample statement is for October 2026, issued on 1 November and due three weeks later. */
const DATES = {
  statementDate: "2026-11-01",
  periodStart: "2026-10-01",
  periodEnd: "2026-10-31",
  dueDate: "2026-11-22",
};
const BILLED_DAYS = 31;

type Tariff = keyof Prices["electricity"] & `ELEC-${string}`;
type Code = Tariff | "GAS-STD" | "BB-FIBRE" | "BOILER-CARE" | "SMART-METER" | "SOLAR-EXPORT";

const PRODUCT_NAMES: Record<Code, Record<Language, string>> = {
  "ELEC-STD": { en: "Standard Variable Electricity", fr: "Électricité prix variable", de: "Strom Grundversorgung" },
  "ELEC-FIX24": { en: "Fixed 24 Electricity", fr: "Électricité prix fixe 24 mois", de: "Strom Festpreis 24" },
  "ELEC-EV": { en: "EV Night Saver Electricity", fr: "Électricité Heures Creuses VE", de: "Strom E-Auto Nachttarif" },
  "GAS-STD": { en: "Standard Variable Gas", fr: "Gaz prix variable", de: "Erdgas Grundversorgung" },
  "BB-FIBRE": { en: "Fibre Broadband 150", fr: "Fibre 150 Mbit/s", de: "Glasfaser 150" },
  "BOILER-CARE": { en: "Boiler Care Plus", fr: "Entretien chaudière Plus", de: "Heizungswartung Plus" },
  "SMART-METER": { en: "Smart Meter", fr: "Compteur communicant", de: "Intelligenter Zähler" },
  "SOLAR-EXPORT": { en: "Solar Export Tariff", fr: "Revente solaire", de: "Solar-Einspeisevergütung" },
};

const WORDS: Record<Language, { used: string; standing: string; correction: string; site: string }> = {
  en: { used: "energy used", standing: "standing charge", correction: "Meter read correction no.", site: "Site" },
  fr: { used: "consommation", standing: "abonnement", correction: "Régularisation de relevé n°", site: "Site" },
  de: { used: "Verbrauch", standing: "Grundpreis", correction: "Korrektur der Zählerablesung Nr.", site: "Standort" },
};

/** Share of customers whose statement itemises 25 to 60 lines and so runs over several pages. */
const LONG_STATEMENT = 0.05;

/** Where an account stands before this statement; weights by segment (vulnerable customers fall behind more). */
type Standing = "settled" | "credit" | "arrears";
const STANDING: Record<Segment, readonly (readonly [Standing, number])[]> = {
  residential: [
    ["settled", 78],
    ["credit", 13],
    ["arrears", 9],
  ],
  "small-business": [
    ["settled", 80],
    ["credit", 10],
    ["arrears", 10],
  ],
  vulnerable: [
    ["settled", 70],
    ["credit", 12],
    ["arrears", 18],
  ],
};

const cents = (x: number) => Math.round(x * 100);
const money = (c: number) => c / 100;

function charge(description: string, quantity: number, unit: string, rate: number): Charge {
  return { description, quantity, unit, rate, amount: money(cents(quantity * rate)) };
}

export interface Account {
  products: Profile["products"];
  account: Profile["account"];
}

/** Products, the month's charges from the usage, and a balance that reconciles to the cent. */
export function sampleAccount(r: Random, market: Market, segment: Segment, usage: Profile["usage"]): Account {
  const { prices, language } = market;
  const words = WORDS[language];
  const business = segment === "small-business";
  const tariff = r.weighted<Tariff>([
    ["ELEC-STD", 50],
    ["ELEC-FIX24", 35],
    ["ELEC-EV", 15],
  ]);
  const gas = r.chance(0.45);
  const codes: Code[] = [tariff];
  if (gas) codes.push("GAS-STD");
  if (r.chance(0.2)) codes.push("BB-FIBRE");
  if (gas && r.chance(0.35)) codes.push("BOILER-CARE");
  if (r.chance(0.4)) codes.push("SMART-METER");
  if (!business && r.chance(0.08)) codes.push("SOLAR-EXPORT");
  const name = (code: Code) => PRODUCT_NAMES[code][language];

  const billed = usage.monthly[usage.monthly.length - 1].value;
  const charges: Charge[] = [
    charge(`${name(tariff)} — ${words.used}`, billed, "kWh", prices.electricity[tariff]),
    charge(`${name(tariff)} — ${words.standing}`, BILLED_DAYS, "day", prices.electricity.standing),
  ];
  if (gas) {
    const kwh = Math.round(business ? r.between(2000, 8000) : r.between(300, 1500));
    charges.push(charge(`${name("GAS-STD")} — ${words.used}`, kwh, "kWh", prices.gas.unit));
    charges.push(charge(`${name("GAS-STD")} — ${words.standing}`, BILLED_DAYS, "day", prices.gas.standing));
  }
  if (codes.includes("BB-FIBRE")) charges.push(charge(name("BB-FIBRE"), 1, "month", prices.broadband));
  if (codes.includes("BOILER-CARE")) charges.push(charge(name("BOILER-CARE"), 1, "month", prices.boilerCare));
  // Exported solar energy is paid for: a line with a negative rate that lowers the bill.
  if (codes.includes("SOLAR-EXPORT"))
    charges.push(charge(name("SOLAR-EXPORT"), r.int(20, 250), "kWh", -prices.solarExport));
  if (r.chance(LONG_STATEMENT)) {
    const n = r.int(25, 60);
    for (let k = 1; k <= n; k++)
      charges.push(
        business
          ? charge(`${words.site} ${k} — ${words.used}`, r.int(40, 900), "kWh", prices.electricity[tariff])
          : charge(`${words.correction} ${k}`, r.int(-60, 60), "kWh", prices.electricity[tariff]),
      );
  }

  const subtotal = charges.reduce((s, c) => s + cents(c.amount), 0);
  const vat = Math.round(subtotal * (business ? market.vat.business : market.vat.home));
  const due = subtotal + vat;
  const scale = business ? 4 : 1;
  const standing = r.weighted(STANDING[segment]);
  let previous: number;
  let paid: number;
  if (standing === "credit") {
    // Overpaid so far: the credit carried in is larger than this month's bill.
    previous = -(Math.max(due, 0) + cents(r.between(5, 250)));
    paid = 0;
  } else if (standing === "arrears") {
    previous = cents(r.between(150, 900) * scale);
    paid = r.chance(0.5) ? 0 : Math.round(previous * r.between(0.1, 0.5));
  } else {
    previous = cents(r.between(0, 400) * scale);
    paid = previous;
  }
  return {
    products: codes.map((code) => ({ code, name: name(code) })),
    account: {
      number: String(r.int(1_000_000_000, 9_999_999_999)),
      ...DATES,
      previousBalance: money(previous),
      paymentsReceived: money(paid),
      charges,
      subtotal: money(subtotal),
      vat: money(vat),
      balanceDue: money(previous - paid + due),
      directDebit: standing !== "arrears" && r.chance(0.6),
      inArrears: standing === "arrears",
    },
  };
}
