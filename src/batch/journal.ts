import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { ProblemError, problem, sha256Hex } from "../core/index.ts";
import { TEMP_SUFFIX, fileSha256, writeFully, writing } from "./files.ts";
import { lines } from "./source.ts";
import type { FileEntry, ManifestEntry } from "./types.ts";

export const MANIFEST = "manifest.ndjson";
export const SMS = "sms.ndjson";
export const REJECTS = "rejects.ndjson";

/** What `recover` says about each sound entry: the documents whose bytes no longer match the journal's hash. */
export type Replay = (entry: ManifestEntry, damaged: FileEntry[]) => void;

/**
 * The manifest is the run's journal. Entries are appended in input order and made durable at checkpoints in
 * this order: the SMS and reject lines they refer to, synced, then the manifest lines, synced. Whatever
 * moment a crash picks, the manifest on disk is a prefix of the input, followed at most by one torn line;
 * a local run's documents are written whole before their entry but not synced, so after the machine itself
 * went down `recover` finds any it lost by their hash and the run composes them again. Each line ends with a
 * checksum of itself, so `recover` tells a line torn by a crash (the last one: dropped, its record is composed
 * again) from a journal damaged since (any other line: the run refuses to resume rather than guess which
 * records were done).
 */
export class Journal {
  private manifestChunk: string[] = [];
  private smsChunk: string[] = [];
  private rejectsChunk: string[] = [];
  /** A checkpoint failed part-way: writing the same chunk again would put a torn line mid-journal. */
  private broken = false;

  private constructor(
    private readonly dir: string,
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
    const open = (name: string) => writing(join(dir, name), () => openSync(join(dir, name), "w"));
    const journal = new Journal(dir, open(MANIFEST), open(SMS), open(REJECTS), 0);
    for (const fd of [journal.manifest, journal.sms, journal.rejects]) fsyncSync(fd);
    started();
    return journal;
  }

  /**
   * Reopens a stopped run: checks every line of the manifest, replays its entries through `replay` with the
   * documents whose SHA-256 (streamed) no longer matches, cuts off what lies beyond the last entry (a torn last
   * line, said through `notice`; SMS lines of records not journaled) and rewrites the rejects. A damaged line
   * with lines after it, or an SMS line that is not the one journaled, is a ProblemError: nothing is replayed.
   */
  static async recover(dir: string, replay: Replay, notice: (text: string) => void): Promise<Journal> {
    const manifestPath = join(dir, MANIFEST);
    const smsPath = join(dir, SMS);
    const manifestSize = statSync(manifestPath).size;
    const smsRead = existsSync(smsPath) ? openSync(smsPath, "r") : undefined;
    const smsSize = smsRead === undefined ? 0 : statSync(smsPath).size;
    const rejectsPath = join(dir, REJECTS);
    const rejects = openSync(rejectsPath + TEMP_SUFFIX, "w");
    let offset = 0;
    let smsEnd = 0;
    let count = 0;
    let line = 0;
    let bad: { line: number; why: string; after: number } | undefined;
    try {
      for await (const text of lines(createReadStream(manifestPath))) {
        line++;
        if (bad) {
          bad.after++;
          continue;
        }
        const end = offset + Buffer.byteLength(text) + 1;
        const read = end > manifestSize ? { why: "has no end of line" } : parseLine(text, count + 1);
        if ("why" in read) {
          bad = { line, why: read.why, after: 0 };
          continue;
        }
        const entry = read.entry;
        const sms = entry.files.find((f) => f.path === SMS);
        if (sms) {
          const held = smsRead === undefined ? undefined : bytesAt(smsRead, smsEnd, sms.bytes, smsSize);
          if (held === undefined || sha256Hex(held) !== sms.sha256)
            throw damagedJournal(
              `${SMS} bytes ${smsEnd}–${smsEnd + sms.bytes} are not the SMS line of record ${entry.record} (${MANIFEST} line ${line})`,
            );
        }
        const damaged: FileEntry[] = [];
        for (const f of entry.files)
          if (f.path !== SMS && (await fileSha256(join(dir, f.path))) !== f.sha256) damaged.push(f);
        smsEnd += sms?.bytes ?? 0;
        offset = end;
        count++;
        writing(rejectsPath, () => writeAll(rejects, rejectLinesOf(entry)));
        replay(entry, damaged);
      }
      if (bad && bad.after > 0)
        throw damagedJournal(
          `${MANIFEST} line ${bad.line} ${bad.why}, and ${bad.after} line(s) follow it: the journal was damaged after it was written, not torn by a crash`,
        );
      if (bad)
        notice(
          `${MANIFEST} line ${bad.line}, the last, ${bad.why}: the run stopped while writing it; dropped, its record is composed again`,
        );
      fsyncSync(rejects);
    } catch (err) {
      closeSync(rejects);
      rmSync(rejectsPath + TEMP_SUFFIX, { force: true });
      throw err;
    } finally {
      if (smsRead !== undefined) closeSync(smsRead);
    }
    closeSync(rejects);
    const manifest = openSync(manifestPath, "r+");
    ftruncateSync(manifest, offset);
    fsyncSync(manifest);
    closeSync(manifest);
    const sms = openSync(smsPath, existsSync(smsPath) ? "r+" : "w");
    ftruncateSync(sms, smsEnd);
    fsyncSync(sms);
    closeSync(sms);
    renameSync(rejectsPath + TEMP_SUFFIX, rejectsPath);
    const append = (name: string) => openSync(join(dir, name), "a");
    return new Journal(dir, append(MANIFEST), append(SMS), append(REJECTS), count);
  }

