import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../../src/server/index.ts";
import { KEYS, type Running, startServer } from "./support.ts";

/** A feed from the contact centre's systems: it may record interactions, and read nothing. */
const CRM = newKey("contact-feed", ["interactions:write"]);
const NOTE = "Caller said her husband lost his job; wants a payment holiday";

const call = (over: Record<string, unknown> = {}) => ({
  source: "genesys",
  sourceId: "call-1001",
  at: "2026-11-03T09:15:00+01:00",
  channel: "call-centre",
  topic: "billing",
  outcome: "resolved",
  note: NOTE,
  ...over,
});

describe("the API's interactions", () => {
  let s: Running;
  const clock = new Date("2026-11-04T10:00:00.000Z");
  beforeAll(async () => {
    s = await startServer({
      keys: [...Object.values(KEYS).map((k) => k.entry), CRM.entry],
      captureLogs: "debug",
      now: () => clock,
    });
  });
  afterAll(() => s?.close());

  const post = (customerId: string, payload: unknown, key = CRM) =>
    s.app.inject({
      method: "POST",
      url: `/v1/customers/${customerId}/interactions`,
      headers: { authorization: `Bearer ${key.key}` },
      payload: payload as object,
    });
  const get = (url: string, key: { key: string } = KEYS.archive) =>
    s.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${key.key}` } });

  it("refuses a key without the scope, naming it: writing needs interactions:write, reading archive:read", async () => {
    const write = await post("C0000001", call(), KEYS.archive);
    expect(write.statusCode).toBe(403);
    expect(write.json().problems[0]).toMatchObject({ code: "OMD_API_SCOPE_MISSING" });
    expect(write.json().problems[0].message).toContain("interactions:write");

    const read = await get("/v1/customers/C0000001/interactions", CRM);
    expect(read.statusCode).toBe(403);
    expect(read.json().problems[0].message).toContain("archive:read");
    expect((await get("/v1/customers/C0000001/interactions")).json().interactions).toEqual([]);
  });

  it("answers 400 with a problem at the pointer of each bad interaction, and records none of the body", async () => {
    const r = await post("C0000002", [
      call({ sourceId: "ok" }),
      call({ sourceId: "bad-date", at: "2026-13-01T09:00:00Z" }),
      call({ sourceId: "no-topic", topic: undefined }),
      call({ sourceId: "bad-channel", channel: "pigeon" }),
      call({ sourceId: "no-offset", at: "2026-11-03T09:15:00" }),
      call({ sourceId: "leap-second", at: "2026-12-31T23:59:60Z" }),
    ]);
    expect(r.statusCode).toBe(400);
    expect(r.json().problems.map((p: { code: string; at: string }) => [p.at, p.code])).toEqual([
      ["/1/at", "OMD_INTERACTION_FIELD_INVALID"],
      ["/2/topic", "OMD_INTERACTION_FIELD_MISSING"],
      ["/3/channel", "OMD_INTERACTION_FIELD_INVALID"],
      ["/4/at", "OMD_INTERACTION_FIELD_INVALID"],
      ["/5/at", "OMD_INTERACTION_FIELD_INVALID"],
    ]);
    expect(r.json().problems[1].message).toBe("/2/topic is required");
    expect((await get("/v1/customers/C0000002/interactions")).json().interactions).toEqual([]);

    // One interaction alone is pointed at from the body's root; a field it does not know is named.
    const one = await post("C0000002", call({ source: "" }));
    expect(one.json().problems[0]).toMatchObject({ at: "/source", code: "OMD_INTERACTION_FIELD_INVALID" });
    expect((await post("C0000002", [call({ chanel: "web" })])).json().problems[0]).toMatchObject({
      at: "/0/chanel",
      message: "/0/chanel is not a field this schema knows",
    });
    expect((await post("C0000002", [])).json().problems[0].at).toBe("/");

    const badId = await post("not a customer id", call());
    expect([badId.statusCode, badId.json().problems[0].at]).toEqual([400, "params/id"]);
  });

  it("records each source's interaction once: a retry answers 200 and changes nothing, a new one 201", async () => {
    const first = await post("C0000003", call());
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      customerId: "C0000003",
      added: 1,
      existing: 0,
      interactions: [{ source: "genesys", sourceId: "call-1001", status: "added" }],
    });

    const retry = await post("C0000003", call({ topic: "changed since" }));
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ added: 0, existing: 1 });

    const mixed = await post("C0000003", [call(), call({ sourceId: "call-1002", at: "2026-11-04T08:00:00Z" })]);
    expect(mixed.statusCode).toBe(201);
    expect(mixed.json().interactions.map((i: { status: string }) => i.status)).toEqual(["existing", "added"]);

    const listed = (await get("/v1/customers/C0000003/interactions")).json().interactions;
    expect(listed.map((i: { sourceId: string; topic: string }) => [i.sourceId, i.topic])).toEqual([
      ["call-1002", "billing"],
      ["call-1001", "billing"],
    ]);
  });

  it("lists interactions newest first with the customer's documents, audits the reads and writes, logs no note", async () => {
    await post("C0000004", [
      call({ sourceId: "older", at: "2026-10-01T12:00:00Z", channel: "store", outcome: undefined }),
      call({ source: "zendesk", sourceId: "newer", at: "2026-10-20T12:00:00+02:00", channel: "chat" }),
    ]);
    const view = await get("/v1/customers/C0000004/documents");
    expect(view.statusCode).toBe(200);
    expect(view.json().documents).toEqual([]);
    expect(view.json().interactions).toEqual([
      {
        customerId: "C0000004",
        source: "zendesk",
        sourceId: "newer",
        at: "2026-10-20T10:00:00.000Z",
        channel: "chat",
        topic: "billing",
        outcome: "resolved",
        note: NOTE,
      },
      {
        customerId: "C0000004",
        source: "genesys",
        sourceId: "older",
        at: "2026-10-01T12:00:00.000Z",
        channel: "store",
        topic: "billing",
        note: NOTE,
      },
    ]);
    const limited = await get("/v1/customers/C0000004/interactions?limit=1");
    expect(limited.json().interactions.map((i: { sourceId: string }) => i.sourceId)).toEqual(["newer"]);

    const trail = (await get("/v1/customers/C0000004/audit", KEYS.auditor)).json().entries;
    expect(
      trail.map((e: { keyName: string; action: string; route: string }) => [e.keyName, e.action, e.route]),
    ).toEqual([
      ["agent-desk", "read", "GET /v1/customers/:id/interactions"],
      ["agent-desk", "read", "GET /v1/customers/:id/documents"],
      ["contact-feed", "write", "POST /v1/customers/:id/interactions"],
    ]);
    expect(s.logs.length).toBeGreaterThan(0);
    expect(s.logs.filter((line) => line.includes("payment holiday") || line.includes("zendesk"))).toEqual([]);
  });

  it("documents both routes, the body as one interaction or many, in the OpenAPI document", async () => {
    const spec = (await s.app.inject({ method: "GET", url: "/docs/json" })).json();
    const route = spec.paths["/v1/customers/{id}/interactions"];
    const body = route.post.requestBody.content["application/json"].schema;
    expect(body.oneOf[0].properties.channel.enum).toContain("call-centre");
    expect(body.oneOf[1].type).toBe("array");
    expect(Object.keys(route.post.responses)).toEqual(expect.arrayContaining(["200", "201", "400", "403"]));
    expect(route.get.responses["200"]).toBeDefined();
    expect(spec.components.securitySchemes.apiKey.description).toContain("`interactions:write`");
  });
});
