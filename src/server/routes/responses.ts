import type { FastifyInstance } from "fastify";
import { type OfferResponseReport, RESPONSE_LIMITS, responseSchema, validateResponses } from "../../responses/index.ts";
import { auditEntry } from "../audit.ts";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { receiptsSchema, sendReceipts } from "../receipts.ts";
import { CUSTOMER_ID, idempotencyHeader, problems } from "../schemas.ts";

/** One response, or an array of them, as `POST /v1/customers/{id}/responses` takes it. */
const responsesRequest = {
  oneOf: [responseSchema, { type: "array", minItems: 1, maxItems: RESPONSE_LIMITS.perRequest, items: responseSchema }],
} as const;

const receipts = receiptsSchema("responses");

/** What customers answered to offers, from any system: recorded once each, they close the offer. */
export function responseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string }; Body: OfferResponseReport[] }>(
    "/v1/customers/:id/responses",
    {
      config: { scope: "responses:write", idempotent: true },
      // As for interactions: every bad item named at its pointer (`/1/offerId`), and the body made a list.
      preValidation: async (request) => {
        const r = validateResponses(request.body, (id) => ctx.offerIds.has(id));
        if (!r.ok) throw new HttpProblem(400, r.problems);
        request.body = r.value;
      },
      schema: {
        summary: "Record a customer's answers to offers",
        description:
          "One response or an array of them (up to 1000) from any system (the call centre, the web shop, a " +
          "store): the customer accepted, declined or said not now to a catalogue offer. Each closes that offer in " +
          "GET /v1/customers/{id}/offers. A response is recorded once per source and sourceId: sending it again " +
          "changes nothing and is answered status existing. Answers 201 when at least one was added, 200 when " +
          "every one was already recorded. A body with any invalid response, or one naming an offer the " +
          "catalogue does not hold, records none and answers 400 with a problem for each, at its JSON pointer. " +
          "With an Idempotency-Key header, a retry gets the first answer again. Notes are kept but never logged.",
        tags: ["archive"],
        params: { type: "object", required: ["id"], properties: { id: CUSTOMER_ID } },
        headers: idempotencyHeader,
        body: responsesRequest,
        response: { 200: receipts, 201: receipts, ...problems(400, 401, 403, 409, 413, 503) },
      },
    },
    async (request, reply) => {
      const customerId = request.params.id;
      const recorded = await ctx.archive.recordResponses(
        request.body.map((r) => ({ ...r, customerId })),
        [auditEntry(ctx, request, customerId, "write")],
      );
      return sendReceipts(reply, customerId, "responses", recorded);
    },
  );
}
