import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type CompiledSms, type SmsPart, countSegments, fitToBudget } from "../../../src/channels/sms/index.ts";
import type { Language } from "../../../src/profile/index.ts";
import { makeItem, makeProfile, viewOf } from "../../view/fixtures.ts";
import { compileSms, renderSms } from "./support.ts";

const OPT_OUT = "Reply STOP to opt out";
const word = fc.constantFrom(
  "a",
  "bill",
  "€",
  "Δ",
  "Дмитрий",
  "ü",
  "{x}",
  "😀",
  "Nguyễn",
  "https://x.example/p?a=1&s=Zk_-9",
);
const partText = fc.array(word, { minLength: 1, maxLength: 40 }).map((w) => w.join(" "));
const parts = fc
  .array(
    fc.record({
      text: partText,
      drop: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      marketing: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((ps) => ps.map((p, i): SmsPart => ({ name: `p${i}`, ...p })));

const assemble = (ps: SmsPart[]) => {
  const text = ps.map((p) => p.text).join(" ");
  return ps.some((p) => p.marketing) ? `${text} ${OPT_OUT}` : text;
};

describe("SMS budget properties", () => {
  it("a fitted text is within budget, keeps every required part whole, and is made only of whole parts", () => {
    fc.assert(
      fc.property(parts, fc.integer({ min: 1, max: 4 }), (ps, budget) => {
        const r = fitToBudget(ps, budget, OPT_OUT);
        const required = ps.filter((p) => p.drop === undefined);
        const kept = ps.filter((p) => r.kept.includes(p.name));
        expect(r.text).toBe(assemble(kept));
        expect(r.count).toEqual(countSegments(r.text));
        expect(required.every((p) => r.kept.includes(p.name))).toBe(true);
        expect(r.fits).toBe(countSegments(assemble(required)).segments <= budget);
        if (r.fits) expect(r.count.segments).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 300 },
    );
  });

  describe("the energy-bill template", () => {
    let sms: CompiledSms;
    beforeAll(async () => {
      sms = await compileSms();
    });

    it("never exceeds its budget and never drops the balance, whatever the name, amount or language", async () => {
      const locales = fc.constantFrom(
        ["en-GB", "GBP", "en"] as const,
        ["en-IE", "EUR", "en"] as const,
        ["fr-FR", "EUR", "fr"] as const,
        ["de-DE", "EUR", "de"] as const,
      );
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: "grapheme", maxLength: 100 }),
          fc.integer({ min: -500_000, max: 5_000_000 }),
          locales,
          fc.boolean(),
          async (first, pence, [locale, currency, language], withOffer) => {
            const profile = makeProfile({
              locale,
              currency,
              language: language as Language,
              name: { first, last: "O'Neil" },
            });
            profile.account.balanceDue = pence / 100;
            const view = viewOf(profile, withOffer ? [makeItem({ id: "smart-meter" })] : []);
            const { result } = await renderSms(sms, view);
            if (!result.ok) {
              expect(result.problems[0].code).toBe("OMD_SMS_OVER_BUDGET");
              return;
            }
            expect(result.value.segments).toBeLessThanOrEqual(2);
            expect(result.value.parts).toContain("balance");
            expect(result.value.text).toContain(view.account.balanceDue.replace(/\s/g, " "));
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
