import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/index.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

let s: Running;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.close());

const render = (channel: string, over: Record<string, unknown> = {}) =>
  call(s.base, "/v1/documents", {
    key: KEYS.renderAndRead,
    body: { template: "energy-bill", channel, runDate: "2026-11-01", profile: sampleProfile(), ...over },
  });

describe("POST /v1/documents", () => {
  it("answers a PDF statement and archives it", async () => {
    const r = await render("pdf");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const id = r.headers.get("omnidoc-document-id")!;
    const stored = await s.archive.get(id);
    expect(stored?.document).toMatchObject({ customerId: "C0000001", channel: "pdf", contentType: "application/pdf" });
    expect(stored?.document.sha256).toBe(sha256Hex(bytes));
  });

  it("answers the email as HTML, text or a complete message, and archives the message", async () => {
    const html = await render("email");
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toMatch(/<html/i);
    const archived = await s.archive.get(html.headers.get("omnidoc-document-id")!);
    expect(archived?.document.contentType).toBe("message/rfc822");

    const text = await render("email", { format: "text" });
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await text.text()).not.toMatch(/<html/i);

    const eml = await render("email", { format: "eml" });
    expect(eml.headers.get("content-type")).toBe("message/rfc822");
    const message = await eml.text();
    expect(message).toMatch(/^MIME-Version: 1\.0/m);
    expect(message).toContain("vanderberg.1@example.com");
  });

  it("answers the SMS as JSON with its encoding and segments", async () => {
    const r = await render("sms");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    const archived = await s.archive.get(r.headers.get("omnidoc-document-id")!);
    expect(archived?.document).toMatchObject({ channel: "sms", contentType: "application/json" });
    const sms = await r.json();
    expect(sms).toMatchObject({ to: "+447700999401", encoding: "GSM-7" });
    expect(sms.segments).toBeGreaterThanOrEqual(1);
    expect(sms.text).toContain("Chloé");
  });

  it("archives nothing when asked not to", async () => {
    const profile = { ...sampleProfile(1) };
    const r = await render("sms", { profile, archive: false });
    expect(r.status).toBe(200);
    expect(r.headers.get("omnidoc-document-id")).toBeNull();
    expect(await s.archive.list(profile.id)).toEqual([]);
  });

  it("refuses format for a channel other than email", async () => {
    const r = await render("sms", { format: "eml" });
    expect(r.status).toBe(400);
    expect((await r.json()).problems[0].at).toBe("/format");
  });

  it("answers 422 with the channel's problem when it cannot render for this customer", async () => {
    const profile = sampleProfile(2);
    delete profile.contact.mobile;
    const r = await render("sms", { profile });
    expect(r.status).toBe(422);
    expect((await r.json()).problems[0].code).toBe("OMD_SMS_NO_MOBILE");
  });

  it("answers 422 naming the audience rule for a customer the template is not for, and archives nothing", async () => {
    const profile = sampleProfile(4);
    profile.account.balanceDue = -14.82;
    profile.account.inArrears = false;
    const r = await render("pdf", { template: "payment-reminder", profile });
    expect(r.status).toBe(422);
    const [p] = (await r.json()).problems;
    expect(p.code).toBe("OMD_AUDIENCE_OUTSIDE");
    expect(p.message).toContain("rule: account.balanceDue > 0");
    expect(p.message).toContain("nothing is owed");
    expect(r.headers.get("omnidoc-document-id")).toBeNull();
    expect(await s.archive.list(profile.id)).toEqual([]);
  });

  it("re-renders a customer the archive knows, from their profile of record", async () => {
    const profile = sampleProfile(3);
    const fromRecords = await call(s.base, "/v1/documents", {
      key: KEYS.records,
      body: { template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile },
    });
    expect(fromRecords.status).toBe(200);
    const again = await render("sms", { profile: undefined, customerId: profile.id });
    expect(again.status).toBe(200);
    expect((await again.json()).to).toBe(profile.contact.mobile);
    expect(await s.archive.list(profile.id)).toHaveLength(2);

    const unknown = await render("sms", { profile: undefined, customerId: "C7777777" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).problems[0]).toMatchObject({ code: "OMD_API_CUSTOMER_UNKNOWN", at: "/customerId" });
  });
});

describe("POST /v1/decisions", () => {
  it("answers the decision with its trace", async () => {
    const r = await call(s.base, "/v1/decisions", {
      key: KEYS.render,
      body: { runDate: "2026-11-01", profile: sampleProfile() },
    });
    expect(r.status).toBe(200);
    const d = await r.json();
    expect(d).toMatchObject({ customerId: "C0000001", runDate: "2026-11-01", language: "en" });
    expect(Object.keys(d.slots).sort()).toEqual(["hero", "notice", "secondary"]);
    expect(d.trace.length).toBeGreaterThan(0);
    expect(d.trace[0]).toEqual({
      id: expect.any(String),
      slot: expect.any(String),
      chosen: expect.any(Boolean),
      rule: expect.any(String),
      reason: expect.any(String),
    });
    // The chosen items keep their copy through the response schema.
    const chosen = d.trace.filter((t: { chosen: boolean }) => t.chosen).map((t: { id: string }) => t.id);
    const inSlots = [...d.slots.hero, ...d.slots.secondary, ...d.slots.notice];
    expect(inSlots.map((i: { id: string }) => i.id).sort()).toEqual(chosen.sort());
    expect(inSlots[0].copy.headline).toEqual(expect.any(String));
  });
});

