import type { Almanac, RuleProperties, TopLevelCondition } from "json-rules-engine";
import type { Profile } from "../../src/profile/index.ts";

/**
 * The sample catalogue's eligibility expressions written as json-rules-engine rules, one per item, so the
 * baseline evaluates the same conditions. The domain functions become dynamic facts with parameters.
 */

const profile = (path: string, operator: string, value: unknown) => ({
  fact: "profile",
  path: `$.${path}`,
  operator,
  value,
});
const always: TopLevelCondition = { all: [profile("id", "present", true)] };
const holds = (code: string) => ({ fact: "holds", params: { code }, operator: "equal", value: true });
const daysSince = (topic: string, operator: string, value: number) => ({
  fact: "daysSince",
  params: { topic },
  operator,
  value,
});
const usageAverage = (operator: string, value: number) => ({ fact: "usageAverage", operator, value });

export const ELIGIBILITY: Record<string, TopLevelCondition> = {
  "price-cap-notice": always,
  "tariff-change-notice": always,
  "complaint-care": { all: [daysSince("complaint", "lessThanInclusive", 30)] },
  "payment-plan": { all: [profile("account.inArrears", "equal", true)] },
  "vulnerable-support": { all: [profile("segment", "equal", "vulnerable")] },
  "winter-guide": { all: [{ fact: "usageTotal", operator: "greaterThan", value: 0 }] },
  "loyalty-thanks": { all: [profile("tenureMonths", "greaterThanInclusive", 120)] },
  "ev-night-tariff": { any: [daysSince("tariff-change", "lessThanInclusive", 90), usageAverage("greaterThan", 550)] },
  "fixed-tariff-switch": {
    all: [
      holds("ELEC-STD"),
      { any: [usageAverage("greaterThan", 450), profile("segment", "equal", "small-business")] },
    ],
  },
  "smart-meter-upgrade": { all: [profile("tenureMonths", "greaterThanInclusive", 3)] },
  "business-energy-review": {
    all: [profile("segment", "equal", "small-business"), profile("tenureMonths", "greaterThanInclusive", 12)],
  },
  "direct-debit-discount": {
    all: [profile("account.directDebit", "equal", false), profile("account.inArrears", "equal", false)],
  },
  "paperless-switch": {
    all: [profile("preferences.paperless", "equal", false), profile("contact.email", "present", true)],
  },
  "boiler-care-bundle": { all: [holds("GAS-STD"), profile("account.inArrears", "equal", false)] },
  "broadband-bundle": {
    all: [
      profile("segment", "equal", "residential"),
      profile("tenureMonths", "greaterThanInclusive", 6),
      profile("account.inArrears", "equal", false),
    ],
  },
  "solar-export": { all: [holds("SMART-METER"), profile("segment", "equal", "residential")] },
};

export function rules(): RuleProperties[] {
  return Object.entries(ELIGIBILITY).map(([id, conditions]) => ({ name: id, conditions, event: { type: id } }));
}

const DAY_MS = 86400000;

/** Facts computed from the profile and the run date, as the domain functions compute them. */
export const DYNAMIC_FACTS = {
  holds: async (params: { code: string }, almanac: Almanac) =>
    ((await almanac.factValue("profile")) as Profile).products.some((p) => p.code === params.code),
  usageTotal: async (_: unknown, almanac: Almanac) =>
    ((await almanac.factValue("profile")) as Profile).usage.monthly.reduce((s, m) => s + m.value, 0),
  usageAverage: async (_: unknown, almanac: Almanac) => {
    const months = ((await almanac.factValue("profile")) as Profile).usage.monthly;
    return months.length === 0 ? 0 : months.reduce((s, m) => s + m.value, 0) / months.length;
  },
  daysSince: async (params: { topic: string }, almanac: Almanac) => {
    const p = (await almanac.factValue("profile")) as Profile;
    const runDate = (await almanac.factValue("runDate")) as string;
    let latest = "";
    for (const i of p.interactions)
      if (i.topic === params.topic && i.date > latest && i.date <= runDate) latest = i.date;
    return latest === "" ? 100000 : (Date.parse(runDate) - Date.parse(latest)) / DAY_MS;
  },
};
