import { afterAll, describe, expect, it } from "vitest";
import {
  type CustomerResponse,
  type DecisionInput,
  type DocumentInput,
  decisionId,
  documentId,
} from "../../src/archive/index.ts";
import type { CustomerInteraction } from "../../src/interactions/index.ts";
import { archives, postgresBackend, sqliteBackend } from "./backends.ts";

const doc = (channel: string, offerIds: string[], over: Partial<DocumentInput> = {}): DocumentInput => ({
  customerId: "C0000001",
  template: "energy-bill",
  templateVersion: "1.0.0",
  channel,
  runId: "run-1",
  created: "2026-11-01",
  offerIds,
  contentType: "application/octet-stream",
  bytes: new TextEncoder().encode(`${channel} ${offerIds.join(",")} ${over.runId ?? "run-1"} ${over.customerId ?? ""}`),
  ...over,
});

/** A decision of a hero offer in an A/B test, a secondary offer and a notice with no call to action. */
const decision = (over: Partial<DecisionInput> = {}): DecisionInput => {
  const customerId = over.customerId ?? "C0000001";
  const runDate = over.runDate ?? "2026-11-01";
  const tag = `${customerId}-${runDate}`;
  return {
    customerId,
    runId: "run-1",
    template: "energy-bill",
    templateVersion: "1.0.0",
    runDate,
    created: `${runDate}T06:00:00+01:00`,
    items: [
      {
        offerId: "solar-export",
        kind: "offer",
        slot: "hero",
        priority: 90,
        marketing: true,
        validFrom: "2026-10-01",
        validTo: "2026-12-31",
        experiment: { id: "solar-headline", variant: "b" },
        target: "https://www.northwind-energy.example/solar?utm_source=omnidoc&utm_campaign=solar-export",
      },
      {
        offerId: "boiler-care",
        kind: "offer",
        slot: "secondary",
        priority: 50,
        marketing: true,
        target: "https://www.northwind-energy.example/boiler?utm_source=omnidoc&utm_campaign=boiler-care",
      },
      { offerId: "price-change", kind: "regulatory", slot: "notice", priority: 0, marketing: false },
    ],
    trace: [
      { id: "solar-export", slot: "hero", chosen: true, rule: "chosen", reason: "eligible, highest priority" },
      {
        id: "ev-tariff",
        slot: "hero",
        chosen: false,
        rule: "declined",
        reason: "declined 3 days ago",
        event: { kind: "response", at: "2026-10-29T10:00:00.000Z", source: "call-centre", sourceId: "r1" },
      },
    ],
    links: [
      { token: `k1.pdf-solar-${tag}`, purpose: "offer", channel: "pdf", offerId: "solar-export" },
      { token: `k1.email-solar-${tag}`, purpose: "offer", channel: "email", offerId: "solar-export" },
      { token: `k1.sms-solar-${tag}`, purpose: "offer", channel: "sms", offerId: "solar-export" },
      { token: `k1.pdf-boiler-${tag}`, purpose: "offer", channel: "pdf", offerId: "boiler-care" },
      { token: `k1.unsub-${tag}`, purpose: "unsubscribe", channel: "email" },
    ],
    ...over,
  };
};

/** The documents of `decision()`: the hero everywhere, the secondary offer and the notice on paper only. */
const documents = (over: Partial<DocumentInput> = {}): DocumentInput[] => [
  doc("pdf", ["solar-export", "boiler-care", "price-change"], over),
  doc("email", ["solar-export", "price-change"], over),
  doc("sms", ["solar-export"], over),
];

const response = (over: Partial<CustomerResponse>): CustomerResponse => ({
  customerId: "C0000001",
  offerId: "solar-export",
  response: "accepted",
  at: "2026-11-03T10:00:00Z",
  source: "call-centre",
  sourceId: "cc-1",
  ...over,
});

describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
])("archive contract, the relationship: %s", (_name, makeBackend) => {
  const pool = archives(makeBackend());
  afterAll(() => pool.cleanup());

  it("keeps the decision of record with its documents: items in slot order, where each went out, the trace", async () => {
    const a = await pool.fresh();
    await a.recordMany(documents(), [], [decision()]);
    const [d, ...more] = await a.decisionsOfRecord("C0000001");
    expect(more).toEqual([]);
    expect(d.id).toBe(decisionId({ runId: "run-1", customerId: "C0000001", template: "energy-bill" }));
    expect(d).toMatchObject({ runDate: "2026-11-01", created: "2026-11-01T05:00:00.000Z", templateVersion: "1.0.0" });
    const id = (channel: string) =>
      documentId({ runId: "run-1", customerId: "C0000001", template: "energy-bill", channel });
    expect(d.items.map((i) => [i.position, i.offerId, i.channels, i.documentIds])).toEqual([
      [0, "solar-export", ["email", "pdf", "sms"], [id("email"), id("pdf"), id("sms")]],
      [1, "boiler-care", ["pdf"], [id("pdf")]],
      [2, "price-change", ["email", "pdf"], [id("email"), id("pdf")]],
    ]);
    expect(d.items[0]).toMatchObject({
      kind: "offer",
      slot: "hero",
      priority: 90,
      marketing: true,
      validFrom: "2026-10-01",
      validTo: "2026-12-31",
      experiment: { id: "solar-headline", variant: "b" },
    });
    expect(d.items[2]).not.toHaveProperty("target");
    expect(d.items[2]).not.toHaveProperty("experiment");
    expect(d.items[2].marketing).toBe(false);
    expect(d.trace).toEqual(decision().trace);
  });

  it("lists decisions newest first, and replaces one recorded again by the same run, items and tokens included", async () => {
    const a = await pool.fresh();
    await a.recordMany(documents(), [], [decision()]);
    const december = { runId: "run-2", created: "2026-12-01" };
    await a.recordMany(documents(december), [], [decision({ ...december, runDate: "2026-12-01" })]);
    expect((await a.decisionsOfRecord("C0000001")).map((d) => d.runId)).toEqual(["run-2", "run-1"]);
    expect(await a.decisionsOfRecord("C0000001", { limit: 1 })).toHaveLength(1);
    expect(await a.decisionsOfRecord("C0000002")).toEqual([]);

    // A retried job records run-1 again, now without the secondary offer.
    const again = decision();
    await a.recordMany(
      documents(),
      [],
      [{ ...again, items: again.items.filter((i) => i.offerId !== "boiler-care"), links: again.links.slice(0, 3) }],
    );
    const [, first] = await a.decisionsOfRecord("C0000001");
    expect(first.items.map((i) => [i.position, i.offerId])).toEqual([
      [0, "solar-export"],
      [1, "price-change"],
    ]);
    expect(await a.resolveLink("k1.pdf-boiler-C0000001-2026-11-01")).toBeUndefined();
    expect(await a.resolveLink("k1.pdf-solar-C0000001-2026-11-01")).toBeDefined();
  });

  it("records documents and decisions all together or not at all", async () => {
    const a = await pool.fresh();
    const bad = decision({ links: [{ token: "k1.x", purpose: "offer", channel: "pdf", offerId: "not-chosen" }] });
    await expect(a.recordMany(documents(), [], [bad])).rejects.toThrow(/names no offer/);
    await expect(a.recordMany([{ ...doc("pdf", []), created: "not a date" }], [], [decision()])).rejects.toThrow();
    expect(await a.decisionsOfRecord("C0000001")).toEqual([]);
    expect(await a.list("C0000001")).toEqual([]);
    // One document and its decision, as the API records them.
    await a.record(doc("email", ["solar-export"]), [], decision());
    expect((await a.decisionsOfRecord("C0000001"))[0].items[0].channels).toEqual(["email"]);
  });

  it("resolves a link's token to its customer, offer, channel, document and target; an unknown one to nothing", async () => {
    const a = await pool.fresh();
    await a.recordMany(documents(), [], [decision()]);
    const d = decision();
    expect(await a.resolveLink("k1.email-solar-C0000001-2026-11-01")).toEqual({
      token: "k1.email-solar-C0000001-2026-11-01",
      purpose: "offer",
      customerId: "C0000001",
      channel: "email",
      decisionId: decisionId(d),
      documentId: documentId({ ...d, channel: "email" }),
      offerId: "solar-export",
      target: d.items[0].target,
    });
    expect(await a.resolveLink("k1.unsub-C0000001-2026-11-01")).toEqual({
      token: "k1.unsub-C0000001-2026-11-01",
      purpose: "unsubscribe",
      customerId: "C0000001",
      channel: "email",
      decisionId: decisionId(d),
      documentId: documentId({ ...d, channel: "email" }),
    });
    expect(await a.resolveLink("k1.email-solar-C0000001-2026-11-0")).toBeUndefined();
    expect(await a.resolveLink("")).toBeUndefined();
  });

  it("records a source's response once, lists a customer's newest first, and keeps opt-outs", async () => {
    const a = await pool.fresh();
    const first = await a.recordResponses([
      response({ sourceId: "cc-1", at: "2026-11-03T10:00:00+01:00", note: "wants a survey" }),
      response({ sourceId: "cc-1", response: "declined" }),
      response({
        source: "link",
        sourceId: "click-1",
        response: "clicked",
        channel: "sms",
        at: "2026-11-02T08:00:00Z",
      }),
      { customerId: "C0000001", response: "opted-out", at: "2026-11-04T00:00:00Z", source: "link", sourceId: "u-1" },
      response({ customerId: "C0000002", sourceId: "cc-2" }),
    ]);
    expect(first.map((r) => r.added)).toEqual([true, false, true, true, true]);
    const again = await a.recordResponses([response({ sourceId: "cc-1", response: "not-now" })]);
    expect(again).toEqual([{ source: "call-centre", sourceId: "cc-1", added: false }]);

    const listed = await a.responses("C0000001");
    expect(listed.map((r) => [r.response, r.at])).toEqual([
      ["opted-out", "2026-11-04T00:00:00.000Z"],
      ["accepted", "2026-11-03T09:00:00.000Z"],
      ["clicked", "2026-11-02T08:00:00.000Z"],
    ]);
    expect(listed[1]).toEqual({ ...response({}), at: "2026-11-03T09:00:00.000Z", note: "wants a survey" });
    expect(listed[0]).not.toHaveProperty("offerId");
    expect(await a.responses("C0000001", { limit: 1 })).toHaveLength(1);
    await expect(a.recordResponses([response({ offerId: undefined })])).rejects.toThrow(/names its offer/);
  });

  it("counts per offer, channel and variant what was sent, clicked, accepted, declined or put off", async () => {
    const a = await pool.fresh();
    await a.recordMany(
      [...documents(), ...documents({ customerId: "C0000002" })],
      [],
      [
        decision(),
        decision({
          customerId: "C0000002",
          items: decision().items.map((i) => ({ ...i, experiment: i.experiment && { ...i.experiment, variant: "a" } })),
        }),
      ],
    );
    const click = await a.resolveLink("k1.sms-solar-C0000001-2026-11-01");
    await a.recordResponses([
      response({
        source: "link",
        sourceId: "c1",
        response: "clicked",
        channel: "sms",
        decisionId: click?.decisionId,
        documentId: click?.documentId,
        at: "2026-11-02T08:00:00Z",
      }),
      // No decision named: the customer's latest decision carrying the offer gives the variant.
      response({ sourceId: "a1", response: "accepted", at: "2026-11-05T08:00:00Z" }),
      response({ customerId: "C0000002", sourceId: "d2", response: "declined", at: "2026-11-03T08:00:00Z" }),
      response({ customerId: "C0000002", sourceId: "n2", offerId: "boiler-care", response: "not-now", channel: "pdf" }),
      { customerId: "C0000002", response: "opted-out", at: "2026-11-04T00:00:00Z", source: "link", sourceId: "u-2" },
    ]);
    const stats = await a.offerStats();
    const row = (offerId: string, channel: string | null, variant?: string) =>
      stats.find((s) => s.offerId === offerId && s.channel === channel && s.experiment?.variant === variant);
    expect(row("solar-export", "sms", "b")).toEqual({
      offerId: "solar-export",
      channel: "sms",
      experiment: { id: "solar-headline", variant: "b" },
      sent: 1,
      clicked: 1,
      accepted: 0,
      declined: 0,
      notNow: 0,
    });
    expect(row("solar-export", null, "b")).toMatchObject({ sent: 0, accepted: 1 });
    expect(row("solar-export", null, "a")).toMatchObject({ sent: 0, declined: 1 });
    expect(row("solar-export", "pdf", "a")).toMatchObject({ sent: 1, clicked: 0 });
    expect(row("boiler-care", "pdf")).toMatchObject({ sent: 2, notNow: 1 });
    expect(row("price-change", "email")).toMatchObject({ sent: 2 });
    expect(stats).toHaveLength(11);

    const onlySolar = await a.offerStats({ offerId: "solar-export", from: "2026-11-02", to: "2026-11-03" });
    expect(onlySolar.map((s) => [s.channel, s.experiment?.variant, s.sent, s.clicked, s.declined])).toEqual([
      [null, "a", 0, 0, 1],
      ["sms", "b", 0, 1, 0],
    ]);
  });

  it("reads many customers' histories at once, up to a day, without the asking run's own decisions", async () => {
    const a = await pool.fresh();
    const ids = Array.from({ length: 30 }, (_, i) => `C${String(i + 1).padStart(7, "0")}`);
    await a.recordMany(
      ids.flatMap((customerId) => documents({ customerId })),
      [],
      ids.map((customerId) => decision({ customerId })),
    );
    const later = { runId: "run-2", created: "2026-12-01" };
    await a.recordMany(documents(later), [], [decision({ ...later, runDate: "2026-12-01" })]);
    const interaction = (sourceId: string, at: string): CustomerInteraction => ({
      customerId: "C0000001",
      source: "chat",
      sourceId,
      at,
      channel: "chat",
      topic: "complaint",
      outcome: "escalated",
      note: "angry about the bill",
    });
    await a.recordInteractions([interaction("i1", "2026-11-02T23:59:59Z"), interaction("i2", "2026-11-03T00:00:00Z")]);
    await a.recordResponses([
      response({ sourceId: "r1", response: "declined", channel: "email", at: "2026-11-02T09:00:00Z" }),
      response({ sourceId: "r2", response: "accepted", at: "2026-11-04T09:00:00Z" }),
      { customerId: "C0000001", response: "opted-out", at: "2026-11-01T12:00:00Z", source: "link", sourceId: "u1" },
    ]);

    const histories = await a.histories([...ids, "C9999999"], "2026-11-02");
    expect([...histories.keys()]).toEqual([...ids, "C9999999"]);
    const h = histories.get("C0000001")!;
    expect(h.interactions).toEqual([
      {
        at: "2026-11-02T23:59:59.000Z",
        source: "chat",
        sourceId: "i1",
        channel: "chat",
        topic: "complaint",
        outcome: "escalated",
      },
    ]);
    expect(h.responses).toEqual([
      {
        at: "2026-11-02T09:00:00.000Z",
        offerId: "solar-export",
        response: "declined",
        channel: "email",
        source: "call-centre",
        sourceId: "r1",
      },
    ]);
    expect(h.optOuts).toEqual([{ at: "2026-11-01T12:00:00.000Z", source: "link", sourceId: "u1" }]);
    expect(h.offers).toEqual([
      { at: "2026-11-01T00:00:00.000Z", offerId: "solar-export", marketing: true, channels: ["email", "pdf", "sms"] },
      { at: "2026-11-01T00:00:00.000Z", offerId: "boiler-care", marketing: true, channels: ["pdf"] },
      { at: "2026-11-01T00:00:00.000Z", offerId: "price-change", marketing: false, channels: ["email", "pdf"] },
    ]);
    expect(histories.get("C0000030")?.offers).toHaveLength(3);
    expect(histories.get("C9999999")).toEqual({ interactions: [], responses: [], offers: [], optOuts: [] });

    // A timestamp counts up to that instant; December's decision is history for a later run, not its own.
    const december = await a.histories(["C0000001"], "2026-12-01T00:00:00Z");
    expect(december.get("C0000001")?.offers.map((o) => o.at.slice(0, 10))).toEqual([
      "2026-12-01",
      "2026-12-01",
      "2026-12-01",
      "2026-11-01",
      "2026-11-01",
      "2026-11-01",
    ]);
    expect(december.get("C0000001")?.interactions).toHaveLength(2);
    const resumed = await a.histories(["C0000001"], "2026-12-01", { exceptRun: "run-2" });
    expect(resumed.get("C0000001")?.offers.map((o) => o.at.slice(0, 10))).toEqual([
      "2026-11-01",
      "2026-11-01",
      "2026-11-01",
    ]);
    expect((await a.histories([], "2026-12-01")).size).toBe(0);
  });
});
