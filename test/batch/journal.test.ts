import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, MANIFEST, REJECTS, SMS } from "../../src/batch/journal.ts";
import type { ManifestEntry } from "../../src/batch/types.ts";

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-journal-"));
  mkdirSync(join(dir, "pdf"));
  return dir;
}

/** Entry n: odd ones composed with a PDF and an SMS line, even ones rejected. */
function entry(dir: string, n: number): { entry: ManifestEntry; sms?: string } {
  const base = {
    record: n,
    line: n,
    id: `C${n}`,
    channels: [],
    print: false,
    files: [],
    pages: 0,
    offers: [],
    capped: [],
    problems: [],
  };
  if (n % 2 === 0)
    return {
      entry: {
        ...base,
        status: "rejected",
        problems: [{ code: "OMD_PROFILE_FIELD_INVALID", field: "/x", reason: "bad" }],
      },
    };
  const pdf = `%PDF ${n}`;
  writeFileSync(join(dir, `pdf/C${n}.pdf`), pdf);
  const sms = `{"id":"C${n}"}\n`;
  const files = [
    { path: `pdf/C${n}.pdf`, bytes: pdf.length, sha256: "x" },
    { path: SMS, bytes: sms.length, sha256: "y" },
  ];
  return { entry: { ...base, status: "composed", channels: ["pdf", "sms"], files, pages: 1, offers: ["o"] }, sms };
}

function write(dir: string, count: number): void {
  const j = Journal.create(dir, () => {});
  for (let n = 1; n <= count; n++) {
    const e = entry(dir, n);
    j.append(e.entry, e.sms);
  }
  j.close();
}

async function recover(dir: string) {
  const replayed: number[] = [];
  const j = await Journal.recover(dir, (e) => replayed.push(e.record));
  j.close();
  return { replayed, committed: j.committed };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

describe("the journal", () => {
  it("replays every entry of a whole manifest and keeps the files as they are", async () => {
    const dir = runDir();
    write(dir, 6);
    const before = [MANIFEST, SMS, REJECTS].map((f) => read(dir, f));
    expect(before[2].trim().split("\n")).toHaveLength(3);
    const r = await recover(dir);
    expect(r.replayed).toEqual([1, 2, 3, 4, 5, 6]);
    expect([MANIFEST, SMS, REJECTS].map((f) => read(dir, f))).toEqual(before);
  });

  it("cuts a torn last line, the SMS lines beyond the journal, and rewrites the rejects to match", async () => {
    const dir = runDir();
    write(dir, 4);
    const whole = read(dir, MANIFEST);
    const smsBefore = read(dir, SMS);
    // A crash mid-write: half of entry 5's line, its SMS line written, a reject line beyond the journal.
    appendFileSync(join(dir, MANIFEST), '{"record":5,"line":5,"id":"C5","sta');
    appendFileSync(join(dir, SMS), '{"id":"C5"}\n');
    appendFileSync(join(dir, REJECTS), '{"line":6}\n');
    const r = await recover(dir);
    expect(r.replayed).toEqual([1, 2, 3, 4]);
    expect(read(dir, MANIFEST)).toBe(whole);
    expect(read(dir, SMS)).toBe(smsBefore);
    expect(
      read(dir, REJECTS)
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).line),
    ).toEqual([2, 4]);
  });

  it("ends the journal before an entry whose file did not reach the disk whole", async () => {
    const dir = runDir();
    write(dir, 5);
    truncateSync(join(dir, "pdf/C3.pdf"), 0);
    const r = await recover(dir);
    expect(r.replayed).toEqual([1, 2]);
    expect(read(dir, MANIFEST).trim().split("\n")).toHaveLength(2);
    expect(read(dir, SMS)).toBe('{"id":"C1"}\n');
  });

  it("makes nothing durable before a checkpoint, and all of it after", () => {
    const dir = runDir();
    const j = Journal.create(dir, () => {});
    const e = entry(dir, 1);
    j.append(e.entry, e.sms);
    expect(read(dir, MANIFEST)).toBe("");
    expect(j.pending).toBe(1);
    j.checkpoint();
    expect(j.committed).toBe(1);
    expect(JSON.parse(read(dir, MANIFEST)).id).toBe("C1");
    j.close();
  });

  it("starts empty over what a start that died left, and marks the run as begun only then", () => {
    const dir = runDir();
    writeFileSync(join(dir, MANIFEST), "torn");
    let marked = false;
    const j = Journal.create(dir, () => {
      marked = read(dir, MANIFEST) === "";
    });
    expect(marked).toBe(true);
    j.close();
  });
});
