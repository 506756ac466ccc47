import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Profile } from "../../../src/profile/index.ts";
import { generateLines } from "../../support/customers.ts";
import { RedisServer, freePort } from "../../support/redis-server.ts";
import { outputLines, outputText } from "../../support/run-output.ts";
import { Processes, logLines, queuedRunArgs, workerArgs } from "../../support/queued-run.ts";

/** What a worker tells its operator (metrics, log lines), and that none of it is about a customer. */

const RECORDS = 12;
const SHARDS = 3; // shards of four
const work = mkdtempSync(join(tmpdir(), "omnidoc-queue-observe-"));
const INPUT = join(work, "extract.ndjson");
// Bad records among them, for the reject paths' messages. British and Irish customers only: their postcodes
// are letters and digits, where a German or French one (five digits) could be a worker's pid or a duration.
const LINES = generateLines(RECORDS, "--bad-every", "5", "--locale", "en-GB,en-IE");
const processes = new Processes();
let redis: RedisServer;

beforeAll(async () => {
  writeFileSync(INPUT, `${LINES.join("\n")}\n`);
  redis = await RedisServer.start();
});
afterAll(async () => {
  await processes.killAll();
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Every customer's ids, names, emails, phone numbers, postcodes and street lines in the extract. */
function personalData(): string[] {
  const found = new Set<string>();
  for (const line of LINES) {
    let c: Partial<Profile>;
    try {
      c = JSON.parse(line);
    } catch {
      continue; // a truncated record
    }
    for (const value of [
      c.id,
      c.name?.first,
      c.name?.last,
      c.contact?.email,
      c.contact?.mobile,
      c.contact?.address?.postcode,
      ...(c.contact?.address?.lines ?? []),
    ])
      if (typeof value === "string" && value.length > 0) found.add(value);
  }
  return [...found];
}

/** The values of `text` found in it as whole words (a first name "Ian" is not in "median"). */
function leaked(text: string, values: readonly string[]): string[] {
  return values.filter((v) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "u").test(text),
  );
}

/** A sample's value from Prometheus text: `name{labels} value`, or 0 when the line is absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const scrape = async (host: string, port: number) => {
  const response = await fetch(`http://${host}:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

/** The run's totals by the worker's own account: its metrics and its log agree with each other and the manifest. */
function expectAccounted(metrics: string, stderr: string, out: string) {
  const runId = JSON.parse(outputText(out, "run.json")).runId as string;
  const committed = logLines(stderr).filter((l) => l.msg === "shard committed");
  expect(committed.map((l) => l.run)).toEqual(Array(SHARDS).fill(runId));
  expect(committed.map((l) => l.shard).sort()).toEqual(Array.from({ length: SHARDS }, (_, i) => i + 1));
  expect(sample(metrics, 'omnidoc_worker_shards_total{outcome="committed"}')).toBe(SHARDS);

  const manifest = outputLines(out, "manifest.ndjson");
  expect(manifest).toHaveLength(RECORDS);
  for (const status of ["composed", "skipped", "rejected"] as const) {
    const logged = committed.reduce((n, l) => n + (l[status] as number), 0);
    expect(sample(metrics, `omnidoc_worker_records_total{status="${status}"}`), status).toBe(logged);
    expect(logged, status).toBe(manifest.filter((e) => e.status === status).length);
  }
  expect(sample(metrics, "omnidoc_worker_shard_lag_seconds_count")).toBe(SHARDS);
  expect(sample(metrics, "omnidoc_worker_shard_seconds_count")).toBe(SHARDS);
}

describe("a worker's metrics and log", () => {
  it("count the shards and records it committed, name run and shard, and hold no personal data", async () => {
    const queue = redis.url(1);
    const out = join(work, "observed");
    const port = await freePort();
    const coordinator = processes.start(queuedRunArgs(queue, INPUT, out));
    const worker = processes.start(workerArgs(queue, "--metrics-port", String(port)));
    expect(await coordinator.exited).toBe(1); // 1: the extract has rejects
    const metrics = await scrape("127.0.0.1", port);
    expectAccounted(metrics, worker.stderr, out);
    expect(sample(metrics, "omnidoc_worker_shards_in_progress")).toBe(0);
    expect(outputLines(out, "rejects.ndjson").length).toBeGreaterThan(0);

    const personal = personalData();
    expect(personal.length).toBeGreaterThan(RECORDS * 4);
    // The check finds what it looks for: the extract itself is full of it.
    expect(leaked(LINES.join("\n"), personal)).toEqual(personal);
    await worker.interrupt();
    expect(leaked(worker.stderr, personal), "worker log").toEqual([]);
    expect(leaked(metrics, personal), "metrics").toEqual([]);
    expect(leaked(coordinator.stderr + coordinator.stdout, personal), "coordinator").toEqual([]);
  }, 420_000);
});

/**
 * Network namespaces need root and the `ip` tool. The worker's machine is a namespace of its own whose one
 * link leads to the Redis's machine: it reaches nothing else, and the Redis listens on that link only.
 */
const canNetns = process.getuid?.() === 0 && spawnSync("ip", ["netns", "list"]).status === 0;
const NS = `omnidoc-${process.pid}`;
const subnet = `10.213.${process.pid % 250}`;
const [HOST_LINK, WORKER_LINK] = [`omdh${process.pid}`, `omdw${process.pid}`];

function ip(...args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
}

describe("a worker on a network of its own", () => {
  let netRedis: RedisServer | undefined;
  afterAll(async () => {
    await processes.killAll();
    await netRedis?.stop();
    // Deleting the namespace deletes the link inside it and its peer here.
    if (canNetns) spawnSync("ip", ["netns", "del", NS]);
  });

  it.skipIf(!canNetns)(
    "needs only the Redis and the shared folder: it completes the run and serves metrics over its one link",
    async () => {
      ip("netns", "add", NS);
      ip("link", "add", HOST_LINK, "type", "veth", "peer", "name", WORKER_LINK);
      ip("link", "set", WORKER_LINK, "netns", NS);
      ip("addr", "add", `${subnet}.1/30`, "dev", HOST_LINK);
      ip("link", "set", HOST_LINK, "up");
      ip("-n", NS, "addr", "add", `${subnet}.2/30`, "dev", WORKER_LINK);
      ip("-n", NS, "link", "set", WORKER_LINK, "up");
      ip("-n", NS, "link", "set", "lo", "up");
      netRedis = await RedisServer.start(`${subnet}.1`);

      const queue = netRedis.url(0);
      const out = join(work, "netns");
      const port = await freePort();
      const coordinator = processes.start(queuedRunArgs(queue, INPUT, out));
      const worker = processes.start(workerArgs(queue, "--metrics-port", String(port)), {}, [
        "ip",
        "netns",
        "exec",
        NS,
      ]);
      expect(await coordinator.exited).toBe(1); // 1: the extract has rejects
      expectAccounted(await scrape(`${subnet}.2`, port), worker.stderr, out);
      // On a network of its own indeed: no route but its link, and the Redis on this machine's loopback is
      // out of its reach.
      const routes = spawnSync("ip", ["-n", NS, "route"], { encoding: "utf8" }).stdout.trim().split("\n");
      expect(routes).toEqual([expect.stringMatching(`^${subnet}.0/30 dev ${WORKER_LINK} `)]);
      const ping = ["netns", "exec", NS, "redis-cli", "-p", String(redis.port), "ping"];
      expect(spawnSync("ip", ping, { encoding: "utf8" }).stdout).not.toContain("PONG");
      expect(spawnSync("redis-cli", ping.slice(4), { encoding: "utf8" }).stdout).toContain("PONG");
      await worker.interrupt();
    },
    420_000,
  );
});
