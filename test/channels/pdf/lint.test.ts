import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../../support/pdf-render.ts";
import { sampleProfiles } from "../../support/pdf-views.ts";

const ROOT = new URL("../../..", import.meta.url).pathname;

function lint(dir: string, profiles: number): { status: number | null; out: string } {
  const file = join(scratchDir("lint"), `profiles-${profiles}.ndjson`);
  writeFileSync(
    file,
    `${sampleProfiles()
      .slice(0, profiles)
      .map((p) => JSON.stringify(p))
      .join("\n")}\n`,
  );
  const r = spawnSync(process.execPath, ["bin/omnidoc.mjs", "lint", dir, "--profiles", file], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("omnidoc lint", () => {
  it("reports frame overflow, unknown fields and missing translations, and fails", () => {
    const r = lint("test/channels/pdf/fixtures/broken", 4);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/OMD_PDF_FRAME_OVERFLOW .*frame "address"/);
    expect(r.out).toMatch(/OMD_TEMPLATE_UNKNOWN_FIELD at \S+letter.hbs:6:\d+: "\w+" is not a field of the view/);
    expect(r.out).toMatch(/OMD_TEMPLATE_MISSING_TRANSLATION .*onlyEnglish/);
  });

  it("passes the energy bill for sample customers", () => {
    const r = lint("templates/energy-bill", 5);
    expect(r.out).toContain("5 of 5 sample profiles rendered");
    expect(r.out).toContain("no problems");
    expect(r.status).toBe(0);
  });
});
