import { createReadStream, statSync } from "node:fs";
import { archiveUrl } from "../archive/index.ts";
import { ProblemError, type Result, problem } from "../core/index.ts";
import type { Engine } from "../engine.ts";
import type { Profile } from "../profile/index.ts";
import { type CustomerHistory, decide } from "../decide/index.ts";
import { CapLedger } from "./caps.ts";
import { offersOf } from "./decision.ts";
import { completeRun } from "./complete.ts";
import { type HistoryStats, withHistories } from "./histories.ts";
import { Journal, readManifest } from "./journal.ts";
import { type ComposePool, composePool } from "./pool.ts";
import { route } from "./routing.ts";
import { type RunSettings, saveSettings } from "./settings.ts";
import { type InputRecord, readRecords } from "./source.ts";
import { RunTotals } from "./totals.ts";
import { balanceOf, decideRecord, finish } from "./record.ts";
import type { buildSummary } from "./summary.ts";
import type { FileEntry, ManifestEntry } from "./types.ts";
import {
  type RunOptions,
  type RunProgress,
  archiveFor,
  decidingEngine,
  engineSource,
  historySource,
  prepareDirectory,
  sweepRunTemporaries,
} from "./run-start.ts";

export interface RunOutcome {
  /** False when the run was stopped before the end of the input: `--resume` goes on. */
  complete: boolean;
  settings: RunSettings;
  progress: RunProgress;
  /** `summary.json` as written, when complete. */
  summary?: ReturnType<typeof buildSummary>;
}

/**
 * A billing run: streams the input, decides each record in input order (caps), composes in a pool of
 * workers with bounded work in flight, journals the results in input order, and at the end merges the
 * print batches and writes the summary. Bad records and per-customer failures become rejects; the run goes on.
 */
export async function runBatch(options: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const { settings, fresh } = prepareDirectory(options);
  if (!fresh) sweepRunTemporaries(options.out);
  if (settings.queue)
    throw new ProblemError([
      problem(
        "OMD_BATCH_RESUME",
        `the run in ${options.out} is a distributed run`,
        undefined,
        "resume it with --queue and the Redis its workers use",
      ),
    ]);
  const source = await engineSource(options, settings, fresh);
  // The main thread decides and checks audiences; the emails' MJML is compiled apart before the compose threads
  // start: they receive it compiled (World.sharedText), and no thread that lives for the run loads MJML.
  const engine = await decidingEngine(source);
  if (!engine.templates.has(settings.template))
    throw new ProblemError([problem("OMD_TEMPLATE_NOT_FOUND", `no template "${settings.template}"`)]);
  const archiveAt = settings.archive ? { url: archiveUrl(options.archiveUrl), runId: settings.runId } : undefined;
  const pool = composePool(
    {
      ...source,
      template: settings.template,
      runDate: settings.runDate,
      outDir: options.out,
      archive: archiveAt && { ...archiveAt, release: settings.release },
    },
    options.workers,
  );
  try {
    return await runWith(engine, pool, options, settings, fresh, started);
  } finally {
    await pool.close();
  }
}

