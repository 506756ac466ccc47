import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { omnidoc } from "../support/cli.ts";
import { customer } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "omnidoc-decide-"));
const profileFile = join(dir, "vulnerable.json");
writeFileSync(
  profileFile,
  JSON.stringify(
    customer((p) => {
      p.segment = "vulnerable";
      p.account.inArrears = true;
    }),
  ),
);

describe("omnidoc decide", () => {
  it("prints the decision as JSON, dated by the statement by default", async () => {
    const r = await omnidoc(["decide", "--profile", profileFile]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.runDate).toBe("2026-11-01");
    expect(d.slots.hero.map((c: { id: string }) => c.id)).toEqual(["payment-plan"]);
    expect(d.trace.length).toBeGreaterThanOrEqual(14);
  });

  it("explains every item in an aligned table, on the date asked for", async () => {
    const r = await omnidoc(["decide", "--profile", profileFile, "--date", "2027-06-01", "--explain"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => /^\s*#\s+slot\s+item/.test(l));
    expect(header).toBeGreaterThan(0);
    const rows = lines.slice(header + 1).filter((l) => l.trim() !== "");
    expect(rows.length).toBeGreaterThanOrEqual(14);
    const whyColumn = lines[header].indexOf("why");
    for (const row of rows) expect(row[whyColumn - 1]).toBe(" ");
    expect(r.stdout).toMatch(/price-cap-notice .* validity +not valid on the run date/);
    expect(r.stdout).toMatch(/fixed-tariff-switch .* vulnerable +no sales offers/);
  });

  it("rejects an invalid profile with the field and exits 1", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...customer(), locale: "xx-XX" }));
    const r = await omnidoc(["decide", "--profile", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("/locale");
  });

  it("names the catalogue's file, line and column when it does not load", async () => {
    const broken = join(dir, "catalogue.yaml");
    writeFileSync(
      broken,
      'items:\n  - id: a\n    kind: service\n    slot: notice\n    priority: 1\n    eligibility: segmnt == "x"\n    channels: [print]\n    marketing: false\n    copy: { en: { headline: h, body: b } }\n',
    );
    const r = await omnidoc(["decide", "--profile", profileFile, "--catalogue", broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`OMD_CATALOGUE_UNKNOWN_FIELD at ${broken}:6:18`);
  });

  it("decides on the customer's history in an archive and explains the event that fired each rule", async () => {
    const archive = `sqlite:${join(dir, "archive.db")}`;
    const profile = join(dir, "consenting.json");
    writeFileSync(profile, JSON.stringify(customer()));
    const calls = join(dir, "calls.ndjson");
    const call = { source: "genesys", sourceId: "call-77", at: "2026-10-25T16:05:00Z", channel: "call-centre" };
    writeFileSync(calls, `${JSON.stringify({ customerId: "C9000001", ...call, topic: "complaint" })}\n`);
    expect((await omnidoc(["interactions", "import", calls, "--archive", archive])).code).toBe(0);
    const without = await omnidoc(["decide", "--profile", profile, "--explain"]);
    expect(without.stdout).not.toContain("recent-complaint");
    const r = await omnidoc(["decide", "--profile", profile, "--archive", archive, "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /recent-complaint +the customer complained on 2026-10-25 \(call-centre, reported by genesys\).*\[event: complaint 2026-10-25T16:05:00.000Z by genesys #call-77 \(call-centre\)\]/,
    );
  });

  it("refuses a malformed date as a usage error", async () => {
    expect((await omnidoc(["decide", "--profile", profileFile, "--date", "1 Nov"])).code).toBe(2);
  });
});
