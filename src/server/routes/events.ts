import type { FastifyInstance } from "fastify";
import { type CustomerEvent, eventInteraction, validateEvents } from "../../events/index.ts";
import { auditEntry } from "../audit.ts";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { eventsRequest, problems } from "../schemas.ts";

const receipts = {
  type: "object",
  required: ["accepted", "existing", "events"],
  properties: {
    accepted: { type: "integer" },
    existing: { type: "integer" },
    events: {
      type: "array",
      description: "one per event sent, in the order sent",
      items: {
        type: "object",
        required: ["id", "status"],
        properties: {
          id: { type: "string" },
          status: {
            type: "string",
            enum: ["accepted", "existing"],
            description: "existing: an event with this id was already accepted, and is acted on once",
          },
        },
      },
    },
  },
} as const;

/** `POST /v1/events`: what happened in another system, recorded in the customer's history and acted on. */
export function eventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: CustomerEvent[] }>(
    "/v1/events",
    {
      config: { scope: "events:write" },
      preValidation: async (request) => {
        const r = validateEvents(request.body);
        if (!r.ok) throw new HttpProblem(400, r.problems);
        request.body = r.value;
      },
      schema: {
        summary: "Post events that start messages",
        description:
          "One event or an array of them (up to 1000): a missed payment, a failed Direct Debit, a resolved " +
          "complaint, an offer discussed in chat. Each is recorded as an interaction of its customer (source " +
          "events) and queued; the catalogue's triggers decide, compose and send the messages it starts, within " +
          "a second, on the channels the customer can receive, outside their quiet hours. An event is acted on " +
          "once by id: posting it again answers status existing and sends nothing. Answers 202 once every event " +
          "is recorded and queued. A body with any invalid event records none and answers 400 with a problem for " +
          "each, at its JSON pointer. Needs the server started with an event queue (--events).",
        tags: ["events"],
        body: eventsRequest,
        response: { 202: receipts, ...problems(400, 401, 403, 413, 503) },
      },
    },
    async (request, reply) => {
      const reactions = ctx.reactions;
      if (!reactions)
        throw HttpProblem.of(
          503,
          "OMD_EVENTS_UNAVAILABLE",
          "this server takes no events: it was started without an event queue",
          undefined,
          "start it with --events redis://HOST:PORT",
        );
      const events = request.body;
      const customers = [...new Set(events.map((e) => e.customerId))];
      const recorded = await ctx.archive.recordInteractions(
        events.map(eventInteraction),
        customers.map((id) => auditEntry(ctx, request, id, "write")),
      );
      // Queued whether new or not: a post retried after a crash between recording and queueing still gets its
      // event acted on, and the queue (and the outbox behind it) keeps that to once.
      for (const event of events) await reactions.addEvent(event);
      const accepted = recorded.filter((r) => r.added).length;
      request.log.info({ events: events.length, accepted }, "events queued");
      return reply.code(202).send({
        accepted,
        existing: recorded.length - accepted,
        events: recorded.map((r) => ({ id: r.sourceId, status: r.added ? "accepted" : "existing" })),
      });
    },
  );
}
