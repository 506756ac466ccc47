import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

let s: Running;
beforeAll(async () => {
  s = await startServer({ bodyLimit: 64 * 1024 });
});
afterAll(() => s?.close());

const sms = (over: Record<string, unknown> = {}) => ({
  template: "energy-bill",
  channel: "sms",
  runDate: "2026-11-01",
  profile: sampleProfile(),
  archive: false,
  ...over,
});

describe("API keys and scopes", () => {
  it("answers 401 with no key, and with a key it does not know, telling the two apart", async () => {
    for (const [key, code] of [
      [undefined, "OMD_API_KEY_MISSING"],
      [{ key: "omd_not-a-real-key" }, "OMD_API_KEY_UNKNOWN"],
    ] as const) {
      const r = await call(s.base, "/v1/templates", { key });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toContain("Bearer");
      expect((await r.json()).problems[0].code).toBe(code);
    }
  });

  it("answers 403 when the key lacks the route's scope", async () => {
    const render = await call(s.base, "/v1/documents", { key: KEYS.archive, body: sms() });
    expect(render.status).toBe(403);
    expect((await render.json()).problems[0].code).toBe("OMD_API_SCOPE_MISSING");
    expect((await call(s.base, "/v1/customers/C0000001/documents", { key: KEYS.render })).status).toBe(403);
    expect((await call(s.base, "/metrics", { key: KEYS.render })).status).toBe(403);
    expect((await call(s.base, "/v1/templates", { key: KEYS.preview })).status).toBe(403);
  });

  it("lets a key in with its scope, by Authorization or X-API-Key, and admin everywhere", async () => {
    expect((await call(s.base, "/v1/templates", { key: KEYS.render })).status).toBe(200);
    const viaHeader = await fetch(`${s.base}/v1/customers/C0000001/documents`, {
      headers: { "x-api-key": KEYS.archive.key },
    });
    expect(viaHeader.status).toBe(200);
    expect((await call(s.base, "/metrics", { key: KEYS.admin })).status).toBe(200);
    expect((await call(s.base, "/v1/documents", { key: KEYS.admin, body: sms() })).status).toBe(200);
  });

  it("re-renders from the archive only with archive:read as well as render", async () => {
    const r = await call(s.base, "/v1/documents", {
      key: KEYS.render,
      body: { ...sms(), profile: undefined, customerId: "C0000001" },
    });
    expect(r.status).toBe(403);
    expect((await r.json()).problems[0].message).toContain("archive:read");
  });

  it("keeps health and docs public", async () => {
    expect((await call(s.base, "/healthz")).status).toBe(200);
    expect((await call(s.base, "/docs/json")).status).toBe(200);
  });
});

describe("bad input", () => {
  it("answers 400 with the JSON pointer of a bad profile field", async () => {
    const profile = sampleProfile();
    (profile.contact as Record<string, unknown>).email = "not-an-email";
    const r = await call(s.base, "/v1/documents", { key: KEYS.render, body: sms({ profile }) });
    expect(r.status).toBe(400);
    const p = (await r.json()).problems[0];
    expect(p).toMatchObject({ code: "OMD_PROFILE_FIELD_INVALID", at: "/profile/contact/email" });
    expect(p.message).toBe("/profile/contact/email is not a valid email");
  });

  it("answers 400 with the pointer of a missing profile field", async () => {
    const profile = sampleProfile() as unknown as Record<string, Record<string, unknown>>;
    delete profile.name.first;
    const r = await call(s.base, "/v1/documents", { key: KEYS.render, body: sms({ profile }) });
    expect(r.status).toBe(400);
    expect((await r.json()).problems[0]).toMatchObject({
      code: "OMD_PROFILE_FIELD_MISSING",
      at: "/profile/name/first",
    });
  });

  it("answers 400 with the pointer of a field that breaks the request schema", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [sms({ channel: "fax" }), "/channel"],
      [sms({ runDate: "1st November" }), "/runDate"],
      [sms({ template: undefined }), "/template"],
      [sms({ colour: "red" }), "/"],
    ];
    for (const [body, at] of cases) {
      const r = await call(s.base, "/v1/documents", { key: KEYS.render, body });
      expect(r.status).toBe(400);
      expect((await r.json()).problems[0]).toMatchObject({ code: "OMD_API_BODY_INVALID", at });
    }
  });

  it("answers 400 for a body that is not JSON, and for profile and customerId together", async () => {
    const notJson = await call(s.base, "/v1/documents", { key: KEYS.render, body: "{ not json" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).problems[0].code).toBe("OMD_INPUT_NOT_JSON");
    const both = await call(s.base, "/v1/documents", {
      key: KEYS.renderAndRead,
      body: sms({ customerId: "C0000001" }),
    });
    expect(both.status).toBe(400);
  });

  it("answers 413 for a body over the limit", async () => {
    const profile = { ...sampleProfile(), padding: "x".repeat(80 * 1024) };
    const r = await call(s.base, "/v1/documents", { key: KEYS.render, body: sms({ profile }) });
    expect(r.status).toBe(413);
    expect((await r.json()).problems[0].code).toBe("OMD_API_BODY_TOO_LARGE");
  });

  it("looks a template id up among the loaded ones and never as a path", async () => {
    for (const template of ["../../etc/passwd", "/etc/passwd", "energy-bill/../energy-bill", "__proto__"]) {
      const r = await call(s.base, "/v1/documents", { key: KEYS.render, body: sms({ template }) });
      expect(r.status).toBe(400);
      expect((await r.json()).problems[0].at).toBe("/template");
    }
    for (const template of ["constructor", "hasownproperty", "no-such-template"]) {
      const r = await call(s.base, "/v1/documents", { key: KEYS.render, body: sms({ template }) });
      expect(r.status).toBe(400);
      expect((await r.json()).problems[0]).toMatchObject({ code: "OMD_TEMPLATE_NOT_FOUND", at: "/template" });
    }
    expect((await call(s.base, "/v1/templates/..%2F..%2Fetc%2Fpasswd", { key: KEYS.render })).status).toBe(400);
    expect((await call(s.base, "/v1/templates/constructor", { key: KEYS.render })).status).toBe(404);
  });

  it("makes __proto__ and constructor keys in a profile harmless", async () => {
    const profile = JSON.stringify(sampleProfile()).replace(
      /^\{/,
      '{"__proto__":{"polluted":"yes","segment":"vulnerable"},"constructor":{"prototype":{"polluted":"yes"}},',
    );
    const nameProto = profile.replace('"name":{', '"name":{"__proto__":{"first":"Mallory"},');
    const body = `{"template":"energy-bill","channel":"sms","runDate":"2026-11-01","profile":${nameProto}}`;
    const r = await call(s.base, "/v1/documents", { key: KEYS.records, body });
    expect(r.status).toBe(200);
    const sent = await r.json();
    expect(sent.text).toContain("Chloé");
    expect(sent.text).not.toContain("Mallory");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The archived profile keeps none of it either.
    const stored = JSON.stringify(await s.archive.lastProfile("C0000001"));
    expect(stored).not.toContain("polluted");
    expect(stored).not.toContain("Mallory");
  });

  it("answers 404 as a problem for an unknown route", async () => {
    const r = await call(s.base, "/v2/anything", { key: KEYS.admin });
    expect(r.status).toBe(404);
    expect((await r.json()).problems[0].code).toBe("OMD_API_ROUTE_NOT_FOUND");
  });
});
