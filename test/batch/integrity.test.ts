import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunOptions, type RunSettings, runBatch } from "../../src/batch/index.ts";
import { omnidoc } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";
import { outputLines, outputText, summarySansTimings } from "../support/run-output.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-integrity-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function run(out: string, input: string, over: Partial<RunOptions> & { settings?: Partial<RunSettings> } = {}) {
  return runBatch({
    out,
    workers: 1,
    resume: false,
    root: ROOT,
    ...over,
    settings: {
      template: "energy-bill",
      input,
      format: "ndjson",
      runDate: "2026-11-01",
      channels: ["sms"],
      printBatchSize: 4,
      archive: false,
      ...over.settings,
    },
  });
}

/** Runs until `records` are journaled, then stops as Ctrl-C does: a run to resume. */
async function stopped(out: string, input: string, records: number, settings: Partial<RunSettings> = {}) {
  const stop = new AbortController();
  const first = await run(out, input, {
    settings,
    signal: stop.signal,
    checkpointEvery: 1,
    onProgress: (p) => p.records >= records && stop.abort(),
  });
  expect(first.complete).toBe(false);
}

async function resumed(out: string) {
  const notices: string[] = [];
  const outcome = await runBatch({
    out,
    workers: 1,
    resume: true,
    root: ROOT,
    settings: {},
    onNotice: (t) => notices.push(t),
  });
  return { outcome, notices };
}

describe("resume checks the documents it trusts by their SHA-256", () => {
  const input = join(work, "print.ndjson");
  const whole = join(work, "print-whole");
  const out = join(work, "print-corrupted");
  const lost = join(work, "print-lost");

  beforeAll(async () => {
    writeFileSync(input, `${generateLines(10).join("\n")}\n`);
    await Promise.all([
      run(whole, input, { settings: { channels: ["pdf"] } }),
      stopped(out, input, 6, { channels: ["pdf"] }),
      stopped(lost, input, 6, { channels: ["pdf"] }),
    ]);
  }, 300_000);

  it("composes again the statements a machine's crash can lose (they are not synced): one gone, one empty", async () => {
    const [gone, emptied] = outputLines(lost, "manifest.ndjson").map((e) => e.files[0].path as string);
    rmSync(join(lost, gone));
    writeFileSync(join(lost, emptied), "");

    const { outcome, notices } = await resumed(lost);
    expect(outcome.complete).toBe(true);
    expect(notices).toHaveLength(2);
    expect(outcome.summary?.timings.recomposed).toBe(2);
    for (const path of [gone, emptied])
      expect(readFileSync(join(lost, path)).equals(readFileSync(join(whole, path))), path).toBe(true);
    for (const b of readdirSync(join(whole, "print")))
      expect(readFileSync(join(lost, "print", b)).equals(readFileSync(join(whole, "print", b))), b).toBe(true);
    expect(summarySansTimings(lost)).toEqual(summarySansTimings(whole));
  }, 300_000);

  it("composes again a same-size corrupted PDF, says so, and the print batch holds the good bytes", async () => {
    const journaled = outputLines(out, "manifest.ndjson");
    const victim = journaled.find((e) => e.print);
    expect(victim, "a print statement among the journaled records").toBeDefined();
    const path = victim.files[0].path as string;
    const good = readFileSync(join(out, path));
    // Flip one byte in the middle of the file: same size, a page that no longer reads as composed.
    const bad = Buffer.from(good);
    bad[bad.length >> 1] ^= 0x20;
    writeFileSync(join(out, path), bad);
    expect(statSync(join(out, path)).size).toBe(good.length);

    const { outcome, notices } = await resumed(out);
    expect(outcome.complete).toBe(true);
    // Every print batch, the one holding the statement included, is byte for byte the uninterrupted run's.
    const batches = readdirSync(join(whole, "print")).sort();
    expect(readdirSync(join(out, "print")).sort()).toEqual(batches);
    for (const b of batches)
      expect(readFileSync(join(out, "print", b)).equals(readFileSync(join(whole, "print", b))), b).toBe(true);
    expect(notices).toEqual([
      `${path} (record ${victim.record}) does not hold the bytes the journal hashed: composing it again`,
    ]);
    expect(outcome.summary?.timings.recomposed).toBe(1);
    expect(sha256(readFileSync(join(out, path)))).toBe(victim.files[0].sha256);
    expect(readFileSync(join(out, path)).equals(good)).toBe(true);
    expect(summarySansTimings(out)).toEqual(summarySansTimings(whole));
  }, 300_000);
});

