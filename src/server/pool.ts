import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { renderThreads } from "../render-threads.ts";
import { HttpProblem } from "./problems.ts";
import type { WarmedMessage, WorkerConfig, WorkerTask } from "./worker-protocol.ts";

export interface PoolOptions {
  /** Worker threads, each with its own Engine (default: one per core). */
  workers?: number;
  /** Tasks allowed to wait for a worker; one more is refused with 503 (default: 8 per worker). */
  queue?: number;
  /**
   * Nice value of the render threads (default 0). On a machine the server has to itself, 5 to 10 makes
   * rendering yield to the main thread, so health checks and 503s stay quick while every worker is busy;
   * on a machine shared with other busy processes it starves the renders instead.
   */
  niceness?: number;
  /**
   * Longest a task may run before its worker is stopped and replaced by a fresh one that warms up before it
   * takes work (default 30 s, never less than the task's own timeout). A task that outlives its timeout is
   * answered 503 at once but left to finish: stopping its worker would cost a new Engine and a warm-up, and
   * a worker that is merely slow on a busy machine would be replaced by one slower still.
   */
  killAfterMs?: number;
  /**
   * Start threads only when a task comes and stop each after this long without one (default: started with
   * the pool and kept for its life). A task that has to wait for a thread to start and warm up is timed from
   * when one is warm.
   */
  idleMs?: number;
}

/** Longest a task waits for a thread of an idle pool to start and warm up before it is answered 503. */
const START_LIMIT_MS = 120_000;

/**
 * Renders off the event loop, so the server keeps answering health checks and archive reads while workers
 * compose. A bounded queue turns overload into a quick 503 with Retry-After instead of growing latency.
 */
export class RenderPool {
  readonly workers: number;
  readonly maxQueue: number;
  readonly killAfterMs: number;
  private readonly piscina: Piscina;
  private closing = false;
  /** Threads that have said they are warm; a replaced thread's id stays here but is no longer live. */
  private readonly warmIds = new Set<number>();
  private readonly warmListeners = new Set<() => void>();

  /** `module` is the worker's code (default: the API's render worker); it posts a WarmedMessage when ready. */
  constructor(
    config: WorkerConfig | object,
    options: PoolOptions = {},
    module = new URL("./worker.ts", import.meta.url),
  ) {
    this.workers = Math.max(1, options.workers ?? availableParallelism());
    this.maxQueue = Math.max(1, options.queue ?? this.workers * 8);
    this.killAfterMs = options.killAfterMs ?? 30_000;
    const data = { ...config, niceness: options.niceness ?? 0 };
    this.piscina = new Piscina({
      ...renderThreads(module, data, this.workers),
      ...(options.idleMs !== undefined && { minThreads: 0, idleTimeout: options.idleMs }),
      maxQueue: this.maxQueue,
    });
    // A worker whose Engine fails to build dies; the error reaches the task that waited for it.
    this.piscina.on("error", () => {});
    this.piscina.on("message", (m: Partial<WarmedMessage>) => {
      if (typeof m?.warmed !== "number") return;
      // Threads come and go in an idle pool: forget those that have gone.
      const live = new Set(this.threadIds);
      for (const id of this.warmIds) if (!live.has(id)) this.warmIds.delete(id);
      this.warmIds.add(m.warmed);
      for (const listener of this.warmListeners) listener();
    });
  }

  /**
   * Workers whose Engine is built and has rendered every template once. A replacement (after a timeout killed
   * its predecessor) counts only once warm, and piscina gives it work only then: it never starts cold.
   */
  get warmWorkers(): number {
    const live = new Set(this.threadIds);
    return [...this.warmIds].filter((id) => live.has(id)).length;
  }

  /** Resolves once every worker is warm, or rejects after `timeoutMs`. */
  allWarm(timeoutMs: number): Promise<void> {
    return this.warm(this.workers, timeoutMs);
  }

  /** Resolves once `count` workers are warm or `until` has settled, or rejects after `timeoutMs`. */
  private warm(count: number, timeoutMs: number, until?: Promise<unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.warmWorkers < count) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`render workers not warm after ${timeoutMs} ms (${this.warmWorkers} of ${count})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.warmListeners.delete(check);
      };
      this.warmListeners.add(check);
      const settled = () => {
        done();
        resolve();
      };
      until?.then(settled, settled);
      check();
    });
  }

  get queueDepth(): number {
    return this.piscina.queueSize;
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  /**
   * One task, or a 503 when the queue is full or the task outlives `timeoutMs`. A task still running at
   * `killAfterMs` is stopped with its worker. Both count from when a worker is warm, so the first task of an
   * idle pool is not charged for the start and warm-up of its thread.
   */
  async run<T>(task: WorkerTask | object, timeoutMs: number): Promise<T> {
    if (this.full) throw overloaded();
    const abort = new AbortController();
    const running = this.piscina.run(task, { signal: abort.signal });
    // Its outcome after the answer has gone (a result, or the abort that stopped it) concerns nobody.
    running.catch(() => undefined);
    let late: NodeJS.Timeout | undefined;
    try {
      // A worker that fails to build its Engine dies before it is warm: `running` carries its error.
      const warm = this.warm(1, START_LIMIT_MS, running).catch(() => {
        abort.abort();
        throw timedOut(START_LIMIT_MS);
      });
      await Promise.race([running, warm]);
      const kill = setTimeout(() => abort.abort(), Math.max(timeoutMs, this.killAfterMs)).unref();
      running.then(
        () => clearTimeout(kill),
        () => clearTimeout(kill),
      );
      return (await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          late = setTimeout(() => reject(timedOut(timeoutMs)), timeoutMs);
        }),
      ])) as T;
    } catch (e) {
      const err = e as Error;
      // Shutting down: the task's worker stopped under it. Another instance can serve the retry.
      if (this.closing) throw overloaded("the server is shutting down");
      if (err instanceof HttpProblem) throw err;
      if (err.name === "AbortError") throw timedOut(timeoutMs);
      if (err.message === "Task queue is at limit" || err.message.startsWith("No task queue available"))
        throw overloaded();
      throw e;
    } finally {
      clearTimeout(late);
    }
  }

  /** The thread ids of the live workers: they change when a worker is stopped and replaced, or comes and goes. */
  get threadIds(): number[] {
    return this.piscina.threads.map((t) => t.threadId);
  }

  /** True when one more task would be refused: lets a route turn a request away before reading its body. */
  get full(): boolean {
    return this.piscina.queueSize >= this.maxQueue;
  }

  /** Lets queued and running tasks finish (their requests still get answers), then stops the workers. */
  close(): Promise<void> {
    this.closing = true;
    return this.piscina.close();
  }
}

function timedOut(timeoutMs: number): HttpProblem {
  return new HttpProblem(503, [{ code: "OMD_API_TIMEOUT", message: `rendering took longer than ${timeoutMs} ms` }], {
    "retry-after": "1",
  });
}

export function overloaded(message = "every render worker is busy and the queue is full"): HttpProblem {
  return new HttpProblem(
    503,
    [
      {
        code: "OMD_API_OVERLOADED",
        message,
        hint: "retry after the delay in Retry-After",
      },
    ],
    { "retry-after": "1" },
  );
}
