import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ProblemError, problem } from "../core/index.ts";
import type { Decision } from "../decide/index.ts";
import type { Profile } from "../profile/index.ts";
import type { ChannelName } from "../templates/index.ts";
import { PARTIAL_DIR, writeCreateOnly, writing } from "./files.ts";
import type { Pending } from "./record.ts";
import type { ManifestEntry } from "./types.ts";

/**
 * A distributed run's shards, as files of its shared folder. The coordinator decides every record in input
 * order and writes each shard's plan; a worker composes the plan and commits the shard by writing its result
 * file, create-only: the one atomic step a second attempt at the shard finds, and skips.
 */
export const SHARDS_DIR = "shards";

/** One record of a plan: done by the coordinator (rejected, skipped), or decided and to be composed. */
export type PlanLine =
  | { entry: ManifestEntry }
  | { pending: Pending; profile: Profile; channels: ChannelName[]; decision: Decision };

/** One record of a committed shard: its manifest entry, and its `sms.ndjson` line when it has one. */
export interface ShardRecord {
  entry: ManifestEntry;
  sms?: string;
}

const name = (shard: number) => String(shard).padStart(6, "0");
const planPath = (shard: number) => `${SHARDS_DIR}/${name(shard)}.plan.ndjson`;
const commitPath = (shard: number) => `${SHARDS_DIR}/${name(shard)}.ndjson`;

/** The folders create-only writes need in a run folder. */
export function prepareShardFolders(out: string): void {
  for (const dir of [SHARDS_DIR, PARTIAL_DIR])
    writing(join(out, dir), () => mkdirSync(join(out, dir), { recursive: true }));
}

/**
 * Writes a shard's plan. A coordinator that re-attaches decides the run again from its first record and
 * finds the plans it wrote before: the same bytes, since deciding is a pure function of the extract, the
 * catalogue and the run date. Other bytes mean one of those changed under the run.
 */
export function writePlan(out: string, shard: number, lines: readonly PlanLine[]): void {
  const text = lines.map((l) => `${JSON.stringify(l)}\n`).join("");
  if (writeCreateOnly(out, planPath(shard), text) === "differs")
    throw new ProblemError([
      problem(
        "OMD_BATCH_RESUME",
        `shard ${shard} of the run in ${out} is decided otherwise now than when it was planned`,
        undefined,
        "the extract, the catalogue or the run's settings changed since the run started: run it again in a new folder",
      ),
    ]);
}

/** A plan is needed until its shard is journaled; then it is ~8 KB a record of the shared folder for nothing. */
export function removePlan(out: string, shard: number): void {
  rmSync(join(out, planPath(shard)), { force: true });
}

/** A shard's plan; undefined once it is gone, its shard journaled. */
export function readPlan(out: string, shard: number): PlanLine[] | undefined {
  const path = join(out, planPath(shard));
  return existsSync(path) ? ndjson<PlanLine>(path) : undefined;
}

export const isCommitted = (out: string, shard: number) => existsSync(join(out, commitPath(shard)));

/** Commits a shard: its records' results in input order, in one create-only file. False if it was committed already. */
export function commitShard(out: string, shard: number, records: readonly ShardRecord[]): boolean {
  const text = records.map((r) => `${JSON.stringify(r)}\n`).join("");
  const written = writeCreateOnly(out, commitPath(shard), text);
  if (written === "differs") throw new Error(`shard ${shard} was committed before with other results than now`);
  return written === "created";
}

export function readCommit(out: string, shard: number): ShardRecord[] {
  return ndjson<ShardRecord>(join(out, commitPath(shard)));
}

function ndjson<T>(path: string): T[] {
  const text = readFileSync(path, "utf8");
  return text === ""
    ? []
    : text
        .slice(0, -1)
        .split("\n")
        .map((line) => JSON.parse(line) as T);
}
