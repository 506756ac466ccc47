import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { sampleLines } from "../../src/sample/index.ts";
import { type StudioHarness, signIn, startStudio } from "./harness.ts";

const [profileText] = sampleLines({ count: 1 });

async function preview(h: StudioHarness, cookie: string) {
  const r = await fetch(`${h.base}api/preview`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ template: "energy-bill", runDate: "2026-11-23", profileText }),
  });
  return { status: r.status, body: await r.json() };
}

/** The studio's worker costs hundreds of MB: a server nobody previews on must not carry it. */
describe("the studio's worker starts on first use and stops when idle", () => {
  test("the server starts ready with no studio worker, and the first preview starts one", async () => {
    const h = await startStudio({ idleMs: 600_000 });
    try {
      expect(h.studio.pool.threads).toBe(0);
      const ready = await fetch(new URL("/readyz", h.base));
      expect(ready.status).toBe(200);
      expect((await ready.json()).workers).toBe(1);

      const { cookie } = await signIn(h);
      const p = await preview(h, cookie!);
      expect(p.status).toBe(200);
      expect(p.body.pdf.pages).toBeGreaterThan(0);
      expect(h.studio.pool.threads).toBe(1);
      expect(h.studio.pool.warmWorkers).toBe(1);
    } finally {
      await h.close();
    }
  }, 120_000);

  test("after the idle period the worker is gone, and a later preview starts a fresh one", async () => {
    const h = await startStudio({ idleMs: 500 });
    try {
      const { cookie } = await signIn(h);
      expect((await preview(h, cookie!)).status).toBe(200);
      // Fails by the test's timeout if the worker is kept.
      while (h.studio.pool.threads > 0) await sleep(50);

      const again = await preview(h, cookie!);
      expect(again.status).toBe(200);
      expect(again.body.pdf.pages).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  }, 60_000);

  test("a worker started after the templates changed on disk composes the changed templates", async () => {
    const h = await startStudio({ idleMs: 500 });
    try {
      const { cookie } = await signIn(h);
      expect((await preview(h, cookie!)).status).toBe(200);
      while (h.studio.pool.threads > 0) await sleep(50);

      const before = h.studio.live.current().engineVersion;
      const sms = join(h.templatesDir, "energy-bill", "sms.hbs");
      writeFileSync(sms, readFileSync(sms, "utf8").replace('{{#part "sender"}}', '{{#part "sender"}}RELOADED '));
      while (h.studio.live.current().engineVersion === before) await sleep(50);

      const p = await preview(h, cookie!);
      expect(p.status).toBe(200);
      expect(p.body.sms.text).toContain("RELOADED");
    } finally {
      await h.close();
    }
  }, 60_000);
});
