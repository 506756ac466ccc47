import { hostname } from "node:os";
import type { Logger } from "pino";
import { openArchive } from "../archive/index.ts";
import { ProblemError } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import { type ShardDone, type ShardJob, handBack } from "../queue/index.ts";
import type { Job } from "bullmq";
import { pinnedEngine } from "./pin.ts";
import { type ComposePool, composePool } from "./pool.ts";
import { finish } from "./record.ts";
import { type RunSettings, loadSettings } from "./settings.ts";
import { type PlanLine, type ShardRecord, commitShard, isCommitted, readCommit, readPlan } from "./shards.ts";
import type { WorkerMetrics } from "./worker-metrics.ts";

export interface ShardRunnerOptions {
  /** Where this machine's engine reads templates, catalogue and theme. */
  root: string;
  engine: EngineOptions;
  /** Composing threads. */
  threads: number;
  /** This worker's name, as refusals and logs give it. */
  name: string;
  /** The archive this machine records documents in, for runs that archive (one every worker shares). */
  archiveUrl: string;
  /** How long a refused shard waits before the queue offers it again, to this worker or another. */
  handBackMs: number;
  log: Logger;
  metrics: WorkerMetrics;
  /** Records a refusal where the run's coordinator reads it. */
  onRefusal: (run: string, reason: string) => Promise<void>;
}

/** A run's composing threads, kept while its shards keep coming. */
interface RunPool {
  pool: ComposePool;
  active: number;
}

/**
 * Composes the shards a worker takes: checks it may (it sees the run's folder, its pin is the run's), skips a
 * shard an earlier attempt committed, composes the plan's records in a pool of threads with documents written
 * create-only, and commits the shard. A record that fails is rejected as in a local run; a shard that cannot
 * be committed (a full disk) fails, and the queue tries it again.
 */
export class ShardRunner {
  private readonly pins: ReturnType<typeof pinnedEngine>;
  private readonly pools = new Map<string, RunPool>();
  private readonly migrated = new Map<string, Promise<void>>();

  constructor(private readonly options: ShardRunnerOptions) {
    this.pins = pinnedEngine(options.root, options.engine);
  }

  /** Builds the engine once at start: a worker whose templates do not load says so before taking any shard. */
  async ready(): Promise<void> {
    await this.pins;
  }

  async process(job: Job<ShardJob, ShardDone>, token?: string): Promise<ShardDone> {
    const { run, out, shard, template, pin } = job.data;
    const { log, metrics } = this.options;
    const refuse = async (reason: string): Promise<never> => {
      metrics.shards.inc({ outcome: "refused" });
      log.warn({ run, shard, reason }, "shard refused");
      await this.options.onRefusal(run, reason);
      return handBack(job, token, this.options.handBackMs);
    };
    const settings = loadSettings(out);
    if (settings?.runId !== run)
      return refuse(`${this.options.name} cannot see run ${run} at ${out}: mount the run's shared folder at that path`);
    const mine = (await this.pins).pinOf(template);
    if (mine !== pin)
      return refuse(
        mine === undefined
          ? `${this.options.name} has no template ${template}`
          : `${this.options.name} has other templates, catalogue, theme or signing keys than run ${run} (pin ${mine.slice(0, 12)} here, ${pin.slice(0, 12)} for the run)`,
      );
    if (job.processedOn !== undefined) metrics.lag.observe((job.processedOn - job.timestamp) / 1000);
    const already = (): ShardDone => {
      metrics.shards.inc({ outcome: "already" });
      log.info({ run, shard }, "shard already committed");
      return { ...countsOf(readCommit(out, shard)), already: true };
    };
    if (isCommitted(out, shard)) return already();
    const started = performance.now();
    metrics.busy.inc();
    const runPool = await this.poolFor(job.data, settings);
    runPool.active++;
    try {
      const plan = readPlan(out, shard);
      // Gone: another attempt committed the shard, and the coordinator journaled it, since the look above.
      if (plan === undefined) return already();
      const records = await composePlan(plan, runPool.pool, this.options.threads * 4);
      const created = commitShard(out, shard, records);
      const counts = countsOf(records);
      for (const status of ["composed", "skipped", "rejected"] as const)
        metrics.records.inc({ status }, counts[status]);
      metrics.shards.inc({ outcome: created ? "committed" : "already" });
      const ms = Math.round(performance.now() - started);
      metrics.duration.observe(ms / 1000);
      log.info({ run, shard, ...counts, ms, attempt: job.attemptsMade + 1 }, "shard committed");
      return { ...counts, already: !created };
    } catch (err) {
      metrics.shards.inc({ outcome: "failed" });
      log.error({ run, shard, err: errorText(err), attempt: job.attemptsMade + 1 }, "shard failed");
      throw err;
    } finally {
      metrics.busy.dec();
      runPool.active--;
      this.closeOtherRuns(run);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.pool.close()));
    this.pools.clear();
  }

  private async poolFor(job: ShardJob, settings: RunSettings): Promise<RunPool> {
    const existing = this.pools.get(job.run);
    if (existing) return existing;
    const archive = settings.archive ? { url: this.options.archiveUrl, runId: settings.runId } : undefined;
    if (archive) await this.migrateOnce(archive.url);
    const created: RunPool = {
      pool: composePool(
        {
          root: this.options.root,
          engine: this.options.engine,
          template: settings.template,
          runDate: settings.runDate,
          outDir: job.out,
          archive,
          createOnly: true,
        },
        this.options.threads,
      ),
      active: 0,
    };
    this.pools.set(job.run, created);
    return created;
  }

  /** Opens the archive once in this process, which brings its schema up to date before the threads use it. */
  private migrateOnce(url: string): Promise<void> {
    let done = this.migrated.get(url);
    if (!done) {
      done = openArchive(url).then(async (opened) => {
        if (!opened.ok) throw new ProblemError(opened.problems);
        await opened.value.close();
      });
      this.migrated.set(url, done);
    }
    return done;
  }

  /** A new run's shards mean the earlier runs are done here: their threads (~150 MB each) go. */
  private closeOtherRuns(current: string): void {
    for (const [run, p] of this.pools)
      if (run !== current && p.active === 0) {
        this.pools.delete(run);
        void p.pool.close();
      }
  }
}

/** Composes a plan's records, `window` at a time, and returns their results in the plan's order. */
async function composePlan(plan: readonly PlanLine[], pool: ComposePool, window: number): Promise<ShardRecord[]> {
  const results: ShardRecord[] = new Array(plan.length);
  let next = 0;
  const lane = async () => {
    while (next < plan.length) {
      const i = next++;
      const line = plan[i]!;
      if ("entry" in line) {
        results[i] = { entry: line.entry };
        continue;
      }
      const { pending, profile, channels, decision } = line;
      const result = await pool.run({ record: pending.record, line: pending.line, profile, channels, decision });
      if (result.stop) throw new ProblemError([result.stop]);
      results[i] = { entry: finish(pending, result), sms: result.smsLine };
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, plan.length) }, lane));
  return results;
}

function countsOf(records: readonly ShardRecord[]): Omit<ShardDone, "already"> {
  const counts = { records: records.length, composed: 0, skipped: 0, rejected: 0 };
  for (const { entry } of records) counts[entry.status]++;
  return counts;
}

const errorText = (err: unknown) =>
  err instanceof ProblemError ? err.problems.map((p) => p.message).join("; ") : (err as Error).message;

/** A worker's name: the machine and the process, which is all Redis and the coordinator need to tell them apart. */
export const workerName = () => `${hostname()}:${process.pid}`;
