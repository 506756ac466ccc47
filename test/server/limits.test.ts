import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, jsonDepth } from "../../src/server/json-body.ts";
import { KEYS, type Running, sampleProfile, startServer } from "./support.ts";

let s: Running;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s?.close());

const post = (path: string, body: string) =>
  fetch(`${s.base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.render.key}`, "content-type": "application/json" },
    body,
  });

describe("JSON nested too deep", () => {
  it("answers 400 naming the limit for a profile carrying 5,000 nested objects", async () => {
    const depth = 5_000;
    const profile = JSON.stringify(sampleProfile());
    const deep = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const body = `{"template":"energy-bill","channel":"sms","runDate":"2026-11-01","archive":false,"profile":${profile.slice(0, -1)},"extra":${deep}}}`;
    for (const path of ["/v1/documents", "/v1/decisions"]) {
      const r = await post(path, body);
      expect(r.status).toBe(400);
      const problem = (await r.json()).problems[0];
      expect(problem.code).toBe("OMD_API_BODY_TOO_DEEP");
      expect(problem.message).toContain(`more than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it("still renders an ordinary body, brackets inside its strings included", async () => {
    const profile = sampleProfile();
    profile.name.last = `O[[[[{{{{${'\\"'.repeat(3)}`;
    const r = await post(
      "/v1/documents",
      JSON.stringify({ template: "energy-bill", channel: "sms", runDate: "2026-11-01", archive: false, profile }),
    );
    expect(r.status).toBe(200);
  });

  it("counts depth outside strings only", () => {
    expect(jsonDepth('{"a":[1,{"b":"]]]}}}[[[[\\"{{"}]}')).toBe(3);
    expect(jsonDepth("[".repeat(10_000), 64)).toBe(65);
  });
});
