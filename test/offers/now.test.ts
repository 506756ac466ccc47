import { describe, expect, it } from "vitest";
import { type CustomerHistory, NO_HISTORY } from "../../src/decide/index.ts";
import { type DecisionOfRecordSummary, type ItemOfRecord, offersNow } from "../../src/offers/index.ts";

const item = (offerId: string, position: number, over: Partial<ItemOfRecord> = {}): ItemOfRecord => ({
  offerId,
  kind: "offer",
  slot: position === 0 ? "hero" : "secondary",
  priority: 50,
  marketing: true,
  validFrom: "2026-10-01",
  validTo: "2026-12-31",
  position,
  channels: ["pdf", "email"],
  documentIds: [`${offerId}-pdf`, `${offerId}-email`],
  ...over,
});

/** The November bill: a hero offer, a secondary marketing offer, and a service notice that sells nothing. */
const november: DecisionOfRecordSummary = {
  id: "d-nov",
  runId: "run-2026-11",
  template: "energy-bill",
  runDate: "2026-11-01",
  created: "2026-11-01T00:00:00.000Z",
  items: [
    item("price-cap-notice", 2, { kind: "regulatory", slot: "notice", marketing: false, validTo: "2027-01-31" }),
    item("ev-tariff", 0, { experiment: { id: "ev-headline", variant: "B" } }),
    item("smart-meter", 1, { validTo: "2026-11-15" }),
  ],
};

const october: DecisionOfRecordSummary = {
  id: "d-oct",
  runId: "run-2026-10",
  template: "energy-bill",
  runDate: "2026-10-01",
  created: "2026-10-01T00:00:00.000Z",
  items: [item("solar-export", 0), item("ev-tariff", 1), item("green-upgrade", 2)],
};

const history = (over: Partial<CustomerHistory>): CustomerHistory => ({ ...NO_HISTORY, ...over });
const ids = (list: { offerId: string }[]) => list.map((o) => o.offerId);

