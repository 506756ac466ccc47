import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { TEMP_SUFFIX } from "./files.ts";
import { lines } from "./source.ts";
import type { ManifestEntry } from "./types.ts";

export const MANIFEST = "manifest.ndjson";
export const SMS = "sms.ndjson";
export const REJECTS = "rejects.ndjson";

/**
 * The manifest is the run's journal. Entries are appended in input order and made durable at checkpoints in
 * this order: the SMS and reject lines they refer to, synced, then the manifest lines, synced. Whatever
 * moment a crash picks, the manifest on disk is a prefix of the input whose every file is complete, and
 * `recover` finds the longest such prefix, cuts the files back to it and hands its entries back for replay.
 */
export class Journal {
  private manifestChunk: string[] = [];
  private smsChunk: string[] = [];
  private rejectsChunk: string[] = [];

  private constructor(
    private readonly manifest: number,
    private readonly sms: number,
    private readonly rejects: number,
    /** Entries durable on disk. */
    public committed: number,
  ) {}

  /**
   * A new run's journal, empty (whatever a start that died before `started` left is cleared); `started`
   * then marks the run as begun, so that from here on it can only be resumed.
   */
  static create(dir: string, started: () => void): Journal {
    const open = (name: string) => openSync(join(dir, name), "w");
    const journal = new Journal(open(MANIFEST), open(SMS), open(REJECTS), 0);
    for (const fd of [journal.manifest, journal.sms, journal.rejects]) fsyncSync(fd);
    started();
    return journal;
  }

  /**
   * Reopens a stopped run: replays the entries of the manifest's longest sound prefix through `replay`, cuts
   * off what lies beyond it (a torn last line, SMS lines of records not journaled) and rewrites the rejects.
   */
  static async recover(dir: string, replay: (entry: ManifestEntry) => void): Promise<Journal> {
    const manifestPath = join(dir, MANIFEST);
    const smsPath = join(dir, SMS);
    const manifestSize = statSync(manifestPath).size;
    const smsSize = existsSync(smsPath) ? statSync(smsPath).size : 0;
    let offset = 0;
    let smsEnd = 0;
    let count = 0;
    const rejectsPath = join(dir, REJECTS);
    const rejects = openSync(rejectsPath + TEMP_SUFFIX, "w");
    for await (const text of lines(createReadStream(manifestPath))) {
      const end = offset + Buffer.byteLength(text) + 1;
      if (end > manifestSize) break; // the last line has no newline: torn by a crash
      const entry = parseEntry(text, count + 1);
      if (entry === undefined) break;
      const sms = entry.files.find((f) => f.path === SMS);
      if (sms && smsEnd + sms.bytes > smsSize) break;
      if (!entry.files.every((f) => f.path === SMS || sizeOf(join(dir, f.path)) === f.bytes)) break;
      smsEnd += sms?.bytes ?? 0;
      offset = end;
      count++;
      writeAll(rejects, rejectLinesOf(entry));
      replay(entry);
    }
    const manifest = openSync(manifestPath, "r+");
    ftruncateSync(manifest, offset);
    fsyncSync(manifest);
    closeSync(manifest);
    const sms = openSync(smsPath, existsSync(smsPath) ? "r+" : "w");
    ftruncateSync(sms, smsEnd);
    fsyncSync(sms);
    closeSync(sms);
    fsyncSync(rejects);
    closeSync(rejects);
    renameSync(rejectsPath + TEMP_SUFFIX, rejectsPath);
    const append = (name: string) => openSync(join(dir, name), "a");
    return new Journal(append(MANIFEST), append(SMS), append(REJECTS), count);
  }

  /** Adds one record's entry (and its SMS line) to the next checkpoint. */
  append(entry: ManifestEntry, smsLine?: string): void {
    if (smsLine !== undefined) this.smsChunk.push(smsLine);
    this.rejectsChunk.push(...rejectLinesOf(entry));
    this.manifestChunk.push(`${JSON.stringify(entry)}\n`);
  }

  /** Entries appended since the last checkpoint. */
  get pending(): number {
    return this.manifestChunk.length;
  }

  /** Makes every appended entry durable, the files it refers to first. */
  checkpoint(): void {
    if (this.manifestChunk.length === 0) return;
    writeAll(this.sms, this.smsChunk);
    writeAll(this.rejects, this.rejectsChunk);
    fsyncSync(this.sms);
    fsyncSync(this.rejects);
    writeAll(this.manifest, this.manifestChunk);
    fsyncSync(this.manifest);
    this.committed += this.manifestChunk.length;
    this.manifestChunk = [];
    this.smsChunk = [];
    this.rejectsChunk = [];
  }

  close(): void {
    this.checkpoint();
    for (const fd of [this.manifest, this.sms, this.rejects]) closeSync(fd);
  }
}

/** One `rejects.ndjson` line per problem: a rejected record, or a channel that failed for a composed one. */
export function rejectLinesOf(entry: ManifestEntry): string[] {
  return entry.problems.map(
    (p) =>
      `${JSON.stringify({ line: entry.line, id: entry.id, field: p.field, channel: p.channel, code: p.code, reason: p.reason })}\n`,
  );
}

function writeAll(fd: number, chunk: string[]): void {
  if (chunk.length === 0) return;
  const data = Buffer.from(chunk.join(""));
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done);
}

function parseEntry(text: string, record: number): ManifestEntry | undefined {
  try {
    const entry = JSON.parse(text) as ManifestEntry;
    return entry.record === record && Array.isArray(entry.files) ? entry : undefined;
  } catch {
    return undefined;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/** Reads the manifest's entries in order, streaming (the summary and the print batches are built from it). */
export async function* readManifest(dir: string): AsyncGenerator<ManifestEntry> {
  for await (const text of lines(createReadStream(join(dir, MANIFEST)))) yield JSON.parse(text) as ManifestEntry;
}