  /** Adds one record's entry (and its SMS line) to the next checkpoint. */
  append(entry: ManifestEntry, smsLine?: string): void {
    if (smsLine !== undefined) this.smsChunk.push(smsLine);
    this.rejectsChunk.push(...rejectLinesOf(entry));
    this.manifestChunk.push(lineOf(entry));
  }

  /** Entries appended since the last checkpoint. */
  get pending(): number {
    return this.manifestChunk.length;
  }

  /**
   * Makes every appended entry durable, the SMS and reject lines it refers to first. A write that fails (a full
   * disk) leaves the journal as a crash would, and this journal refuses to write again: `--resume` takes it
   * from there.
   */
  checkpoint(): void {
    if (this.manifestChunk.length === 0 || this.broken) return;
    try {
      this.write(SMS, this.sms, this.smsChunk);
      this.write(REJECTS, this.rejects, this.rejectsChunk);
      this.write(MANIFEST, this.manifest, this.manifestChunk);
    } catch (err) {
      this.broken = true;
      throw err;
    }
    this.committed += this.manifestChunk.length;
    this.manifestChunk = [];
    this.smsChunk = [];
    this.rejectsChunk = [];
  }

  close(): void {
    try {
      this.checkpoint();
    } finally {
      for (const fd of [this.manifest, this.sms, this.rejects]) closeSync(fd);
    }
  }

  /** Writes and syncs one file's part of a checkpoint: SMS and rejects before the manifest that refers to them. */
  private write(name: string, fd: number, chunk: string[]): void {
    writing(join(this.dir, name), () => {
      writeAll(fd, chunk);
      fsyncSync(fd);
    });
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
  if (chunk.length > 0) writeFully(fd, Buffer.from(chunk.join("")));
}

/** The checksum that ends a manifest line: the first 64 bits of the SHA-256 of the line without it. */
const checksum = (body: string) => sha256Hex(body).slice(0, 16);
const CHECKED = /,"check":"([0-9a-f]{16})"\}$/;

/** One manifest line: the entry as JSON with its checksum as the last member. */
function lineOf(entry: ManifestEntry): string {
  const body = JSON.stringify(entry);
  return `${body.slice(0, -1)},"check":"${checksum(body)}"}\n`;
}

/** The entry of a manifest line that must hold `record`, or why the line is not one. */
function parseLine(text: string, record: number): { entry: ManifestEntry } | { why: string } {
  const check = CHECKED.exec(text);
  if (!check) return { why: "has no checksum" };
  const body = `${text.slice(0, check.index)}}`;
  if (checksum(body) !== check[1]) return { why: "does not match its checksum" };
  let entry: ManifestEntry;
  try {
    entry = JSON.parse(body) as ManifestEntry;
  } catch {
    return { why: "is not valid JSON" };
  }
  if (entry.record !== record) return { why: `holds record ${entry.record} where record ${record} belongs` };
  return Array.isArray(entry.files) ? { entry } : { why: "has no list of files" };
}

/** `length` bytes of a file from `at`, or undefined when the file ends before. */
function bytesAt(fd: number, at: number, length: number, size: number): Buffer | undefined {
  if (at + length > size) return undefined;
  const buffer = Buffer.alloc(length);
  for (let done = 0; done < length; ) done += readSync(fd, buffer, done, length - done, at + done);
  return buffer;
}

function damagedJournal(what: string): ProblemError {
  return new ProblemError([
    problem(
      "OMD_BATCH_JOURNAL",
      what,
      undefined,
      "the run cannot be resumed safely: restore the run folder from a copy, or start the run again in a new folder",
    ),
  ]);
}

/** Reads the manifest's entries in order, streaming (the summary and the print batches are built from it). */
export async function* readManifest(dir: string): AsyncGenerator<ManifestEntry> {
  for await (const text of lines(createReadStream(join(dir, MANIFEST)))) yield JSON.parse(text) as ManifestEntry;
}
