import { describe, expect, it } from "vitest";
import { type ChosenItem, type Decision, decide } from "../../src/decide/index.ts";
import { RUN_DATE, customer, item, mustLoad } from "./fixtures.ts";

const ruleOf = (d: Decision, id: string) => d.trace.find((t) => t.id === id)?.rule;
const ids = (items: { id: string }[]) => items.map((x) => x.id);

describe("arbitration", () => {
  it("chooses only items valid on the run date, bounds included", () => {
    const c = mustLoad(item("winter", { valid: "{ from: 2026-11-01, to: 2027-02-28 }" }));
    const on = (runDate: string) => ruleOf(decide(c, customer(), { runDate }), "winter");
    expect(on("2026-10-31")).toBe("validity");
    expect(on("2026-11-01")).toBe("chosen");
    expect(on("2027-02-28")).toBe("chosen");
    expect(on("2027-03-01")).toBe("validity");
    expect(decide(c, customer(), { runDate: "2027-03-01" }).trace[0].reason).toContain("from 2026-11-01 to 2027-02-28");
  });

  it("chooses at most one item of an exclusion group: the highest priority, across slots", () => {
    const c = mustLoad(
      item("low", { group: "tariff", priority: "10", slot: "hero" }) +
        item("high", { group: "tariff", priority: "90", slot: "secondary" }) +
        item("mid", { group: "tariff", priority: "50", slot: "notice" }) +
        item("other", { group: "bundle", priority: "5" }),
    );
    const d = decide(c, customer(), { runDate: RUN_DATE });
    expect(ruleOf(d, "high")).toBe("chosen");
    expect(ruleOf(d, "mid")).toBe("exclusion-group");
    expect(ruleOf(d, "low")).toBe("exclusion-group");
    expect(ruleOf(d, "other")).toBe("chosen");
    expect(d.trace.find((t) => t.id === "low")?.reason).toBe(
      'high of the same group "tariff" ranks higher and was chosen',
    );
  });

  it("lets a lower item of a group win when the higher one is not eligible", () => {
    const c = mustLoad(
      item("high", { group: "g", priority: "90", eligibility: "account.inArrears" }) +
        item("low", { group: "g", priority: "10" }),
    );
    const d = decide(c, customer(), { runDate: RUN_DATE });
    expect([ruleOf(d, "high"), ruleOf(d, "low")]).toEqual(["eligibility", "chosen"]);
  });

  it("fills hero with one, secondary with two and notice with any number, by priority", () => {
    const c = mustLoad(
      ["h1", "h2"].map((id, i) => item(id, { slot: "hero", priority: String(10 + i) })).join("") +
        ["s1", "s2", "s3"].map((id, i) => item(id, { slot: "secondary", priority: String(10 + i) })).join("") +
        ["n1", "n2", "n3", "n4", "n5"].map((id) => item(id, { slot: "notice" })).join(""),
    );
    const d = decide(c, customer(), { runDate: RUN_DATE });
    expect(ids(d.slots.hero)).toEqual(["h2"]);
    expect(ids(d.slots.secondary)).toEqual(["s3", "s2"]);
    expect(ids(d.slots.notice)).toEqual(["n1", "n2", "n3", "n4", "n5"]);
    expect([ruleOf(d, "h1"), ruleOf(d, "s1")]).toEqual(["slot-full", "slot-full"]);
  });

  it("keeps catalogue order between items of equal priority", () => {
    const c = mustLoad(item("first", { slot: "hero" }) + item("second", { slot: "hero" }));
    expect(ids(decide(c, customer(), { runDate: RUN_DATE }).slots.hero)).toEqual(["first"]);
  });

  it("excludes an item whose cap is used up in this run, and the next in line takes its place", () => {
    const c = mustLoad(item("capped", { slot: "hero", priority: "90", cap: "5000" }) + item("next", { slot: "hero" }));
    const d = decide(c, customer(), { runDate: RUN_DATE, capped: new Set(["capped"]) });
    expect(ruleOf(d, "capped")).toBe("cap");
    expect(d.trace.find((t) => t.id === "capped")?.reason).toContain("5000");
    expect(ids(d.slots.hero)).toEqual(["next"]);
    expect(ids(decide(c, customer(), { runDate: RUN_DATE }).slots.hero)).toEqual(["capped"]);
  });

  it("traces every item exactly once, and says why in words", () => {
    const c = mustLoad(
      item("a", { slot: "hero" }) +
        item("b", { slot: "hero" }) +
        item("c", { eligibility: "account.inArrears" }) +
        item("d", { kind: "offer", marketing: "true" }) +
        item("e", { valid: "{ to: 2020-01-01 }" }),
    );
    const d = decide(
      c,
      customer((p) => {
        p.preferences.marketingConsent = false;
      }),
      { runDate: RUN_DATE },
    );
    expect(d.trace.map((t) => t.id).sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(d.trace.map((t) => t.rule).sort()).toEqual(["chosen", "consent", "eligibility", "slot-full", "validity"]);
    for (const t of d.trace) {
      expect(t.reason.length).toBeGreaterThan(10);
      expect(t.chosen).toBe(t.rule === "chosen");
    }
    const chosen = new Set([...d.slots.hero, ...d.slots.secondary, ...d.slots.notice].map((x) => x.id));
    expect(new Set(d.trace.filter((t) => t.chosen).map((t) => t.id))).toEqual(chosen);
  });

  it("resolves copy for the customer's language, falling back to English", () => {
    const c = mustLoad(
      item("both", {
        copy: "{ en: { headline: Hello, body: b }, fr: { headline: Bonjour, body: b } }",
        slot: "notice",
      }) + item("english", { copy: "{ en: { headline: Only English, body: b } }", slot: "notice" }),
    );
    const d = decide(
      c,
      customer((p) => {
        p.preferences.language = "fr";
      }),
      { runDate: RUN_DATE },
    );
    expect(d.language).toBe("fr");
    expect(d.slots.notice.map((x) => x.copy.headline)).toEqual(["Bonjour", "Only English"]);
  });

  it("is deterministic and leaves shared results unchangeable", () => {
    const c = mustLoad(item("a", { slot: "hero" }) + item("b", { eligibility: "usageTotal() > 1" }));
    const p = customer();
    const before = JSON.stringify(p);
    const first = decide(c, p, { runDate: RUN_DATE });
    expect(decide(c, p, { runDate: RUN_DATE })).toEqual(first);
    expect(JSON.stringify(p)).toBe(before);
    expect(() => {
      (first.slots.hero[0].copy as { headline: string }).headline = "changed";
    }).toThrow(TypeError);
    expect(Object.isFrozen(c.items)).toBe(true);
  });
});

describe("A/B experiments", () => {
  const c = mustLoad(
    item("ab", {
      slot: "hero",
      experiment:
        "{ id: hero-test, variants: [{ id: A, weight: 3 }, { id: B, weight: 1, copy: { en: { headline: Variant B } } }] }",
    }),
  );
  const variantOf = (id: string) =>
    decide(
      c,
      customer((p) => {
        p.id = id;
      }),
      { runDate: RUN_DATE },
    ).slots.hero[0];

  it("gives the same customer the same variant every time, with the variant's copy", () => {
    for (let i = 0; i < 20; i++) {
      const id = `C${String(i).padStart(7, "0")}`;
      const first = variantOf(id);
      expect(variantOf(id).experiment).toEqual(first.experiment);
      expect(first.copy.headline).toBe(first.experiment?.variant === "B" ? "Variant B" : "ab headline");
    }
  });

  it("splits customers by weight", () => {
    let b = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) if (variantOf(`C${String(i).padStart(7, "0")}`).experiment?.variant === "B") b++;
    // Expected 1000 of 4000; a fair split lies well within ±150 (about 5 standard deviations).
    expect(Math.abs(b - n / 4)).toBeLessThan(150);
  });

  it("lets a variant's body replace the paper and email words written for the body, unless it has its own", () => {
    const split = mustLoad(
      item("guide", {
        slot: "hero",
        copy: "{ en: { headline: Guide, body: Follow the link., print: { body: Scan the code or follow the link. } } }",
        experiment:
          "{ id: guide-test, variants: [{ id: A, weight: 1 }, { id: B, weight: 1, copy: { en: { body: Read it online. } } }, { id: C, weight: 1, copy: { en: { body: Read it now., print: { body: Scan it now. } } } }] }",
      }),
    );
    const seen = new Map<string, ChosenItem["copy"]>();
    for (let i = 0; seen.size < 3 && i < 200; i++) {
      const id = `C${String(i).padStart(7, "0")}`;
      const profile = customer((p) => {
        p.id = id;
      });
      const chosen = decide(split, profile, { runDate: RUN_DATE }).slots.hero[0];
      seen.set(chosen.experiment!.variant, chosen.copy);
    }
    expect(seen.get("A")).toMatchObject({
      body: "Follow the link.",
      print: { body: "Scan the code or follow the link." },
    });
    expect(seen.get("B")?.body).toBe("Read it online.");
    expect(seen.get("B")?.print).toBeUndefined();
    expect(seen.get("C")).toMatchObject({ body: "Read it now.", print: { body: "Scan it now." } });
  });

  it("says which variant in the trace", () => {
    const d = decide(c, customer(), { runDate: RUN_DATE });
    expect(d.trace[0].reason).toMatch(/variant [AB] of experiment hero-test/);
  });
});
