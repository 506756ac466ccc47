import { describe, expect, it } from "vitest";
import { type CustomerHistory, type Decision, NO_HISTORY, decide, explainDecision } from "../../src/decide/index.ts";
import { RUN_DATE, catalogueFrom, customer, item, mustLoad } from "./fixtures.ts";

const entry = (d: Decision, id: string) => d.trace.find((t) => t.id === id);
const history = (h: Partial<CustomerHistory>): CustomerHistory => ({ ...NO_HISTORY, ...h });

describe("contact policy over the customer's history", () => {
  const catalogue = mustLoad(
    item("sales", { kind: "offer", marketing: "true" }) +
      item("solar", { kind: "offer", marketing: "true", slot: "notice" }) +
      item("paperless", { kind: "offer", marketing: "false", slot: "notice" }) +
      item("care", { kind: "service", slot: "notice" }) +
      item("notice", { kind: "regulatory", slot: "notice" }),
    `policy:
  complaintWindowDays: 30
  declinedWindowDays: 90
  notNowDays: 30
  contactLimit: { max: 3, days: 30 }
  spacing:
    - { after: sales, offer: solar, days: 60 }
`,
  );
  const decideWith = (h: CustomerHistory, runDate = RUN_DATE) => decide(catalogue, customer(), { runDate, history: h });

  it("chooses every item for a customer without history", () => {
    const d = decideWith(NO_HISTORY);
    expect(d.trace.every((t) => t.chosen)).toBe(true);
    expect(d.trace.some((t) => t.event)).toBe(false);
  });

  it("stops sales offers after a complaint reported by another system, naming it", () => {
    const complaint = {
      at: "2026-10-20T10:00:00.000Z",
      source: "genesys",
      sourceId: "call-1",
      channel: "call-centre",
      topic: "complaint",
    };
    const d = decideWith(history({ interactions: [complaint] }));
    expect(entry(d, "sales")).toMatchObject({
      rule: "recent-complaint",
      event: { kind: "complaint", at: complaint.at, source: "genesys", sourceId: "call-1", channel: "call-centre" },
    });
    expect(entry(d, "sales")?.reason).toContain("2026-10-20");
    expect(entry(d, "paperless")?.rule).toBe("recent-complaint");
    expect(entry(d, "care")?.chosen).toBe(true);
    // Outside the window, or after the run date, it does not count.
    expect(
      entry(decideWith(history({ interactions: [{ ...complaint, at: "2026-09-30T10:00:00Z" }] })), "sales")?.rule,
    ).toBe("chosen");
    expect(
      entry(decideWith(history({ interactions: [{ ...complaint, at: "2026-11-02T10:00:00Z" }] })), "sales")?.rule,
    ).toBe("chosen");
  });

  it("names the extract's own complaint as the event too", () => {
    const p = customer((x) => {
      x.interactions = [{ date: "2026-10-05", channel: "chat", topic: "complaint" }];
    });
    const d = decide(catalogue, p, { runDate: RUN_DATE });
    expect(entry(d, "sales")?.event).toEqual({
      kind: "complaint",
      at: "2026-10-05",
      source: "extract",
      channel: "chat",
    });
  });

  const response = (response: "accepted" | "declined" | "not-now" | "clicked", at: string, offerId = "sales") => ({
    at,
    offerId,
    response,
    channel: "email",
    source: "link",
    sourceId: `${response}-${at}`,
  });

  it("never offers again an offer the customer accepted, however long ago", () => {
    const d = decideWith(history({ responses: [response("accepted", "2024-01-10T08:00:00Z")] }));
    expect(entry(d, "sales")).toMatchObject({
      rule: "accepted",
      event: { kind: "accepted", offerId: "sales", source: "link", channel: "email" },
    });
    expect(entry(d, "solar")?.chosen).toBe(true);
  });

  it("does not repeat a declined offer within the declined window", () => {
    const within = decideWith(history({ responses: [response("declined", "2026-08-04T08:00:00Z")] }));
    expect(entry(within, "sales")).toMatchObject({ rule: "declined", event: { kind: "declined", offerId: "sales" } });
    expect(entry(within, "sales")?.reason).toContain("90 days");
    const before = decideWith(history({ responses: [response("declined", "2026-08-02T08:00:00Z")] }));
    expect(entry(before, "sales")?.rule).toBe("chosen");
  });

  it("keeps an offer answered not-now away for the not-now period only", () => {
    const d = decideWith(history({ responses: [response("not-now", "2026-10-10T08:00:00Z")] }));
    expect(entry(d, "sales")).toMatchObject({ rule: "not-now", event: { kind: "not-now" } });
    expect(
      entry(decideWith(history({ responses: [response("not-now", "2026-09-20T08:00:00Z")] })), "sales")?.rule,
    ).toBe("chosen");
  });

  it("lets a click alone change nothing, and an acceptance outrank a later decline", () => {
    expect(
      entry(decideWith(history({ responses: [response("clicked", "2026-10-30T08:00:00Z")] })), "sales")?.rule,
    ).toBe("chosen");
    const both = [response("declined", "2026-10-30T08:00:00Z"), response("accepted", "2026-05-01T08:00:00Z")];
    expect(entry(decideWith(history({ responses: both })), "sales")?.rule).toBe("accepted");
  });

  const offered = (offerId: string, at: string, channels: string[], marketing = true) => ({
    at,
    offerId,
    marketing,
    channels,
  });

  it("counts marketing contacts per channel across channels and stops marketing at the limit", () => {
    const two = [offered("sales", "2026-10-02T00:00:00Z", ["print", "email"])];
    expect(entry(decideWith(history({ offers: two })), "paperless")?.chosen).toBe(true);
    const three = [...two, offered("other", "2026-10-20T00:00:00Z", ["sms"])];
    const d = decideWith(history({ offers: three }));
    expect(entry(d, "sales")).toMatchObject({
      rule: "contact-limit",
      event: { kind: "offer", at: "2026-10-20T00:00:00Z", source: "decision", offerId: "other" },
    });
    expect(entry(d, "sales")?.reason).toMatch(/^3 marketing contacts in the last 30 days/);
    // Not marketing: neither counted nor held back; the regulatory notice always goes.
    expect(entry(d, "paperless")?.chosen).toBe(true);
    expect(entry(d, "notice")?.chosen).toBe(true);
    const service = [...two, offered("care", "2026-10-20T00:00:00Z", ["sms"], false)];
    expect(entry(decideWith(history({ offers: service })), "sales")?.chosen).toBe(true);
  });

  it("leaves out contacts older than the window and the run date's own decisions", () => {
    const old = [
      offered("sales", "2026-09-30T00:00:00Z", ["print", "email"]),
      offered("other", "2026-11-01T00:00:00Z", ["print", "email", "sms"]),
    ];
    expect(entry(decideWith(history({ offers: old })), "sales")?.chosen).toBe(true);
  });

  it("keeps offer B away within its days after offer A", () => {
    const d = decideWith(history({ offers: [offered("sales", "2026-09-15T00:00:00Z", ["print"])] }));
    expect(entry(d, "solar")).toMatchObject({
      rule: "spacing",
      event: { kind: "offer", offerId: "sales", at: "2026-09-15T00:00:00Z" },
    });
    expect(entry(d, "sales")?.chosen).toBe(true);
    const later = decideWith(history({ offers: [offered("sales", "2026-09-01T00:00:00Z", ["print"])] }));
    expect(entry(later, "solar")?.chosen).toBe(true);
  });

  const optOut = { at: "2026-10-12T09:00:00Z", source: "unsubscribe", sourceId: "t-1" };

  it("holds back every marketing item after an opt-out, and stops when the customer consents again", () => {
    const d = decideWith(history({ optOuts: [optOut] }));
    expect(entry(d, "sales")).toMatchObject({
      rule: "opted-out",
      event: { kind: "opted-out", at: optOut.at, source: "unsubscribe", sourceId: "t-1" },
    });
    expect(entry(d, "solar")?.rule).toBe("opted-out");
    expect(entry(d, "paperless")?.chosen).toBe(true);
    expect(entry(d, "care")?.chosen).toBe(true);
    const consent = {
      at: "2026-10-20T09:00:00Z",
      source: "genesys",
      sourceId: "c-9",
      channel: "call-centre",
      topic: "marketing-consent",
    };
    expect(entry(decideWith(history({ optOuts: [optOut], interactions: [consent] })), "sales")?.chosen).toBe(true);
    const earlier = { ...consent, at: "2026-10-01T09:00:00Z" };
    expect(entry(decideWith(history({ optOuts: [optOut], interactions: [earlier] })), "sales")?.rule).toBe("opted-out");
    // An opt-out after the run date is not known yet.
    expect(entry(decideWith(history({ optOuts: [optOut] }), "2026-10-11"), "sales")?.chosen).toBe(true);
  });

  it("explains the event beside the reason", () => {
    const d = decideWith(history({ optOuts: [optOut] }));
    expect(explainDecision(catalogue, d)).toMatch(
      /sales .* opted-out +the customer opted out of marketing on 2026-10-12 .* \[event: opted-out 2026-10-12T09:00:00Z by unsubscribe #t-1\]/,
    );
  });

  it("shares the static trace entries between customers and builds only the history ones", () => {
    const a = decideWith(NO_HISTORY);
    const b = decideWith(NO_HISTORY);
    expect(entry(a, "sales")).toBe(entry(b, "sales"));
    const h = history({ optOuts: [optOut] });
    expect(entry(decideWith(h), "sales")).not.toBe(entry(decideWith(h), "sales"));
  });
});

describe("the policy's rules are checked at load", () => {
  const items = item("sales", { kind: "offer" }) + item("notice", { kind: "regulatory", slot: "notice" });

  it("names a spacing rule's unknown offer with file and line", () => {
    const r = catalogueFrom(items, "policy:\n  spacing:\n    - { after: sales, offer: solar, days: 30 }\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: "OMD_CATALOGUE_POLICY", at: expect.stringMatching(/^test\.yaml:3:/) });
    expect(r.problems[0].message).toContain('no item "solar"');
  });

  it("refuses to hold back a regulatory notice", () => {
    const r = catalogueFrom(items, "policy:\n  spacing:\n    - { after: sales, offer: notice, days: 30 }\n");
    expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(["OMD_CATALOGUE_POLICY"]);
  });

  it("refuses numbers out of range and unknown rules", () => {
    for (const policy of [
      "policy: { declinedWindowDays: -1 }\n",
      "policy: { notNowDays: 4000 }\n",
      "policy: { contactLimit: { max: 0, days: 30 } }\n",
      "policy: { contactLimit: { max: 2 } }\n",
      "policy: { spacing: [{ after: sales, offer: sales, days: 0 }] }\n",
      "policy: { neverOnSundays: true }\n",
    ]) {
      const r = catalogueFrom(items, policy);
      expect(r.ok, policy).toBe(false);
      if (!r.ok)
        expect(r.problems[0]).toMatchObject({
          code: "OMD_CATALOGUE_SYNTAX",
          at: expect.stringMatching(/^test\.yaml:1:/),
        });
    }
  });

  it("fills in the defaults of a catalogue that says nothing", () => {
    expect(mustLoad(items).policy).toEqual({
      complaintWindowDays: 30,
      declinedWindowDays: 90,
      notNowDays: 30,
      spacing: [],
    });
  });
});