describe("templates", () => {
  it("lists the loaded templates with version, channels and languages", async () => {
    const r = await call(s.base, "/v1/templates", { key: KEYS.render });
    const { templates } = await r.json();
    const bill = templates.find((t: { id: string }) => t.id === "energy-bill");
    expect(bill).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), languages: ["en", "fr", "de"] });
    expect(bill.channels.sort()).toEqual(["email", "pdf", "sms"]);
    const one = await (await call(s.base, "/v1/templates/energy-bill", { key: KEYS.render })).json();
    expect(one).toMatchObject({ id: "energy-bill", versions: [bill.version] });
    expect((await call(s.base, "/v1/templates/no-such", { key: KEYS.render })).status).toBe(404);
  });
});

describe("the single customer view", () => {
  it("lists every document sent to the customer, newest first, each with its offers, and serves the bytes", async () => {
    const profile = sampleProfile(4);
    const first = await render("sms", { profile });
    const second = await render("pdf", { profile });
    const r = await call(s.base, `/v1/customers/${profile.id}/documents`, { key: KEYS.archive });
    expect(r.status).toBe(200);
    const view = await r.json();
    expect(view.documents.map((d: { channel: string }) => d.channel)).toEqual(["pdf", "sms"]);
    expect(view.documents[0].id).toBe(second.headers.get("omnidoc-document-id"));
    expect(view.documents[1].id).toBe(first.headers.get("omnidoc-document-id"));
    for (const d of view.documents) expect(Array.isArray(d.offerIds)).toBe(true);

    const doc = await call(s.base, view.documents[0].url, { key: KEYS.archive });
    expect(doc.status).toBe(200);
    expect(doc.headers.get("content-type")).toBe("application/pdf");
    expect(doc.headers.get("etag")).toBe(`"${view.documents[0].sha256}"`);
    expect(sha256Hex(new Uint8Array(await doc.arrayBuffer()))).toBe(view.documents[0].sha256);

    expect((await call(s.base, `/v1/documents/${"0".repeat(32)}`, { key: KEYS.archive })).status).toBe(404);
    expect((await call(s.base, "/v1/documents/not-an-id", { key: KEYS.archive })).status).toBe(400);
    const none = await (await call(s.base, "/v1/customers/C9999999/documents", { key: KEYS.archive })).json();
    expect(none.documents).toEqual([]);
  });
});

describe("operations", () => {
  it("answers health and readiness", async () => {
    expect(await (await call(s.base, "/healthz")).json()).toEqual({ status: "ok" });
    const ready = await (await call(s.base, "/readyz")).json();
    expect(ready).toMatchObject({ status: "ready", workers: 1, archive: "sqlite" });
  });

  it("exposes requests, latencies, renders by channel and the queue depth to Prometheus", async () => {
    await render("sms", { archive: false });
    const text = await (await call(s.base, "/metrics", { key: KEYS.admin })).text();
    expect(text).toMatch(/omnidoc_http_requests_total\{method="POST",route="\/v1\/documents",status="200"\} [1-9]/);
    expect(text).toMatch(
      /omnidoc_http_request_duration_seconds_bucket\{le="0\.25",method="POST",route="\/v1\/documents"\}/,
    );
    expect(text).toMatch(/omnidoc_renders_total\{channel="sms",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/omnidoc_render_pool_queue_depth 0/);
  });

  it("serves the OpenAPI document and its UI from the server itself", async () => {
    const spec = await (await call(s.base, "/docs/json")).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/v1/documents",
        "/v1/decisions",
        "/v1/templates/{id}",
        "/v1/customers/{id}/documents",
        "/v1/customers/{id}/audit",
      ]),
    );
    const render = spec.paths["/v1/documents"].post;
    expect(render.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "idempotency-key" }));
    expect(spec.components.securitySchemes.apiKey.description).toContain("profile:write");
    const page = await (await call(s.base, "/docs/static/index.html")).text();
    // Every script and stylesheet the UI loads comes from this server, none from a CDN.
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) expect(a).not.toMatch(/^(https?:)?\/\//);
    // …and the UI never sends the spec to the public online validator.
    expect(await (await call(s.base, "/docs/static/swagger-initializer.js")).text()).toContain("validatorUrl: null");
  });
});
