import type { FastifyInstance } from "fastify";
import { NO_HISTORY } from "../../decide/index.ts";
import { experimentVerdicts, offersNow, withRates } from "../../offers/index.ts";
import { OFFER_ID_PATTERN } from "../../responses/index.ts";
import { auditRead } from "../audit.ts";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { CUSTOMER_ID, problems } from "../schemas.ts";

/** Decisions of record an answer weighs: the latest makes the offers, the ones before it what it superseded. */
export const DECISIONS_READ = 24;

const experiment = {
  type: "object",
  required: ["id", "variant"],
  properties: { id: { type: "string" }, variant: { type: "string" } },
} as const;

const offerNow = {
  type: "object",
  required: ["offerId", "decisionId", "kind", "slot", "priority", "marketing", "documents"],
  properties: {
    offerId: { type: "string" },
    decisionId: { type: "string", description: "the decision of record that made it" },
    kind: { type: "string", enum: ["offer", "service", "regulatory"] },
    slot: { type: "string", enum: ["hero", "secondary", "notice"] },
    priority: { type: "number" },
    marketing: { type: "boolean" },
    validFrom: { type: "string", format: "date" },
    validTo: { type: "string", format: "date" },
    experiment,
    documents: {
      type: "array",
      description: "the documents that carried it",
      items: {
        type: "object",
        required: ["id", "channel"],
        properties: { id: { type: "string" }, channel: { type: "string" } },
      },
    },
  },
} as const;

const REASONS = ["expired", "not-yet-valid", "complaint", "response", "opted-out", "superseded"];

const withdrawnOffer = {
  type: "object",
  required: [...offerNow.required, "reason", "explanation", "event"],
  properties: {
    ...offerNow.properties,
    reason: { type: "string", enum: REASONS },
    explanation: { type: "string", description: "why, in words for an agent" },
    event: {
      type: "object",
      required: ["kind", "at"],
      description: "the first event since the decision that withdrew it",
      properties: {
        kind: { type: "string", enum: REASONS },
        at: { type: "string", format: "date-time" },
        source: { type: "string" },
        sourceId: { type: "string" },
        response: { type: "string", description: "for a response: accepted, declined or not-now" },
        channel: { type: "string", description: "for a complaint: the channel it came by" },
        decisionId: { type: "string", description: "for superseded: the newer decision" },
      },
    },
  },
} as const;

const counts = {
  sent: { type: "integer", description: "documents that carried it" },
  clicked: { type: "integer" },
  accepted: { type: "integer" },
  declined: { type: "integer" },
  notNow: { type: "integer" },
} as const;
const rate = { type: ["number", "null"], description: "of documents sent; null when none were" } as const;

/** What to offer a customer now, and how offers fared. */
export function offerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: string } }>(
    "/v1/customers/:id/offers",
    {
      config: { scope: "archive:read" },
      schema: {
        summary: "What to offer the customer now",
        description:
          "The offers of the customer's latest decision of record that still stand today (the server's date), " +
          "in slot order, each with the documents that carried it: what the call centre and the website should " +
          "offer, the same as the bill. Every other offer of record is listed once under withdrawn with the reason " +
          "and the first event since its decision that withdrew it: expired (or not valid yet), a complaint from " +
          "any source (sales offers), a response (accepted, declined, not-now close the offer; a click does not), " +
          "an opt-out (marketing items), or superseded by a newer decision. Each read is recorded in the audit trail.",
        tags: ["archive"],
        params: { type: "object", required: ["id"], properties: { id: CUSTOMER_ID } },
        response: {
          200: {
            type: "object",
            required: ["customerId", "today", "offers", "withdrawn"],
            properties: {
              customerId: { type: "string" },
              today: { type: "string", format: "date" },
              decision: {
                type: "object",
                description: "the latest decision of record; absent when the customer has none",
                properties: {
                  id: { type: "string" },
                  runId: { type: "string" },
                  template: { type: "string" },
                  runDate: { type: "string", format: "date" },
                  created: { type: "string", format: "date-time" },
                },
              },
              offers: { type: "array", items: offerNow },
              withdrawn: { type: "array", items: withdrawnOffer },
            },
          },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request) => {
      const customerId = request.params.id;
      await auditRead(ctx, request, customerId);
      const now = ctx.now();
      const [decisions, histories] = await Promise.all([
        ctx.archive.decisionsOfRecord(customerId, { limit: DECISIONS_READ }),
        ctx.archive.histories([customerId], now.toISOString()),
      ]);
      const today = now.toISOString().slice(0, 10);
      return { customerId, today, ...offersNow(decisions, histories.get(customerId) ?? NO_HISTORY, today) };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string; offer?: string } }>(
    "/v1/offers/stats",
    {
      config: { scope: "archive:read" },
      schema: {
        summary: "How each offer fared, per channel and A/B variant",
        description:
          "Per offer, channel and A/B variant: documents sent, and clicks, acceptances, declines and not-nows with " +
          "their rates over documents sent. Responses whose system named no channel count under channel null. " +
          "Per experiment, the variants over every channel, best acceptance rate first, and whether the best wins: " +
          "a pooled two-proportion z-test of the best against the runner-up at the 5% level (verdict wins or " +
          "no-difference), or too-few when a variant has fewer than 5 expected acceptances or non-acceptances. " +
          "from and to (run dates of documents, days of responses) are inclusive.",
        tags: ["archive"],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            from: { type: "string", format: "date", description: "first day counted, YYYY-MM-DD" },
            to: { type: "string", format: "date", description: "last day counted, YYYY-MM-DD" },
            offer: { type: "string", pattern: OFFER_ID_PATTERN, description: "one offer only" },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["offers", "experiments"],
            properties: {
              from: { type: "string" },
              to: { type: "string" },
              offer: { type: "string" },
              offers: {
                type: "array",
                items: {
                  type: "object",
                  required: ["offerId", "channel", ...Object.keys(counts), "rates"],
                  properties: {
                    offerId: { type: "string" },
                    channel: { type: ["string", "null"] },
                    experiment,
                    ...counts,
                    rates: {
                      type: "object",
                      properties: { clicked: rate, accepted: rate, declined: rate, notNow: rate },
                    },
                  },
                },
              },
              experiments: {
                type: "array",
                items: {
                  type: "object",
                  required: ["experimentId", "offerId", "variants", "verdict"],
                  properties: {
                    experimentId: { type: "string" },
                    offerId: { type: "string" },
                    variants: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          variant: { type: "string" },
                          sent: { type: "integer" },
                          accepted: { type: "integer" },
                          acceptanceRate: rate,
                        },
                      },
                    },
                    verdict: { type: "string", enum: ["wins", "no-difference", "too-few"] },
                    winner: { type: "string" },
                    pValue: { type: "number" },
                  },
                },
              },
            },
          },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request) => {
      const { from, to, offer } = request.query;
      if (from !== undefined && to !== undefined && from > to)
        throw HttpProblem.of(
          400,
          "OMD_API_BODY_INVALID",
          `querystring/from ${from} is after to ${to}`,
          "querystring/from",
        );
      const rows = await ctx.archive.offerStats({ from, to, offerId: offer });
      return { from, to, offer, offers: withRates(rows), experiments: experimentVerdicts(rows) };
    },
  );
}
