import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateLines } from "../../support/customers.ts";
import { RedisServer, freePort } from "../../support/redis-server.ts";
import { outputLines } from "../../support/run-output.ts";
import { Processes, logLines, queuedRunArgs, workerArgs } from "../../support/queued-run.ts";

/** A machine set up wrongly: each says what is wrong, at once or while the run goes on on the machines set up well. */

const ROOT = resolve(import.meta.dirname, "../../..");
const RECORDS = 12;
const work = mkdtempSync(join(tmpdir(), "omnidoc-queue-setup-"));
const INPUT = join(work, "extract.ndjson");
const processes = new Processes();
let redis: RedisServer;
let db = 0;
/** Each test's run on a database of its own: no shards or leases of another test's run in sight. */
const nextQueue = () => redis.url(++db);

beforeAll(async () => {
  writeFileSync(INPUT, `${generateLines(RECORDS).join("\n")}\n`);
  redis = await RedisServer.start();
});
afterAll(async () => {
  await processes.killAll();
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Every record of the extract is in the run's manifest, once, in input order. */
const expectComplete = (out: string) =>
  expect(outputLines(out, "manifest.ndjson").map((e) => e.record)).toEqual(
    Array.from({ length: RECORDS }, (_, i) => i + 1),
  );

/** The attempt of each shard a worker committed: a refusal elsewhere must not have used one up. */
const attempts = (stderr: string) =>
  logLines(stderr)
    .filter((l) => l.msg === "shard committed")
    .map((l) => l.attempt);

describe("a queue that cannot be reached or is written wrong", () => {
  it("run and worker stop at once with OMD_QUEUE_UNREACHABLE naming the address but not its password", async () => {
    const port = await freePort();
    const queue = `redis://planner:secret@127.0.0.1:${port}/0`;
    const out = join(work, "unreachable");
    const [run, worker] = [processes.start(queuedRunArgs(queue, INPUT, out)), processes.start(workerArgs(queue))];
    for (const p of [run, worker]) {
      expect(await p.exited).toBe(1);
      expect(p.stderr).toMatch(`OMD_QUEUE_UNREACHABLE: cannot reach Redis at redis://planner:***@127.0.0.1:${port}/0`);
      expect(p.stderr).toContain("ECONNREFUSED"); // the cause, not ioredis's "Connection is closed"
      expect(p.stderr + p.stdout).not.toContain("secret");
    }
    expect(existsSync(out)).toBe(false); // nothing written before the queue answered
  }, 180_000);

  it("a --queue that is not a Redis URL is a usage error (exit 2) that says what is wrong", async () => {
    const cases = [
      { url: "http://x", why: "http: is not redis:" },
      { url: "redis://h:1/abc", why: "the database abc is not a number" },
    ];
    const started = cases.flatMap(({ url, why }) =>
      [queuedRunArgs(url, INPUT, join(work, "bad-url")), workerArgs(url)].map((args) => ({
        p: processes.start(args),
        why,
      })),
    );
    for (const { p, why } of started) {
      expect(await p.exited).toBe(2);
      expect(p.stderr).toContain(`OMD_QUEUE_URL: --queue`);
      expect(p.stderr).toContain(why);
    }
  }, 180_000);

  it("re-attaching to a run id the queue does not know says so (OMD_QUEUE_RUN_UNKNOWN)", async () => {
    const p = processes.start(["run", "--queue", nextQueue(), "--resume", "batch:2026-11-01:nowhere:00000000"]);
    expect(await p.exited).toBe(1);
    expect(p.stderr).toContain("OMD_QUEUE_RUN_UNKNOWN: the queue at redis://127.0.0.1:");
    expect(p.stderr).toContain("knows no run batch:2026-11-01:nowhere:00000000");
  }, 120_000);
});

/** Mount namespaces need root and a kernel and container that allow them. */
const canUnshare =
  process.getuid?.() === 0 && spawnSync("unshare", ["--mount", "--propagation", "private", "true"]).status === 0;

describe("workers set up otherwise than the run", () => {
  it.skipIf(!canUnshare)(
    "a worker that cannot see the run's folder refuses its shards and says so; a worker that can completes the run",
    async () => {
      const queue = nextQueue();
      const shared = join(work, "shared");
      const out = join(shared, "run");
      mkdirSync(shared);
      const coordinator = processes.start(queuedRunArgs(queue, INPUT, out));
      // The folder is not mounted on this worker's machine: it sees an empty folder where the run is.
      const blind = processes.start(workerArgs(queue), {}, [
        ...["unshare", "--mount", "--propagation", "private"],
        ...["sh", "-c", 'mount -t tmpfs none "$0" && exec "$@"', shared],
      ]);
      await coordinator.waitFor("refuses this run's shards", 240_000);
      expect(coordinator.stderr).toContain(`worker ${hostname()}:${blind.child.pid} refuses this run's shards`);
      expect(coordinator.stderr).toMatch(/cannot see run batch:\S+ at \S+: mount the run's shared folder at that path/);

      const good = processes.start(workerArgs(queue));
      expect(await coordinator.exited).toBe(0);
      expectComplete(out);
      expect(blind.stderr).not.toContain("shard committed");
      expect(attempts(good.stderr)).toEqual([1, 1, 1]);
      await Promise.all([blind.interrupt(), good.interrupt()]);
    },
    420_000,
  );

  it("a worker with other templates refuses the run's shards, naming the pins; one with an identical copy elsewhere completes it", async () => {
    const queue = nextQueue();
    const out = join(work, "pinned");
    const same = join(work, "templates-copy");
    const changed = join(work, "templates-changed");
    cpSync(join(ROOT, "templates"), same, { recursive: true });
    cpSync(join(ROOT, "templates"), changed, { recursive: true });
    const locale = join(changed, "energy-bill/locales/en.yaml");
    const text = readFileSync(locale, "utf8");
    expect(text).toContain("Here is your statement");
    writeFileSync(locale, text.replace("Here is your statement", "Here is the statement"));

    const coordinator = processes.start(queuedRunArgs(queue, INPUT, out));
    const other = processes.start(workerArgs(queue, "--templates", changed));
    // Refused more than once: a shard comes back to it after the hand-back delay and is refused again.
    await other.waitFor(/shard refused[\s\S]*shard refused[\s\S]*shard refused[\s\S]*shard refused/, 240_000);
    await coordinator.waitFor("refuses this run's shards");
    expect(coordinator.stderr).toMatch(
      new RegExp(
        `worker ${hostname()}:${other.child.pid} refuses this run's shards: .* has other templates, catalogue, theme or signing keys than run \\S+ \\(pin [0-9a-f]{12} here, [0-9a-f]{12} for the run\\)`,
      ),
    );

    const good = processes.start(workerArgs(queue, "--templates", same));
    expect(await coordinator.exited).toBe(0);
    expectComplete(out);
    expect(other.stderr).not.toContain("shard committed");
    // Every shard committed at its first attempt: the refusals used none up (5 would fail the shard for good).
    expect(attempts(good.stderr)).toEqual([1, 1, 1]);
    await Promise.all([other.interrupt(), good.interrupt()]);
  }, 420_000);
});

describe("two coordinators on one run", () => {
  it("the second stops with OMD_QUEUE_RUN_BUSY naming the first, which completes the run once a worker comes", async () => {
    const queue = nextQueue();
    const out = join(work, "busy");
    const args = queuedRunArgs(queue, INPUT, out);
    const first = processes.start(args);
    // It holds the run's lease before it plans a shard; with no worker yet it waits for them.
    while (!existsSync(join(out, "shards/000001.plan.ndjson"))) {
      if (first.child.exitCode !== null) throw new Error(`the first coordinator exited:\n${first.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = processes.start(args);
    expect(await second.exited).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`OMD_QUEUE_RUN_BUSY: run \\S+ is coordinated by ${hostname()} ${first.child.pid} `),
    );
    expect(first.child.exitCode).toBe(null);

    const worker = processes.start(workerArgs(queue));
    expect(await first.exited).toBe(0);
    expectComplete(out);
    await worker.interrupt();
  }, 420_000);
});
