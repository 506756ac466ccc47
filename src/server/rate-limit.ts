import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpProblem } from "./problems.ts";

export interface RateLimitOptions {
  /** Requests each API key may make per window; 0 for no limit (default 3,000, i.e. 50 a second). */
  max?: number;
  /** The window, in milliseconds (default one minute). */
  windowMs?: number;
}

export const RATE_LIMIT_DEFAULTS = { max: 3_000, windowMs: 60_000 } as const;

/**
 * A request budget per API key name, so that one caller cannot take every render worker from the others:
 * over its budget a key gets 429 with Retry-After (seconds until its window resets) while other keys go on.
 * Counted by @fastify/rate-limit in memory, per server process. Returns the `onRequest` hook to add after
 * authentication; requests without a key (public routes) are not counted.
 */
export async function rateLimitByKey(
  app: FastifyInstance,
  o: RateLimitOptions = {},
): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<void>> {
  const { max, windowMs } = { ...RATE_LIMIT_DEFAULTS, ...o };
  await app.register(rateLimit, {
    global: false,
    max,
    timeWindow: windowMs,
    keyGenerator: (request) => `key:${request.apiKey?.name}`,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        429,
        [
          {
            code: "OMD_API_RATE_LIMITED",
            message: `this API key made more than ${context.max} requests in ${windowMs / 1000} s`,
            hint: `retry after ${context.after}, or spread requests over several keys`,
          },
        ],
        { "retry-after": String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      ),
  });
  const limit = app.rateLimit();
  return async (request, reply) => {
    if (max > 0 && request.apiKey) await limit.call(app, request, reply);
  };
}
