import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isCommitted } from "../../../src/batch/shards.ts";
import { RunRegistry, parseQueueUrl, shardQueue } from "../../../src/queue/index.ts";
import { generateLines } from "../../support/customers.ts";
import { OmnidocProcess } from "../../support/omnidoc-process.ts";
import { RedisServer } from "../../support/redis-server.ts";
import { outputLines, outputText, summarySansTimings } from "../../support/run-output.ts";

/**
 * A distributed run that loses a worker, its coordinator or Redis mid-run still composes every record exactly
 * once: its output is byte for byte that of a local run of the same extract. Real redis-server, real omnidoc
 * processes, killed with SIGKILL.
 */

const work = mkdtempSync(join(tmpdir(), "omnidoc-queue-faults-"));
const INPUT = join(work, "extract.ndjson");
const REFERENCE = join(work, "local");
/** Twelve shards of four; every fifth line bad (cut-off JSON, an empty line, no id, a balance as text…). */
const RECORDS = 48;
const SETTINGS = ["--date", "2026-11-01", "--channels", "all", "-w", "2", "--no-archive", "--print-batch", "4"];
/** A dead worker's shard goes to another after 3 s instead of 30. */
const WORKER = ["--concurrency", "1", "--lock-ms", "3000"];

let redis: RedisServer;
/** The local run's exit code: 1, since the extract has rejects. */
let reference: number | null;
const processes: OmnidocProcess[] = [];

const start = (...args: string[]) => {
  const p = OmnidocProcess.start(args);
  processes.push(p);
  return p;
};
/** The coordinator: the run's one command line, which is also how it re-attaches. */
const coordinator = (url: string, out: string) =>
  start("run", "--queue", url, "-t", "energy-bill", "-i", INPUT, "-o", out, "--shard-size", "4", ...SETTINGS);

async function startWorkers(url: string): Promise<OmnidocProcess[]> {
  const workers = [start("worker", "--queue", url, ...WORKER), start("worker", "--queue", url, ...WORKER)];
  await Promise.all(workers.map((w) => w.waitFor("worker ready", 120_000)));
  return workers;
}

/** The shards a worker's log says it committed (not those it found committed already). */
const commits = (worker: OmnidocProcess) =>
  worker.stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { msg: string; shard?: number; attempt?: number })
    .filter((l) => l.msg === "shard committed");

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 180_000,
  everyMs = 100,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const firstCommit = (workers: OmnidocProcess[]) =>
  until("shard committed", () => workers.some((w) => commits(w).length > 0) || undefined);

/** Records in the run's journal (complete lines). */
const journaled = (out: string) =>
  existsSync(join(out, "manifest.ndjson")) ? outputText(out, "manifest.ndjson").split("\n").length - 1 : 0;

/**
 * Kills a coordinator once it has journaled some records: re-attaching must not journal them again. The workers
 * are held (SIGSTOP) from the moment a record is seen journaled until the coordinator is dead, so that it cannot
 * journal the whole run in between, however fast they compose.
 */
async function killMidRun(run: OmnidocProcess, out: string, workers: readonly OmnidocProcess[]) {
  await until("a journaled record", () => journaled(out) > 0 || undefined, 180_000, 10);
  for (const w of workers) w.child.kill("SIGSTOP");
  try {
    await run.kill();
  } finally {
    for (const w of workers) w.child.kill("SIGCONT");
  }
  expect(run.child.signalCode).toBe("SIGKILL");
  expect(journaled(out)).toBeLessThan(RECORDS);
}

/** The run ended as the local one did: its exit code (1: rejects), and its report of every record. */
async function expectEnded(run: OmnidocProcess) {
  expect(await run.exited, run.stderr).toBe(reference);
  expect(run.stdout).toMatch(new RegExp(`^records +${RECORDS} read`, "m"));
}

/** Every job a worker is composing now: its shard and the worker's process id. */
async function activeShards(url: string): Promise<{ shard: number; pid: number }[]> {
  const queue = shardQueue(parseQueueUrl(url), "omnidoc-test");
  try {
    return (await queue.getActive()).map((job) => ({
      shard: job.data.shard,
      pid: Number(job.processedBy?.split(":").pop()),
    }));
  } finally {
    await queue.close();
  }
}

const listed = (dir: string) => readdirSync(dir).sort();

/** The distributed run's folder holds exactly what the local run's does, and nothing half-written. */
async function expectSameAsLocal(out: string) {
  const manifest = outputLines(out, "manifest.ndjson");
  expect(manifest.map((e) => e.record)).toEqual(Array.from({ length: RECORDS }, (_, i) => i + 1));
  for (const name of ["manifest.ndjson", "sms.ndjson", "rejects.ndjson"])
    expect(outputText(out, name), name).toBe(outputText(REFERENCE, name));
  expect(summarySansTimings(out)).toEqual(summarySansTimings(REFERENCE));
  for (const sub of ["pdf", "email", "print"]) {
    expect(listed(join(out, sub)), sub).toEqual(listed(join(REFERENCE, sub)));
    for (const f of listed(join(out, sub)))
      expect(readFileSync(join(out, sub, f)).equals(readFileSync(join(REFERENCE, sub, f))), `${sub}/${f}`).toBe(true);
  }
  for (const sub of ["pdf", "email", "print", "shards"])
    expect(
      listed(join(out, sub)).filter((f) => f.endsWith(".partial")),
      sub,
    ).toEqual([]);
  expect(listed(join(out, ".partial"))).toEqual([]);
}

