import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Profile } from "../../src/profile/index.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

const POSTGRES = "postgres://postgres@127.0.0.1:5432/test";

/** The API over each archive backend: SQLite, and PostgreSQL in a schema of its own. */
const BACKENDS: [string, (blobs: string) => string | undefined][] = [
  ["sqlite", () => undefined],
  ["postgres", (blobs) => `${POSTGRES}?schema=omnidoc_api_${process.pid}&blobs=${blobs}`],
];

describe.each(BACKENDS)("the API's archive: %s", (backend, archiveUrl) => {
  const blobs = mkdtempSync(join(tmpdir(), "omnidoc-api-blobs-"));
  /** The server's clock: the audit trail and idempotency keys' expiry read it; tests move it on. */
  let clock = new Date("2026-11-01T10:00:00.000Z");
  let s: Running;
  beforeAll(async () => {
    s = await startServer({ archiveUrl: archiveUrl(blobs), now: () => clock });
  });
  afterAll(async () => {
    await s?.close();
    rmSync(blobs, { recursive: true, force: true });
    if (backend !== "postgres") return;
    const client = new pg.Client(POSTGRES);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS omnidoc_api_${process.pid} CASCADE`);
    await client.end();
  });

  const body = (profile: Profile, over: Record<string, unknown> = {}) => ({
    template: "energy-bill",
    channel: "sms",
    runDate: "2026-11-01",
    profile,
    ...over,
  });
  const documents = async (customerId: string) =>
    (await (await call(s.base, `/v1/customers/${customerId}/documents`, { key: KEYS.archive })).json()).documents;

  describe("the profile of record", () => {
    it("is not rewritten by a render key: a forged profile leaves a re-render by id going to the real address", async () => {
      const real = sampleProfile(5);
      expect((await call(s.base, "/v1/documents", { key: KEYS.records, body: body(real) })).status).toBe(200);

      // The attack: a key that may only render sends the customer's id with the attacker's contact details.
      const forged = structuredClone(real);
      forged.contact.email = "mallory@attacker.example";
      forged.contact.mobile = "+447700900666";
      const attack = await call(s.base, "/v1/documents", { key: KEYS.render, body: body(forged) });
      expect(attack.status).toBe(200);

      // Later the contact centre re-sends the customer's documents by id: they go to the customer.
      const sms = await call(s.base, "/v1/documents", {
        key: KEYS.renderAndRead,
        body: body(undefined as unknown as Profile, { profile: undefined, customerId: real.id }),
      });
      expect(sms.status).toBe(200);
      expect((await sms.json()).to).toBe(real.contact.mobile);
      const email = await call(s.base, "/v1/documents", {
        key: KEYS.renderAndRead,
        body: { template: "energy-bill", channel: "email", format: "eml", runDate: "2026-11-01", customerId: real.id },
      });
      const message = await email.text();
      expect(message).toMatch(new RegExp(`^To: .*${real.contact.email}`, "m"));
      expect(message).not.toContain("attacker.example");
      expect(attack.headers.get("omnidoc-profile-source")).toBe("caller");

      // The forged document stays in the list, marked as made by the render key from its own profile.
      const list = await documents(real.id);
      expect(list.map((d: { madeBy: string; profileSource: string }) => [d.madeBy, d.profileSource])).toEqual([
        ["contact-centre", "record"],
        ["contact-centre", "record"],
        ["renderer", "caller"],
        ["crm-sync", "record"],
      ]);
    });
  });

  describe("the decision of record", () => {
    it("is kept with the document a request archives, its links resolving to that document", async () => {
      const profile = sampleProfile(13);
      const made = await call(s.base, "/v1/documents", {
        key: KEYS.records,
        body: body(profile, { channel: "email", format: "html" }),
      });
      expect(made.status).toBe(200);
      const html = await made.text();
      const documentId = made.headers.get("omnidoc-document-id");
      const [decision] = await s.archive.decisionsOfRecord(profile.id);
      expect(decision.runId).toMatch(/^api-/);
      expect(decision.created).toBe(clock.toISOString());
      const emailed = decision.items.filter((i) => i.channels.includes("email"));
      expect(emailed.length).toBeGreaterThan(0);
      for (const item of emailed) expect(item.documentIds).toEqual([documentId]);
      const [stored] = await documents(profile.id);
      expect(stored.offerIds).toEqual(emailed.map((i) => i.offerId));

      const tokens = [...html.matchAll(/https:\/\/go\.northwind-energy\.example\/r\/([\w.-]+)/g)].map((m) => m[1]);
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens)
        expect(await s.archive.resolveLink(token)).toMatchObject({
          purpose: "offer",
          customerId: profile.id,
          channel: "email",
          documentId,
          decisionId: decision.id,
        });
    });
  });

  describe("Idempotency-Key", () => {
    const once = (key: { key: string }, idempotencyKey: string, b: unknown) =>
      call(s.base, "/v1/documents", { key, body: b, headers: { "idempotency-key": idempotencyKey } });

    it("archives one document for three identical requests and answers the retries with the first answer", async () => {
      const profile = sampleProfile(7);
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await once(KEYS.render, "order-7", body(profile)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(answers.map((r) => r.headers.get("idempotent-replayed"))).toEqual([null, "true", "true"]);
      const ids = new Set(answers.map((r) => r.headers.get("omnidoc-document-id")));
      expect(ids.size).toBe(1);
      const texts = await Promise.all(answers.map((r) => r.text()));
      expect(new Set(texts).size).toBe(1);
      expect(answers[2].headers.get("content-type")).toBe("application/json");
      expect(await documents(profile.id)).toHaveLength(1);
    });

    it("archives one document for concurrent requests with one key", async () => {
      const profile = sampleProfile(8);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => once(KEYS.render, "burst-8", body(profile, { channel: "pdf" }))),
      );
      for (const r of answers) {
        if (r.status === 409) {
          expect(r.headers.get("retry-after")).toBe("1");
          expect((await r.json()).problems[0].code).toBe("OMD_API_IDEMPOTENCY_IN_FLIGHT");
        } else expect(r.status).toBe(200);
      }
      expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
      expect(await documents(profile.id)).toHaveLength(1);
      // The first answer is there for every retry once it is complete.
      const retry = await once(KEYS.render, "burst-8", body(profile, { channel: "pdf" }));
      expect([retry.status, retry.headers.get("idempotent-replayed")]).toEqual([200, "true"]);
    });

    it("answers 409 for the same key with another body; keys are each caller's own, and expire after a day", async () => {
      const profile = sampleProfile(9);
      expect((await once(KEYS.render, "order-9", body(profile))).status).toBe(200);
      const other = await once(KEYS.render, "order-9", body(profile, { channel: "pdf" }));
      expect(other.status).toBe(409);
      expect((await other.json()).problems[0]).toMatchObject({
        code: "OMD_API_IDEMPOTENCY_KEY_REUSED",
        at: "headers/idempotency-key",
      });
      // Another API key's "order-9" is another request.
      const theirs = await once(KEYS.admin, "order-9", body(profile, { channel: "pdf" }));
      expect([theirs.status, theirs.headers.get("idempotent-replayed")]).toEqual([200, null]);
      clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
      const later = await once(KEYS.render, "order-9", body(profile, { channel: "pdf" }));
      expect([later.status, later.headers.get("idempotent-replayed")]).toEqual([200, null]);
      expect(await documents(profile.id)).toHaveLength(3);
    });

    it("gives a failed render's answer again, and refuses a key that is not visible ASCII", async () => {
      const profile = sampleProfile(10);
      delete profile.contact.mobile;
      const first = await once(KEYS.render, "no-mobile", body(profile));
      const again = await once(KEYS.render, "no-mobile", body(profile));
      expect([first.status, again.status, again.headers.get("idempotent-replayed")]).toEqual([422, 422, "true"]);
      const bad = await once(KEYS.render, "two words", body(profile));
      expect(bad.status).toBe(400);
    });
  });

  describe("the audit trail", () => {
    it("records which key read or wrote a customer's documents, queryable by customer with audit:read", async () => {
      const profile = sampleProfile(11);
      clock = new Date("2026-12-01T09:00:00.000Z");
      const made = await call(s.base, "/v1/documents", { key: KEYS.records, body: body(profile) });
      const documentId = made.headers.get("omnidoc-document-id");
      clock = new Date("2026-12-01T09:05:00.000Z");
      expect((await call(s.base, `/v1/customers/${profile.id}/documents`, { key: KEYS.archive })).status).toBe(200);
      clock = new Date("2026-12-01T09:06:00.000Z");
      expect((await call(s.base, `/v1/documents/${documentId}`, { key: KEYS.archive })).status).toBe(200);
      clock = new Date("2026-12-01T09:07:00.000Z");
      const reRendered = await call(s.base, "/v1/decisions", {
        key: KEYS.renderAndRead,
        body: { runDate: "2026-11-01", customerId: profile.id },
      });
      expect(reRendered.status).toBe(200);

      expect((await call(s.base, `/v1/customers/${profile.id}/audit`, { key: KEYS.render })).status).toBe(403);
      const r = await call(s.base, `/v1/customers/${profile.id}/audit`, { key: KEYS.auditor });
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({
        customerId: profile.id,
        entries: [
          {
            at: "2026-12-01T09:07:00.000Z",
            keyName: "contact-centre",
            route: "POST /v1/decisions",
            customerId: profile.id,
            action: "read",
          },
          {
            at: "2026-12-01T09:06:00.000Z",
            keyName: "agent-desk",
            route: "GET /v1/documents/:id",
            customerId: profile.id,
            action: "read",
            documentId,
          },
          {
            at: "2026-12-01T09:05:00.000Z",
            keyName: "agent-desk",
            route: "GET /v1/customers/:id/documents",
            customerId: profile.id,
            action: "read",
          },
          {
            at: "2026-12-01T09:00:00.000Z",
            keyName: "crm-sync",
            route: "POST /v1/documents",
            customerId: profile.id,
            action: "write",
            documentId,
          },
        ],
      });
    });
  });
});