describe("offers now", () => {
  it("offers the latest decision's items in slot order with the documents that carried them", () => {
    const r = offersNow([november], NO_HISTORY, "2026-11-04");
    expect(r.decision).toEqual({
      id: "d-nov",
      runId: "run-2026-11",
      template: "energy-bill",
      runDate: "2026-11-01",
      created: "2026-11-01T00:00:00.000Z",
    });
    expect(ids(r.offers)).toEqual(["ev-tariff", "smart-meter", "price-cap-notice"]);
    expect(r.offers[0]).toEqual({
      offerId: "ev-tariff",
      decisionId: "d-nov",
      kind: "offer",
      slot: "hero",
      priority: 50,
      marketing: true,
      validFrom: "2026-10-01",
      validTo: "2026-12-31",
      experiment: { id: "ev-headline", variant: "B" },
      documents: [
        { id: "ev-tariff-pdf", channel: "pdf" },
        { id: "ev-tariff-email", channel: "email" },
      ],
    });
    expect(r.withdrawn).toEqual([]);
  });

  it("has nothing to offer a customer without a decision of record", () => {
    expect(offersNow([], NO_HISTORY, "2026-11-04")).toEqual({ offers: [], withdrawn: [] });
  });

  it("withdraws an offer the day after its last valid day, not on it", () => {
    expect(ids(offersNow([november], NO_HISTORY, "2026-11-15").offers)).toContain("smart-meter");
    const r = offersNow([november], NO_HISTORY, "2026-11-16");
    expect(ids(r.offers)).toEqual(["ev-tariff", "price-cap-notice"]);
    expect(r.withdrawn).toMatchObject([
      {
        offerId: "smart-meter",
        reason: "expired",
        event: { kind: "expired", at: "2026-11-16T00:00:00.000Z" },
        explanation: "expired: valid until 2026-11-15",
      },
    ]);
  });

  it("withdraws sales offers after a complaint from any source since the decision, not before it", () => {
    const complaint = {
      at: "2026-11-02T15:30:00.000Z",
      source: "sprinklr",
      sourceId: "post-9",
      channel: "social",
      topic: "complaint",
    };
    const before = { ...complaint, at: "2026-10-31T12:00:00.000Z", sourceId: "post-8" };
    const other = { ...complaint, topic: "billing", sourceId: "post-10" };
    expect(ids(offersNow([november], history({ interactions: [before, other] }), "2026-11-04").offers)).toHaveLength(3);

    const r = offersNow([november], history({ interactions: [complaint, other, before] }), "2026-11-04");
    expect(ids(r.offers)).toEqual(["price-cap-notice"]);
    expect(r.withdrawn.map((w) => [w.offerId, w.reason])).toEqual([
      ["ev-tariff", "complaint"],
      ["smart-meter", "complaint"],
    ]);
    expect(r.withdrawn[0].event).toEqual({
      kind: "complaint",
      at: "2026-11-02T15:30:00.000Z",
      source: "sprinklr",
      sourceId: "post-9",
      channel: "social",
    });
    expect(r.withdrawn[0].explanation).toBe(
      "a complaint by social on 2026-11-02 (sprinklr post-9): no sales offer after a complaint",
    );
  });

  it("closes an offer on an accepted, declined or not-now response to it since the decision; a click does not", () => {
    const response = (offerId: string, kind: "clicked" | "accepted" | "declined" | "not-now", at: string) => ({
      at,
      offerId,
      response: kind,
      source: "genesys",
      sourceId: `${offerId}-${kind}`,
    });
    const h = history({
      responses: [
        response("ev-tariff", "clicked", "2026-11-02T09:00:00.000Z"),
        response("smart-meter", "not-now", "2026-11-03T10:00:00.000Z"),
        response("price-cap-notice", "declined", "2026-10-20T10:00:00.000Z"),
      ],
    });
    const r = offersNow([november], h, "2026-11-04");
    expect(ids(r.offers)).toEqual(["ev-tariff", "price-cap-notice"]);
    expect(r.withdrawn).toMatchObject([
      {
        offerId: "smart-meter",
        reason: "response",
        event: { kind: "response", response: "not-now", source: "genesys", sourceId: "smart-meter-not-now" },
        explanation: "the customer answered not-now on 2026-11-03 (genesys smart-meter-not-now)",
      },
    ]);
    for (const kind of ["accepted", "declined"] as const)
      expect(
        offersNow(
          [november],
          history({ responses: [response("ev-tariff", kind, "2026-11-02T09:00:00Z")] }),
          "2026-11-04",
        ).withdrawn[0],
      ).toMatchObject({ offerId: "ev-tariff", event: { response: kind } });
  });

  it("withdraws marketing items after an opt-out since the decision, and keeps the rest", () => {
    const optOut = { at: "2026-11-03T20:00:00.000Z", source: "unsubscribe", sourceId: "k1.tok" };
    const r = offersNow([november], history({ optOuts: [optOut] }), "2026-11-04");
    expect(ids(r.offers)).toEqual(["price-cap-notice"]);
    expect(r.withdrawn.map((w) => [w.offerId, w.reason, w.event.at])).toEqual([
      ["ev-tariff", "opted-out", "2026-11-03T20:00:00.000Z"],
      ["smart-meter", "opted-out", "2026-11-03T20:00:00.000Z"],
    ]);
  });

  it("names the first event that withdrew an offer when several did", () => {
    const h = history({
      optOuts: [{ at: "2026-11-10T08:00:00.000Z", source: "unsubscribe", sourceId: "t" }],
      interactions: [
        {
          at: "2026-11-05T08:00:00.000Z",
          source: "genesys",
          sourceId: "c1",
          channel: "call-centre",
          topic: "complaint",
        },
      ],
    });
    const r = offersNow([november], h, "2026-11-20");
    // Expired on the 16th, but the complaint on the 5th came first.
    expect(r.withdrawn.find((w) => w.offerId === "smart-meter")?.reason).toBe("complaint");
  });

  it("lists the offers of older decisions the latest no longer makes as superseded, each once, unless withdrawn earlier", () => {
    const h = history({
      responses: [
        {
          at: "2026-10-12T10:00:00.000Z",
          offerId: "green-upgrade",
          response: "accepted",
          source: "web",
          sourceId: "order-1",
        },
      ],
    });
    const r = offersNow([november, october], h, "2026-11-04");
    expect(ids(r.offers)).toEqual(["ev-tariff", "smart-meter", "price-cap-notice"]);
    expect(r.withdrawn.map((w) => [w.offerId, w.decisionId, w.reason])).toEqual([
      ["solar-export", "d-oct", "superseded"],
      ["green-upgrade", "d-oct", "response"],
    ]);
    expect(r.withdrawn[0].event).toEqual({ kind: "superseded", at: "2026-11-01T00:00:00.000Z", decisionId: "d-nov" });

    // An offer that ran out the day before the newer decision expired: the same instant, its own reason.
    const ended = { ...october, items: [item("solar-export", 0, { validTo: "2026-10-31" })] };
    expect(offersNow([november, ended], NO_HISTORY, "2026-11-04").withdrawn[0]).toMatchObject({ reason: "expired" });
  });

  it("does not offer an item before its first valid day (a run dated ahead)", () => {
    const r = offersNow([november], NO_HISTORY, "2026-09-30");
    expect(r.offers).toEqual([]);
    expect(r.withdrawn.map((w) => w.reason)).toEqual(["not-yet-valid", "not-yet-valid", "not-yet-valid"]);
  });
});
