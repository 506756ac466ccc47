import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

/**
 * Heap limits of every render thread: a billing run's, a server's, a print batch's.
 *
 * A statement leaves megabytes of short-lived garbage (chart, PDF, MIME buffers), which a larger young
 * generation scavenges less often; its two halves stay committed. Threads of each size composing the same
 * customers in turn (560 each, all channels, two runs): 64 MB took 32.0–33.0 ms of CPU a customer, 32 MB
 * 0.3–2.9% more, 16 MB 7–9% more; each thread's heap peaked at 185–187 MB at 64 MB, 169–172 MB at 32 or 16 MB
 * (a smaller young generation promotes more to the old). In billing runs (2,000 customers, 2 workers) 32 MB
 * took 36–52 MB off the peak RSS. The old
 * generation is capped because V8 otherwise lets it grow lazily towards its default (a quarter of the
 * machine's memory), and keeps the memory a heap has grown to. A thread that renders every channel holds
 * ~105 MB alive (module code, fonts, compiled templates) and, with RENDER_V8_FLAGS, lets its heap grow to
 * about twice that between full collections: 256 MB leaves it that room and the largest request. In billing
 * runs of 2,000 customers at 2 workers, 512 MB gave 867 MB of peak RSS, 256 MB 814 MB at the same CPU a
 * customer; 192 MB (755 MB) and 160 MB (710 MB) cost 18% and 70% more CPU in full collections (single runs,
 * load average 12–15).
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 256 } as const;

/**
 * V8 flags for processes that render. After a full collection V8 lets the old generation grow to a factor
 * of what survived, a factor it picks from how busy the collector was (often ~1.5x). A render worker kept
 * ~100 MB alive (fonts with their kerning tables, compiled templates, module code), and marking it cost
 * ~250 ms of CPU on V8's helper threads: a full collection every ~20 statements was a fifth of a billing
 * run's CPU, spent on cores the other workers need. A fixed factor makes them rarer (300 statements at 2x:
 * 8 full collections instead of 16, 5.9 ms of marking a statement instead of 15.8). Since the faces keep
 * their shaped words as numbers, a thread keeps ~40 MB alive in its old generation, and 1.75x is the factor
 * that keeps a 2-worker billing run under 600 MB: at 5,000 customers 538–546 MB against 578–593 MB at 2x,
 * for ~7% more CPU a record in full collections (two runs each, load 6–10). The flag is process-wide: the
 * main thread's heap, which grows by promoted garbage a few KB a record, grows by less too.
 *
 * Without allocation-site pretenuring: V8 allocates the objects of a site it has seen survive straight into the
 * old generation. A statement's layout objects then start old, and each young object they point to stays alive
 * through every scavenge until the next full collection, so it is copied and promoted though the statement
 * ended long before: a thread composing all channels promoted 213 kB a customer, 156 kB without pretenuring
 * (the layout alone 85–103 kB, 17–18 kB without). In billing runs (10,000 customers, 2 workers, three runs each
 * way in turn) a record took 0.953 of the CPU, its other threads (V8's helpers) 2.0–2.1 ms instead of 2.9–3.2, at the
 * same peak RSS. Both flags are process-wide; set them before the workers start.
 */
export const RENDER_V8_FLAGS = ["--heap-growing-percent=75", "--no-allocation-site-pretenuring"] as const;

function tuneHeapsForRendering(): void {
  for (const flag of RENDER_V8_FLAGS) setFlagsFromString(flag);
}

const ENTRY = fileURLToPath(new URL("./render-entry.mjs", import.meta.url));

/**
 * Piscina options for a pool of `threads` render threads running `module`, whose default export handles one
 * task; `data` is the threads' `workerData`. Threads are kept for the pool's life: each is costly to start.
 */
export function renderThreads(module: URL, data: object, threads: number) {
  tuneHeapsForRendering();
  return {
    filename: ENTRY,
    workerData: { ...data, module: module.href },
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: WORKER_RESOURCE_LIMITS,
  };
}