describe("the journal and the extract are checked before a resume trusts them", () => {
  const input = join(work, "mixed.ndjson");
  const whole = join(work, "whole");

  beforeAll(async () => {
    writeFileSync(input, `${generateLines(30, "--bad-every", "10").join("\n")}\n`);
    await run(whole, input);
  }, 300_000);

  /** A run stopped after 12 records, in a folder of its own, on its own copy of the extract. */
  async function stoppedRun(name: string) {
    const out = join(work, name);
    const extract = join(work, `${name}.ndjson`);
    writeFileSync(extract, outputText(work, "mixed.ndjson"));
    await stopped(out, extract, 12);
    return { out, extract };
  }

  /** The manifest with line `n` passed through `change`. */
  function editLine(out: string, n: number, change: (line: string) => string) {
    const all = outputText(out, "manifest.ndjson").split("\n");
    all[n - 1] = change(all[n - 1]);
    writeFileSync(join(out, "manifest.ndjson"), all.join("\n"));
  }

  it("refuses to resume over a line damaged mid-journal, naming it, instead of composing again in silence", async () => {
    const { out } = await stoppedRun("damaged-line");
    editLine(out, 4, (l) => l.slice(0, 50));
    await expect(resumed(out)).rejects.toThrow(
      /OMD_BATCH_JOURNAL: manifest.ndjson line 4 has no checksum, and \d+ line\(s\) follow it/,
    );
  }, 120_000);

  it("refuses a one-digit change of a line's balance; forged with its checksum, the summary does not reconcile", async () => {
    const { out } = await stoppedRun("one-digit");
    const line = outputLines(out, "manifest.ndjson").findIndex((e) => e.status === "composed") + 1;
    const addDigit = (l: string) => l.replace(/"balanceDueMinor":(-?)(\d)/, '"balanceDueMinor":$19$2');
    editLine(out, line, addDigit);
    await expect(resumed(out)).rejects.toThrow(/line \d+ does not match its checksum/);

    // The forger who also recomputes the line's checksum: the journal cannot tell, the control totals can.
    editLine(out, line, (l) => {
      const body = `${l.slice(0, l.lastIndexOf(',"check"'))}}`;
      const check = createHash("sha256").update(body).digest("hex").slice(0, 16);
      return `${body.slice(0, -1)},"check":"${check}"}`;
    });
    const cli = await omnidoc(["run", "--out", out, "--resume", "--workers", "1"]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(
      /control {4}DOES NOT RECONCILE: the extract as read has 30 records, EUR \S+, GBP \S+ due/,
    );
    const s = JSON.parse(outputText(out, "summary.json"));
    expect(s.reconciles).toBe(false);
    expect(s.control.extract).toEqual(JSON.parse(outputText(whole, "summary.json")).control.extract);
    expect(s.control.journal.balanceDue).not.toEqual(s.control.extract.balanceDue);
    expect(JSON.parse(outputText(whole, "summary.json")).reconciles).toBe(true);
  }, 120_000);

  it("refuses an extract edited between the crash and the resume: a record changed, or records added", async () => {
    const edited = await stoppedRun("edited");
    const before = statSync(edited.extract);
    // Another customer's balance on line 3, same length, and the old modification time put back.
    const text = outputText(work, "edited.ndjson").split("\n");
    text[2] = text[2].replace(/"balanceDue":(-?)(\d)/, (_, sign, d) => `"balanceDue":${sign}${(Number(d) + 1) % 10}`);
    writeFileSync(edited.extract, text.join("\n"));
    utimesSync(edited.extract, before.atime, before.mtime);
    expect(statSync(edited.extract).size).toBe(before.size);
    await expect(resumed(edited.out)).rejects.toThrow(
      `OMD_BATCH_INPUT_CHANGED: record 3 (line 3 of ${edited.extract}) is not the record the run journaled there`,
    );

    const grown = await stoppedRun("grown");
    writeFileSync(grown.extract, `${outputText(work, "grown.ndjson")}${generateLines(31).at(-1)}\n`);
    await expect(resumed(grown.out)).rejects.toThrow(
      new RegExp(
        `OMD_BATCH_INPUT_CHANGED: the extract ${grown.extract} changed since the run started: it held \\d+ bytes, now \\d+`,
      ),
    );
  }, 120_000);

  it("drops a torn last line with a notice and ends equal to an uninterrupted run", async () => {
    const { out } = await stoppedRun("torn");
    const n = outputLines(out, "manifest.ndjson").length;
    editLine(out, n, (l) => l.slice(0, 30));
    const { outcome, notices } = await resumed(out);
    expect(notices).toEqual([
      `manifest.ndjson line ${n}, the last, has no checksum: the run stopped while writing it; dropped, its record is composed again`,
    ]);
    expect(outcome.summary?.reconciles).toBe(true);
    expect(outputText(out, "manifest.ndjson")).toBe(outputText(whole, "manifest.ndjson"));
    expect({ ...summarySansTimings(out), input: undefined }).toEqual({
      ...summarySansTimings(whole),
      input: undefined,
    });
  }, 120_000);
});
