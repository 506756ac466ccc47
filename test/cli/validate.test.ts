import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { omnidoc } from "../support/cli.ts";
import { generateLines } from "../support/customers.ts";

describe("omnidoc validate", () => {
  it("summarises a mixed extract and writes each reject with line, id, field and reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-validate-"));
    const rejects = join(dir, "rejects.ndjson");
    const r = await omnidoc(
      ["validate", "--input", "-", "--rejects", rejects],
      `${generateLines(40, "--bad-every", "10").join("\n")}\n`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/records\s+40\nvalid\s+36\nrejected\s+4\n/);
    const lines = readFileSync(rejects, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.line, l.field])).toEqual([
      [10, undefined],
      [20, undefined],
      [30, "/id"],
      [40, "/account/balanceDue"],
    ]);
    expect(lines[3]).toMatchObject({
      id: "C0000040",
      code: "OMD_PROFILE_FIELD_INVALID",
      reason: "/account/balanceDue must be number",
    });
  });

  it("exits 0 on a clean extract", async () => {
    const r = await omnidoc(["validate", "--input", "-"], `${generateLines(5).join("\n")}\n`);
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining("rejected  0")]);
  });

  it("exits 2 with usage help on a bad command line, 1 on a missing file", async () => {
    const noInput = await omnidoc(["validate"]);
    expect([noInput.code, noInput.stderr]).toEqual([
      2,
      expect.stringContaining("required option '-i, --input <file>'"),
    ]);
    expect(noInput.stderr).toContain("(run with --help for usage)");
    expect((await omnidoc(["frobnicate"])).code).toBe(2);
    const missing = await omnidoc(["validate", "--input", "/nonexistent/x.ndjson"]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining("cannot read /nonexistent/x.ndjson")]);
  });
});
