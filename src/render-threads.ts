import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

/**
 * Heap limits of every render worker thread (billing run and server alike).
 *
 * A statement leaves megabytes of short-lived garbage (chart, PDF, MIME buffers): a larger young generation
 * scavenges less often, measured about 5% faster composing for about 30 MB more a worker. The old
 * generation is capped because V8 otherwise lets it grow lazily towards its default (a quarter of the
 * machine's memory): one PDF thread reached 600 MB at 1,000 statements and kept growing, on ~160 MB of live
 * data (the engine, fonts and shared caches). At 512 MB the same thread stays near 440 MB and renders as fast.
 * A server, which renders one request at a time and keeps its memory for as long as it runs, caps it lower
 * (SERVER_WORKER_RESOURCE_LIMITS).
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 64, maxOldGenerationSizeMb: 512 } as const;

/**
 * Heap limits of the server's render threads: the run's young generation (a smaller one cost ~7% more CPU a
 * statement) and half its old one. V8 keeps the memory a heap has grown to, and a server runs for weeks: with
 * the studio's worker, three threads at 512 MB held 1.5 GB after a load (1.25 to 1.36 GB at 256 MB). Live
 * data is ~160 MB a thread; 256 MB leaves room for the largest request.
 */
export const SERVER_WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 64, maxOldGenerationSizeMb: 256 } as const;

/**
 * V8 flags for processes that render. After a full collection V8 lets the old generation grow to a factor
 * of what survived, a factor it picks from how busy the collector was (often ~1.5x). A render worker keeps
 * ~100 MB alive (fonts with their kerning tables, compiled templates, module code), and marking it costs
 * ~250 ms of CPU on V8's helper threads: a full collection every ~20 statements was a fifth of a billing
 * run's CPU, spent on cores the other workers need. At a fixed 2x it comes every ~40 statements (300
 * statements: 8 full collections instead of 16, 5.9 ms of marking a statement instead of 15.8). 4x halves
 * that again, but the flag is process-wide, and it would let the main thread's heap, which grows by
 * promoted garbage a few KB a record, swell by three times its live size before it is collected: memory
 * that would then depend on the length of the run. Set it before the workers start.
 */
export const RENDER_V8_FLAGS = ["--heap-growing-percent=100"] as const;

function tuneHeapsForRendering(): void {
  for (const flag of RENDER_V8_FLAGS) setFlagsFromString(flag);
}

const ENTRY = fileURLToPath(new URL("./render-entry.mjs", import.meta.url));

/**
 * Piscina options for a pool of `threads` render threads running `module`, whose default export handles one
 * task; `data` is the threads' `workerData`. Threads are kept for the pool's life: each is costly to start.
 */
export function renderThreads(
  module: URL,
  data: object,
  threads: number,
  resourceLimits: { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } = WORKER_RESOURCE_LIMITS,
) {
  tuneHeapsForRendering();
  return {
    filename: ENTRY,
    workerData: { ...data, module: module.href },
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits,
  };
}
