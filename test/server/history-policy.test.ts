import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, postgresBackend, sqliteBackend } from "../archive/backends.ts";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

/** The API decides on the customer's history as the archive holds it at the request, on either backend. */
describe.each([
  ["sqlite", sqliteBackend],
  ["postgres", postgresBackend],
] as const)("the API's decisions read the history (%s)", (_name, backendOf) => {
  let backend: Backend;
  let s: Running;
  const blobs = mkdtempSync(join(tmpdir(), "omnidoc-history-api-"));

  beforeAll(async () => {
    backend = backendOf();
    s = await startServer({ archiveUrl: backend.url(blobs) });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await backend?.cleanup();
    rmSync(blobs, { recursive: true, force: true });
  });

  const decideFor = async (profile: ReturnType<typeof sampleProfile>) => {
    const r = await call(s.base, "/v1/decisions", {
      key: KEYS.render,
      body: { template: "energy-bill", runDate: "2026-11-01", profile },
    });
    expect(r.status).toBe(200);
    return (await r.json()) as {
      slots: Record<string, { id: string; marketing: boolean }[]>;
      trace: { id: string; rule: string; reason: string; event?: Record<string, string> }[];
    };
  };
  const marketing = (d: Awaited<ReturnType<typeof decideFor>>) =>
    Object.values(d.slots)
      .flat()
      .filter((c) => c.marketing)
      .map((c) => c.id);

  it("after an opt-out recorded in the archive, the next decision has no marketing item and says why", async () => {
    const profile = sampleProfile(8); // consents to marketing and gets marketing offers
    const before = await decideFor(profile);
    expect(marketing(before).length).toBeGreaterThan(0);

    await s.archive.recordResponses([
      {
        customerId: profile.id,
        response: "opted-out",
        at: "2026-10-20T19:02:00Z",
        source: "unsubscribe",
        sourceId: `unsub-${profile.id}`,
        channel: "email",
      },
    ]);
    const after = await decideFor(profile);
    expect(marketing(after)).toEqual([]);
    const held = after.trace.filter((t) => t.rule === "opted-out");
    expect(held.map((t) => t.id).sort()).toEqual(expect.arrayContaining(marketing(before)));
    for (const t of held) {
      expect(t.event).toEqual({
        kind: "opted-out",
        at: "2026-10-20T19:02:00.000Z",
        source: "unsubscribe",
        sourceId: `unsub-${profile.id}`,
      });
      expect(t.reason).toContain("opted out of marketing on 2026-10-20");
    }
  });

  it("a complaint recorded by the call centre stops sales offers from the next decision", async () => {
    const profile = sampleProfile(9);
    const offers = (d: Awaited<ReturnType<typeof decideFor>>) =>
      d.trace.filter((t) => t.rule === "recent-complaint").map((t) => t.id);
    expect(offers(await decideFor(profile))).toEqual([]);
    await s.archive.recordInteractions([
      {
        customerId: profile.id,
        source: "genesys",
        sourceId: `call-${profile.id}`,
        at: "2026-10-25T16:05:00Z",
        channel: "call-centre",
        topic: "complaint",
      },
    ]);
    const after = await decideFor(profile);
    expect(offers(after).length).toBeGreaterThan(0);
    expect(after.trace.find((t) => t.rule === "recent-complaint")?.event).toMatchObject({
      kind: "complaint",
      source: "genesys",
      sourceId: `call-${profile.id}`,
      channel: "call-centre",
    });
  });
});
