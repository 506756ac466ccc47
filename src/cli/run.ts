import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { ProblemError, problem } from "../core/index.ts";
import type { RunOutcome, RunProgress, RunSettings } from "../batch/index.ts";
import type { QueueAddress } from "../queue/index.ts";
import type { CliContext, CliOutput } from "./context.ts";
import { CliError, EXIT } from "./errors.ts";
import {
  type EngineFlags,
  PACKAGE_ROOT,
  REQUIRE_RELEASED_HELP,
  count,
  engineOptions,
  parseDate,
  queueAddress,
  requireReleased,
  requireSigningKeys,
  withEngineFlags,
} from "./shared.ts";

interface RunFlags extends EngineFlags {
  template?: string;
  input?: string;
  out?: string;
  workers?: string;
  date?: string;
  channels?: string;
  /** True, or the id of a distributed run to re-attach to. */
  resume?: boolean | string;
  queue?: string;
  shardSize?: string;
  limit?: string;
  /** A URL, or false for --no-archive. */
  archive?: string | false;
  printBatch?: string;
  format?: string;
  requireReleased?: boolean;
}

/** Exit code of a run stopped by Ctrl-C: the shell's convention for SIGINT. */
const EXIT_INTERRUPTED = 130;
const JSON_PROGRESS_EVERY_MS = 5000;

/** `omnidoc run`: the billing run, every customer of an extract composed into their channels. */
export function registerRun(program: Command, ctx: CliContext): void {
  const command = program
    .command("run")
    .description("compose every customer of an extract (NDJSON or CSV) with a pool of workers; resumable")
    .option("-t, --template <id>", "template id, e.g. energy-bill")
    .option("-i, --input <file>", "extract: NDJSON, or CSV with dotted headers; '-' for standard input")
    .option("-o, --out <dir>", "run folder: pdf/, email/, sms.ndjson, manifest, rejects, summary, print/")
    .option("-w, --workers <n>", "worker threads (default: the available cores); with --queue, print threads")
    .option("-d, --date <YYYY-MM-DD>", "run date (default: today)")
    .option(
      "-c, --channels <which>",
      "preferred (each customer's own; print means the print stream), all, or a list such as pdf,email (default: preferred)",
    )
    .option(
      "--resume [run-id]",
      "go on with the stopped run in --out: every record composed exactly once; with --queue, a run id re-attaches to that run",
    )
    .option(
      "-q, --queue <url>",
      "spread the run over machines: redis://HOST:PORT/DB, which `omnidoc worker` processes take shards from; --out must be a folder every machine mounts at the same path",
    )
    .option("--shard-size <n>", "with --queue: records a shard (default 2000)")
    .option("--limit <n>", "only the first N records")
    .option(
      "-a, --archive <url>",
      "archive: sqlite:PATH or postgres://… (default: $OMNIDOC_ARCHIVE or the embedded one)",
    )
    .option("--no-archive", "do not record the documents in the archive")
    .option(
      "--print-batch <n>",
      "at most N statements a print file (default 500; a print file is made in memory before it is written)",
    )
    .option("--format <ndjson|csv>", "input format (default: by file extension; NDJSON for '-')")
    .option("--require-released", REQUIRE_RELEASED_HELP);
  withEngineFlags(command).action(async (flags: RunFlags) => {
    requireSigningKeys();
    const queue = flags.queue === undefined ? undefined : await queueAddress(flags.queue);
    const production = requireReleased(flags.requireReleased);
    if (production && queue)
      throw new CliError(
        "--require-released composes on this machine only: a distributed run's workers build from their own files",
        EXIT.usage,
      );
    const batch = await import("../batch/index.ts");
    const out = await outOf(flags, queue);
    // A distributed run's folder that holds the run already: the same command again re-attaches.
    const resume = Boolean(flags.resume) || (queue !== undefined && existsSync(resolve(out, "run.json")));
    const settings = settingsFrom(flags, resume, batch);
    const workers = count(flags.workers, "--workers") ?? availableParallelism();
    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(EXIT_INTERRUPTED);
      stop.abort();
      ctx.io.stderr.write(
        queue
          ? "\nomnidoc: the coordinator stops; the workers go on with the shards queued (re-attach with the same command)\n"
          : "\nomnidoc: stopping after the records in flight (Ctrl-C again to quit at once)\n",
      );
    };
    process.on("SIGINT", onSigint);
    const progress = progressReporter(ctx.io.stderr);
    const options = {
      out: resolve(out),
      workers,
      resume,
      settings,
      root: PACKAGE_ROOT,
      engine: engineOptions(flags),
      archiveUrl: typeof flags.archive === "string" ? flags.archive : undefined,
      requireReleased: production,
      stdin: ctx.io.stdin,
      signal: stop.signal,
      onProgress: progress.update,
      onNotice: (text: string) => ctx.io.stderr.write(`omnidoc: ${text}\n`),
    };
    let outcome: RunOutcome;
    try {
      outcome = queue
        ? await batch.runQueued({ ...options, queue, shardSize: count(flags.shardSize, "--shard-size") })
        : await batch.runBatch(options);
    } finally {
      progress.stop();
      process.off("SIGINT", onSigint);
    }
    report(ctx.io.stdout, out, outcome, workers, queue !== undefined);
    if (!outcome.complete) ctx.exitCode = EXIT_INTERRUPTED;
    else if (outcome.progress.rejected > 0 || !outcome.summary?.reconciles) ctx.exitCode = EXIT.failure;
  });
}

