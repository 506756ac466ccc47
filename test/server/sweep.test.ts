import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { openArchive } from "../../src/archive/index.ts";
import { sha256Hex } from "../../src/core/index.ts";
import { buildServer } from "../../src/server/index.ts";
import { ROOT } from "./support.ts";

const blobPath = (dir: string, sha: string) => join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);

/** Writes a file as a crash would have left it, last modified `ageMs` ago. */
function leave(path: string, bytes: string, ageMs: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
  return path;
}

describe("start-up sweeps what a crash left in the archive", () => {
  it("removes stale temporary files and unreferenced blobs, keeps recorded and in-flight ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omnidoc-sweep-"));
    const blobs = join(dir, "blobs");
    const opened = await openArchive(`sqlite:${join(dir, "archive.db")}?blobs=${blobs}`);
    if (!opened.ok) throw new Error(opened.problems[0].message);
    const archive = opened.value;
    try {
      const recorded = await archive.record({
        customerId: "C0000001",
        template: "energy-bill",
        templateVersion: "1",
        channel: "sms",
        runId: "run-1",
        created: "2026-11-01",
        offerIds: [],
        contentType: "application/json",
        bytes: new TextEncoder().encode('{"text":"kept"}'),
      });
      const day = 24 * 3600 * 1000;
      const recordedBlob = blobPath(blobs, recorded.sha256);
      const then = new Date(Date.now() - day);
      utimesSync(recordedBlob, then, then);
      const orphanSha = sha256Hex("bytes whose row never came");
      const orphan = leave(blobPath(blobs, orphanSha), "bytes whose row never came", day);
      const tmp = leave(join(dirname(orphan), `.${orphanSha}.4242.0badf00d.tmp`), "half a docu", day);
      const freshSha = sha256Hex("being recorded right now");
      const fresh = leave(blobPath(blobs, freshSha), "being recorded right now", 1_000);
      const freshTmp = leave(join(dirname(fresh), `.${freshSha}.4243.cafef00d.tmp`), "being writ", 1_000);

      const app = await buildServer({ keys: [], archive, root: ROOT, pool: { workers: 1 }, log: false });
      await app.close();

      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(tmp)).toBe(false);
      expect(existsSync(recordedBlob)).toBe(true);
      expect(existsSync(fresh)).toBe(true);
      expect(existsSync(freshTmp)).toBe(true);
      expect((await archive.get(recorded.id))?.bytes).toBeDefined();
    } finally {
      await archive.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
