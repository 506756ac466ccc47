import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SLOT_CAPACITY, decide } from "../../src/decide/index.ts";
import { type Profile, validateProfile } from "../../src/profile/index.ts";
import { catalogue, isoDay, scenario } from "./scenarios.ts";

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
