import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import { LogController } from "fastify";
import type { Counter } from "prom-client";
import { requestLine } from "./logging.ts";
import { HttpProblem } from "./problems.ts";

/** Answers that turn work away under load: counted and logged as a rate, never a line each. */
const REFUSALS = new Set(["OMD_API_OVERLOADED", "OMD_API_RATE_LIMITED"]);

declare module "fastify" {
  interface FastifyRequest {
    /** The code of the refusal this request was answered with, if it was turned away. */
    refusal?: string;
  }
}

/** Marks a request turned away by overload or its key's rate (an `onError` hook). */
export async function markRefusal(request: FastifyRequest, _reply: FastifyReply, error: Error): Promise<void> {
  if (error instanceof HttpProblem && REFUSALS.has(error.problems[0]?.code ?? ""))
    request.refusal = error.problems[0].code;
}

/**
 * Refusals as a rate: every one counted in a metric, and at most one log line an interval with the counts by
 * code. Under overload a line per refusal (two with Fastify's request logging) wrote 70 MB in two minutes and
 * took CPU from the renders that were admitted.
 */
export class RefusalTally {
  private counts = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private log?: FastifyBaseLogger;

  constructor(
    private readonly metric: Counter<"code">,
    readonly intervalMs = 10_000,
  ) {}

  note(code: string, log: FastifyBaseLogger): void {
    this.metric.inc({ code });
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    this.log = log;
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  /** Writes the line for the counts so far (at the end of each interval, and when the server closes). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.counts.size === 0 || !this.log) return;
    this.log.warn({ refused: Object.fromEntries(this.counts), intervalMs: this.intervalMs }, "requests refused");
    this.counts = new Map();
  }
}

/**
 * Fastify's request logging replaced: one line a request, of allow-listed fields only (`requestLine`: the
 * route's pattern, never the URL), and none for a refusal, which the tally counts instead.
 */
export class RequestLog extends LogController {
  constructor(private readonly refusals: RefusalTally) {
    super({});
  }

  override incomingRequest(): void {}

  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (request.refusal) this.refusals.note(request.refusal, request.server.log);
    else reply.log.info(requestLine(request, reply), "request");
  }
}
