import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { renderThreads } from "../render-threads.ts";
import { HttpProblem } from "./problems.ts";
import type { WorkerConfig, WorkerTask } from "./worker-protocol.ts";

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
}

/**
 * Renders off the event loop, so the server keeps answering health checks and archive reads while workers
 * compose. A bounded queue turns overload into a quick 503 with Retry-After instead of growing latency.
 */
export class RenderPool {
  readonly workers: number;
  readonly maxQueue: number;
  private readonly piscina: Piscina;
  private closing = false;

  constructor(config: WorkerConfig, options: PoolOptions = {}) {
    this.workers = Math.max(1, options.workers ?? availableParallelism());
    this.maxQueue = Math.max(1, options.queue ?? this.workers * 8);
    const data: WorkerConfig = { ...config, niceness: options.niceness ?? 0 };
    this.piscina = new Piscina({
      ...renderThreads(new URL("./worker.ts", import.meta.url), data, this.workers),
      maxQueue: this.maxQueue,
    });
    // A worker whose Engine fails to build dies; the error reaches the task that waited for it.
    this.piscina.on("error", () => {});
  }

  get queueDepth(): number {
    return this.piscina.queueSize;
  }

  get threads(): number {
    return this.piscina.threads.length;
  }

  /** One task, or a 503 when the queue is full or the task outlives `timeoutMs` (a running one is stopped). */
  async run<T>(task: WorkerTask, timeoutMs: number): Promise<T> {
    if (this.full) throw overloaded();
    try {
      return (await this.piscina.run(task, { signal: AbortSignal.timeout(timeoutMs) })) as T;
    } catch (e) {
      const err = e as Error;
      // Shutting down: the task's worker stopped under it. Another instance can serve the retry.
      if (this.closing) throw overloaded("the server is shutting down");
      if (err.name === "AbortError")
        throw new HttpProblem(
          503,
          [{ code: "OMD_API_TIMEOUT", message: `rendering took longer than ${timeoutMs} ms` }],
          {
            "retry-after": "1",
          },
        );
      if (err.message === "Task queue is at limit" || err.message.startsWith("No task queue available"))
        throw overloaded();
      throw e;
    }
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
