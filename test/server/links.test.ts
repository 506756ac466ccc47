import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, backendArchive, recordComposition } from "./relationship-support.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

const OFFER_TOKEN = "k1.Offer1EmailToken000000";
const SMS_TOKEN = "k1.Offer1SmsToken00000000";
const UNSUBSCRIBE_TOKEN = "k1.UnsubscribeToken000000";
const TARGET = "https://www.northwind-energy.example/en/ev?utm_source=omnidoc&utm_campaign=ev-night-tariff";

describe.each(BACKENDS)("tracked links and one-click unsubscribe: %s", (backend) => {
  const archive = backendArchive(backend, "links");
  const clock = new Date("2026-11-04T09:00:00.000Z");
  let s: Running;
  let documents: Record<string, string>;
  beforeAll(async () => {
    s = await startServer({ archiveUrl: archive.url, captureLogs: "debug", now: () => clock });
    documents = await recordComposition(s.archive, {
      customerId: "C0000201",
      runId: "run-2026-11",
      runDate: "2026-11-01",
      items: [
        { offerId: "ev-night-tariff", target: TARGET, channels: ["pdf", "email", "sms"] },
        { offerId: "price-cap-notice", kind: "regulatory", slot: "notice", marketing: false },
      ],
      links: [
        { token: OFFER_TOKEN, purpose: "offer", channel: "email", offerId: "ev-night-tariff" },
        { token: SMS_TOKEN, purpose: "offer", channel: "sms", offerId: "ev-night-tariff" },
        { token: UNSUBSCRIBE_TOKEN, purpose: "unsubscribe", channel: "email" },
      ],
    });
  });
  afterAll(async () => {
    await s?.close();
    await archive.drop();
  });

  /** A request as a mail client or browser makes it: no API key, no cookie, redirects not followed. */
  const open = (path: string, init: RequestInit = {}) => fetch(`${s.base}${path}`, { redirect: "manual", ...init });
  const responses = () => s.archive.responses("C0000201");

  describe("GET /r/{token}", () => {
    it("records each click with its offer, channel and document, and redirects to the target of record", async () => {
      const first = await open(`/r/${OFFER_TOKEN}`);
      expect([first.status, first.headers.get("location")]).toEqual([302, TARGET]);
      expect(first.headers.get("cache-control")).toBe("no-store");
      // What the request says never changes where it goes: the target comes from the archive only.
      const steered = await open(`/r/${SMS_TOKEN}?url=https://evil.example/&next=//evil.example`);
      expect(steered.headers.get("location")).toBe(TARGET);

      const clicks = await responses();
      expect(clicks).toHaveLength(2);
      expect(clicks.map((c) => [c.response, c.offerId, c.channel, c.source]).sort()).toEqual([
        ["clicked", "ev-night-tariff", "email", "link"],
        ["clicked", "ev-night-tariff", "sms", "link"],
      ]);
      expect(clicks.find((c) => c.channel === "email")).toMatchObject({
        documentId: documents.email,
        at: "2026-11-04T09:00:00.000Z",
      });
      expect(new Set(clicks.map((c) => c.sourceId)).size).toBe(2);
    });

    it("answers a malformed, tampered or unknown token, or an unsubscribe token, with a plain 404 page and records nothing", async () => {
      const before = (await responses()).length;
      const tampered = `${OFFER_TOKEN.slice(0, -1)}1`;
      for (const token of [
        tampered,
        "k1.NeverIssuedToken0000000",
        UNSUBSCRIBE_TOKEN,
        "not-a-token",
        encodeURIComponent("https://evil.example/"),
        `${"k".repeat(40)}.${"A".repeat(22)}`,
      ]) {
        const r = await open(`/r/${token}`);
        expect([token, r.status, r.headers.get("location")]).toEqual([token, 404, null]);
        expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(await r.text()).toContain("This link is not valid");
      }
      expect(await responses()).toHaveLength(before);
    });
  });

  describe("one-click unsubscribe (RFC 8058)", () => {
    const url = `/unsubscribe?t=${UNSUBSCRIBE_TOKEN}`;
    const optOuts = async () => (await responses()).filter((r) => r.response === "opted-out");

    it("shows a page whose button POSTs on a GET, and unsubscribes nobody (link scanners follow GETs)", async () => {
      const r = await open(url);
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toMatch(/<form method="post">/);
      expect(html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
      expect(await optOuts()).toEqual([]);
      expect((await open("/unsubscribe?t=k1.NeverIssuedToken0000000")).status).toBe(404);
    });

    it("refuses a POST without the List-Unsubscribe=One-Click body, and records nothing", async () => {
      for (const init of [
        { body: "List-Unsubscribe=Yes", headers: { "content-type": "application/x-www-form-urlencoded" } },
        { body: "", headers: { "content-type": "application/x-www-form-urlencoded" } },
        {},
      ]) {
        const r = await open(url, { method: "POST", ...init });
        expect(r.status).toBe(400);
      }
      expect(await optOuts()).toEqual([]);
    });

    it("unsubscribes on the RFC's multipart/form-data POST with no cookie or key, answers 200 and never redirects", async () => {
      // §3.2: the receiver POSTs the List-Unsubscribe-Post pair as multipart/form-data (SHOULD), with no cookies,
      // no HTTP authorization and no other context: the URL is all the server gets.
      const form = new FormData();
      form.set("List-Unsubscribe", "One-Click");
      const r = await open(url, { method: "POST", body: form, credentials: "omit" });
      expect([r.status, r.headers.get("location")]).toEqual([200, null]);
      expect(await r.text()).toContain("Unsubscribed");
      expect(await optOuts()).toMatchObject([
        { customerId: "C0000201", channel: "email", documentId: documents.email, source: "unsubscribe" },
      ]);
    });

    it("records the opt-out once however often it is posted, urlencoded (which the RFC allows) included", async () => {
      for (let i = 0; i < 3; i++) {
        const r = await open(url, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        });
        expect(r.status).toBe(200);
      }
      expect(await optOuts()).toHaveLength(1);
      expect(
        (
          await open("/unsubscribe?t=k1.NeverIssuedToken0000000", {
            method: "POST",
            body: "List-Unsubscribe=One-Click",
            headers: { "content-type": "application/x-www-form-urlencoded" },
          })
        ).status,
      ).toBe(404);
    });

    it("withdraws the customer's marketing offers from offers now", async () => {
      const body = await (await call(s.base, "/v1/customers/C0000201/offers", { key: KEYS.archive })).json();
      expect(body.offers.map((o: { offerId: string }) => o.offerId)).toEqual(["price-cap-notice"]);
      expect(body.withdrawn[0]).toMatchObject({ offerId: "ev-night-tariff", reason: "opted-out" });
    });

    it("closes the loop from a rendered email: its offer link redirects, its unsubscribe link unsubscribes", async () => {
      const profile = sampleProfile(0);
      const rendered = await call(s.base, "/v1/documents", {
        key: KEYS.render,
        body: { template: "energy-bill", channel: "email", runDate: "2026-11-01", profile },
      });
      expect(rendered.status).toBe(200);
      const html = await rendered.text();
      const tracked = [...html.matchAll(/https:\/\/go\.northwind-energy\.example(\/r\/[A-Za-z0-9_.-]+)/g)].map(
        (m) => m[1],
      );
      expect(tracked.length).toBeGreaterThan(0);
      const redirect = await open(tracked[0]);
      expect(redirect.status).toBe(302);
      const target = new URL(redirect.headers.get("location") as string);
      expect(target.searchParams.get("utm_source")).toBe("omnidoc");

      const unsubscribe = /https:\/\/www\.northwind-energy\.example(\/unsubscribe\?t=[A-Za-z0-9_.-]+)/.exec(html)?.[1];
      expect(unsubscribe).toBeDefined();
      const form = new FormData();
      form.set("List-Unsubscribe", "One-Click");
      expect((await open(unsubscribe as string, { method: "POST", body: form })).status).toBe(200);
      const recorded = await s.archive.responses(profile.id);
      expect(recorded.map((r) => [r.response, r.offerId ?? null]).sort()).toEqual(
        [
          ["clicked", target.searchParams.get("utm_campaign")],
          ["opted-out", null],
        ].sort(),
      );
    });

    it("logs neither the tokens nor the customer", () => {
      expect(s.logs.some((l) => l.includes('"route":"/r/:token"'))).toBe(true);
      expect(s.logs.filter((l) => /Token0|C0000201|C0000001|evil|\/r\/k|\?t=/.test(l))).toEqual([]);
    });
  });
});
