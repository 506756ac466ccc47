/**
 * Heap limits of every render worker thread (billing run and server alike).
 *
 * A statement leaves megabytes of short-lived garbage (chart, PDF, MIME buffers): a larger young generation
 * scavenges less often, measured about 5% faster composing for about 30 MB more a worker. The old
 * generation is capped because V8 otherwise lets it grow lazily towards its default (a quarter of the
 * machine's memory): one PDF thread reached 600 MB at 1,000 statements and kept growing, on ~160 MB of live
 * data (the engine, fonts and shared caches). At 512 MB the same thread stays near 440 MB and renders as fast.
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 64, maxOldGenerationSizeMb: 512 } as const;
