import { closeSync, fdatasyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Suffix of a file being written; a crash can leave one behind, and resume sweeps them away. */
export const TEMP_SUFFIX = ".partial";

/**
 * Writes a file so that its final name only ever holds the complete content: written under a temporary name,
 * synced to disk, then renamed. A crash leaves either the old file, the new one, or a stray temporary.
 */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  const temp = path + TEMP_SUFFIX;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Removes temporaries a crash left in a directory; returns how many. */
export function sweepTemporaries(dir: string): number {
  let n = 0;
  for (const name of safeList(dir)) {
    if (!name.endsWith(TEMP_SUFFIX)) continue;
    rmSync(join(dir, name), { force: true });
    n++;
  }
  return n;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
