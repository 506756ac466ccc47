import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  createReadStream,
  fdatasyncSync,
  linkSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { type Problem, ProblemError, problem } from "../core/index.ts";

/** Suffix of a file being written; a crash can leave one behind, and resume sweeps them away. */
export const TEMP_SUFFIX = ".partial";

/** Error codes of a write that found no room: the disk is full, or the user's quota is used up. */
const NO_ROOM = new Set(["ENOSPC", "EDQUOT"]);

/** The problem a run stops with when a write to `path` found the disk full; undefined for any other error. */
export function diskFull(err: unknown, path: string): Problem | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !NO_ROOM.has(code)) return undefined;
  return problem("OMD_BATCH_DISK_FULL", `disk full at ${path}: free space and run again with --resume`);
}

/** Runs a write to `path`; a full disk becomes a ProblemError that names the file, any other error stays itself. */
export function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    const full = diskFull(err, path);
    throw full ? new ProblemError([full]) : err;
  }
}

/** The OMD_BATCH_DISK_FULL problem a ProblemError carries, for a worker to hand back across threads. */
export function diskFullOf(err: unknown): Problem | undefined {
  return err instanceof ProblemError ? err.problems.find((p) => p.code === "OMD_BATCH_DISK_FULL") : undefined;
}

/**
 * Writes a file so that its final name only ever holds the complete content: written under a temporary name,
 * synced to disk, then renamed. A crash leaves either the old file, the new one, or a stray temporary; a full
 * disk leaves neither (the temporary is removed, giving its space back).
 */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  replace(path, data, true);
}

/**
 * Writes a document of a local run as `writeAtomic` does, but without waiting for the disk to have it: the
 * journal keeps every document's SHA-256 and `--resume` composes again any that a machine's crash lost or
 * tore, so a sync would buy nothing the resume does not give, at a few milliseconds of a compose thread's
 * time for each of a customer's documents. The finished run syncs them all at once (`completeRun`).
 */
export function writeDocument(path: string, data: Uint8Array | string): void {
  replace(path, data, false);
}

function replace(path: string, data: Uint8Array | string, sync: boolean): void {
  const temp = path + TEMP_SUFFIX;
  writing(path, () => {
    writeTemporary(temp, typeof data === "string" ? Buffer.from(data) : data, sync);
    renameSync(temp, path);
  });
}

/** Writes a temporary whole (and synced); one that failed part-way (a full disk) is removed, giving its space back. */
function writeTemporary(temp: string, bytes: Uint8Array, sync: boolean): void {
  const fd = openSync(temp, "w");
  try {
    writeFully(fd, bytes);
    if (sync) fdatasyncSync(fd);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** Folder of a run where create-only writes keep their temporaries, out of sight of the documents' folders. */
export const PARTIAL_DIR = ".partial";

/**
 * Writes a file that must never change once written: the content goes to a temporary of its own in
 * `<run>/.partial/`, is synced, and is linked under its final name, which fails if the name exists. Two
 * attempts at the same shard (a job the queue thought stalled) both get here; the second finds the same bytes
 * and leaves them. Other bytes under that name (`differs`) mean the output is not the pure function it must be.
 */
export function writeCreateOnly(
  runDir: string,
  path: string,
  data: Uint8Array | string,
): "created" | "existed" | "differs" {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const final = join(runDir, path);
  const temp = join(
    runDir,
    PARTIAL_DIR,
    `${path.replaceAll("/", "_")}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`,
  );
  return writing(final, () => {
    writeTemporary(temp, bytes, true);
    try {
      linkSync(temp, final);
      return "created";
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      return readFileSync(final).equals(bytes) ? "existed" : "differs";
    } finally {
      rmSync(temp, { force: true });
    }
  });
}

/** Writes all of `data`: a write to a nearly full disk can take only part of it before failing. */
export function writeFully(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
}

/** A file's SHA-256 in hex, read as a stream; undefined when the file is missing. */
export async function fileSha256(path: string): Promise<string | undefined> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return hash.digest("hex");
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
