import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive/index.ts";
import { omnidoc } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "omnidoc-interactions-"));
const url = `sqlite:${join(dir, "archive.db")}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (over: Record<string, unknown>) =>
  JSON.stringify({
    customerId: "C0000001",
    source: "zendesk",
    sourceId: "t-1",
    at: "2026-11-02T14:05:00Z",
    channel: "chat",
    topic: "moving-home",
    ...over,
  });

const FILE = join(dir, "contacts.ndjson");
writeFileSync(
  FILE,
  [
    line({ outcome: "resolved" }),
    line({ sourceId: "t-2", at: "2 November" }),
    line({ source: "genesys", sourceId: "c-9", channel: "call-centre", topic: "billing", at: "2026-11-03T08:00:00Z" }),
    "{not json",
    line({ customerId: undefined, sourceId: "t-3" }),
    line({ customerId: "C0000002", sourceId: "t-4", channel: "store", note: "kept, never shown in the table" }),
  ].join("\n"),
);

describe("omnidoc interactions import", () => {
  it("loads the good lines, names each bad one by line and field, and exits 1", async () => {
    const r = await omnidoc(["interactions", "import", FILE, "--archive", url]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("added          3\nalready there  0\nrejected       3\n");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "omnidoc: OMD_INTERACTION_FIELD_INVALID at line 2 /at: /at is not a valid date-time",
      expect.stringMatching(/^omnidoc: OMD_INPUT_NOT_JSON at line 4: not valid JSON/),
      "omnidoc: OMD_INTERACTION_FIELD_MISSING at line 5 /customerId: /customerId is required",
    ]);

    const opened = await openArchive(url);
    if (!opened.ok) throw new Error("archive did not open");
    const kept = await opened.value.interactions("C0000001");
    const other = await opened.value.interactions("C0000002");
    await opened.value.close();
    expect(kept.map((i) => [i.source, i.sourceId, i.outcome])).toEqual([
      ["genesys", "c-9", undefined],
      ["zendesk", "t-1", "resolved"],
    ]);
    expect(other.map((i) => i.note)).toEqual(["kept, never shown in the table"]);
  });

  it("adds nothing when the same file is imported again", async () => {
    const r = await omnidoc(["interactions", "import", FILE, "--archive", url]);
    expect([r.code, r.stdout]).toEqual([1, "added          0\nalready there  3\nrejected       3\n"]);
  });

  it("exits 0 when every line is good, and says so when the file cannot be read", async () => {
    const good = join(dir, "good.ndjson");
    writeFileSync(good, `${line({ sourceId: "t-5", at: "2026-10-01T09:00:00+02:00" })}\n`);
    const r = await omnidoc(["interactions", "import", good, "--archive", url]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "added          1\nalready there  0\nrejected       0\n", ""]);
    const missing = await omnidoc(["interactions", "import", join(dir, "none.ndjson"), "--archive", url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^omnidoc: cannot read .*none\.ndjson/);
  });

  it("shows the interactions after the documents in omnidoc customer, newest first, without notes", async () => {
    const r = await omnidoc(["customer", "C0000001", "--archive", url]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("no archived documents for C0000001");
    expect(lines[2]).toBe("C0000001: 3 interactions");
    expect(lines[3].split(/\s{2,}/)).toEqual(["date", "channel", "topic", "outcome", "source"]);
    expect(lines.slice(5).map((l) => l.split(/\s{2,}/))).toEqual([
      ["2026-11-03 08:00", "call-centre", "billing", "-", "genesys c-9"],
      ["2026-11-02 14:05", "chat", "moving-home", "resolved", "zendesk t-1"],
      ["2026-10-01 07:00", "chat", "moving-home", "-", "zendesk t-5"],
    ]);
    const other = await omnidoc(["customer", "C0000002", "--archive", url]);
    expect(other.stdout).not.toContain("never shown");
  });
});
