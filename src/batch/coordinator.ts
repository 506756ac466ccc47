import { createReadStream, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { ProblemError, problem } from "../core/index.ts";
import {
  type QueueAddress,
  type RunRecord,
  RunRegistry,
  checkReachable,
  connect,
  shardEvents,
  shardJobId,
  shardQueue,
} from "../queue/index.ts";
import type { Engine } from "../engine.ts";
import { CapLedger } from "./caps.ts";
import { completeRun } from "./complete.ts";
import { PARTIAL_DIR, sweepTemporaries } from "./files.ts";
import { withHistories } from "./histories.ts";
import { Journal } from "./journal.ts";
import { pinnedEngine } from "./pin.ts";
import { balanceOf, decideRecord } from "./record.ts";
import type { RunOutcome } from "./run.ts";
import {
  type RunOptions,
  type RunProgress,
  archiveFor,
  historySource,
  prepareDirectory,
  sweepRunTemporaries,
} from "./run-start.ts";
import { type RunSettings, saveSettings } from "./settings.ts";
import { type PlanLine, isCommitted, prepareShardFolders, readCommit, removePlan, writePlan } from "./shards.ts";
import { readRecords } from "./source.ts";
import { RunTotals } from "./totals.ts";

/** Records a shard, unless the run says otherwise: a few thousand, a shard of ~1 minute on one thread. */
export const DEFAULT_SHARD_SIZE = 2000;

export interface QueuedRunOptions extends RunOptions {
  queue: QueueAddress;
  shardSize?: number;
  /**
   * Shards planned ahead of the journal at most: bounds the plans on the shared folder while the workers
   * catch up, and must exceed the shards all workers compose at once.
   */
  ahead?: number;
  /** How long the run's lease outlives its coordinator: a second coordinator waits this long for a dead one's. */
  leaseMs?: number;
}

/**
 * A billing run spread over machines: the coordinator decides every record in input order (caps, duplicate
 * ids, audiences) exactly as a local run does, writes each shard's plan to the shared folder and queues it;
 * workers (`omnidoc worker`) compose and commit shards; the coordinator journals committed shards in input
 * order and ends the run as a local run ends it. The same command again, or `--resume`, re-attaches to a run
 * whose coordinator died: deciding again from the first record rebuilds caps and plans to the same bytes.
 */
export async function runQueued(options: QueuedRunOptions): Promise<RunOutcome> {
  const started = performance.now();
  // Workers build their engines from their own files and check them by pin alone: they would not compose
  // with the release, so production mode refuses the distributed run rather than pretend.
  if (options.requireReleased)
    throw new ProblemError([
      problem(
        "OMD_RELEASE_REQUIRED",
        "a distributed run (--queue) cannot compose with a released version: its workers build from their own files",
        undefined,
        "run it on one machine with --require-released, or distribute it without production mode",
      ),
    ]);
  await checkReachable(options.queue);
  const { settings, fresh } = prepareDirectory(options);
  if (!fresh && !settings.queue)
    throw new ProblemError([
      problem(
        "OMD_BATCH_RESUME",
        `the run in ${options.out} is a local run`,
        undefined,
        "resume it without --queue: omnidoc run --out DIR --resume",
      ),
    ]);
  const { engine, pinOf } = await pinnedEngine(options.root, options.engine ?? {});
  if (!engine.templates.has(settings.template))
    throw new ProblemError([problem("OMD_TEMPLATE_NOT_FOUND", `no template "${settings.template}"`)]);
  const pin = pinOf(settings.template)!;
  if (settings.queue && settings.queue.pin !== pin)
    throw new ProblemError([
      problem(
        "OMD_BATCH_RESUME",
        `the templates, catalogue, theme or signing keys here are not those run ${settings.runId} started with`,
        undefined,
        "re-attach from a machine with the run's versions, or start a new run in another folder",
      ),
    ]);
  const queued = { ...settings, queue: settings.queue ?? { shardSize: options.shardSize ?? DEFAULT_SHARD_SIZE, pin } };

  const redis = connect(options.queue, "omnidoc-coordinator");
  const registry = new RunRegistry(redis);
  const lease = { holder: `${hostname()} ${process.pid}`, ms: options.leaseMs ?? 10_000 };
  // Whatever stops the run from here on, the lease and the connection go, or the process would not exit.
  try {
    await takeLease(registry, settings.runId, lease.holder, lease.ms);
    try {
      // A re-attached run's folder is ours only now that no other coordinator can be writing its print files.
      if (!fresh) sweepRunTemporaries(options.out);
      return await coordinate(options, { settings: queued, fresh, engine, pin, registry, lease, started });
    } finally {
      await registry.release(settings.runId, lease.holder).catch(() => {});
    }
  } finally {
    redis.disconnect();
  }
}

interface Coordination {
  settings: RunSettings & { queue: NonNullable<RunSettings["queue"]> };
  fresh: boolean;
  engine: Engine;
  pin: string;
  registry: RunRegistry;
  lease: { holder: string; ms: number };
  started: number;
}

/** The run itself, once its coordinator holds the lease: plan and queue the shards, journal them, end the run. */
async function coordinate(options: QueuedRunOptions, c: Coordination): Promise<RunOutcome> {
  const { settings, fresh, engine, pin, registry, lease, started } = c;
  const { holder } = lease;
  const leaseMs = lease.ms;
  const shardSize = settings.queue.shardSize;
  const queue = shardQueue(options.queue, "omnidoc-coordinator-queue");
  const events = shardEvents(options.queue, "omnidoc-coordinator-events");
  let renewal: NodeJS.Timeout | undefined;
  try {
    const notice = options.onNotice ?? (() => {});
    let fatal: unknown;
    let wake: (() => void) | undefined;
    const poke = () => wake?.();
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });

    renewal = setInterval(() => {
      registry.renew(settings.runId, holder, leaseMs).then(
        async (renewed) => {
          // Lapsed while Redis was away: take it again, unless another coordinator has.
          if (!renewed && !(await registry.lease(settings.runId, holder, leaseMs)).held) {
            fatal ??= busy(settings.runId, (await registry.get(settings.runId))?.coordinator ?? "another coordinator");
            poke();
          }
        },
        () => {}, // Redis is away: the connection retries, and so does the next renewal
      );
    }, leaseMs / 3);

    const totals = new RunTotals();
    const ledger = new CapLedger(engine.catalogue);
    const seen = new Set<string>();
    prepareShardFolders(options.out);
    const journal = fresh
      ? Journal.create(options.out, () => saveSettings(options.out, settings))
      : await Journal.recover(
          options.out,
          (entry, damaged) => {
            if (damaged.length > 0)
              throw new ProblemError([
                problem(
                  "OMD_BATCH_JOURNAL",
                  `${damaged[0]!.path} (record ${entry.record}) does not hold the bytes the journal hashed`,
                  undefined,
                  "restore the run folder from a copy, or start the run again in a new folder",
                ),
              ]);
            totals.add(entry);
          },
          notice,
        );
    const resumedAfter = journal.committed;
    // Opening the archive here brings its schema up to date; the workers record documents through their own,
    // and the decide loop reads the customers' histories through this one.
    const histories = settings.archive ? await historySource((await archiveFor(options, settings)).url) : undefined;

    const record: RunRecord = {
      run: settings.runId,
      out: options.out,
      template: settings.template,
      runDate: settings.runDate,
      state: "running",
      shards: { planned: 0, committed: 0, all: false },
      records: totals.read,
      coordinator: holder,
      started: new Date().toISOString(),
      updated: new Date().toISOString(),
    };
    const save = (changes: Partial<RunRecord>) =>
      registry.save(Object.assign(record, changes, { updated: new Date().toISOString() }));
    await save({});

    const bytesTotal = settings.input === "-" ? undefined : statSync(settings.input).size;
    const shardEnd = new Map<number, number>();
    let planned = 0;
    let journaled = Math.floor(resumedAfter / shardSize);
    let bytesDone = 0;
    let sessionRecords = 0;
    let workers = 0;
    const progress = (): RunProgress => ({
      records: totals.read,
      composed: totals.composed,
      skipped: totals.skipped,
      rejected: totals.rejected,
      sessionRecords,
      elapsedMs: Math.round(performance.now() - started),
      fraction: bytesTotal ? bytesDone / bytesTotal : settings.limit ? totals.read / settings.limit : undefined,
      workers,
    });

    /** Appends every committed shard that comes next in input order to the journal. */
    const journalCommitted = () => {
      while (journaled < planned && isCommitted(options.out, journaled + 1)) {
        const shard = journaled + 1;
        for (const { entry, sms } of readCommit(options.out, shard)) {
          if (entry.record <= journal.committed + journal.pending) continue; // journaled before the coordinator stopped
          if (entry.record !== journal.committed + journal.pending + 1)
            throw new ProblemError([
              problem(
                "OMD_BATCH_JOURNAL",
                `shard ${shard} holds record ${entry.record} where record ${journal.committed + journal.pending + 1} belongs`,
                undefined,
                "the shard's files were changed after it was committed: start the run again in a new folder",
              ),
            ]);
          journal.append(entry, sms);
          totals.add(entry);
          sessionRecords++;
        }
        journal.checkpoint();
        removePlan(options.out, shard); // journaled: a re-attach never plans a committed shard again
        bytesDone = shardEnd.get(shard) ?? bytesDone;
        shardEnd.delete(shard);
        journaled = shard;
      }
      options.onProgress?.(progress());
    };

    const enqueue = (shard: number) =>
      queue.add(
        "shard",
        { run: settings.runId, out: options.out, shard, template: settings.template, pin },
        { jobId: shardJobId(settings.runId, shard) },
      );

    const shownRefusals = new Set<string>();
    /** Every few seconds: workers connected, refusals to show, shards failed for good, jobs Redis lost. */
    const lookAround = async () => {
      workers = (await queue.getWorkers()).length;
      for (const [worker, reason] of Object.entries(await registry.refusals(settings.runId)))
        if (!shownRefusals.has(`${worker}\0${reason}`)) {
          shownRefusals.add(`${worker}\0${reason}`);
          notice(`worker ${worker} refuses this run's shards: ${reason}`);
        }
      for (let shard = journaled + 1; shard <= planned; shard++) {
        // Committed first, then asked: a job that completes in between is removed, and so 'unknown' then.
        if (isCommitted(options.out, shard)) continue;
        const state = await queue.getJobState(shardJobId(settings.runId, shard));
        if (isCommitted(options.out, shard)) continue;
        if (state === "failed") {
          const job = await queue.getJob(shardJobId(settings.runId, shard));
          throw new ProblemError([
            problem(
              "OMD_QUEUE_SHARD_FAILED",
              `shard ${shard} failed ${job?.attemptsMade ?? "every"} time(s): ${job?.failedReason ?? "no reason given"}`,
              undefined,
              "fix the cause, then re-attach with the same command: the shard is queued again",
            ),
          ]);
        }
        if (state === "unknown") await enqueue(shard); // Redis lost it (restarted without its data)
      }
      await save({ shards: { planned, committed: journaled, all: record.shards.all }, records: totals.read });
    };
    let lastLook = 0;
    const keepUp = async () => {
      journalCommitted();
      if (performance.now() - lastLook > 2000) {
        lastLook = performance.now();
        await lookAround();
      }
    };

    events.on("completed", poke);
    events.on("failed", () => {
      lastLook = 0;
      poke();
    });
    events.on("error", () => {}); // it reconnects by itself; the periodic look finds what was missed
    queue.on("error", () => {}); // likewise: without a listener BullMQ prints every failed reconnection

    const aheadMax = options.ahead ?? 64;
    const input = settings.input === "-" ? (options.stdin ?? process.stdin) : createReadStream(settings.input);
    let interrupted = false;
    try {
      // A failed shard on a previous attempt is queued again: the cause may be fixed.
      for (const job of await queue.getFailed()) if (job.data.run === settings.runId) await job.retry().catch(() => {});
      let lines: PlanLine[] = [];
      let lastEnd = 0;
      const flush = async () => {
        planned++;
        shardEnd.set(planned, lastEnd);
        if (!isCommitted(options.out, planned)) {
          writePlan(options.out, planned, lines);
          await enqueue(planned);
        }
        lines = [];
      };
      const records = withHistories(readRecords(input, settings.format), {
        out: options.out,
        runId: settings.runId,
        runDate: settings.runDate,
        source: histories,
      });
      for await (const { rec, history } of records) {
        if (settings.limit !== undefined && rec.record > settings.limit) break;
        if (options.signal?.aborted || fatal) break;
        const read = rec.read();
        totals.readRecord(read.ok ? balanceOf(read.value) : undefined);
        const decided = decideRecord(rec, read, engine, settings, ledger, seen, history);
        lines.push("entry" in decided ? { entry: decided.entry } : decided);
        lastEnd = rec.end;
        if (rec.record <= resumedAfter) bytesDone = rec.end;
        if (lines.length === shardSize) await flush();
        while (planned - journaled >= aheadMax && !fatal && !options.signal?.aborted) {
          await keepUp();
          await sleep(250);
        }
      }
      if (lines.length > 0 && !options.signal?.aborted && !fatal) await flush();
      record.shards.all = !options.signal?.aborted && !fatal;
      while (journaled < planned && !fatal && !options.signal?.aborted) {
        await keepUp();
        if (journaled < planned) await sleep(250);
      }
      interrupted = Boolean(options.signal?.aborted);
    } catch (err) {
      fatal ??= err;
    } finally {
      await histories?.close().catch(() => {});
      try {
        journal.close();
      } catch (err) {
        fatal ??= err;
      }
    }
    const close = async (state: RunRecord["state"], error?: string) => {
      const shards = { planned, committed: journaled, all: record.shards.all };
      await save({ state, error, shards, records: totals.read, coordinator: undefined }).catch(() => {});
    };
    if (fatal) {
      await close("failed", fatal instanceof Error ? fatal.message : String(fatal));
      throw fatal;
    }
    if (interrupted) {
      await close("stopped");
      return { complete: false, settings, progress: progress() };
    }
    // Every shard is committed: what an attempt killed mid-write left in .partial can go.
    sweepTemporaries(join(options.out, PARTIAL_DIR));
    const summary = await completeRun(options.out, settings, totals, ledger, options.workers, {
      elapsedMs: Math.round(performance.now() - started),
      shards: planned,
      shardSize,
      workersSeen: workers,
      resumedAfter,
      journaledThisSession: sessionRecords,
    }).catch(async (err) => {
      await close("failed", (err as Error).message);
      throw err;
    });
    await close("complete");
    return { complete: true, settings, progress: progress(), summary };
  } finally {
    clearInterval(renewal);
    await Promise.allSettled([queue.close(), events.close()]);
  }
}

/**
 * Takes the run's lease, waiting as long as a lease lasts for a coordinator that died to lose its own; a lease
 * still renewed after that belongs to a live coordinator.
 */
async function takeLease(registry: RunRegistry, run: string, holder: string, leaseMs: number): Promise<void> {
  const until = Date.now() + leaseMs + 1000;
  for (;;) {
    const lease = await registry.lease(run, holder, leaseMs);
    if (lease.held) return;
    if (Date.now() > until) throw busy(run, lease.by);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function busy(run: string, by: string): ProblemError {
  return new ProblemError([
    problem(
      "OMD_QUEUE_RUN_BUSY",
      `run ${run} is coordinated by ${by}`,
      undefined,
      "one run has one coordinator: wait for it, or stop it and re-attach",
    ),
  ]);
}
