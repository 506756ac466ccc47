import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseProfileLine } from "../../src/profile/index.ts";
import { readReleaseContent, materialise } from "../../src/releases/content.ts";
import { type DecisionImpact, decisionImpact } from "../../src/releases/index.ts";
import { openArchive } from "../../src/archive/index.ts";
import { omnidoc } from "../support/cli.ts";
import { proof, publishRelease } from "../support/releases.ts";
import { generateLines } from "../support/customers.ts";
import { engineOf, projectCopy } from "../support/project-copy.ts";

const RUN_DATE = "2026-11-01";
/** The released version sent the loyalty thanks after five years; the project's sends it after ten. */
const released = () =>
  projectCopy({ "samples/catalogue.yaml": (y) => y.replace("tenureMonths >= 120", "tenureMonths >= 60") });

const LINES = generateLines(40, "--seed", "11", "--bad-every", "20");
let dir: string;
let input: string;
let expected: DecisionImpact;

beforeAll(async () => {
  dir = released();
  input = join(mkdtempSync(join(tmpdir(), "omnidoc-impact-")), "customers.ndjson");
  writeFileSync(input, `${LINES.join("\n")}\n`);
  const records = LINES.map((l, i) => ({ line: i + 1, profile: parseProfileLine(l, i + 1) }));
  expected = await decisionImpact(await engineOf(dir), await engineOf(), "energy-bill", records, { runDate: RUN_DATE });
  expect(expected.changed).toBeGreaterThan(0);
}, 120_000);

const impactOf = async (against: string) => {
  const r = await omnidoc(["release", "impact", "--input", input, "--against", against, "--date", RUN_DATE, "--json"]);
  const { elapsedMs, ...rest } = JSON.parse(r.stdout) as DecisionImpact;
  return { code: r.code, stderr: r.stderr, impact: rest, elapsedMs };
};

describe("omnidoc release impact", () => {
  it("gives the impact against a project root, its bad records on stderr by line, exit 1", async () => {
    const { code, stderr, impact } = await impactOf(dir);
    const { elapsedMs: _elapsed, ...want } = expected;
    expect(impact).toEqual(want);
    expect(impact.moves.every((m) => m.from === "loyalty-thanks")).toBe(true);
    expect(stderr).toMatch(/at line 20\b/);
    expect(stderr).toMatch(/at line 40\b/);
    expect(code).toBe(1);
  });

  it("says per slot and segment how many customers move from one offer to another, and the time", async () => {
    const r = await omnidoc(["release", "impact", "--input", input, "--against", dir, "--date", RUN_DATE]);
    expect(r.stdout).toMatch(
      new RegExp(
        `^energy-bill against ${dir} on ${RUN_DATE}: ${expected.customers} customers decided with both versions in [\\d.]+ s; ${expected.changed} would get`,
      ),
    );
    for (const m of expected.moves) expect(r.stdout).toContain(`${m.slot} · ${m.segment}: ${m.customers} customer`);
    expect(r.stdout).toContain(`from loyalty-thanks to ${expected.moves[0].to ?? "nothing"}`);
  });

  it("reads the released version from a release folder as well", async () => {
    const content = await readReleaseContent(dir, {}, "energy-bill");
    const folder = mkdtempSync(join(tmpdir(), "omnidoc-release-folder-"));
    materialise(content, join(folder, "files"));
    const { impact } = await impactOf(folder);
    const { elapsedMs: _elapsed, ...want } = expected;
    expect(impact).toEqual(want);
  });

  it("reads the template's released release from the archive with --against released", async () => {
    const content = await readReleaseContent(dir, {}, "energy-bill");
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), "omnidoc-impact-archive-")), "archive.db")}`;
    const opened = await openArchive(url);
    if (!opened.ok) throw new Error(JSON.stringify(opened.problems));
    const archive = opened.value;
    await publishRelease(archive, content, proof());
    await archive.close();

    const args = ["release", "impact", "--input", input, "--against", "released", "--archive", url, "--date", RUN_DATE];
    const json = await omnidoc([...args, "--json"]);
    const { elapsedMs: _elapsed, ...impact } = JSON.parse(json.stdout) as DecisionImpact;
    const { elapsedMs: _expected, ...want } = expected;
    expect(impact).toEqual(want);
    const text = await omnidoc(args);
    expect(text.stdout).toMatch(
      new RegExp(`^energy-bill against release ${content.hash.slice(0, 12)} \\(1\\.0\\.0\\) on`),
    );
  });

  it("refuses --against released when the template has no released version", async () => {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), "omnidoc-impact-archive-")), "archive.db")}`;
    const r = await omnidoc(["release", "impact", "--input", input, "--against", "released", "--archive", url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("OMD_RELEASE_REQUIRED");
  });

  it("refuses a folder that holds no version, saying what it looked for", async () => {
    const empty = mkdtempSync(join(tmpdir(), "omnidoc-empty-"));
    const r = await omnidoc(["release", "impact", "--input", input, "--against", empty, "--date", RUN_DATE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("OMD_RELEASE_FOLDER");
    expect(r.stderr).toContain("templates/");
  });
});
