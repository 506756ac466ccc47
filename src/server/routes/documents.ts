import type { FastifyInstance } from "fastify";
import { type DocumentInput, documentId } from "../../archive/index.ts";
import type { ChannelName } from "../../templates/index.ts";
import { auditEntry } from "../audit.ts";
import { type ServerContext, type Subject, historyOf, resolveProfile, templateFor } from "../context.ts";
import { HttpProblem } from "../problems.ts";
import { documentRequest, idempotencyHeader, problems } from "../schemas.ts";
import type { EmailFormat, RenderReply, WorkerTask } from "../worker-protocol.ts";

interface DocumentBody extends Subject {
  template: string;
  channel: ChannelName;
  format?: EmailFormat;
  runDate: string;
  archive: boolean;
}

const binary = { schema: { type: "string", format: "binary" } };

/** `POST /v1/documents`: one customer's document in one channel, now; archived unless asked not to. */
export function documentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: DocumentBody }>(
    "/v1/documents",
    {
      config: { scope: "render", renders: true, idempotent: true },
      schema: {
        summary: "Render one document",
        description:
          "Decides once for the customer (on the customer's history in the archive, as POST /v1/decisions does) and renders the decision into one channel. Answers the PDF, the email " +
          "(HTML, plain text or a complete .eml) or the SMS as JSON. A customerId re-renders from the archive's " +
          "profile of record of that customer (needs archive:read too). A profile in the body becomes the " +
          "customer's profile of record only from a key with profile:write; otherwise the archived document is " +
          "marked as made from the caller's profile (header omnidoc-profile-source: caller). Every archived " +
          "document records the name of the key that made it. With an Idempotency-Key header, a retry with the " +
          "same key and body gets the first answer again (header idempotent-replayed: true) and makes nothing new; " +
          "the same key with another body answers 409.",
        tags: ["documents"],
        body: documentRequest,
        headers: idempotencyHeader,
        response: {
          200: {
            description: "the document; header omnidoc-document-id names the archived copy",
            content: {
              "application/pdf": binary,
              "text/html": binary,
              "text/plain": binary,
              "message/rfc822": binary,
              "application/json": { schema: { type: "object", additionalProperties: true } },
            },
          },
          ...problems(400, 401, 403, 404, 409, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const template = templateFor(ctx, b.template);
      if (!template.channels.includes(b.channel))
        throw HttpProblem.of(
          400,
          "OMD_CHANNEL_UNKNOWN",
          `template ${template.id} has no ${b.channel} channel`,
          "/channel",
        );
      if (b.format !== undefined && b.channel !== "email")
        throw HttpProblem.of(400, "OMD_API_BODY_INVALID", "format applies to the email channel only", "/format");
      const { profile, source } = await resolveProfile(ctx, request, b);

      // An API request is a run of its own: its decision of record is kept with its one document.
      const record = b.archive ? { runId: `api-${request.id}`, created: ctx.now().toISOString() } : undefined;
      const r = await ctx.pool.run<RenderReply>(
        {
          kind: "render",
          template: template.id,
          channel: b.channel,
          format: b.format,
          runDate: b.runDate,
          profile,
          history: await historyOf(ctx, profile.id, b.runDate),
          ...(record && { record }),
        } satisfies WorkerTask,
        ctx.timeoutMs,
      );
      ctx.metrics.renders.inc({ channel: b.channel, outcome: r.ok ? "ok" : "failed" });
      if (!r.ok) throw new HttpProblem(422, r.problems);

      if (record) {
        const kept = r.archive ?? { contentType: r.contentType, bytes: r.body };
        const input: DocumentInput = {
          customerId: profile.id,
          template: template.id,
          templateVersion: r.templateVersion,
          channel: b.channel,
          runId: record.runId,
          created: record.created,
          offerIds: r.offerIds,
          contentType: kept.contentType,
          bytes: kept.bytes,
          madeBy: request.apiKey?.name,
          profileSource: source,
          release: ctx.released?.get(template.id),
          // Only a profile sent by a key that may write the record becomes it; one read from it is already it.
          ...(source === "record" && b.profile !== undefined && { profile }),
        };
        const audit = [auditEntry(ctx, request, profile.id, "write", documentId(input))];
        const doc = await ctx.archive.record(input, audit, r.decision);
        reply.header("omnidoc-profile-source", source);
        reply.header("omnidoc-document-id", doc.id);
        request.log.info({ template: template.id, channel: b.channel, documentId: doc.id }, "archived");
      }
      if (r.warnings.length > 0) reply.header("omnidoc-warnings", r.warnings.map((w) => w.code).join(", "));
      return reply.type(r.contentType).send(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
    },
  );
}
