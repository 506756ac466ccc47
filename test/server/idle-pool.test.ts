import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { RenderPool } from "../../src/server/index.ts";

const scratch = mkdtempSync(join(tmpdir(), "omnidoc-idle-pool-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a pool that starts its threads on demand", () => {
  it("times a task from when its thread is warm, not from when it waited for the thread to start", async () => {
    const gate = join(scratch, "warm");
    const pool = new RenderPool(
      { gate },
      { workers: 1, idleMs: 60_000, killAfterMs: 0 },
      new URL("./gated-worker.ts", import.meta.url),
    );
    try {
      expect(pool.threads).toBe(0);
      const answer = pool.run<string>({ echo: "answered" }, 1_000);
      // The thread is still warming up well past the task's 1 s limit.
      await sleep(2_000);
      expect(pool.threads).toBe(1);
      expect(pool.warmWorkers).toBe(0);
      writeFileSync(gate, "");
      expect(await answer).toBe("answered");
    } finally {
      await pool.close();
    }
  }, 60_000);
});
