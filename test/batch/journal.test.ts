import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, MANIFEST, REJECTS, SMS } from "../../src/batch/journal.ts";
import type { FileEntry, ManifestEntry } from "../../src/batch/types.ts";
import { sha256Hex } from "../../src/core/index.ts";

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
    source: "-",
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
    { path: `pdf/C${n}.pdf`, bytes: pdf.length, sha256: sha256Hex(pdf) },
    { path: SMS, bytes: sms.length, sha256: sha256Hex(sms) },
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
  const damaged: string[] = [];
  const notices: string[] = [];
  const j = await Journal.recover(
    dir,
    (e, d: FileEntry[]) => {
      replayed.push(e.record);
      damaged.push(...d.map((f) => f.path));
    },
    (text) => notices.push(text),
  );
  j.close();
  return { replayed, damaged, notices, committed: j.committed };
}

/** The manifest with line `n` (1-based) passed through `change`. */
function editLine(dir: string, n: number, change: (line: string) => string): void {
  const lines = read(dir, MANIFEST).split("\n");
  lines[n - 1] = change(lines[n - 1]);
  writeFileSync(join(dir, MANIFEST), lines.join("\n"));
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
    expect(r.notices).toEqual([
      "manifest.ndjson line 5, the last, has no end of line: the run stopped while writing it; dropped, its record is composed again",
    ]);
    expect(read(dir, MANIFEST)).toBe(whole);
    expect(read(dir, SMS)).toBe(smsBefore);
    expect(
      read(dir, REJECTS)
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).line),
    ).toEqual([2, 4]);
  });

  it("keeps the journal whole and names the documents whose bytes no longer match their SHA-256", async () => {
    const dir = runDir();
    write(dir, 7);
    const manifest = read(dir, MANIFEST);
    truncateSync(join(dir, "pdf/C3.pdf"), 0);
    // The same size, other bytes: only the hash tells.
    writeFileSync(join(dir, "pdf/C5.pdf"), "%PDF X");
    rmSync(join(dir, "pdf/C7.pdf"));
    const r = await recover(dir);
    expect(r.replayed).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.damaged).toEqual(["pdf/C3.pdf", "pdf/C5.pdf", "pdf/C7.pdf"]);
    expect(read(dir, MANIFEST)).toBe(manifest);
  });

  it("ends each line with a checksum of the rest of it", () => {
    const dir = runDir();
    write(dir, 2);
    for (const line of read(dir, MANIFEST).trim().split("\n")) {
      const [, body, check] = /^(.*),"check":"([0-9a-f]{16})"\}$/.exec(line) ?? [];
      expect(sha256Hex(`${body}}`).slice(0, 16)).toBe(check);
    }
  });

  it.each([
    ["not valid JSON", (l: string) => l.slice(0, 40), /line 3 has no checksum, and 3 line\(s\) follow it/],
    [
      "one digit changed",
      (l: string) => l.replace('"pages":1', '"pages":7'),
      /line 3 does not match its checksum, and 3 line\(s\) follow it/,
    ],
    ["emptied", () => "", /line 3 has no checksum, and 3 line\(s\) follow it/],
  ])("refuses a journal with a line mid-way %s, naming the line, and changes nothing", async (_, change, why) => {
    const dir = runDir();
    write(dir, 6);
    editLine(dir, 3, change);
    const before = [MANIFEST, SMS, REJECTS].map((f) => read(dir, f));
    await expect(recover(dir)).rejects.toThrow(why);
    await expect(recover(dir)).rejects.toThrow(/OMD_BATCH_JOURNAL.*not torn by a crash.*cannot be resumed safely/s);
    expect([MANIFEST, SMS, REJECTS].map((f) => read(dir, f))).toEqual(before);
  });

  it("drops a damaged last line with a notice: a crash can leave one, and its record is simply done again", async () => {
    const dir = runDir();
    write(dir, 4);
    editLine(dir, 4, (l) => l.replace('"pages":0', '"pages":9'));
    const r = await recover(dir);
    expect(r.replayed).toEqual([1, 2, 3]);
    expect(r.notices[0]).toMatch(/line 4, the last, does not match its checksum/);
  });

  it("refuses a journal whose SMS file no longer holds the SMS lines it journaled", async () => {
    const dir = runDir();
    write(dir, 5);
    writeFileSync(join(dir, SMS), read(dir, SMS).replace('"C3"', '"X3"'));
    await expect(recover(dir)).rejects.toThrow(/sms.ndjson bytes 12–24 are not the SMS line of record 3/);
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
