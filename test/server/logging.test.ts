import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrub } from "../../src/server/logging.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

const PERSONAL = [
  "Zebulon",
  "Quartermaine",
  "zeb.quartermaine@example.org",
  "+447700900123",
  "17 Lantern Yard",
  "LN1 7QQ",
];

let s: Running;
beforeAll(async () => {
  s = await startServer({ captureLogs: "debug" });
});
afterAll(() => s?.close());

describe("logs", () => {
  it("never carry a name, an address, an email or a phone number, even when debugging", async () => {
    const profile = sampleProfile();
    profile.name = { title: "Mr", first: "Zebulon", last: "Quartermaine" };
    profile.contact = {
      email: "zeb.quartermaine@example.org",
      mobile: "+447700900123",
      address: { lines: ["17 Lantern Yard"], city: "Lincoln", postcode: "LN1 7QQ", country: "GB" },
    };
    const ok = await call(s.base, "/v1/documents", {
      key: KEYS.render,
      body: { template: "energy-bill", channel: "sms", runDate: "2026-11-01", profile },
    });
    expect(ok.status).toBe(200);
    const bad = await call(s.base, "/v1/documents", {
      key: KEYS.render,
      body: {
        template: "energy-bill",
        channel: "sms",
        runDate: "2026-11-01",
        profile: { ...profile, locale: "xx-XX" },
      },
    });
    expect(bad.status).toBe(400);
    const query = "?from=zeb.quartermaine@example.org&phone=%2B447700900123";
    await call(s.base, `/v1/customers/${profile.id}/documents${query}`, { key: KEYS.archive });

    const text = s.logs.join("\n");
    // The body was logged (debug), with its personal fields censored, and the key never appears.
    const bodyLine = s.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "request body");
    expect(bodyLine.body.profile.id).toBe(profile.id);
    expect(bodyLine.body.profile.name).toBe("[redacted]");
    expect(bodyLine.body.profile.contact).toBe("[redacted]");
    expect(text).toContain('"documentId"');
    for (const value of [...PERSONAL, KEYS.render.key, KEYS.archive.key]) expect(text).not.toContain(value);
    for (const line of s.logs) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("scrubs emails and phone numbers from free text", () => {
    expect(scrub("/x?e=a.b@example.co.uk&m=%2B447700900123 or +353861234567")).toBe(
      "/x?e=[redacted]&m=[redacted] or [redacted]",
    );
  });
});
