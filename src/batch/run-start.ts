import { basename, join, resolve } from "node:path";
import { mkdirSync } from "node:fs";
import type { Readable } from "node:stream";
import { archiveUrl, openArchive } from "../archive/index.ts";
import { ProblemError, problem, sha256Hex } from "../core/index.ts";
import { type Engine, type EngineOptions, buildEngine } from "../engine.ts";
import { RELEASE_FOLDER_ENGINE } from "../engine-files.ts";
import { nodeWorld } from "../node-world.ts";
import { releaseFolder, releasedRelease } from "../releases/production.ts";
import { sweepTemporaries, writing } from "./files.ts";
import type { HistorySource } from "./histories.ts";
import { shareCompiledEmails } from "./pool.ts";
import { PRINT_DIR } from "./print.ts";
import { type RunSettings, conflicts, extractChanges, fingerprintOf, loadSettings } from "./settings.ts";
import { formatOf } from "./source.ts";

/*
 * What a billing run starts from, local or distributed: its folder and settings (new or resumed), the files its
 * engine reads, and the archive it records in.
 */

/** Where a production run keeps the release it composes with, written out, under its folder. */
export const RELEASE_DIR = "release";

/** Statements a print batch file holds at most, unless the run says otherwise. */
export const DEFAULT_PRINT_BATCH = 500;

export interface RunProgress {
  /** Records journaled so far, those of earlier sessions included. */
  records: number;
  composed: number;
  /** Outside the template's audience: neither composed nor rejected. */
  skipped: number;
  rejected: number;
  /** Records this session journaled, and since when: the rate. */
  sessionRecords: number;
  elapsedMs: number;
  /**
   * How far the run has come, 0 to 1: the bytes of the input file up to the last record journaled, or the
   * records against `--limit` when that is further; unknown for standard input without a limit.
   */
  fraction?: number;
  /** A distributed run: the workers connected to the queue now. */
  workers?: number;
}

export interface RunOptions {
  out: string;
  workers: number;
  /**
   * Go on with the run in `out`: its `run.json` settings win, and asking for different ones is an error.
   * With no run there yet, a new one starts from `settings`.
   */
  resume: boolean;
  /** The settings asked for; a new run fills in the rest with defaults (today's date, preferred channels). */
  settings: Partial<RunSettings>;
  /** Where the engine reads templates, catalogue and theme. */
  root: string;
  engine?: EngineOptions;
  /** Where documents are archived when the run archives (default: `$OMNIDOC_ARCHIVE` or the embedded one). */
  archiveUrl?: string;
  /** The input when `settings.input` is `-`. */
  stdin?: Readable;
  /** Aborting stops reading, lets the records in flight finish and leaves a resumable run. */
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** What a resume found and did about it, a line each: a torn journal line dropped, a document composed again. */
  onNotice?: (text: string) => void;
  /** Entries between checkpoints at most; a checkpoint also happens every second. */
  checkpointEvery?: number;
  /**
   * Production mode: compose with the template's released release from the archive, written out under the run
   * folder, instead of the files under `root`; OMD_RELEASE_REQUIRED when it has none.
   */
  requireReleased?: boolean;
}

/** Removes what writes cut short by a crash left in a run folder; only while no other process writes there. */
export function sweepRunTemporaries(out: string): void {
  for (const sub of ["pdf", "email", PRINT_DIR]) sweepTemporaries(join(out, sub));
}

/**
 * Reopens the run in `out` to resume it, or prepares a new one. `run.json` marks a run as started: it is
 * written only once the journal exists, so a run killed before that point simply starts again, and
 * `--resume` with a full command line works whether or not the first attempt got that far.
 */
