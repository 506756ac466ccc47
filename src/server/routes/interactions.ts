import type { FastifyInstance } from "fastify";
import { type Interaction, validateInteractions } from "../../interactions/index.ts";
import { auditEntry, auditRead } from "../audit.ts";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { receiptsSchema, sendReceipts } from "../receipts.ts";
import { CUSTOMER_ID, interactionsRequest, problems } from "../schemas.ts";
import { CUSTOMER_LISTING } from "./archive.ts";

const receipts = receiptsSchema("interactions");

/** A customer's contacts with every other system, recorded once each and listed with their documents. */
export function interactionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string }; Body: Interaction[] }>(
    "/v1/customers/:id/interactions",
    {
      config: { scope: "interactions:write" },
      // The schema check stops at the first rule broken, and of a body that may be one or many it cannot point
      // into the item at fault; this names every bad item at its pointer (`/1/at`), and makes the body a list.
      preValidation: async (request) => {
        const r = validateInteractions(request.body);
        if (!r.ok) throw new HttpProblem(400, r.problems);
        request.body = r.value;
      },
      schema: {
        summary: "Record a customer's interactions",
        description:
          "One interaction or an array of them (up to 1000), from any system: the call centre, chat, social, the " +
          "web, a store, email replies. The customer need not have any document yet: any well-formed customer id " +
          "is accepted. An interaction is recorded once per source and sourceId: sending it again (a retry, an " +
          "overlapping export) changes nothing and is answered status existing. Answers 201 when at least one " +
          "was added, 200 when every one was already recorded; each is listed with its status in the order sent. " +
          "A body with any invalid interaction records none and answers 400 with a problem for each, at its JSON " +
          "pointer. Notes are kept but never logged.",
        tags: ["archive"],
        params: { type: "object", required: ["id"], properties: { id: CUSTOMER_ID } },
        body: interactionsRequest,
        response: { 200: receipts, 201: receipts, ...problems(400, 401, 403, 413, 503) },
      },
    },
    async (request, reply) => {
      const customerId = request.params.id;
      const recorded = await ctx.archive.recordInteractions(
        request.body.map((i) => ({ ...i, customerId })),
        [auditEntry(ctx, request, customerId, "write")],
      );
      return sendReceipts(reply, customerId, "interactions", recorded);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    "/v1/customers/:id/interactions",
    {
      config: { scope: "archive:read" },
      schema: {
        summary: "A customer's interactions",
        description:
          "Every interaction recorded for the customer, from every system, newest first by when it happened. " +
          "Each read is recorded in the audit trail.",
        tags: ["archive"],
        ...CUSTOMER_LISTING,
        response: {
          200: {
            type: "object",
            properties: {
              customerId: { type: "string" },
              interactions: { type: "array", items: { $ref: "Interaction#" } },
            },
          },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request) => {
      await auditRead(ctx, request, request.params.id);
      return {
        customerId: request.params.id,
        interactions: await ctx.archive.interactions(request.params.id, { limit: request.query.limit }),
      };
    },
  );
}
