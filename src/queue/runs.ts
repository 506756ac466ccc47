import type { Redis } from "ioredis";
import { sha256Hex } from "../core/index.ts";
import { PREFIX } from "./shards.ts";

/** A distributed run as the queue lists it (`omnidoc runs`). */
export interface RunRecord {
  run: string;
  out: string;
  template: string;
  runDate: string;
  state: "running" | "stopped" | "failed" | "complete";
  /** Shards planned so far (all of them once `planned`), and committed. */
  shards: { planned: number; committed: number; all: boolean };
  records: number;
  /** The coordinator's `host pid`, while it runs. */
  coordinator?: string;
  /** Why a failed run stopped. */
  error?: string;
  /** ISO 8601. */
  started: string;
  updated: string;
}

const RUNS = `${PREFIX}:runs`;
const key = (what: string, run: string) => `${PREFIX}:${what}:${sha256Hex(run).slice(0, 16)}`;

/**
 * What the queue knows of runs besides their shards: the list of runs, the lease that makes one coordinator
 * the run's only one, and workers' refusals for the coordinator to show. Plain Redis keys under `omnidoc:`.
 */
export class RunRegistry {
  constructor(private readonly redis: Redis) {}

  async save(record: RunRecord): Promise<void> {
    await this.redis.hset(RUNS, record.run, JSON.stringify(record));
  }

  async get(run: string): Promise<RunRecord | undefined> {
    const text = await this.redis.hget(RUNS, run);
    return text === null ? undefined : (JSON.parse(text) as RunRecord);
  }

  async list(): Promise<RunRecord[]> {
    const all = await this.redis.hvals(RUNS);
    return all.map((t) => JSON.parse(t) as RunRecord).sort((a, b) => (a.started < b.started ? 1 : -1));
  }

  /**
   * Takes the run's lease for `holder`, or says who holds it. A lease lapses `ttlMs` after its last renewal,
   * so a coordinator killed outright frees its run within that time.
   */
  async lease(run: string, holder: string, ttlMs: number): Promise<{ held: true } | { held: false; by: string }> {
    const taken = await this.redis.set(key("lease", run), holder, "PX", ttlMs, "NX");
    if (taken === "OK") return { held: true };
    return { held: false, by: (await this.redis.get(key("lease", run))) ?? "a coordinator that just stopped" };
  }

  /** Renews the lease if `holder` still holds it; false when it was lost (it lapsed, and another took it). */
  async renew(run: string, holder: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
      1,
      key("lease", run),
      holder,
      String(ttlMs),
    );
    return renewed === 1;
  }

  async release(run: string, holder: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
      1,
      key("lease", run),
      holder,
    );
  }

  /** A worker's reason for refusing the run's shards, kept for the coordinator to show. */
  async refuse(run: string, worker: string, reason: string): Promise<void> {
    await this.redis.hset(key("refusals", run), worker, reason);
  }

  /** Refusals by worker name. */
  async refusals(run: string): Promise<Record<string, string>> {
    return this.redis.hgetall(key("refusals", run));
  }
}
