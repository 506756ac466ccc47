import { Piscina } from "piscina";
import type { Problem } from "../core/index.ts";
import { renderThreads } from "../render-threads.ts";
import type { PrintBatch } from "./print.ts";
import type { ComposeResult, ComposeTask, PrintSettings, WorkerSettings } from "./types.ts";

/** A fixed set of worker threads running one task module. */
export class WorkerPool<Task, Result> {
  private readonly pool: Piscina;

  constructor(module: URL, data: object, threads: number) {
    this.pool = new Piscina(renderThreads(module, data, threads));
  }

  run(task: Task): Promise<Result> {
    return this.pool.run(task);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** The threads that compose a run's customers; each builds its Engine once from the same settings. */
export const composePool = (settings: WorkerSettings, threads: number) =>
  new WorkerPool<ComposeTask, ComposeResult>(new URL("./compose-worker.ts", import.meta.url), settings, threads);

/**
 * The threads that merge a run's print batches, in parallel, once composing is over. They load pdf-lib and
 * nothing of the engine: ~100 MB less a thread than a composing thread's modules, at the run's peak.
 */
export const printPool = (settings: PrintSettings, threads: number) =>
  new WorkerPool<PrintBatch, Problem | undefined>(new URL("./print-worker.ts", import.meta.url), settings, threads);
