import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { omnidoc } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-run-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const base = ["run", "--template", "energy-bill", "--date", "2026-11-01", "--no-archive"];

describe("omnidoc run on the command line", () => {
  it("reads the extract from standard input and prints a summary that reconciles", async () => {
    const out = join(work, "stdin");
    const input = `${generateLines(8).join("\n")}\n`;
    const r = await omnidoc([...base, "--input", "-", "--out", out, "--channels", "sms", "--workers", "1"], input);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.stdout).toMatch(/records\s+8 read = \d+ composed \+ 0 skipped \+ \d+ rejected/);
    expect(readFileSync(join(out, "manifest.ndjson"), "utf8").trim().split("\n")).toHaveLength(8);
    // Not a terminal: progress goes to stderr as JSON lines.
    expect(r.stderr.split("\n").filter((l) => l.startsWith('{"progress"')).length).toBeGreaterThan(0);
  });

  it("answers a wrong command line with exit code 2 and what to do", async () => {
    const noInput = await omnidoc(["run", "--template", "energy-bill", "--out", join(work, "x")]);
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toMatch(/--template and --input/);
    const badChannels = await omnidoc([...base, "--input", "-", "--out", join(work, "y"), "--channels", "fax"]);
    expect(badChannels.code).toBe(2);
    expect(badChannels.stderr).toMatch(/--channels must be/);
    const badWorkers = await omnidoc([...base, "--input", "-", "--out", join(work, "z"), "--workers", "0"]);
    expect(badWorkers.code).toBe(2);
  });

  it("stops before composing anyone when a channel of the template does not compile, with file and line", async () => {
    // The main thread compiles audiences only; the statement's layout is compiled by the compose threads.
    const templates = join(work, "broken-templates");
    cpSync(join(ROOT, "templates"), templates, { recursive: true });
    const layout = join(templates, "energy-bill/statement.hbs");
    writeFileSync(layout, readFileSync(layout, "utf8").replace("{{/if}}", ""));
    const out = join(work, "broken");
    const input = `${generateLines(4).join("\n")}\n`;
    const r = await omnidoc([...base, "--input", "-", "--out", out, "--templates", templates, "--workers", "2"], input);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`omnidoc: OMD_TEMPLATE_SYNTAX at ${layout}: Parse error on line `);
    // No journal: the same command starts the run afresh once the template is mended.
    expect(existsSync(join(out, "run.json"))).toBe(false);
    expect(existsSync(join(out, "manifest.ndjson"))).toBe(false);
    expect(readdirSync(join(out, "pdf"))).toEqual([]);
  }, 120_000);

  it("stops cleanly on Ctrl-C (SIGINT), says how to go on, and the resumed run completes", async () => {
    const out = join(work, "sigint");
    const input = join(work, "sigint.ndjson");
    writeFileSync(input, `${generateLines(400).join("\n")}\n`);
    const args = [
      join(ROOT, "bin/omnidoc.mjs"),
      ...base,
      "--input",
      input,
      "--out",
      out,
      "--channels",
      "sms",
      "--workers",
      "1",
    ];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    // Interrupt as soon as the run has journaled its first records.
    child.stderr.on("data", (d) => String(d).includes('"progress"') && child.kill("SIGINT"));
    const code = await new Promise<number | null>((done) => child.once("exit", done));
    expect(code).toBe(130);
    expect(stdout).toMatch(/go on with: omnidoc run --out .* --resume/);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    const done = readFileSync(join(out, "manifest.ndjson"), "utf8").split("\n").filter(Boolean).length;
    expect(done).toBeLessThan(400);
    const resumed = await omnidoc(["run", "--out", out, "--resume", "--workers", "1"]);
    expect(resumed.code).toBe(1); // some customers have no mobile: rejects
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.records.read).toBe(400);
    expect(summary.timings.resumedAfter).toBe(done);
  }, 120_000);
});
