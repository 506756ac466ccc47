import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Catalogue, SLOT_CAPACITY, decide, loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { SAMPLE_PROFILES } from "./fixtures.ts";

const loaded = loadCatalogue(nodeWorld(), "samples/catalogue.yaml");
if (!loaded.ok) throw new Error("sample catalogue does not load");
const catalogue: Catalogue = loaded.value;

const PRODUCTS = [
  "ELEC-STD",
  "ELEC-FIX24",
  "ELEC-EV",
  "GAS-STD",
  "BB-FIBRE",
  "BOILER-CARE",
  "SMART-METER",
  "SOLAR-EXPORT",
];
const TOPICS = ["billing", "complaint", "payment-plan", "tariff-change", "outage"];
const RUN_DATES = ["2026-09-15", "2026-11-01", "2026-12-20", "2027-04-01"];

const isoDay = (base: string, offset: number) =>
  new Date(Date.parse(base) + offset * 86400000).toISOString().slice(0, 10);

/** A generated profile: a real record from the reference extract with the fields decisions turn on varied. */
const scenario = fc
  .record({
    base: fc.integer({ min: 0, max: SAMPLE_PROFILES.length - 1 }),
    runDate: fc.constantFrom(...RUN_DATES),
    segment: fc.constantFrom("residential", "small-business", "vulnerable" as const),
    consent: fc.boolean(),
    paperless: fc.boolean(),
    inArrears: fc.boolean(),
    directDebit: fc.boolean(),
    tenure: fc.integer({ min: 0, max: 240 }),
    language: fc.constantFrom("en", "fr", "de" as const),
    channels: fc.subarray(["print", "email", "sms"] as const),
    products: fc.subarray(PRODUCTS),
    monthly: fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 12 }),
    interactions: fc.array(
      fc.record({ offset: fc.integer({ min: -120, max: 30 }), topic: fc.constantFrom(...TOPICS) }),
      { maxLength: 6 },
    ),
    capped: fc.subarray(catalogue.items.map((i) => i.id)),
  })
  .map((s) => {
    const p: Profile = structuredClone(SAMPLE_PROFILES[s.base]);
    p.segment = s.segment;
    p.tenureMonths = s.tenure;
    p.preferences = {
      channels: [...s.channels],
      paperless: s.paperless,
      marketingConsent: s.consent,
      language: s.language,
    };
    p.products = s.products.map((code) => ({ code, name: code }));
    p.account.inArrears = s.inArrears;
    p.account.directDebit = s.directDebit;
    p.usage.monthly = s.monthly.map((value, i) => ({ month: `2026-${String(i + 1).padStart(2, "0")}`, value }));
    p.interactions = s.interactions.map((i) => ({ date: isoDay(s.runDate, i.offset), channel: "web", topic: i.topic }));
    return { profile: p, runDate: s.runDate, capped: new Set(s.capped) };
  });

function complainedWithin30(p: Profile, runDate: string): boolean {
  const from = isoDay(runDate, -30);
  return p.interactions.some((i) => i.topic === "complaint" && i.date >= from && i.date <= runDate);
}

describe("decisions over generated profiles", () => {
  it("never throw and always keep the contact policy and the slots' capacity", () => {
    fc.assert(
      fc.property(scenario, ({ profile, runDate, capped }) => {
        expect(validateProfile(structuredClone(profile)).ok).toBe(true);
        const d = decide(catalogue, profile, { runDate, capped });
        const chosen = [...d.slots.hero, ...d.slots.secondary, ...d.slots.notice];
        for (const slot of ["hero", "secondary", "notice"] as const) {
          expect(d.slots[slot].length).toBeLessThanOrEqual(SLOT_CAPACITY[slot]);
          for (const c of d.slots[slot]) expect(c.slot).toBe(slot);
        }
        if (profile.segment === "vulnerable") expect(chosen.filter((c) => c.kind === "offer")).toEqual([]);
        if (complainedWithin30(profile, runDate)) expect(chosen.filter((c) => c.kind === "offer")).toEqual([]);
        if (!profile.preferences.marketingConsent) expect(chosen.filter((c) => c.marketing)).toEqual([]);
        const held = new Set(profile.products.map((x) => x.code));
        for (const c of chosen) {
          const item = catalogue.items.find((i) => i.id === c.id);
          expect(item?.product === undefined || !held.has(item.product)).toBe(true);
          expect(capped.has(c.id)).toBe(false);
          expect(c.channels.some((ch) => profile.preferences.channels.includes(ch))).toBe(true);
        }
        expect(d.trace.map((t) => t.id)).toEqual(catalogue.items.map((i) => i.id));
        expect(decide(catalogue, profile, { runDate, capped })).toEqual(d);
      }),
      { numRuns: 400 },
    );
  });
});