beforeAll(async () => {
  redis = await RedisServer.start();
  writeFileSync(INPUT, `${generateLines(RECORDS, "--bad-every", "5").join("\n")}\n`);
  reference = await OmnidocProcess.start(["run", "-t", "energy-bill", "-i", INPUT, "-o", REFERENCE, ...SETTINGS])
    .exited;
  expect(reference).toBe(1);
  // Lines that cannot be read are rejected as a local run rejects them: comparing rejects.ndjson covers them.
  const codes = outputLines(REFERENCE, "rejects.ndjson").map((r) => r.code);
  for (const code of [
    "OMD_INPUT_NOT_JSON",
    "OMD_INPUT_EMPTY",
    "OMD_PROFILE_FIELD_MISSING",
    "OMD_PROFILE_FIELD_INVALID",
  ])
    expect(codes).toContain(code);
}, 300_000);

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill()));
});

afterAll(async () => {
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("a distributed run that loses part of itself mid-run", () => {
  it("a worker killed mid-shard: another worker redoes its shard, and the run equals the local one", async () => {
    const url = redis.url(1);
    const out = join(work, "worker-killed");
    const workers = await startWorkers(url);
    const run = coordinator(url, out);
    await firstCommit(workers);
    // The worker composing a shard nobody committed yet dies with it.
    const victim = await until("a shard in progress", async () => {
      const busy = (await activeShards(url)).filter((a) => !isCommitted(out, a.shard));
      const worker = workers.find((w) => busy.some((b) => b.pid === w.child.pid));
      return worker && { worker, shards: busy.filter((b) => b.pid === worker.child.pid).map((b) => b.shard) };
    });
    await victim.worker.kill();
    const lost = victim.shards.filter((s) => !isCommitted(out, s));
    expect(lost.length).toBeGreaterThan(0);

    await expectEnded(run);
    const survivor = workers.find((w) => w !== victim.worker)!;
    const redone = commits(survivor).map((c) => c.shard);
    for (const shard of lost) {
      expect(redone, `shard ${shard}`).toContain(shard);
      expect(commits(victim.worker).map((c) => c.shard)).not.toContain(shard);
    }
    await expectSameAsLocal(out);
  }, 600_000);

  it("a coordinator killed mid-run: the same command again re-attaches and ends the run", async () => {
    const url = redis.url(2);
    const out = join(work, "coordinator-killed");
    const workers = await startWorkers(url);
    await killMidRun(coordinator(url, out), out, workers);

    // It waits for the dead coordinator's lease to lapse (~10 s), then takes the run over.
    const again = coordinator(url, out);
    await expectEnded(again);
    await expectSameAsLocal(out);
  }, 600_000);

  it("a coordinator killed twice: omnidoc run --queue URL --resume RUN_ID finds the run's folder and ends it", async () => {
    const url = redis.url(3);
    const out = join(work, "resumed-by-id");
    const workers = await startWorkers(url);
    await killMidRun(coordinator(url, out), out, workers);
    const runId: string = JSON.parse(outputText(out, "run.json")).runId;
    const resume = () => start("run", "--queue", url, "--resume", runId);

    // Killed again once it holds the run: while it decides the run again and journals what was committed.
    const second = resume();
    const client = redis.client(3);
    try {
      const registry = new RunRegistry(client);
      await until("the second coordinator", async () =>
        (await registry.get(runId))?.coordinator === `${hostname()} ${second.child.pid}` ? true : undefined,
      );
    } finally {
      client.disconnect();
    }
    await second.kill();
    expect(second.child.signalCode).toBe("SIGKILL");

    const third = resume();
    await expectEnded(third);
    await expectSameAsLocal(out);
  }, 600_000);

  it("Redis restarted mid-run with its data kept: workers and coordinator reconnect and end the run", async () => {
    const url = redis.url(4);
    const out = join(work, "redis-restarted");
    const workers = await startWorkers(url);
    const run = coordinator(url, out);
    // Once while the workers compose their first shards, down longer than their locks: the queue may give a
    // shard in progress to another worker too. Once more after the coordinator has journaled some.
    await until("a shard in progress", async () => (await activeShards(url)).length > 0 || undefined);
    await redis.restart(5000);
    await firstCommit(workers);
    await redis.restart(2000);

    await expectEnded(run);
    for (const w of workers) expect(w.child.exitCode, w.stderr).toBeNull();
    // Redis away is a warning of the process's own, not an error event nobody listened for.
    for (const p of [run, ...workers]) expect(p.stderr).not.toMatch(/Unhandled error event|^Error: /m);
    await expectSameAsLocal(out);
  }, 600_000);
});
