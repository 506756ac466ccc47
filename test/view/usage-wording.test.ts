import { describe, expect, it } from "vitest";
import { parseProfileLine } from "../../src/index.ts";
import { LANGUAGES, type Language, type Profile } from "../../src/profile/index.ts";
import { generateLines } from "../support/customers.ts";
import { makeProfile, viewOf } from "./fixtures.ts";

/** The usage sentence knows a month with no reading, or a zero one, from a low one. */

const OCTOBER = "2026-10";
const LOCALE: Record<Language, { locale: string; currency: string }> = {
  en: { locale: "en-GB", currency: "GBP" },
  fr: { locale: "fr-FR", currency: "EUR" },
  de: { locale: "de-DE", currency: "EUR" },
};

/** The profile with October read as `value`, or with no October reading at all. */
function withOctober(p: Profile, value: number | "missing"): Profile {
  const monthly =
    value === "missing"
      ? p.usage.monthly.filter((m) => m.month !== OCTOBER)
      : p.usage.monthly.map((m) => (m.month === OCTOBER ? { ...m, value } : m));
  return { ...p, usage: { ...p.usage, monthly } };
}

const summaryOf = (language: Language, october: number | "missing", peerAverage = 400) => {
  const p = withOctober(makeProfile({ language, ...LOCALE[language] }), october);
  return viewOf({ ...p, usage: { ...p.usage, peerAverage } }).usage.summary;
};

/** A percentage in any of the languages: `7%`, `7 %`, `7\u00a0%`. */
const PERCENT = /\d\s?%/u;

describe("the usage sentence", () => {
  it("says a zero month was read as zero, and a missing one has no reading, with no comparison", () => {
    expect(summaryOf("en", 0)).toBe("We recorded no energy use in October.");
    expect(summaryOf("en", "missing")).toBe("We have no meter reading for October.");
    expect(summaryOf("fr", 0)).toBe("Aucune consommation n’a été relevée en octobre.");
    expect(summaryOf("fr", "missing")).toBe("Nous n’avons pas de relevé de compteur pour octobre.");
    expect(summaryOf("de", 0)).toBe("Für Oktober wurde kein Verbrauch erfasst.");
    expect(summaryOf("de", "missing")).toBe("Für Oktober liegt uns kein Zählerstand vor.");
  });

  it("compares a low month, but never calls any use 100% less", () => {
    expect(summaryOf("en", 200)).toBe("You used 200 kWh in October, 50% less than similar homes.");
    expect(summaryOf("en", 1)).toBe("You used 1 kWh in October, 99% less than similar homes.");
    expect(summaryOf("en", 400)).toBe("You used 400 kWh in October, about the same as similar homes.");
  });

  it("over generated customers in every language, compares only a month with a reading above zero", () => {
    const seen = { recorded: 0, zero: 0, missing: 0 };
    for (const [i, line] of generateLines(300, "--seed", "15").entries()) {
      const parsed = parseProfileLine(line, i + 1);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      // Every third customer loses the October reading: the generator makes zero months, not missing ones.
      const p = i % 3 === 2 ? withOctober(parsed.value, "missing") : parsed.value;
      const october = p.usage.monthly.find((m) => m.month === OCTOBER)?.value;
      const reading = october === undefined ? "missing" : october === 0 ? "zero" : "recorded";
      seen[reading]++;
      for (const language of LANGUAGES) {
        const view = viewOf({ ...p, preferences: { ...p.preferences, language } });
        expect(view.usage.billed).toEqual({ month: OCTOBER, reading });
        const summary = view.usage.summary;
        expect(summary, `${p.id} ${language}`).not.toBe("");
        expect(PERCENT.test(summary), `${p.id} ${language}: ${summary}`).toBe(
          reading === "recorded" && !/same|autant|etwa so viel/.test(summary),
        );
        expect(summary).not.toMatch(/100\s?%/u);
      }
    }
    expect(seen.zero).toBeGreaterThan(3);
    expect(seen.missing).toBe(100);
  });
});
