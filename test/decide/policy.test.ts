import { describe, expect, it } from "vitest";
import { type Decision, decide } from "../../src/decide/index.ts";
import { RUN_DATE, customer, item, mustLoad } from "./fixtures.ts";

const ruleOf = (d: Decision, id: string) => d.trace.find((t) => t.id === id)?.rule;
const chosenIds = (d: Decision) => [...d.slots.hero, ...d.slots.secondary, ...d.slots.notice].map((c) => c.id);

describe("contact policy", () => {
  const catalogue = mustLoad(
    item("sales", { kind: "offer", marketing: "true" }) +
      item("operational-offer", { kind: "offer", marketing: "false", slot: "notice" }) +
      item("care", { kind: "service", slot: "notice" }) +
      item("fibre", { kind: "offer", marketing: "true", product: "BB-FIBRE", slot: "notice" }),
  );

  it("makes no sales offer to a vulnerable customer, but still sends service messages", () => {
    const d = decide(
      catalogue,
      customer((p) => {
        p.segment = "vulnerable";
      }),
      { runDate: RUN_DATE },
    );
    expect(ruleOf(d, "sales")).toBe("vulnerable");
    expect(ruleOf(d, "operational-offer")).toBe("vulnerable");
    expect(chosenIds(d)).toEqual(["care"]);
    expect(d.trace.find((t) => t.id === "sales")?.reason).toMatch(/vulnerable/);
  });

  it("makes no sales offer to a customer who complained in the last 30 days", () => {
    const recent = customer((p) => {
      p.interactions = [{ date: "2026-10-05", channel: "call-centre", topic: "complaint" }];
    });
    const d = decide(catalogue, recent, { runDate: RUN_DATE });
    expect(ruleOf(d, "sales")).toBe("recent-complaint");
    expect(ruleOf(d, "care")).toBe("chosen");
  });

  it("counts the 30 days back from the run date: day 30 blocks, day 31 does not, later complaints are unknown", () => {
    const at = (date: string) =>
      customer((p) => {
        p.interactions = [{ date, channel: "web", topic: "complaint" }];
      });
    expect(ruleOf(decide(catalogue, at("2026-10-02"), { runDate: RUN_DATE }), "sales")).toBe("recent-complaint");
    expect(ruleOf(decide(catalogue, at("2026-10-01"), { runDate: RUN_DATE }), "sales")).toBe("chosen");
    expect(ruleOf(decide(catalogue, at("2026-11-05"), { runDate: RUN_DATE }), "sales")).toBe("chosen");
  });

  it("takes the complaint window from the catalogue's policy", () => {
    const strict = mustLoad(item("sales", { kind: "offer" }), "policy: { complaintWindowDays: 90 }\n");
    const p = customer((x) => {
      x.interactions = [{ date: "2026-09-01", channel: "web", topic: "complaint" }];
    });
    expect(ruleOf(decide(strict, p, { runDate: RUN_DATE }), "sales")).toBe("recent-complaint");
    expect(ruleOf(decide(catalogue, p, { runDate: RUN_DATE }), "sales")).toBe("chosen");
  });

  it("sends no marketing without consent, but service messages and non-marketing offers still go", () => {
    const d = decide(
      catalogue,
      customer((p) => {
        p.preferences.marketingConsent = false;
      }),
      { runDate: RUN_DATE },
    );
    expect(ruleOf(d, "sales")).toBe("consent");
    expect(ruleOf(d, "fibre")).toBe("consent");
    expect(ruleOf(d, "operational-offer")).toBe("chosen");
    expect(ruleOf(d, "care")).toBe("chosen");
  });

  it("never offers a product the customer already holds", () => {
    const holder = customer((p) => {
      p.products.push({ code: "BB-FIBRE", name: "Fibre Broadband 150" });
    });
    const d = decide(catalogue, holder, { runDate: RUN_DATE });
    expect(ruleOf(d, "fibre")).toBe("holds-product");
    expect(d.trace.find((t) => t.id === "fibre")?.reason).toContain("BB-FIBRE");
    expect(ruleOf(decide(catalogue, customer(), { runDate: RUN_DATE }), "fibre")).toBe("chosen");
  });

  it("leaves out an item none of whose channels reaches the customer", () => {
    const smsOnly = mustLoad(
      item("text-only", { channels: "[sms]", copy: "{ en: { headline: h, body: b, sms: s } }" }),
    );
    const d = decide(
      smsOnly,
      customer((p) => {
        p.preferences.channels = ["print", "email"];
      }),
      { runDate: RUN_DATE },
    );
    expect(ruleOf(d, "text-only")).toBe("channel");
  });

  it("lets regulatory notices win their slot over any priority", () => {
    const c = mustLoad(
      item("big-offer", { kind: "offer", slot: "hero", priority: "1000" }) +
        item("legal", { kind: "regulatory", slot: "hero", priority: "1" }),
    );
    const d = decide(c, customer(), { runDate: RUN_DATE });
    expect(d.slots.hero.map((x) => x.id)).toEqual(["legal"]);
    expect(ruleOf(d, "big-offer")).toBe("slot-full");
  });

  it("sends regulatory notices to vulnerable customers, complainers and those without consent alike", () => {
    const c = mustLoad(item("legal", { kind: "regulatory", slot: "notice" }));
    const everyoneAtRisk = customer((p) => {
      p.segment = "vulnerable";
      p.preferences.marketingConsent = false;
      p.interactions = [{ date: "2026-10-30", channel: "web", topic: "complaint" }];
    });
    expect(chosenIds(decide(c, everyoneAtRisk, { runDate: RUN_DATE }))).toEqual(["legal"]);
  });
});
