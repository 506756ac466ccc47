import type { FastifyInstance } from "fastify";
import { auditRead } from "../audit.ts";
import type { ServerContext } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { CUSTOMER_ID, DOCUMENT_ID, problems } from "../schemas.ts";

/** A customer's id in the path and how many of their newest entries to list. */
export const CUSTOMER_LISTING = {
  params: { type: "object", required: ["id"], properties: { id: CUSTOMER_ID } },
  querystring: {
    type: "object",
    properties: { limit: { type: "integer", minimum: 1, maximum: 10000, default: 200 } },
  },
} as const;

/** The single customer view and the archived bytes behind it. */
export function archiveRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    "/v1/customers/:id/documents",
    {
      config: { scope: "archive:read" },
      schema: {
        summary: "Every document a customer was sent, and every interaction they had",
        description:
          "All channels, by any run or request, newest first, each with its offers, the key that made it and " +
          "whether it was made from the customer's profile of record; and every interaction the customer had with " +
          "another system (call centre, chat, store…), newest first. limit applies to each list. Each read is " +
          "recorded in the audit trail.",
        tags: ["archive"],
        ...CUSTOMER_LISTING,
        response: {
          200: {
            type: "object",
            properties: {
              customerId: { type: "string" },
              documents: { type: "array", items: { $ref: "ArchivedDocument#" } },
              interactions: { type: "array", items: { $ref: "Interaction#" } },
            },
          },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request) => {
      await auditRead(ctx, request, request.params.id);
      const listing = { limit: request.query.limit };
      const [documents, interactions] = await Promise.all([
        ctx.archive.list(request.params.id, listing),
        ctx.archive.interactions(request.params.id, listing),
      ]);
      return {
        customerId: request.params.id,
        documents: documents.map((d) => ({ ...d, url: `/v1/documents/${d.id}` })),
        interactions,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/documents/:id",
    {
      config: { scope: "archive:read" },
      schema: {
        summary: "An archived document's bytes",
        description:
          "Exactly the bytes that were archived, with their content type; the ETag is their SHA-256. Each read is " +
          "recorded in the audit trail.",
        tags: ["archive"],
        params: { type: "object", required: ["id"], properties: { id: DOCUMENT_ID } },
        response: {
          200: {
            description: "the stored bytes",
            content: { "*/*": { schema: { type: "string", format: "binary" } } },
          },
          ...problems(400, 401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const found = await ctx.archive.get(request.params.id);
      if (!found) throw HttpProblem.of(404, "OMD_API_DOCUMENT_NOT_FOUND", `no archived document ${request.params.id}`);
      const { document: d, bytes } = found;
      await auditRead(ctx, request, d.customerId, d.id);
      return reply
        .type(d.contentType)
        .header("etag", `"${d.sha256}"`)
        .header("omnidoc-customer-id", d.customerId)
        .header("omnidoc-offers", d.offerIds.join(","))
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    "/v1/customers/:id/audit",
    {
      config: { scope: "audit:read" },
      schema: {
        summary: "Who read or wrote a customer's documents",
        description:
          "Every read of the customer's documents or profile of record and every document written for them by the " +
          "API: the key's name, the route, the action and when, newest first.",
        tags: ["archive"],
        ...CUSTOMER_LISTING,
        response: {
          200: {
            type: "object",
            properties: { customerId: { type: "string" }, entries: { type: "array", items: { $ref: "AuditEntry#" } } },
          },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request) => ({
      customerId: request.params.id,
      entries: await ctx.archive.auditTrail(request.params.id, { limit: request.query.limit }),
    }),
  );
}
