import type { FastifyInstance } from "fastify";
import { type ServerContext, type Subject, historyOf, resolveProfile, templateFor } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { decisionRequest, problems } from "../schemas.ts";
import type { DecideReply, WorkerTask } from "../worker-protocol.ts";

interface DecisionBody extends Subject {
  template?: string;
  runDate: string;
}

/** `POST /v1/decisions`: which offers and messages apply to the customer, and why, without rendering. */
export function decisionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: DecisionBody }>(
    "/v1/decisions",
    {
      config: { scope: "render", renders: true },
      schema: {
        summary: "Decide for one customer",
        description:
          "The offers and messages chosen per slot, with a trace of why each catalogue item was or was not chosen. " +
          "The contact policy reads the customer's history in the archive up to the run date (complaints from any " +
          "system, responses, past offers, opt-outs); a rule it fires names the event in the trace entry's event.",
        tags: ["decisions"],
        body: decisionRequest,
        response: { 200: { $ref: "Decision#" }, ...problems(400, 401, 403, 404, 413, 422, 503) },
      },
    },
    async (request) => {
      const b = request.body;
      const template = templateFor(ctx, b.template ?? [...ctx.templates.keys()][0]);
      const { profile } = await resolveProfile(ctx, request, b);
      const r = await ctx.pool.run<DecideReply>(
        {
          kind: "decide",
          template: template.id,
          runDate: b.runDate,
          profile,
          history: await historyOf(ctx, profile.id, b.runDate),
        } satisfies WorkerTask,
        ctx.timeoutMs,
      );
      if (!r.ok) throw new HttpProblem(422, r.problems);
      return r.decision;
    },
  );
}
