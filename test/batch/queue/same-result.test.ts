import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateLines } from "../../support/customers.ts";
import { OmnidocProcess } from "../../support/omnidoc-process.ts";
import { RedisServer } from "../../support/redis-server.ts";
import { documentHashes, outputText, summarySansTimings } from "../../support/run-output.ts";

/**
 * A distributed run (omnidoc run --queue, shards composed by 1, 2 and 3 worker processes) gives the bytes a run
 * on one machine gives: the same journal, rejects, texts, documents, print batches and totals, caps included.
 */

const ROOT = resolve(import.meta.dirname, "../../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-same-result-"));
const INPUT = join(work, "extract.ndjson");
const CATALOGUE = join(work, "catalogue.yaml");
/** The offer most generated customers get as their hero, capped so that the cap is used up a few shards in. */
const CAPPED = "smart-meter-upgrade";
const CAP = 6;
const SHARD_SIZE = 4;

/** 27 generated customers, and in the middle a line that is not JSON, a record the schema refuses, a duplicate id. */
function extract(): string {
  const lines = generateLines(27);
  const broken = JSON.parse(lines[13]!);
  broken.id = "C0009999";
  broken.account.balanceDue = "a lot";
  lines.splice(13, 0, '{"id": "C0009998", "name": ', JSON.stringify(broken), lines[4]!);
  return `${lines.join("\n")}\n`;
}

/** The sample catalogue with a cap this small extract uses up. */
function catalogue(): string {
  const text = readFileSync(join(ROOT, "samples/catalogue.yaml"), "utf8");
  const anchor = `  - id: ${CAPPED}\n`;
  if (!text.includes(anchor)) throw new Error(`samples/catalogue.yaml has no item ${CAPPED}`);
  return text.replace(anchor, `${anchor}    cap: ${CAP}\n`);
}

const runArgs = (out: string) => [
  "run",
  "-t",
  "energy-bill",
  "-i",
  INPUT,
  "-o",
  out,
  "--date",
  "2026-11-01",
  "--channels",
  "all",
  "--no-archive",
  "-w",
  "2",
  "--print-batch",
  "4",
  "--catalogue",
  CATALOGUE,
];

/** Every file and folder under `dir`, as paths relative to it. */
const walk = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).map((p) => p.split("\\").join("/"));

let redis: RedisServer;
const workers: OmnidocProcess[] = [];
const local = { out: join(work, "local"), code: null as number | null };

beforeAll(async () => {
  writeFileSync(INPUT, extract());
  writeFileSync(CATALOGUE, catalogue());
  redis = await RedisServer.start();
  local.code = await OmnidocProcess.start(runArgs(local.out)).exited;
}, 300_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.interrupt()));
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe("a distributed run", () => {
  it("is checked against a local run that rejects records and uses up a cap", () => {
    expect(local.code).toBe(1); // 1: the extract has rejects
    const rejects = outputText(local.out, "rejects.ndjson").trim().split("\n");
    expect(rejects.length).toBeGreaterThanOrEqual(3);
    const caps = JSON.parse(outputText(local.out, "summary.json")).caps;
    expect(caps[CAPPED]).toMatchObject({ cap: CAP, used: CAP });
    expect(caps[CAPPED].refused).toBeGreaterThan(0);
  });

  // Workers are added one a case and kept: the second case runs on two, the third on three.
  for (const count of [1, 2, 3]) {
    it(`on ${count} worker process(es) gives the local run's bytes`, async () => {
      const url = redis.url();
      while (workers.length < count) {
        const worker = OmnidocProcess.start(["worker", "--queue", url, "--concurrency", "1", "--catalogue", CATALOGUE]);
        workers.push(worker);
        await worker.waitFor("worker ready", 120_000);
      }
      const out = join(work, `queued-${count}`);
      const coordinator = OmnidocProcess.start([...runArgs(out), "--queue", url, "--shard-size", String(SHARD_SIZE)]);
      const code = await coordinator.exited;
      expect(code, coordinator.stderr).toBe(local.code);

      for (const name of ["manifest.ndjson", "rejects.ndjson", "sms.ndjson"])
        expect(outputText(out, name), name).toBe(outputText(local.out, name));
      const documents = documentHashes(out, ["pdf", "email", "print"]);
      expect(Object.keys(documents).some((p) => p.startsWith("print/"))).toBe(true);
      expect(documents).toEqual(documentHashes(local.out, ["pdf", "email", "print"]));
      const summary = summarySansTimings(out);
      expect(summary).toEqual(summarySansTimings(local.out));
      expect(summary.caps[CAPPED]).toMatchObject({ cap: CAP, used: CAP });
      expect(summary.caps[CAPPED].refused).toBeGreaterThan(0);

      // Which workers committed this run's shards, from their logs: every shard, and with more than one worker
      // more than one of them (a shard a stalled job committed twice counts once).
      const run = JSON.parse(outputText(out, "run.json")).runId as string;
      const shardsBy = workers.map(
        (w) =>
          new Set(
            w.stderr
              .split("\n")
              .filter((l) => l.startsWith("{"))
              .map((l) => JSON.parse(l))
              .filter((l) => l.msg === "shard committed" && l.run === run)
              .map((l) => l.shard as number),
          ),
      );
      const records = outputText(out, "manifest.ndjson").trim().split("\n").length;
      const shards = Array.from({ length: Math.ceil(records / SHARD_SIZE) }, (_, i) => i + 1);
      expect(new Set(shardsBy.flatMap((s) => [...s]))).toEqual(new Set(shards));
      const committing = shardsBy.filter((s) => s.size > 0).length;
      if (count > 1) expect(committing, `shards by worker: ${shardsBy.map((s) => [...s])}`).toBeGreaterThan(1);

      const runs = OmnidocProcess.start(["runs", "--queue", url, "--json"]);
      expect(await runs.exited, runs.stderr).toBe(0);
      const listed = runs.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .find((r) => r.run === run);
      expect(listed).toMatchObject({ state: "complete", out, shards: { all: true } });
      expect(listed.shards.committed).toBe(listed.shards.planned);

      expect(walk(out).filter((p) => p !== ".partial" && p.endsWith(".partial"))).toEqual([]);
      expect(readdirSync(join(out, ".partial"))).toEqual([]);
    }, 600_000);
  }
});
