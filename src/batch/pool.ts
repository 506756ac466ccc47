import { Piscina } from "piscina";
import { WORKER_RESOURCE_LIMITS, tuneHeapsForRendering } from "../worker-limits.ts";
import type { PrintBatch } from "./print.ts";
import type { ComposeResult, ComposeTask, WorkerSettings } from "./types.ts";

const ENTRY = new URL("./worker-entry.mjs", import.meta.url).href;

/** The worker threads of one run; each builds its Engine once from the same settings. */
export class ComposePool {
  private readonly pool: Piscina;

  constructor(settings: WorkerSettings, threads: number) {
    tuneHeapsForRendering();
    this.pool = new Piscina({
      filename: ENTRY,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: settings,
      resourceLimits: WORKER_RESOURCE_LIMITS,
    });
  }

  compose(task: ComposeTask): Promise<ComposeResult> {
    return this.pool.run(task);
  }

  /** Merges one print batch in a worker, so batches are built in parallel too. Resolves to its page count. */
  print(batch: PrintBatch): Promise<number> {
    return this.pool.run(batch, { name: "printBatch" });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
