import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { requireReleased } from "../../src/cli/shared.ts";
import type { Release } from "../../src/releases/types.ts";
import { omnidoc } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";

/** From the project's files to a production run, on the command line: propose, approve by another, publish, run. */

const work = mkdtempSync(join(tmpdir(), "omnidoc-release-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const ARCHIVE = ["--archive", `sqlite:${join(work, "archive.db")}`];
const INPUT = join(work, "customers.ndjson");
writeFileSync(INPUT, `${generateLines(6).join("\n")}\n`);

const run = (out: string) =>
  omnidoc([
    "run",
    "--template",
    "energy-bill",
    "--input",
    INPUT,
    "--out",
    join(work, out),
    "--date",
    "2026-11-01",
    "--channels",
    "sms",
    "--workers",
    "1",
    "--require-released",
    ...ARCHIVE,
  ]);

describe("omnidoc release", () => {
  let proposed: Release;

  it("proposes the project's template with its proof set, which show prints", { timeout: 180_000 }, async () => {
    const r = await omnidoc([
      "release",
      "propose",
      "--template",
      "energy-bill",
      "--date",
      "2026-11-01",
      "--as",
      "ada",
      "--json",
      ...ARCHIVE,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    proposed = JSON.parse(r.stdout);
    expect(proposed).toMatchObject({
      template: "energy-bill",
      state: "review",
      steps: [{ action: "propose", by: "ada" }],
    });
    expect(proposed.proofHash).toMatch(/^[0-9a-f]{64}$/);

    const shown = await omnidoc(["release", "show", proposed.id.slice(0, 10), ...ARCHIVE]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`proof set  ${proposed.proofHash}`);
    expect(shown.stdout).toMatch(/\/pdf\.pdf\s+Typical household\s+application\/pdf/);
    const json = JSON.parse((await omnidoc(["release", "show", proposed.id, "--json", ...ARCHIVE])).stdout);
    expect(json.proof.hash).toBe(proposed.proofHash);
    expect(json.proof.documents.length).toBeGreaterThan(20);
  });

  it("is approved only by another person who names the proof set they saw", async () => {
    const self = await omnidoc([
      "release",
      "approve",
      proposed.id,
      "--seen",
      proposed.proofHash ?? "",
      "--as",
      "ada",
      ...ARCHIVE,
    ]);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain("OMD_RELEASE_FOUR_EYES");
    const blind = await omnidoc([
      "release",
      "approve",
      proposed.id,
      "--seen",
      "0".repeat(64),
      "--as",
      "grace",
      ...ARCHIVE,
    ]);
    expect(blind.code).toBe(1);
    expect(blind.stderr).toContain("OMD_RELEASE_SEEN");
    const noSeen = await omnidoc(["release", "approve", proposed.id, "--as", "grace", ...ARCHIVE]);
    expect(noSeen.code).toBe(2);
    const ok = await omnidoc([
      "release",
      "approve",
      proposed.id.slice(0, 8),
      "--seen",
      proposed.proofHash ?? "",
      "--as",
      "grace",
      ...ARCHIVE,
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toContain(`approved   ${proposed.id}`);
  });

  it("lets no run compose before it is published, and every line of the run after names it", {
    timeout: 180_000,
  }, async () => {
    const refused = await run("before");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("OMD_RELEASE_REQUIRED");

    const published = await omnidoc(["release", "publish", proposed.id, "--as", "grace", ...ARCHIVE]);
    expect(published.stdout).toContain(`released   ${proposed.id}`);
    const after = await run("after");
    expect(after.stderr).not.toContain("omnidoc: OMD");
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`release    ${proposed.id} (production mode)`);
    const manifest = readFileSync(join(work, "after/manifest.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(manifest).toHaveLength(6);
    for (const line of manifest) expect(line.release).toBe(proposed.id);

    const list = JSON.parse((await omnidoc(["release", "list", "--json", ...ARCHIVE])).stdout) as Release[];
    expect(list.map((r) => [r.id, r.state])).toEqual([[proposed.id, "released"]]);
    expect((await omnidoc(["release", "list", "--state", "shipped", ...ARCHIVE])).code).toBe(2);
  });

  it("exports a folder another archive imports, and refuses a reject without comments", async () => {
    const folder = join(work, "exported");
    const exported = await omnidoc(["release", "export", proposed.id.slice(0, 8), "--out", folder, ...ARCHIVE]);
    expect(exported.code).toBe(0);
    const other = ["--archive", `sqlite:${join(work, "other/archive.db")}`];
    const imported = await omnidoc(["release", "import", folder, ...other]);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(new RegExp(`^imported\\s+${proposed.id} \\(energy-bill .*, released\\)`));
    const steps = JSON.parse((await omnidoc(["release", "show", proposed.id, "--json", ...other])).stdout).steps;
    expect(steps.map((s: { action: string; by: string }) => `${s.action} ${s.by}`)).toEqual([
      "propose ada",
      "approve grace",
      "publish grace",
    ]);
    expect((await omnidoc(["release", "reject", proposed.id, "--as", "grace", ...ARCHIVE])).code).toBe(2);
  });

  it("is production mode by flag or OMNIDOC_REQUIRE_RELEASED, and refuses a distributed run", async () => {
    expect(requireReleased(undefined, { OMNIDOC_REQUIRE_RELEASED: "1" })).toBe(true);
    expect(requireReleased(undefined, { OMNIDOC_REQUIRE_RELEASED: "no" })).toBe(false);
    expect(requireReleased(false, { OMNIDOC_REQUIRE_RELEASED: "true" })).toBe(false);
    expect(requireReleased(undefined, {})).toBe(false);
    const queued = await omnidoc([
      "run",
      "--template",
      "energy-bill",
      "--input",
      INPUT,
      "--out",
      join(work, "queued"),
      "--queue",
      "redis://127.0.0.1:1/0",
      "--require-released",
    ]);
    expect(queued.code).toBe(2);
    expect(queued.stderr).toMatch(/--require-released composes on this machine only/);
  });
});
