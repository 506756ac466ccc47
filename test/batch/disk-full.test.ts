import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { omnidocProcess } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";
import { summarySansTimings } from "../support/run-output.ts";

const work = mkdtempSync(join(tmpdir(), "omnidoc-disk-full-"));
const disk = join(work, "disk");
const input = join(work, "extract.ndjson");
/** Room for a few of the twelve statements (~40 KB each, again in a print batch): the disk fills mid-run. */
const SMALL = "300k";
const root = process.getuid?.() === 0;

afterAll(() => {
  if (root) spawnSync("umount", [disk], { stdio: "ignore" });
  rmSync(work, { recursive: true, force: true });
});

const runArgs = (out: string, resume = false) => [
  "run",
  ...(resume ? [] : ["--template", "energy-bill", "--input", input, "--date", "2026-11-01", "--channels", "pdf"]),
  ...["--out", out, "--workers", "1", "--print-batch", "4", "--no-archive"],
  ...(resume ? ["--resume"] : []),
];
const read = (dir: string, name: string) => readFileSync(join(dir, name));

// A real full file system: a tmpfs of 300 KB, which only root may mount (CI runs as root).
describe.skipIf(!root)("a run on a disk that fills up (a real tmpfs, mounted as root)", () => {
  it("stops with one line naming the file, no stack trace, and the resume on a freed disk is exact", () => {
    writeFileSync(input, `${generateLines(12).join("\n")}\n`);
    mkdirSync(disk);
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${SMALL}`, "tmpfs", disk]);
    const whole = join(work, "whole");
    expect(omnidocProcess(runArgs(whole)).code).toBe(0);

    const out = join(disk, "run");
    const full = omnidocProcess(runArgs(out));
    const said = full.stderr.split("\n").filter((l) => l !== "" && !l.startsWith('{"progress"'));
    expect(said, full.stderr).toHaveLength(1);
    expect(said[0]).toMatch(
      new RegExp(`^omnidoc: OMD_BATCH_DISK_FULL: disk full at ${out}/\\S+: free space and run again with --resume$`),
    );
    expect(full.stderr).not.toMatch(/^\s+at /m);
    expect(full.code).toBe(1);
    const journaled = read(out, "manifest.ndjson").toString().split("\n").filter(Boolean).length;
    expect(journaled).toBeLessThan(12);

    execFileSync("mount", ["-o", "remount,size=64m", disk]);
    const resumed = omnidocProcess(runArgs(out, true));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(read(out, "manifest.ndjson").equals(read(whole, "manifest.ndjson"))).toBe(true);
    expect({ ...summarySansTimings(out) }).toEqual({ ...summarySansTimings(whole) });
    for (const sub of ["pdf", "print"]) {
      const files = readdirSync(join(whole, sub)).sort();
      expect(readdirSync(join(out, sub)).sort(), sub).toEqual(files);
      for (const f of files)
        expect(read(join(out, sub), f).equals(read(join(whole, sub), f)), `${sub}/${f}`).toBe(true);
    }
  }, 300_000);
});
