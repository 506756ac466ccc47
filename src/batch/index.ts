/** The billing run: streamed input, a worker pool, a journal that makes it resumable, print batches. */
export { type RunOptions, type RunOutcome, type RunProgress, SUMMARY, runBatch } from "./run.ts";
export { type ChannelSelection, parseChannelSelection } from "./routing.ts";
export type { RunSettings } from "./settings.ts";
export { type InputFormat, formatOf } from "./source.ts";
export type { ManifestEntry } from "./types.ts";
