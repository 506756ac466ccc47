import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeAtomic } from "./files.ts";
import type { ChannelSelection } from "./routing.ts";
import type { InputFormat } from "./source.ts";

export const SETTINGS = "run.json";

/**
 * What makes a run the run it is, kept in `DIR/run.json` when it starts: `--resume` goes on with exactly these,
 * since any change (another date, other channels) would make the two halves of one run disagree.
 */
export interface RunSettings {
  template: string;
  /** The extract's path as given, or `-` for standard input. */
  input: string;
  format: InputFormat;
  runDate: string;
  channels: ChannelSelection;
  /** Only the first N records of the input. */
  limit?: number;
  /** At most this many statements a print batch file. */
  printBatchSize: number;
  archive: boolean;
  /** The run's name in the archive, made once when the run starts, so a resumed run replaces, never adds. */
  runId: string;
  /** The extract file as the run found it when it started (none for standard input): a resume checks it. */
  extract?: ExtractFingerprint;
  /**
   * The release (content hash) the run composes with, in production mode: chosen when the run starts, so a
   * resumed run goes on with it even after another release is published.
   */
  release?: string;
  /** A distributed run (`--queue`): records a shard, and the pin every worker's templates must have. */
  queue?: { shardSize: number; pin: string };
}

/** What a resume compares of the extract file before reading it; each record's own fingerprint is in the journal. */
export interface ExtractFingerprint {
  bytes: number;
  /** Last modification, ISO 8601 to the millisecond. */
  modified: string;
}

export function fingerprintOf(path: string): ExtractFingerprint {
  const s = statSync(path);
  return { bytes: s.size, modified: s.mtime.toISOString() };
}

/** How the extract file differs from when the run started, in words; empty when it does not. */
export function extractChanges(settings: RunSettings): string[] {
  const then = settings.extract;
  if (then === undefined) return [];
  if (!existsSync(settings.input)) return ["it is gone"];
  const now = fingerprintOf(settings.input);
  const changes: string[] = [];
  if (now.bytes !== then.bytes) changes.push(`it held ${then.bytes} bytes, now ${now.bytes}`);
  if (now.modified !== then.modified) changes.push(`it was last modified at ${then.modified}, now at ${now.modified}`);
  return changes;
}

export function saveSettings(dir: string, settings: RunSettings): void {
  writeAtomic(join(dir, SETTINGS), `${JSON.stringify(settings, null, 2)}\n`);
}

export function loadSettings(dir: string): RunSettings | undefined {
  const path = join(dir, SETTINGS);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as RunSettings) : undefined;
}

/** The settings a resumed run was asked for that differ from those it started with, as `--flag` texts. */
export function conflicts(started: RunSettings, asked: Partial<RunSettings>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(asked) as (keyof RunSettings)[]) {
    const value = asked[key];
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(started[key]))
      out.push(`${key} was ${JSON.stringify(started[key])}, now ${JSON.stringify(value)}`);
  }
  return out;
}
