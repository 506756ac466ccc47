import { afterEach, describe, expect, it } from "vitest";
import { WorkerPool } from "../../src/batch/pool.ts";

const TASK = new URL("./fixtures/counting-task.ts", import.meta.url);

/** Blocks this thread until `started[0]` reaches `n` or `ms` pass; the count reached. */
function blockUntilStarted(started: Int32Array, n: number, ms: number): number {
  const until = Date.now() + ms;
  for (let seen = Atomics.load(started, 0); seen < n; seen = Atomics.load(started, 0)) {
    if (Date.now() >= until) return seen;
    Atomics.wait(started, 0, seen, until - Date.now());
  }
  return n;
}

describe("WorkerPool", () => {
  let pool: WorkerPool<{ started: Int32Array; ms: number }, number> | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it("hands a thread its next task while it runs one, so the thread goes on while this thread is busy", async () => {
    pool = new WorkerPool(TASK, {}, 1, 2);
    const started = new Int32Array(new SharedArrayBuffer(4));
    const results = [pool.run({ started, ms: 50 }), pool.run({ started, ms: 0 })];
    // This thread takes no answer while it blocks: the second task starts only if the thread already holds it.
    expect(blockUntilStarted(started, 2, 20_000)).toBe(2);
    await Promise.all(results);
  });
});