export function prepareDirectory(options: RunOptions): { settings: RunSettings; fresh: boolean } {
  const { out } = options;
  const started = loadSettings(out);
  if (started !== undefined && options.resume) {
    const differ = conflicts(started, options.settings);
    if (differ.length > 0)
      throw new ProblemError([
        problem("OMD_BATCH_RESUME", `the run in ${out} was started otherwise: ${differ.join("; ")}`),
      ]);
    const changed = extractChanges(started);
    if (changed.length > 0)
      throw new ProblemError([
        problem(
          "OMD_BATCH_INPUT_CHANGED",
          `the extract ${started.input} changed since the run started: ${changed.join("; ")}`,
          undefined,
          "resume with the extract the run started on, or start a new run in another folder",
        ),
      ]);
    return { settings: started, fresh: false };
  }
  if (started !== undefined)
    throw new ProblemError([
      problem(
        "OMD_BATCH_RESUME",
        `${out} already holds a run`,
        undefined,
        "resume it with --resume, or choose an empty folder",
      ),
    ]);
  const s = options.settings;
  if (!s.template || !s.input)
    throw new ProblemError([
      problem("OMD_BATCH_RESUME", `${out} holds no run to resume`, undefined, "start it with --template and --input"),
    ]);
  const runDate = s.runDate ?? new Date().toISOString().slice(0, 10);
  const settings: RunSettings = {
    template: s.template,
    input: s.input,
    format: s.format ?? formatOf(s.input),
    runDate,
    channels: s.channels ?? "preferred",
    limit: s.limit,
    printBatchSize: s.printBatchSize ?? DEFAULT_PRINT_BATCH,
    archive: s.archive ?? true,
    runId: `batch:${runDate}:${basename(out)}:${sha256Hex(resolve(out)).slice(0, 8)}`,
    extract: s.input === "-" ? undefined : fingerprintOf(s.input),
  };
  for (const sub of ["pdf", "email", PRINT_DIR])
    writing(join(out, sub), () => mkdirSync(join(out, sub), { recursive: true }));
  return { settings, fresh: true };
}

/**
 * Opens the archive once in the main thread, which brings its schema up to date before the workers (each
 * with its own connection) record the documents they write.
 */
export async function archiveFor(options: RunOptions, settings: RunSettings): Promise<{ url: string; runId: string }> {
  const url = archiveUrl(options.archiveUrl);
  const opened = await openArchive(url);
  if (!opened.ok) throw new ProblemError(opened.problems);
  await opened.value.close();
  return { url, runId: settings.runId };
}

/**
 * Where the run's engine reads its files: the project's (`root`), or in production mode the release the run
 * composes with, written out under the run folder. A new run takes the template's released release and keeps
 * its id in the settings; a resumed run goes on with the release it started with.
 */
export async function engineSource(
  options: RunOptions,
  settings: RunSettings,
  fresh: boolean,
): Promise<{ root: string; engine: EngineOptions }> {
  if (settings.release === undefined && !options.requireReleased)
    return { root: options.root, engine: options.engine ?? {} };
  const opened = await openArchive(archiveUrl(options.archiveUrl));
  if (!opened.ok) throw new ProblemError(opened.problems);
  try {
    if (settings.release === undefined) {
      if (!fresh)
        throw new ProblemError([
          problem(
            "OMD_RELEASE_REQUIRED",
            `the run in ${options.out} started from the project's files, not a released version`,
            undefined,
            "resume it without --require-released, or start a new run in another folder",
          ),
        ]);
      settings.release = (await releasedRelease(opened.value, settings.template)).id;
    }
    const dir = await releaseFolder(opened.value, settings.release, join(options.out, RELEASE_DIR));
    return { root: dir, engine: { ...options.engine, ...RELEASE_FOLDER_ENGINE } };
  } finally {
    await opened.value.close();
  }
}

/** The archive, opened for the histories a run's decisions read. */
export async function historySource(url: string): Promise<HistorySource & { close(): Promise<void> }> {
  const opened = await openArchive(url);
  if (!opened.ok) throw new ProblemError(opened.problems);
  return opened.value;
}

/**
 * The engine the main thread decides with: audiences, catalogue and theme. Meanwhile a thread of its own compiles
 * the emails' MJML, kept where the compose threads started afterwards find it (`shareCompiledEmails`): no thread
 * that lives as long as the run holds MJML's compiler.
 */
export async function decidingEngine(options: Pick<RunOptions, "root" | "engine">): Promise<Engine> {
  const world = nodeWorld(options.root);
  const source = { root: options.root, engine: options.engine ?? {} };
  const [built] = await Promise.all([
    buildEngine(world, { ...source.engine, channels: [] }),
    shareCompiledEmails(world, source),
  ]);
  if (!built.ok) throw new ProblemError(built.problems);
  return built.value;
}
