import { Piscina } from "piscina";
import { type Problem, ProblemError, type World } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import { renderThreads } from "../render-threads.ts";
import type { SharedText } from "./email-compile-worker.ts";
import type { PrintBatch } from "./print.ts";
import type { ComposeResult, ComposeTask, EngineStart, PrintSettings, WorkerSettings } from "./types.ts";

/** A fixed set of worker threads running one task module, each handed up to `tasksPerThread` tasks at once. */
export class WorkerPool<Task, Result> {
  private readonly pool: Piscina;
  private closed?: Promise<void>;

  constructor(module: URL, data: object, threads: number, tasksPerThread = 1) {
    this.pool = new Piscina({ ...renderThreads(module, data, threads), concurrentTasksPerWorker: tasksPerThread });
  }

  run(task: Task): Promise<Result> {
    return this.pool.run(task);
  }

  /** Ends the threads; closing again waits for the same end. */
  close(): Promise<void> {
    this.closed ??= this.pool.destroy();
    return this.closed;
  }
}

/**
 * The threads that compose a run's customers; each builds its Engine once from the same settings. Each thread
 * is handed the next customer while it composes one (the thread takes them in turn, `compose-worker.ts`): with
 * one customer at a time, a thread that finished waited for the main thread to wake, take its answer and hand
 * it another, ~1 ms a customer, longer whenever the main thread was syncing the journal.
 */
export class ComposePool {
  private readonly pool: WorkerPool<ComposeTask | EngineStart, ComposeResult | Problem[]>;

  constructor(
    settings: WorkerSettings,
    private readonly threads: number,
  ) {
    this.pool = new WorkerPool(new URL("./compose-worker.ts", import.meta.url), settings, threads, 2);
  }

  /**
   * Builds every thread's engine, every channel compiled, before any record is handed out: a template that
   * does not compile stops the run here, with file and line, as the main thread's own engine would have.
   * Each start goes to a thread of its own: tasks go to the least busy thread, started or still starting.
   */
  async start(): Promise<void> {
    const starts = Array.from({ length: this.threads }, () => this.pool.run({ start: "engine" }) as Promise<Problem[]>);
    const problems = (await Promise.all(starts)).find((p) => p.length > 0);
    if (problems) throw new ProblemError(problems);
  }

  run(task: ComposeTask): Promise<ComposeResult> {
    return this.pool.run(task) as Promise<ComposeResult>;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export const composePool = (settings: WorkerSettings, threads: number) => new ComposePool(settings, threads);

/**
 * The threads that merge a run's print batches, in parallel, once composing is over. They load nothing of the
 * engine, and pdf-lib only for a statement not in the writer's shape: ~100 MB less a thread than a composing
 * thread's modules, at the run's peak.
 */
export const printPool = (settings: PrintSettings, threads: number) =>
  new WorkerPool<PrintBatch, Problem | undefined>(new URL("./print-worker.ts", import.meta.url), settings, threads);

/**
 * Compiles the emails of the templates under `source.root` in a thread that ends once done
 * (`email-compile-worker.ts`) and keeps what it made in `world` (`World.sharedText`), where every render thread
 * started afterwards finds it. The main thread held MJML's compiler for the whole run when it compiled them: ~20 MB
 * more of its heap alive, ~15 MB more heap through a billing run (bench/README.md, `### Memory`). The templates'
 * problems stop the run as before.
 */
export async function shareCompiledEmails(world: World, source: { root: string; engine: EngineOptions }) {
  const pool = new WorkerPool<typeof source, { texts: SharedText[] } | { problems: Problem[] }>(
    new URL("./email-compile-worker.ts", import.meta.url),
    {},
    1,
  );
  let compiled: { texts: SharedText[] } | { problems: Problem[] };
  try {
    compiled = await pool.run(source);
  } finally {
    await pool.close();
  }
  if ("problems" in compiled) throw new ProblemError(compiled.problems);
  for (const { slot, input, text } of compiled.texts) await world.sharedText?.(slot, input, async () => text);
}
