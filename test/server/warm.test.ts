import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, type Running, call, sampleProfile, startServer } from "./support.ts";

/** Shorter than any render: every request times out, which used to stop the worker that was rendering it. */
const TIMEOUT_MS = 1;

let s: Running;
beforeAll(async () => {
  s = await startServer({ timeoutMs: TIMEOUT_MS, pool: { workers: 2 } });
}, 120_000);
afterAll(() => s?.close());

const statement = (i: number) => ({
  key: KEYS.render,
  body: { template: "energy-bill", channel: "pdf", runDate: "2026-11-01", profile: sampleProfile(i), archive: false },
});

describe("workers are warm before they count, and a timeout does not restart them", () => {
  it("is started only once both workers have rendered every template", async () => {
    expect(s.app.renderPool.warmWorkers).toBe(2);
    const r = await call(s.base, "/readyz");
    expect(r.status).toBe(200);
    expect((await r.json()).workers).toBe(2);
  });

  it("answers 503 OMD_API_TIMEOUT to renders past the timeout and keeps the same warm workers", async () => {
    const before = s.app.renderPool.threadIds;
    for (let i = 0; i < 6; i++) {
      const r = await call(s.base, "/v1/documents", statement(i));
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toBe("1");
      expect((await r.json()).problems[0].code).toBe("OMD_API_TIMEOUT");
    }
    expect(s.app.renderPool.threadIds).toEqual(before);
    expect(s.app.renderPool.warmWorkers).toBe(2);
  });
});

describe("a render that overruns the hard limit", () => {
  it("stops its worker and replaces it with one that is warm before it counts", async () => {
    const h = await startServer({ timeoutMs: TIMEOUT_MS, pool: { workers: 1, killAfterMs: 1 } });
    try {
      const [before] = h.app.renderPool.threadIds;
      expect((await call(h.base, "/v1/documents", statement(0))).status).toBe(503);
      // The abort that stops the worker may come just after the answer.
      while (h.app.renderPool.threadIds[0] === before) await sleep(10);
      expect(h.app.renderPool.warmWorkers).toBe(0);
      await h.app.renderPool.allWarm(120_000);
      const [after] = h.app.renderPool.threadIds;
      expect(after).not.toBe(before);
      expect(h.app.renderPool.warmWorkers).toBe(1);
    } finally {
      await h.close();
    }
  }, 120_000);
});
