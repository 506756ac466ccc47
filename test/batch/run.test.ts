import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive/index.ts";
import { type RunOptions, type RunProgress, type RunSettings, runBatch } from "../../src/batch/index.ts";
import { profilesToCsv } from "../support/csv.ts";
import { generateLines } from "../support/customers.ts";
import { outputLines, outputText, summarySansTimings } from "../support/run-output.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const SMALL_CAPS = join(work, "catalogue.yaml");
const INPUT = join(work, "mixed.ndjson");

/** The machinery's tests render SMS only: the cheapest channel exercises every part of the run. */
function settings(over: Partial<RunSettings> = {}): Partial<RunSettings> {
  return {
    template: "energy-bill",
    input: INPUT,
    format: "ndjson",
    runDate: "2026-11-01",
    channels: ["sms"],
    printBatchSize: 100,
    archive: false,
    ...over,
  };
}

function run(out: string, over: Partial<RunOptions> = {}) {
  return runBatch({
    out,
    workers: 1,
    resume: false,
    settings: settings(),
    root: ROOT,
    engine: { catalogue: SMALL_CAPS },
    ...over,
  });
}

beforeAll(() => {
  // Caps small enough for 120 customers to hit them.
  writeFileSync(SMALL_CAPS, outputText(ROOT, "samples/catalogue.yaml").replace(/cap: \d+/g, "cap: 2"));
  writeFileSync(INPUT, `${generateLines(120, "--bad-every", "10").join("\n")}\n`);
});

