import { describe, expect, it } from "vitest";
import { type Catalogue, decide, loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { RUN_DATE, SAMPLE_PROFILES, customer } from "./fixtures.ts";

const loaded = loadCatalogue(nodeWorld(), "samples/catalogue.yaml");
if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.at}: ${p.message}`).join("\n"));
const catalogue: Catalogue = loaded.value;

/** GSM 03.38 basic alphabet: SMS copy in it needs no UCS-2, which would halve a message. */
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

describe("the Northwind Energy sample catalogue", () => {
  it("loads with the items a retailer's contact strategy needs", () => {
    expect(catalogue.items.length).toBeGreaterThanOrEqual(14);
    expect(new Set(catalogue.items.map((i) => i.kind))).toEqual(new Set(["offer", "service", "regulatory"]));
    for (const id of ["smart-meter-upgrade", "payment-plan", "vulnerable-support", "complaint-care", "winter-guide"]) {
      expect(catalogue.items.map((i) => i.id)).toContain(id);
    }
    expect(catalogue.items.find((i) => i.id === "winter-guide")?.qr).toBe(true);
  });

  it("has copy in English, French and German, and SMS text short enough to share one message", () => {
    for (const item of catalogue.items) {
      for (const language of ["en", "fr", "de"] as const) {
        const copy = item.copy[language];
        expect(copy, `${item.id} ${language}`).toBeDefined();
        expect(copy?.headline.length).toBeGreaterThan(5);
        expect(copy?.cta?.url).toMatch(new RegExp(`^https://www\\.northwind-energy\\.example/${language}/`));
        if (item.channels.includes("sms")) {
          expect(copy?.sms?.length, `${item.id} ${language}`).toBeLessThanOrEqual(70);
          expect(copy?.sms, `${item.id} ${language}`).toMatch(GSM7);
        } else expect(copy?.sms).toBeUndefined();
      }
    }
  });

  it("gives every sample customer both regulatory notices and never a sales offer against the policy", () => {
    for (const p of SAMPLE_PROFILES) {
      const d = decide(catalogue, p, { runDate: p.account.statementDate });
      expect(d.slots.notice.map((n) => n.id)).toEqual(["price-cap-notice", "tariff-change-notice"]);
      if (p.segment === "vulnerable")
        expect(d.slots.hero.concat(d.slots.secondary).every((c) => c.kind !== "offer")).toBe(true);
      if (p.account.inArrears) expect(d.slots.hero.map((c) => c.id)).toContain("payment-plan");
    }
  });

  it("gives a vulnerable customer in arrears a payment plan and the Priority Services message, in French", () => {
    const p = customer((x) => {
      x.segment = "vulnerable";
      x.account.inArrears = true;
      x.preferences.language = "fr";
    });
    const d = decide(catalogue, p, { runDate: RUN_DATE });
    expect(d.slots.hero.map((c) => c.id)).toEqual(["payment-plan"]);
    expect(d.slots.secondary.map((c) => c.id)).toContain("vulnerable-support");
    expect(d.slots.hero[0].copy.headline).toBe("Trouvons ensemble un échéancier adapté");
  });

  it("puts the apology first for a customer who complained last week", () => {
    const p = customer((x) => {
      x.interactions = [{ date: "2026-10-25", channel: "call-centre", topic: "complaint" }];
    });
    const d = decide(catalogue, p, { runDate: RUN_DATE });
    expect(d.slots.hero.map((c) => c.id)).toEqual(["complaint-care"]);
    expect(d.trace.filter((t) => t.rule === "recent-complaint").length).toBeGreaterThan(3);
  });
});
