import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../../src/server/index.ts";
import { BACKENDS, backendArchive, recordComposition } from "./relationship-support.ts";
import { KEYS, type Running, call, startServer } from "./support.ts";

/** The web shop's feed: it records what customers answered, and reads nothing. */
const SHOP = newKey("web-shop", ["responses:write"]);

const answer = (over: Record<string, unknown> = {}) => ({
  source: "web-shop",
  sourceId: "order-1",
  at: "2026-11-03T10:00:00+01:00",
  offerId: "ev-night-tariff",
  response: "accepted",
  note: "Customer asked to switch from the 1st; her mother pays the bill",
  ...over,
});

describe.each(BACKENDS)("offers now, responses and offer statistics over HTTP: %s", (backend) => {
  const archive = backendArchive(backend, "offers-api");
  let clock = new Date("2026-11-04T09:00:00.000Z");
  let s: Running;
  let documents: Record<string, string>;
  beforeAll(async () => {
    s = await startServer({
      archiveUrl: archive.url,
      keys: [...Object.values(KEYS).map((k) => k.entry), SHOP.entry],
      captureLogs: "debug",
      now: () => clock,
    });
    await recordComposition(s.archive, {
      customerId: "C0000101",
      runId: "run-2026-10",
      runDate: "2026-10-01",
      items: [{ offerId: "solar-export" }, { offerId: "broadband-bundle", validTo: "2026-10-31" }],
    });
    documents = await recordComposition(s.archive, {
      customerId: "C0000101",
      runId: "run-2026-11",
      runDate: "2026-11-01",
      items: [
        {
          offerId: "ev-night-tariff",
          validFrom: "2026-09-01",
          validTo: "2027-03-31",
          experiment: { id: "ev-night-headline", variant: "B" },
          channels: ["pdf", "email", "sms"],
        },
        { offerId: "direct-debit-discount" },
        {
          offerId: "price-cap-notice",
          kind: "regulatory",
          slot: "notice",
          marketing: false,
          validFrom: "2026-10-01",
          validTo: "2027-01-31",
        },
      ],
    });
  });
  afterAll(async () => {
    await s?.close();
    await archive.drop();
  });

  const offers = async (customerId: string, key: { key: string } = KEYS.archive) =>
    call(s.base, `/v1/customers/${customerId}/offers`, { key });
  const post = (customerId: string, body: unknown, headers: Record<string, string> = {}, key = SHOP) =>
    call(s.base, `/v1/customers/${customerId}/responses`, { key, body, headers });

  it("offers what the latest decision of record made, in slot order with its documents, and what it superseded", async () => {
    const r = await offers("C0000101");
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ customerId: "C0000101", today: "2026-11-04", decision: { runId: "run-2026-11" } });
    expect(body.offers.map((o: { offerId: string }) => o.offerId)).toEqual([
      "ev-night-tariff",
      "direct-debit-discount",
      "price-cap-notice",
    ]);
    expect(body.offers[0]).toMatchObject({
      slot: "hero",
      experiment: { id: "ev-night-headline", variant: "B" },
      validTo: "2027-03-31",
    });
    expect(body.offers[0].documents).toEqual(
      expect.arrayContaining([
        { id: documents.pdf, channel: "pdf" },
        { id: documents.email, channel: "email" },
        { id: documents.sms, channel: "sms" },
      ]),
    );
    expect(body.withdrawn.map((w: { offerId: string; reason: string }) => [w.offerId, w.reason])).toEqual([
      ["solar-export", "superseded"],
      ["broadband-bundle", "expired"],
    ]);

    const nobody = await (await offers("C0000999")).json();
    expect(nobody).toEqual({ customerId: "C0000999", today: "2026-11-04", offers: [], withdrawn: [] });
    expect((await offers("C0000101", SHOP)).status).toBe(403);
  });

  it("refuses responses with a problem at each bad item's pointer, an unknown offer included, and records none", async () => {
    const r = await post("C0000101", [
      answer({ sourceId: "ok" }),
      answer({ sourceId: "unknown-offer", offerId: "free-money" }),
      answer({ sourceId: "bad-kind", response: "maybe" }),
      answer({ sourceId: "no-at", at: undefined }),
      answer({ sourceId: "bad-channel", channel: "fax" }),
    ]);
    expect(r.status).toBe(400);
    expect((await r.json()).problems.map((p: { at: string; code: string }) => [p.at, p.code])).toEqual([
      ["/1/offerId", "OMD_RESPONSE_OFFER_UNKNOWN"],
      ["/2/response", "OMD_RESPONSE_FIELD_INVALID"],
      ["/3/at", "OMD_RESPONSE_FIELD_MISSING"],
      ["/4/channel", "OMD_RESPONSE_FIELD_INVALID"],
    ]);
    const one = await (await post("C0000101", answer({ offerId: "free-money" }))).json();
    expect(one.problems[0]).toMatchObject({
      at: "/offerId",
      message: '/offerId names "free-money", which is not in the catalogue',
    });
    expect(await s.archive.responses("C0000101")).toEqual([]);
    expect((await post("C0000101", answer(), {}, KEYS.archive)).status).toBe(403);
  });

  it("records a response once per source and sourceId, honours Idempotency-Key, and the offer is withdrawn by it", async () => {
    const first = await post("C0000101", answer({ response: "declined", offerId: "direct-debit-discount" }), {
      "idempotency-key": "shop-batch-1",
    });
    expect(first.status).toBe(201);
    const receipt = await first.json();
    expect(receipt).toEqual({
      customerId: "C0000101",
      added: 1,
      existing: 0,
      responses: [{ source: "web-shop", sourceId: "order-1", status: "added" }],
    });
    const replay = await post("C0000101", answer({ response: "declined", offerId: "direct-debit-discount" }), {
      "idempotency-key": "shop-batch-1",
    });
    expect([replay.status, replay.headers.get("idempotent-replayed"), await replay.json()]).toEqual([
      201,
      "true",
      receipt,
    ]);
    const reused = await post("C0000101", answer({ sourceId: "order-2" }), { "idempotency-key": "shop-batch-1" });
    expect(reused.status).toBe(409);

    const again = await post("C0000101", [answer({ response: "accepted", offerId: "direct-debit-discount" })]);
    expect([again.status, (await again.json()).existing]).toEqual([200, 1]);

    const body = await (await offers("C0000101")).json();
    expect(body.offers.map((o: { offerId: string }) => o.offerId)).toEqual(["ev-night-tariff", "price-cap-notice"]);
    expect(body.withdrawn[0]).toMatchObject({
      offerId: "direct-debit-discount",
      reason: "response",
      event: {
        kind: "response",
        response: "declined",
        source: "web-shop",
        sourceId: "order-1",
        at: "2026-11-03T09:00:00.000Z",
      },
    });
  });

  it("withdraws sales offers after a complaint from any system, and marketing after an opt-out", async () => {
    await s.archive.recordInteractions([
      {
        customerId: "C0000101",
        source: "sprinklr",
        sourceId: "post-1",
        at: "2026-11-03T18:00:00Z",
        channel: "social",
        topic: "complaint",
      },
    ]);
    const body = await (await offers("C0000101")).json();
    expect(body.offers.map((o: { offerId: string }) => o.offerId)).toEqual(["price-cap-notice"]);
    expect(body.withdrawn.find((w: { offerId: string }) => w.offerId === "ev-night-tariff")).toMatchObject({
      reason: "complaint",
      event: { source: "sprinklr", sourceId: "post-1", channel: "social" },
    });
  });

  it("audits every read of offers now, and logs no note", async () => {
    const trail = (await (await call(s.base, "/v1/customers/C0000101/audit", { key: KEYS.auditor })).json()).entries;
    expect(trail.map((e: { route: string; action: string }) => `${e.action} ${e.route}`)).toEqual(
      expect.arrayContaining(["read GET /v1/customers/:id/offers", "write POST /v1/customers/:id/responses"]),
    );
    expect(s.logs.filter((l) => l.includes("mother") || l.includes("order-1"))).toEqual([]);
  });

  it("documents the routes and the responses:write scope in the OpenAPI document", async () => {
    const spec = await (await call(s.base, "/docs/json")).json();
    expect(spec.paths["/v1/customers/{id}/offers"].get.responses["200"]).toBeDefined();
    expect(
      spec.paths["/v1/customers/{id}/responses"].post.requestBody.content["application/json"].schema.oneOf,
    ).toHaveLength(2);
    expect(spec.paths["/v1/offers/stats"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      "from",
      "offer",
      "to",
    ]);
    expect(spec.paths["/r/{token}"].get.security).toEqual([]);
    expect(Object.keys(spec.paths["/unsubscribe"]).sort()).toEqual(["get", "post"]);
    expect(spec.components.securitySchemes.apiKey.description).toContain("`responses:write`");
  });

  it("counts per offer, channel and variant with rates, and judges each experiment on acceptance", async () => {
    clock = new Date("2026-11-20T09:00:00.000Z");
    const r = await call(s.base, "/v1/offers/stats?from=2026-11-01&to=2026-11-30", { key: KEYS.archive });
    expect(r.status).toBe(200);
    const stats = await r.json();
    const ev = stats.offers.filter((o: { offerId: string }) => o.offerId === "ev-night-tariff");
    expect(ev.map((o: { channel: string; sent: number }) => [o.channel, o.sent]).sort()).toEqual([
      ["email", 1],
      ["pdf", 1],
      ["sms", 1],
    ]);
    expect(ev[0].experiment).toEqual({ id: "ev-night-headline", variant: "B" });
    const dd = stats.offers.filter((o: { offerId: string }) => o.offerId === "direct-debit-discount");
    expect(dd.reduce((n: number, o: { declined: number }) => n + o.declined, 0)).toBe(1);
    expect(stats.experiments).toEqual([
      {
        experimentId: "ev-night-headline",
        offerId: "ev-night-tariff",
        variants: [{ variant: "B", sent: 3, accepted: 0, acceptanceRate: 0 }],
        verdict: "too-few",
      },
    ]);
    const one = await (await call(s.base, "/v1/offers/stats?offer=solar-export", { key: KEYS.archive })).json();
    expect(one.offers.map((o: { offerId: string }) => o.offerId)).toEqual(["solar-export", "solar-export"]);

    const backwards = await call(s.base, "/v1/offers/stats?from=2026-12-01&to=2026-11-01", { key: KEYS.archive });
    expect([backwards.status, (await backwards.json()).problems[0].at]).toEqual([400, "querystring/from"]);
    expect((await call(s.base, "/v1/offers/stats?from=November", { key: KEYS.archive })).status).toBe(400);
  });
});