/** The run folder: --out, or for `--queue … --resume RUN_ID` the folder the queue has for that run. */
async function outOf(flags: RunFlags, queue: QueueAddress | undefined): Promise<string> {
  if (queue === undefined && typeof flags.resume === "string")
    throw new CliError(`--resume takes a run id only with --queue; a local run resumes from --out`, EXIT.usage);
  if (flags.out !== undefined) return flags.out;
  if (queue === undefined || typeof flags.resume !== "string")
    throw new CliError("a run needs --out (or --queue with --resume RUN_ID)", EXIT.usage);
  const { RunRegistry, checkReachable, connect } = await import("../queue/index.ts");
  await checkReachable(queue);
  const redis = connect(queue, "omnidoc-cli");
  try {
    const run = await new RunRegistry(redis).get(flags.resume);
    if (!run)
      throw new ProblemError([
        problem(
          "OMD_QUEUE_RUN_UNKNOWN",
          `the queue at ${queue.shown} knows no run ${flags.resume}`,
          undefined,
          "omnidoc runs --queue URL lists the runs it knows",
        ),
      ]);
    return run.out;
  } finally {
    redis.disconnect();
  }
}

/** The settings given on the command line; the run fills in defaults, or checks them against a resumed run. */
function settingsFrom(
  flags: RunFlags,
  resume: boolean,
  { formatOf, parseChannelSelection }: typeof import("../batch/index.ts"),
): Partial<RunSettings> {
  if (!resume && (!flags.template || !flags.input))
    throw new CliError("a run needs --template and --input (or --resume to go on with a stopped run)", EXIT.usage);
  if (flags.input && flags.input !== "-" && !existsSync(flags.input))
    throw new CliError(`cannot read ${flags.input}: no such file`);
  const channels = flags.channels === undefined ? undefined : parseChannelSelection(flags.channels);
  if (flags.channels !== undefined && channels === undefined)
    throw new CliError(
      `--channels must be preferred, all, or a list of pdf, email, sms, not "${flags.channels}"`,
      EXIT.usage,
    );
  if (flags.format !== undefined && flags.format !== "ndjson" && flags.format !== "csv")
    throw new CliError(`--format must be ndjson or csv, not "${flags.format}"`, EXIT.usage);
  const input = flags.input === undefined || flags.input === "-" ? flags.input : resolve(flags.input);
  return {
    template: flags.template,
    input,
    format: input === undefined ? undefined : formatOf(input, flags.format as "ndjson" | "csv" | undefined),
    runDate: parseDate(flags.date),
    channels,
    limit: count(flags.limit, "--limit"),
    printBatchSize: count(flags.printBatch, "--print-batch"),
    archive: flags.archive === false ? false : undefined,
  };
}

const rateOf = (p: RunProgress) => (p.elapsedMs > 0 ? (p.sessionRecords * 1000) / p.elapsedMs : 0);

const PROGRESS_STEPS = 1000;

