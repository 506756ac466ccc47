import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateLines } from "../support/customers.ts";
import { summarySansTimings } from "../support/run-output.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/omnidoc.mjs");
const work = mkdtempSync(join(tmpdir(), "omnidoc-kill-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const INPUT = join(work, "extract.ndjson");
const CHANNELS = process.env.OMNIDOC_KILL_CHANNELS ?? "all";
/** Enough records for rejects, every channel and three print batches: a run's time is mostly its start-up. */
const RECORDS = 20;

function start(out: string, resume: boolean): ChildProcess {
  // The operator's one command line, with --resume from the second attempt on.
  const args = [
    "run",
    "--template",
    "energy-bill",
    "--input",
    INPUT,
    "--out",
    out,
    "--date",
    "2026-11-01",
    "--channels",
    CHANNELS,
    "--workers",
    "2",
    "--no-archive",
    "--print-batch",
    "4",
  ];
  if (resume) args.push("--resume");
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((done) =>
    child.exitCode !== null || child.signalCode !== null
      ? done(child.exitCode)
      : child.once("exit", (code) => done(code)),
  );

/** A small deterministic generator, so a failing sequence of kill points can be replayed from its seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
/** The manifest's entries less file hashes: what the journal says, whoever rendered the bytes. */
const journalSansBytes = (dir: string) =>
  read(dir, "manifest.ndjson")
    .trim()
    .split("\n")
    .map((l) => {
      const e = JSON.parse(l);
      return { ...e, files: e.files.map((f: { path: string }) => f.path) };
    });

describe("a real run killed with SIGKILL at random points", () => {
  it("resumes to every record composed exactly once, with the totals and files of an uninterrupted run", async () => {
    writeFileSync(INPUT, `${generateLines(RECORDS, "--bad-every", "10").join("\n")}\n`);
    const whole = join(work, "whole");
    const began = Date.now();
    expect(await exited(start(whole, false))).toBe(1); // 1: the extract has rejects
    let window = Date.now() - began;

    const seed = Number(process.env.OMNIDOC_KILL_SEED ?? Date.now() % 100000);
    const next = random(seed);
    const out = join(work, "killed");
    let kills = 0;
    let code: number | null = null;
    // Up to four kills at random moments of a run's life (start-up, composing, print batches, summary), then
    // one last resume that is left to finish. A run that ends before its first kill proves nothing: on a machine
    // that sped up, start again in a fresh folder within a shorter window.
    for (let attempt = 0; code === null; attempt++) {
      const child = start(out, attempt > 0);
      const timer = attempt < 4 ? setTimeout(() => child.kill("SIGKILL"), next() * window) : undefined;
      const result = await exited(child);
      clearTimeout(timer);
      if (child.signalCode === "SIGKILL") kills++;
      else if (kills === 0) {
        rmSync(out, { recursive: true, force: true });
        window /= 2;
        attempt = -1;
      } else code = result;
    }
    expect(kills, `seed ${seed}`).toBeGreaterThan(0);
    expect(code, `seed ${seed}`).toBe(1);

    const manifest = read(out, "manifest.ndjson")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(manifest.map((e) => e.record)).toEqual(Array.from({ length: RECORDS }, (_, i) => i + 1));
    // The journal, the totals and the text outputs first; then every document byte for byte.
    expect(journalSansBytes(out), `seed ${seed}`).toEqual(journalSansBytes(whole));
    expect(summarySansTimings(out)).toEqual(summarySansTimings(whole));
    for (const name of ["sms.ndjson", "rejects.ndjson"]) expect(read(out, name), name).toBe(read(whole, name));
    const ids = read(out, "sms.ndjson")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const sub of ["email", "pdf", "print"]) {
      const files = readdirSync(join(out, sub)).sort();
      expect(files, sub).toEqual(readdirSync(join(whole, sub)).sort());
      for (const f of files)
        expect(readFileSync(join(out, sub, f)).equals(readFileSync(join(whole, sub, f))), `${sub}/${f} differs`).toBe(
          true,
        );
    }
    expect(read(out, "manifest.ndjson"), `seed ${seed}`).toBe(read(whole, "manifest.ndjson"));
  }, 600_000);
});
