import { describe, expect, it } from "vitest";
import { KEYS, call, sampleProfile, startServer } from "./support.ts";

const sms = () => ({
  template: "energy-bill",
  channel: "sms",
  runDate: "2026-11-01",
  profile: sampleProfile(),
  archive: false,
});

describe("per-key rate limits", () => {
  it("answers 429 with Retry-After to a key over its rate while another key is still served", async () => {
    const s = await startServer({ rateLimit: { max: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await call(s.base, "/v1/templates", { key: KEYS.render })).status).toBe(200);
      const over = await call(s.base, "/v1/documents", { key: KEYS.render, body: sms() });
      expect(over.status).toBe(429);
      const retryAfter = Number(over.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const problem = (await over.json()).problems[0];
      expect(problem.code).toBe("OMD_API_RATE_LIMITED");
      expect(problem.message).toContain("more than 3 requests");
      const other = await call(s.base, "/v1/documents", { key: KEYS.renderAndRead, body: sms() });
      expect(other.status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe("refusals are logged as a rate", () => {
  it("writes one line with the count for 200 refusals, none for each, and counts them in a metric", async () => {
    const refused = 200;
    const s = await startServer({ captureLogs: "info", rateLimit: { max: 5, windowMs: 60_000 } });
    let metric: string;
    let statuses: number[];
    try {
      statuses = [];
      for (let i = 0; i < refused + 5; i++)
        statuses.push((await call(s.base, "/v1/templates", { key: KEYS.render })).status);
      metric = await (await call(s.base, "/metrics", { key: KEYS.admin })).text();
    } finally {
      await s.close();
    }
    expect(statuses.filter((x) => x === 429)).toHaveLength(refused);
    expect(metric).toMatch(new RegExp(`omnidoc_http_refusals_total\\{code="OMD_API_RATE_LIMITED"\\} ${refused}\\b`));
    // A line about a refusal: a request line answered 429, or one naming the refusal's code anywhere.
    const refusalLines = s.logs.filter((l) => JSON.parse(l).status === 429 || l.includes("OMD_API_RATE_LIMITED"));
    expect(refusalLines).toHaveLength(1);
    const line = JSON.parse(refusalLines[0]);
    expect(line.msg).toBe("requests refused");
    expect(line.refused).toEqual({ OMD_API_RATE_LIMITED: refused });
    // The five admitted requests and the metrics read still log a line each.
    expect(s.logs.filter((l) => JSON.parse(l).msg === "request")).toHaveLength(6);
    expect(Buffer.byteLength(refusalLines.join("\n"))).toBeLessThan(300);
  });
});
