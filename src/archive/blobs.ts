import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, stat } from "node:fs/promises";
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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
