import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateLines } from "../../support/customers.ts";
import { OmnidocProcess } from "../../support/omnidoc-process.ts";
import { RedisServer } from "../../support/redis-server.ts";
import { outputLines } from "../../support/run-output.ts";

/**
 * Ctrl-C on a worker finishes the shard it is composing, commits it, and stops; nothing is left half done, and
 * another worker finishes the run.
 */

const work = mkdtempSync(join(tmpdir(), "omnidoc-worker-stop-"));
const INPUT = join(work, "extract.ndjson");
const OUT = join(work, "run");
const RECORDS = 24;
let redis: RedisServer;
const started: OmnidocProcess[] = [];
const start = (args: string[]) => {
  const p = OmnidocProcess.start(args);
  started.push(p);
  return p;
};

beforeAll(async () => {
  writeFileSync(INPUT, `${generateLines(RECORDS).join("\n")}\n`);
  redis = await RedisServer.start();
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((p) => p.kill()));
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The shards a worker's log says it committed. */
const committed = (w: OmnidocProcess) =>
  w.stderr
    .split("\n")
    .filter((l) => l.includes('"shard committed"'))
    .map((l) => JSON.parse(l).shard as number);

it("stops on Ctrl-C only once the shard in progress is committed", { timeout: 300_000 }, async () => {
  const first = start(["worker", "--queue", redis.url(), "--concurrency", "1"]);
  await first.waitFor("worker ready", 120_000);
  const coordinator = start([
    ...["run", "--queue", redis.url(), "-t", "energy-bill", "-i", INPUT, "-o", OUT],
    ...["--date", "2026-11-01", "--channels", "all", "--no-archive", "--shard-size", "6"],
  ]);
  // The first shard is queued and taken: Ctrl-C now lands in the middle of composing it.
  while (!existsSync(join(OUT, "shards/000001.plan.ndjson"))) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  expect(existsSync(join(OUT, "shards/000001.ndjson")), "the shard was already done: Ctrl-C came too late").toBe(false);
  expect(await first.interrupt()).toBe(0);
  expect(first.stderr).toContain("stopping after the shards in progress");
  const done = committed(first);
  expect(done.length).toBeGreaterThan(0);
  for (const shard of done) expect(existsSync(join(OUT, `shards/${String(shard).padStart(6, "0")}.ndjson`))).toBe(true);

  const second = start(["worker", "--queue", redis.url(), "--concurrency", "2"]);
  expect(await coordinator.exited, coordinator.stderr).toBe(0);
  // Every shard committed once: the second worker did only what the first had not.
  expect([...done, ...committed(second)].sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  expect(outputLines(OUT, "manifest.ndjson").map((e) => e.record)).toEqual(
    Array.from({ length: RECORDS }, (_, i) => i + 1),
  );
  await second.interrupt();
});
