/** The billing run: streamed input, a worker pool, a journal that makes it resumable, print batches. */
export { type RunOutcome, runBatch } from "./run.ts";
export type { RunOptions, RunProgress } from "./run-start.ts";
export { SUMMARY } from "./complete.ts";
export { CapLedger } from "./caps.ts";
export { cappedOf, offersOf } from "./decision.ts";
export { type ChannelSelection, parseChannelSelection } from "./routing.ts";
export type { RunSettings } from "./settings.ts";
export { type InputFormat, type InputRecord, formatOf, readRecords } from "./source.ts";
export type { ManifestEntry } from "./types.ts";
export { DEFAULT_SHARD_SIZE, type QueuedRunOptions, runQueued } from "./coordinator.ts";
export { ShardRunner, type ShardRunnerOptions, workerName } from "./shard-runner.ts";
export { WorkerMetrics } from "./worker-metrics.ts";
export { PRINT_DIR, type PrintBatch, batchName, sortKey as postalSortKey, writePrintBatch } from "./print.ts";
