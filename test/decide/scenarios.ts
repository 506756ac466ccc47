import fc from "fast-check";
import {
  type Catalogue,
  type CustomerHistory,
  NO_HISTORY,
  type ResponseKind,
  loadCatalogue,
} from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import type { Profile } from "../../src/profile/index.ts";
import { SAMPLE_PROFILES } from "./fixtures.ts";

const loaded = loadCatalogue(nodeWorld(), "samples/catalogue.yaml");
if (!loaded.ok) throw new Error("sample catalogue does not load");
export const catalogue: Catalogue = loaded.value;

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

export const isoDay = (base: string, offset: number) =>
  new Date(Date.parse(base) + offset * 86400000).toISOString().slice(0, 10);

/** A generated profile: a real record from the reference extract with the fields decisions turn on varied. */
export const scenario = fc
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

const at = (runDate: string, offset: number) => `${isoDay(runDate, offset)}T09:30:00Z`;
const OFFERS = catalogue.items.filter((i) => i.kind === "offer").map((i) => i.id);
const ITEMS = catalogue.items.map((i) => i.id);

/**
 * A generated relationship around a run date: complaints and consents from other systems, responses to the
 * catalogue's offers, offers of record (some of them on the run date itself, some after it) and opt-outs.
 */
export const relationship = (runDate: string): fc.Arbitrary<CustomerHistory> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant(NO_HISTORY) },
    {
      weight: 4,
      arbitrary: fc.record({
        interactions: fc.array(
          fc.record({
            at: fc.integer({ min: -120, max: 10 }).map((d) => at(runDate, d)),
            source: fc.constantFrom("genesys", "web"),
            sourceId: fc.string({ maxLength: 4 }),
            channel: fc.constantFrom("call-centre", "chat"),
            topic: fc.constantFrom("complaint", "marketing-consent", "billing", "tariff-change"),
          }),
          { maxLength: 4 },
        ),
        responses: fc.array(
          fc.record({
            at: fc.integer({ min: -400, max: 10 }).map((d) => at(runDate, d)),
            offerId: fc.constantFrom(...OFFERS),
            response: fc.constantFrom<ResponseKind>("clicked", "accepted", "declined", "not-now"),
            source: fc.constantFrom("link", "call-centre"),
            sourceId: fc.string({ maxLength: 4 }),
          }),
          { maxLength: 5 },
        ),
        offers: fc.array(
          fc.record({
            at: fc.integer({ min: -120, max: 5 }).map((d) => `${isoDay(runDate, d)}T00:00:00Z`),
            offerId: fc.constantFrom(...ITEMS),
            marketing: fc.boolean(),
            channels: fc.subarray(["print", "email", "sms"], { minLength: 1 }),
          }),
          { maxLength: 8 },
        ),
        optOuts: fc.array(
          fc.record({
            at: fc.integer({ min: -200, max: 10 }).map((d) => at(runDate, d)),
            source: fc.constantFrom("unsubscribe", "call-centre"),
            sourceId: fc.string({ maxLength: 4 }),
          }),
          { maxLength: 2 },
        ),
      }),
    },
  );
