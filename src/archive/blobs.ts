import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../core/index.ts";

/**
 * Document bytes on disk, addressed by their SHA-256: `dir/ab/cd/abcd…`. The same bytes are stored once,
 * however many runs archive them. Writes are atomic (temporary file, fsync, rename), so a reader never
 * sees half a document and a crash leaves no torn file under a real name.
 */
export class BlobStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(sha256);
    if (await exists(path)) return;
    const dir = join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4));
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${sha256}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    const file = await open(tmp, "wx");
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    // Two writers of the same bytes race harmlessly: rename replaces a file with identical content.
    await rename(tmp, path);
  }

  /** The bytes, checked against their hash: a corrupted file is an error, never a wrong document. */
  async get(sha256: string): Promise<Uint8Array> {
    const bytes = await readFile(this.pathOf(sha256));
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new Error(`archived blob ${sha256} is corrupt (its content hashes to ${actual})`);
    return bytes;
  }
}

/** A blob's file name: its SHA-256. A write in progress: `.<sha256>.<pid>.<random>.tmp` beside it. */
const BLOB_NAME = /^[0-9a-f]{64}$/;
const TEMPORARY_NAME = /^\.[0-9a-f]{64}\.\d+\.[0-9a-f]+\.tmp$/;
/** Hashes asked about in one query. */
const SWEEP_BATCH = 500;

export interface SweepOptions {
  /** Files modified after this are left alone: a write in progress, or bytes whose row is being inserted. */
  before: Date;
  /** Which of these hashes a document row points at. */
  referenced(sha256s: readonly string[]): Promise<Set<string>>;
}

/**
 * Removes what a crash leaves behind (a temporary file whose rename never came, bytes whose row was never
 * inserted) when it is older than `before`. Answers how many files of each kind went.
 */
export async function sweepBlobs(store: BlobStore, o: SweepOptions): Promise<{ temporary: number; orphans: number }> {
  const stale = async (path: string) => {
    const s = await stat(path).catch(() => undefined);
    return s !== undefined && s.mtime < o.before;
  };
  let temporary = 0;
  const candidates = new Map<string, string>();
  const names = await readdir(store.dir, { recursive: true }).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(store.dir, name);
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (TEMPORARY_NAME.test(base) && (await stale(path))) {
      await unlink(path).catch(() => undefined);
      temporary++;
    } else if (BLOB_NAME.test(base) && path === store.pathOf(base) && (await stale(path))) candidates.set(base, path);
  }
  let orphans = 0;
  const hashes = [...candidates.keys()];
  for (let i = 0; i < hashes.length; i += SWEEP_BATCH) {
    const batch = hashes.slice(i, i + SWEEP_BATCH);
    const kept = await o.referenced(batch);
    for (const sha of batch)
      if (!kept.has(sha)) {
        await unlink(candidates.get(sha) as string).catch(() => undefined);
        orphans++;
      }
  }
  return { temporary, orphans };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
