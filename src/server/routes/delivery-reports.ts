import type { FastifyInstance } from "fastify";
import type { SigningKeys } from "../../core/index.ts";
import { parseKannelDlr } from "../../outbox/index.ts";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { problems } from "../schemas.ts";

/**
 * `GET /dlr/kannel`: the SMS gateway's delivery reports, called by Kannel itself (no API key: the callback
 * carries a token over its delivery id that only this side can make). What it reports moves the delivery on,
 * and a text that will not arrive falls back.
 */
export function deliveryReportRoutes(app: FastifyInstance, ctx: ServerContext, keys: SigningKeys): void {
  app.get(
    "/dlr/kannel",
    {
      schema: {
        summary: "Take an SMS delivery report from Kannel",
        description:
          "Public, called by Kannel with the dlr-url the SMS gateway gave each text: the delivery id and its " +
          "token, then Kannel's status (1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected), " +
          "time, SMSC answer and number. A report with a token that is not ours is refused with 400 and changes " +
          "nothing; one about a delivery this archive does not hold answers 404.",
        tags: ["events"],
        security: [],
        querystring: { type: "object", additionalProperties: true },
        response: { 204: { type: "null" }, ...problems(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const query = new URLSearchParams(request.url.slice(request.url.indexOf("?") + 1));
      const report = parseKannelDlr(query, keys);
      if (!report.ok) throw new HttpProblem(400, report.problems);
      if (!ctx.reactions)
        throw HttpProblem.of(503, "OMD_EVENTS_UNAVAILABLE", "this server acts on no delivery reports");
      const delivery = await ctx.reactions.reactor.report(report.value);
      if (!delivery)
        throw HttpProblem.of(404, "OMD_DELIVERY_UNKNOWN", "the report names a delivery this archive does not hold");
      request.log.info(
        { deliveryId: delivery.id, state: delivery.state, outcome: report.value.outcome },
        "delivery report",
      );
      return reply.code(204).send();
    },
  );
}