/** The run, once its compose threads are made. */
async function runWith(
  engine: Engine,
  pool: ComposePool,
  options: RunOptions,
  settings: RunSettings,
  fresh: boolean,
  started: number,
): Promise<RunOutcome> {
  // The compose threads compile every channel, and a template that does not compile stops the run here, with
  // file and line, before the run's journal exists.
  await pool.start();

  const ledger = new CapLedger(engine.catalogue);
  const totals = new RunTotals();
  const seen = new Set<string>();
  const notice = options.onNotice ?? (() => {});
  // Journaled records whose documents no longer hold the bytes the journal hashed: composed again on resume
  // with the caps as they stood when they were first decided.
  const repairs = new Map<number, { entry: ManifestEntry; damaged: FileEntry[]; capped: string[] }>();
  const journal = !fresh
    ? await Journal.recover(
        options.out,
        (e, damaged) => {
          totals.add(e);
          if (damaged.length > 0) repairs.set(e.record, { entry: e, damaged, capped: [...ledger.capped] });
          for (const f of damaged)
            notice(`${f.path} (record ${e.record}) does not hold the bytes the journal hashed: composing it again`);
          ledger.count(e.offers, e.capped);
          if (e.id !== undefined) seen.add(e.id);
        },
        notice,
      )
    : Journal.create(options.out, () => saveSettings(options.out, settings));
  const skip = journal.committed;

  const archive = settings.archive ? await archiveFor(options, settings) : undefined;
  // The decide loop's own connection: it reads the customers' histories ahead of deciding them.
  const histories = archive ? await historySource(archive.url) : undefined;
  const historyStats: HistoryStats = { reads: 0, readMs: 0, waitMs: 0 };
  const input = settings.input === "-" ? (options.stdin ?? process.stdin) : createReadStream(settings.input);
  const bytesTotal = settings.input === "-" ? undefined : statSync(settings.input).size;
  const window = Math.max(16, options.workers * 8);
  const checkpointEvery = options.checkpointEvery ?? 500;

  // Results arrive in any order; the journal takes them in input order.
  const arrived = new Map<number, { entry: ManifestEntry; smsLine?: string; end: number }>();
  let bytesDone = 0;
  let next = skip + 1;
  let inFlight = 0;
  let sessionRecords = 0;
  let firstJournaled: number | undefined;
  let lastJournaled = started;
  let lastCheckpoint = performance.now();
  let recomposed = 0;
  let fatal: unknown;
  let wake: (() => void) | undefined;

  const fraction = (): number | undefined => {
    const byBytes = bytesTotal ? bytesDone / bytesTotal : undefined;
    const byLimit = settings.limit ? totals.read / settings.limit : undefined;
    return byBytes === undefined || byLimit === undefined ? (byBytes ?? byLimit) : Math.max(byBytes, byLimit);
  };
  const progress = (): RunProgress => ({
    records: totals.read,
    composed: totals.composed,
    skipped: totals.skipped,
    rejected: totals.rejected,
    sessionRecords,
    elapsedMs: Math.round(performance.now() - started),
    fraction: fraction(),
  });

  let closed = false;
  const settle = (record: number, end: number, entry: ManifestEntry, smsLine?: string) => {
    if (closed) return; // a task that ends after a fatal error: its record is redone on resume
    arrived.set(record, { entry, smsLine, end });
    for (let a = arrived.get(next); a !== undefined; a = arrived.get(next)) {
      arrived.delete(next);
      bytesDone = a.end;
      journal.append(settings.release ? { ...a.entry, release: settings.release } : a.entry, a.smsLine);
      totals.add(a.entry);
      next++;
      inFlight--;
      sessionRecords++;
      lastJournaled = performance.now();
      firstJournaled ??= lastJournaled;
    }
    if (journal.pending >= checkpointEvery || performance.now() - lastCheckpoint > 1000) {
      journal.checkpoint();
      lastCheckpoint = performance.now();
    }
    options.onProgress?.(progress());
    wake?.();
  };

  const failed = (err: unknown) => {
    fatal ??= err;
    wake?.();
  };
  /** A worker's answer, or the problem that stops the run (a full disk) as an error. */
  const composed = async (task: Parameters<typeof pool.run>[0]) => {
    const result = await pool.run(task);
    if (result.stop) throw new ProblemError([result.stop]);
    return result;
  };

  const dispatch = (rec: InputRecord, read: Result<Profile>, history: CustomerHistory) => {
    const decided = decideRecord(rec, read, engine, settings, ledger, seen, history);
    inFlight++;
    if ("entry" in decided) return settle(rec.record, rec.end, decided.entry);
    const { pending, profile, channels, decision } = decided;
    composed({ record: rec.record, line: rec.line, profile, channels, decision })
      .then((result) => settle(rec.record, rec.end, finish(pending, result), result.smsLine))
      .catch(failed);
  };

  /** Composes a journaled record again for its damaged documents, which must come out as the journal hashed them. */
  const recompose = (
    rec: InputRecord,
    read: Result<Profile>,
    history: CustomerHistory,
    repair: NonNullable<ReturnType<typeof repairs.get>>,
  ) => {
    if (!read.ok) throw new Error(`record ${rec.record} was journaled as composed but does not validate now`);
    const { entry, damaged, capped } = repair;
    const profile = read.value;
    const { channels } = route(profile, settings.channels);
    const decision = decide(engine.catalogue, profile, {
      runDate: settings.runDate,
      capped: new Set(capped),
      history,
    });
    if (offersOf(decision).join() !== entry.offers.join())
      throw changedDecision(rec.record, entry.offers, offersOf(decision));
    inFlight++;
    composed({ record: rec.record, line: rec.line, profile, channels, decision })
      .then((result) => {
        for (const f of damaged)
          if (result.files.find((g) => g.path === f.path)?.sha256 !== f.sha256)
            throw new ProblemError([
              problem(
                "OMD_BATCH_RESUME",
                `composing record ${rec.record} again gave ${f.path} other bytes than the journal holds`,
                undefined,
                "the templates, catalogue or theme changed since the run started: run it again in a new folder",
              ),
            ]);
        recomposed += damaged.length;
        inFlight--;
        wake?.();
      })
      .catch(failed);
  };

  // The journal's entries, read beside the extract: every record a resume skips must be the one journaled.
  const journaled = readManifest(options.out);
  const records = withHistories(readRecords(input, settings.format), {
    out: options.out,
    runId: settings.runId,
    runDate: settings.runDate,
    source: histories,
    decides: (rec) => rec.record > skip || repairs.has(rec.record),
    stats: historyStats,
  });
  try {
    for await (const { rec, history } of records) {
      const done = rec.record <= skip;
      if (!done && ((settings.limit !== undefined && rec.record > settings.limit) || options.signal?.aborted || fatal))
        break;
      const read = rec.read();
      totals.readRecord(read.ok ? balanceOf(read.value) : undefined);
      if (done) {
        bytesDone = rec.end;
        const entry = (await journaled.next()).value;
        if (entry?.source !== rec.source()) throw changedRecord(settings.input, rec.line, rec.record);
        const repair = repairs.get(rec.record);
        if (repair) recompose(rec, read, history, repair);
      } else dispatch(rec, read, history);
      while (inFlight >= window && !fatal) await new Promise<void>((resolve) => (wake = resolve));
    }
    while (inFlight > 0 && !fatal) await new Promise<void>((resolve) => (wake = resolve));
  } catch (err) {
    fatal ??= err;
  } finally {
    closed = true;
    await journaled.return(undefined);
    try {
      journal.close();
    } catch (err) {
      fatal ??= err;
    }
  }
  await histories?.close();
  if (fatal) throw fatal;
  if (options.signal?.aborted) return { complete: false, settings, progress: progress() };
  // Print threads start once the compose threads have ended.
  await pool.close();
  const ms = (from: number, to: number) => Math.round(to - from);
  const summary = await completeRun(options.out, settings, totals, ledger, options.workers, {
    elapsedMs: ms(started, performance.now()),
    /** Until the first record was journaled: engines built, workers started. */
    startupMs: ms(started, firstJournaled ?? lastJournaled),
    /** From the first record journaled to the last: the steady rate's time. */
    composeMs: ms(firstJournaled ?? lastJournaled, lastJournaled),
    workers: options.workers,
    resumedAfter: skip,
    composedThisSession: sessionRecords,
    /** Documents of journaled records found damaged or missing on resume and composed again. */
    recomposed,
    /** Reading the customers' histories from the archive: its time, and how long deciding waited for it. */
    ...(histories && {
      historyReads: historyStats.reads,
      historyReadMs: Math.round(historyStats.readMs),
      historyWaitMs: Math.round(historyStats.waitMs),
    }),
  });
  return { complete: true, settings, progress: progress(), summary };
}

function changedDecision(record: number, journaled: string[], now: string[]): ProblemError {
  return new ProblemError([
    problem(
      "OMD_BATCH_RESUME",
      `record ${record} was journaled with offers [${journaled.join(", ")}] and is decided [${now.join(", ")}] now`,
      undefined,
      "the catalogue changed since the run started: run it again in a new folder",
    ),
  ]);
}

function changedRecord(input: string, line: number, record: number): ProblemError {
  const where = input === "-" ? "standard input" : input;
  return new ProblemError([
    problem(
      "OMD_BATCH_INPUT_CHANGED",
      `record ${record} (line ${line} of ${where}) is not the record the run journaled there: the extract changed since the run started`,
      undefined,
      "resume with the extract the run started on, or start a new run in another folder",
    ),
  ]);
}