/** A progress bar on a terminal; elsewhere one JSON line on stderr every few seconds. */
function progressReporter(stderr: CliOutput): { update: (p: RunProgress) => void; stop: () => void } {
  if (stderr.isTTY) {
    const bar = new SingleBar({
      format:
        "{bar} {percentage}% | {records} records | {rate}/s | {skipped} skipped | {rejected} rejected{workers} | ETA {eta_formatted}",
      stream: stderr,
      hideCursor: true,
      etaBuffer: 200,
    });
    let started = false;
    return {
      update: (p) => {
        const payload = {
          records: p.records,
          rate: rateOf(p).toFixed(1),
          skipped: p.skipped,
          rejected: p.rejected,
          workers: p.workers === undefined ? "" : ` | ${p.workers} workers`,
        };
        if (!started) {
          bar.start(PROGRESS_STEPS, 0, payload);
          started = true;
        }
        bar.update(Math.round((p.fraction ?? 0) * PROGRESS_STEPS), payload);
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < JSON_PROGRESS_EVERY_MS) return;
      last = now;
      const fraction = p.fraction;
      const rate = rateOf(p);
      const etaS =
        fraction && fraction > 0 ? Math.round(((p.elapsedMs / 1000) * (1 - fraction)) / fraction) : undefined;
      const line = {
        progress: {
          records: p.records,
          composed: p.composed,
          skipped: p.skipped,
          rejected: p.rejected,
          perSecond: Number(rate.toFixed(1)),
          elapsedS: Math.round(p.elapsedMs / 1000),
          percent: fraction === undefined ? undefined : Math.round(fraction * 100),
          etaS,
          workers: p.workers,
        },
      };
      stderr.write(`${JSON.stringify(line)}\n`);
    },
    stop: () => {},
  };
}

/** The final words for a person: what was read, composed and rejected, and where to look. */
function report(stdout: CliOutput, out: string, outcome: RunOutcome, workers: number, queued: boolean): void {
  const w = (s: string) => stdout.write(`${s}\n`);
  const p = outcome.progress;
  if (!outcome.complete) {
    w(
      `stopped after ${p.records} records (${p.composed} composed, ${p.skipped} skipped, ${p.rejected} rejected); nothing is lost.`,
    );
    w(
      queued
        ? `re-attach with: omnidoc run --queue URL --resume ${outcome.settings.runId}`
        : `go on with: omnidoc run --out ${out} --resume`,
    );
    return;
  }
  const s = outcome.summary!;
  w(
    `run        ${out} (${s.template}, ${s.runDate}, channels ${Array.isArray(s.channels) ? s.channels.join(",") : s.channels})`,
  );
  if (outcome.settings.release) w(`release    ${outcome.settings.release} (production mode)`);
  const r = s.records;
  w(`records    ${r.read} read = ${r.composed} composed + ${r.skipped} skipped + ${r.rejected} rejected`);
  if (!s.reconciles) {
    const side = (c: typeof s.control.extract) =>
      `${c.records} records, ${Object.entries(c.balanceDue)
        .map(([cur, v]) => `${cur} ${v}`)
        .join(", ")} due`;
    w(`control    DOES NOT RECONCILE: the extract as read has ${side(s.control.extract)}`);
    w(`           the journal (manifest.ndjson) has ${side(s.control.journal)}`);
  }
  for (const [reason, n] of Object.entries(s.skippedByReason)) w(`skipped    ${n} outside the audience: ${reason}`);
  w(`documents  pdf ${s.documents.pdf}, email ${s.documents.email}, sms ${s.documents.sms}; ${s.pages} pages`);
  w(`print      ${s.print.statements} statements, ${s.print.pages} pages in ${s.print.batches} batch file(s)`);
  const money = Object.entries(s.balanceDue).map(([cur, v]) => `${cur} ${v}`);
  if (money.length > 0) w(`balance    ${money.join(", ")} due`);
  for (const [id, c] of Object.entries(s.caps))
    w(`cap        ${id}: ${c.used} of ${c.cap}${c.refused ? `, ${c.refused} refused` : ""}`);
  if (s.records.rejected > 0 || Object.keys(s.channelProblemsByCode).length > 0)
    w(
      `rejects    ${out}/rejects.ndjson (${Object.entries({ ...s.rejectsByCode, ...s.channelProblemsByCode })
        .map(([c, n]) => `${c} ${n}`)
        .join(", ")})`,
    );
  const secs = p.elapsedMs / 1000;
  const by = queued ? `${p.workers ?? 0} worker process(es) on the queue` : `${workers} worker(s)`;
  w(`time       ${secs.toFixed(1)} s, ${rateOf(p).toFixed(1)} records/s with ${by}`);
}
