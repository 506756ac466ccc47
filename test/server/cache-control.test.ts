import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

let s: Running;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.close());

describe("answers that carry a document or a customer's data", () => {
  it("are kept by no cache on the way (Cache-Control: no-store): renders, decisions and archive reads", async () => {
    const profile = sampleProfile();
    const body = { template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile, archive: true };
    const rendered = await call(s.base, "/v1/documents", { key: KEYS.admin, body });
    expect(rendered.status).toBe(200);
    const id = rendered.headers.get("omnidoc-document-id")!;
    const answers = [
      rendered,
      await call(s.base, "/v1/decisions", { key: KEYS.admin, body: { runDate: "2026-11-01", profile } }),
      await call(s.base, `/v1/documents/${id}`, { key: KEYS.admin }),
      await call(s.base, `/v1/customers/${profile.id}/documents`, { key: KEYS.admin }),
      // A refusal of any of them too: it may echo what was sent.
      await call(s.base, "/v1/documents", { key: KEYS.admin, body: { ...body, profile: { ...profile, id: "" } } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 400]);
    expect(answers.map((r) => r.headers.get("cache-control"))).toEqual(Array(5).fill("no-store"));
  });

  it("leaves public answers to the caches: health and the API's description", async () => {
    expect((await call(s.base, "/healthz")).headers.get("cache-control")).not.toBe("no-store");
    expect((await call(s.base, "/docs/json")).headers.get("cache-control")).not.toBe("no-store");
  });
});
