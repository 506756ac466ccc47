import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.ts";

const status = { type: "object", additionalProperties: true, properties: { status: { type: "string" } } } as const;

/** Liveness and readiness for the orchestrator, metrics for Prometheus (admin scope: they describe the load). */
export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    "/healthz",
    { schema: { summary: "The process answers", tags: ["operations"], response: { 200: status } } },
    async () => ({ status: "ok" }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        summary: "Warm workers are up and the archive answers",
        tags: ["operations"],
        response: { 200: status, 503: status },
      },
    },
    async (_request, reply) => {
      const archive = await ctx.archive.ping();
      const workers = ctx.pool.warmWorkers;
      const ready = archive && workers > 0;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? "ready" : "not ready",
        workers,
        queueDepth: ctx.pool.queueDepth,
        archive: archive ? ctx.archive.kind : "unavailable",
      });
    },
  );
  app.get(
    "/metrics",
    { config: { scope: "admin" }, schema: { summary: "Prometheus metrics", tags: ["operations"], hide: false } },
    async (_request, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
  );
}
