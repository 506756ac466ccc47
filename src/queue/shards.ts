import { DelayedError, type Job, Queue, QueueEvents, Worker } from "bullmq";
import { sha256Hex } from "../core/index.ts";
import { type QueueAddress, redisOptions } from "./connection.ts";

/** Every key omnidoc keeps in Redis starts with this, BullMQ's included. */
export const PREFIX = "omnidoc";
const SHARD_QUEUE = "shards";

/** One shard of a distributed run: what a worker needs to find it, and to check it may compose it. */
export interface ShardJob {
  /** The run's id, as `run.json` holds it. */
  run: string;
  /** The run's folder, at the same path on every machine (the shared folder). */
  out: string;
  /** 1-based: `shards/000001.plan.ndjson`. */
  shard: number;
  template: string;
  /** The pin of the run's template (pin.ts): a worker with another refuses the shard. */
  pin: string;
}

/** What a committed shard reports: its records by outcome. */
export interface ShardDone {
  records: number;
  composed: number;
  skipped: number;
  rejected: number;
  /** The shard was already committed by an earlier attempt: this one wrote nothing. */
  already: boolean;
}

/**
 * A shard's job id is its run's and its number's: adding a shard the queue already holds does nothing
 * (BullMQ keeps one job per id), so a coordinator that re-attaches may add every uncommitted shard again.
 */
export const shardJobId = (run: string, shard: number) => `${sha256Hex(run).slice(0, 16)}-${shard}`;

/**
 * A shard that fails (a full disk, a bug) is tried again with back-off; after the last attempt it stays
 * failed, in sight, and the coordinator stops. A committed shard's job is removed: the commit file is the record.
 */
const SHARD_ATTEMPTS = { attempts: 5, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: true };

export function shardQueue(address: QueueAddress, name: string): Queue<ShardJob, ShardDone> {
  return new Queue<ShardJob, ShardDone>(SHARD_QUEUE, {
    connection: redisOptions(address, name),
    prefix: PREFIX,
    defaultJobOptions: SHARD_ATTEMPTS,
  });
}

export function shardEvents(address: QueueAddress, name: string): QueueEvents {
  return new QueueEvents(SHARD_QUEUE, { connection: redisOptions(address, name), prefix: PREFIX });
}

export interface ShardWorkerOptions {
  /** Worker name, as Redis and the coordinator see it: host and process. */
  name: string;
  /** Shards composed at once. */
  concurrency: number;
  /**
   * How long a worker holds a shard without renewing its lock before the queue counts it stalled and gives it
   * to another worker: the time a shard of a dead machine waits. BullMQ renews at half of it.
   */
  lockMs: number;
}

/**
 * A BullMQ worker on the shard queue. A shard stalled more than a few times (its worker died again and again)
 * fails rather than looping for ever.
 */
export function shardWorker(
  address: QueueAddress,
  options: ShardWorkerOptions,
  process: (job: Job<ShardJob, ShardDone>, token?: string) => Promise<ShardDone>,
): Worker<ShardJob, ShardDone> {
  return new Worker<ShardJob, ShardDone>(SHARD_QUEUE, process, {
    connection: redisOptions(address, options.name),
    prefix: PREFIX,
    name: options.name,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    maxStalledCount: 3,
  });
}

/**
 * Hands a shard back to the queue for another worker, `delayMs` from now, without counting an attempt: a
 * worker that must not compose it (another template version, no sight of the run's folder) says why and
 * lets it go.
 */
export async function handBack(
  job: Job<ShardJob, ShardDone>,
  token: string | undefined,
  delayMs: number,
): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}