describe("omnidoc run, the machinery", () => {
  // The runs the tests read: the whole extract on one worker and on two, and its first records, archived.
  const one = join(work, "one");
  const two = join(work, "two");
  const archived = join(work, "archived");
  const archiveAt = `sqlite:${join(work, "archive/archive.db")}`;
  const fractions = { one: [] as number[], archived: [] as number[] };
  let archivedRunId: string;

  beforeAll(async () => {
    const progress = (into: number[]) => (p: RunProgress) => into.push(p.fraction ?? -1);
    const [a, b, c] = await Promise.all([
      run(one, { onProgress: progress(fractions.one) }),
      run(two, { workers: 2 }),
      run(archived, {
        settings: settings({ archive: true, limit: 9 }),
        archiveUrl: archiveAt,
        onProgress: progress(fractions.archived),
      }),
    ]);
    expect(a.complete && b.complete && c.complete).toBe(true);
    archivedRunId = c.settings.runId;
  }, 120_000);

  it("rejects every bad line of a mixed extract with its reason, and journals every record once, in order", () => {
    const manifest = outputLines(one, "manifest.ndjson");
    expect(manifest.map((e) => e.record)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const rejects = outputLines(one, "rejects.ndjson");
    const badLines = rejects.filter((r) => !r.channel).map((r) => r.line);
    expect(badLines).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    for (const r of rejects) expect(r.reason).toBeTruthy();
    expect(rejects.find((r) => r.line === 10)?.code).toBe("OMD_INPUT_NOT_JSON");
    const invalid = rejects.find((r) => r.code === "OMD_PROFILE_FIELD_INVALID");
    expect(invalid?.field).toMatch(/^\//);
    // Every good line was composed, or failed only because the customer has no mobile for the SMS asked for.
    for (const e of manifest.filter((m) => m.record % 10 !== 0)) {
      if (e.status === "rejected")
        expect(e.problems.map((p: { code: string }) => p.code)).toEqual(["OMD_SMS_NO_MOBILE"]);
      else expect(e.files).toHaveLength(1);
    }
  });

  it("writes control totals that reconcile with the manifest and the SMS file", () => {
    const s = JSON.parse(outputText(one, "summary.json"));
    const manifest = outputLines(one, "manifest.ndjson");
    expect(s.records.read).toBe(120);
    expect(s.records.read).toBe(s.records.composed + s.records.rejected);
    expect(s.records.composed).toBe(manifest.filter((e) => e.status === "composed").length);
    expect(s.documents.sms).toBe(outputLines(one, "sms.ndjson").length);
    const pence = manifest
      .filter((e) => e.status === "composed" && e.currency === "GBP")
      .reduce((t, e) => t + e.balanceDueMinor, 0);
    expect(s.balanceDue.GBP).toBe((pence / 100).toFixed(2));
  });

  it("enforces the catalogue's caps, the same customers getting the capped offers whatever the workers", () => {
    const s = JSON.parse(outputText(one, "summary.json"));
    const capped = Object.entries(s.caps) as [string, { cap: number; used: number; refused: number }][];
    expect(capped.length).toBeGreaterThan(0);
    for (const [, c] of capped) expect(c.used).toBeLessThanOrEqual(2);
    expect(capped.some(([, c]) => c.refused > 0)).toBe(true);
    expect(outputText(two, "manifest.ndjson")).toBe(outputText(one, "manifest.ndjson"));
    expect(summarySansTimings(two)).toEqual(summarySansTimings(one));
    expect(outputText(two, "sms.ndjson")).toBe(outputText(one, "sms.ndjson"));
    expect(outputText(two, "rejects.ndjson")).toBe(outputText(one, "rejects.ndjson"));
  });

  it("stops cleanly when asked and a resumed run ends equal to an uninterrupted one", async () => {
    const out = join(work, "stopped");
    const stop = new AbortController();
    const first = await run(out, {
      workers: 2,
      signal: stop.signal,
      checkpointEvery: 5,
      onProgress: (p) => p.records >= 37 && stop.abort(),
    });
    expect(first.complete).toBe(false);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    const done = outputLines(out, "manifest.ndjson").length;
    expect(done).toBeGreaterThanOrEqual(37);
    expect(done).toBeLessThan(120);
    // Resumed on another number of workers: the journal, not the pool, decides what is done.
    const second = await run(out, { workers: 1, resume: true, settings: {} });
    expect(second.complete).toBe(true);
    expect(second.summary?.timings.resumedAfter).toBe(done);
    expect(outputText(out, "manifest.ndjson")).toBe(outputText(one, "manifest.ndjson"));
    expect(summarySansTimings(out)).toEqual(summarySansTimings(one));
    expect(outputText(out, "sms.ndjson")).toBe(outputText(one, "sms.ndjson"));
    expect(outputText(out, "rejects.ndjson")).toBe(outputText(one, "rejects.ndjson"));
  }, 120_000);

  it("refuses to start over a run, and to resume one with other settings", async () => {
    await expect(run(one)).rejects.toThrow(/already holds a run/);
    await expect(run(one, { resume: true, settings: { runDate: "2026-12-01" } })).rejects.toThrow(/runDate/);
    await expect(run(join(work, "none"), { resume: true, settings: {} })).rejects.toThrow(/no run to resume/);
  });

  it("archives every document it writes, under the run's id, with the offers it shows", async () => {
    const opened = await openArchive(archiveAt);
    if (!opened.ok) throw new Error(opened.problems[0].message);
    try {
      const composed = outputLines(archived, "manifest.ndjson").filter((e) => e.status === "composed");
      expect(composed.length).toBeGreaterThan(0);
      const texts = new Map(outputLines(archived, "sms.ndjson").map((s) => [s.id, s.offers as string[]]));
      for (const e of composed) {
        const docs = await opened.value.list(e.id);
        expect(docs.map((d) => [d.channel, d.runId, d.offerIds])).toEqual([["sms", archivedRunId, texts.get(e.id)]]);
        // In the decision's order, of the decision's items.
        expect(e.offers.filter((id: string) => texts.get(e.id)?.includes(id))).toEqual(texts.get(e.id));
      }
    } finally {
      await opened.value.close();
    }
  });

  it("composes a CSV extract the same as the NDJSON one", async () => {
    // The mixed extract's first nine records are good: as CSV they must compose exactly as they did there.
    const nine = outputText(work, "mixed.ndjson")
      .split("\n")
      .slice(0, 9)
      .map((l) => JSON.parse(l));
    const csv = join(work, "nine.csv");
    writeFileSync(csv, profilesToCsv(nine));
    const out = join(work, "csv");
    await run(out, { settings: settings({ input: csv, format: "csv" }) });
    // Where the record was and what it was written as differ; nothing else may.
    const sameParts = (e: Record<string, unknown>) => ({
      ...e,
      line: undefined,
      source: undefined,
      check: undefined,
      files: undefined,
    });
    const fromCsv = outputLines(out, "manifest.ndjson");
    expect(fromCsv.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fromCsv.map(sameParts)).toEqual(outputLines(one, "manifest.ndjson").slice(0, 9).map(sameParts));
    const text = (dir: string) => outputLines(dir, "sms.ndjson").map((m) => m.text);
    expect(text(out)).toEqual(text(one).slice(0, fromCsv.filter((e) => e.status === "composed").length));
  }, 120_000);

  it("reports how far it has come: by the input's bytes, or by --limit when that is further", () => {
    expect(fractions.one.at(-1)).toBe(1);
    // 9 of 120 records: under a tenth of the bytes, but the whole run.
    expect(fractions.archived.at(-1)).toBe(1);
    for (const f of Object.values(fractions)) {
      expect(f.length).toBeGreaterThan(1);
      expect(f).toEqual([...f].sort((a, b) => a - b));
    }
  });
});
