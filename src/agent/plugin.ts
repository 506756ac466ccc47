import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import type { Archive, ArchivedDocument } from "../archive/index.ts";
import { CUSTOMER_ID_PATTERN } from "../profile/index.ts";
import {
  EMAIL_CSP,
  HttpProblem,
  auditRead,
  bundlePage,
  securityHeaders,
  servePage,
  signedInPage,
} from "../server/index.ts";
import { readEmail } from "./email-as-sent.ts";
import { Thumbnails } from "./thumbnails.ts";
import { type CustomerView, customerView } from "./view.ts";

export interface AgentOptions {
  /** The archive the API reads: the same documents, interactions, decisions of record and deliveries. */
  archive: Archive;
  /** The server's clock: what stands as "offer now" today, and the audit trail's times. */
  now?: () => Date;
}

/** The page's sources: `src/agent/page/`, bundled when the server starts. */
const PAGE_DIR = fileURLToPath(new URL("./page/", import.meta.url));

const CUSTOMER_ID = { type: "string", pattern: CUSTOMER_ID_PATTERN } as const;
const DOCUMENT_ID = { type: "string", pattern: "^[0-9a-f]{32}$" } as const;
const DOCUMENT_PARAMS = { params: { type: "object", required: ["id"], properties: { id: DOCUMENT_ID } } } as const;

/**
 * The call-centre agent's view, for `buildServer({ plugins: [agentPlugin(options)] })`: the page (public, it holds
 * no data) at `/agent/`, its data under `/agent/api/`, behind the studio's kind of sign-in with an `archive:read`
 * key. Every read is written to the audit trail under the name of the key that signed in. Customer data goes
 * only in answers: the only value a URL carries is a customer or document id (an account number is searched
 * in a POST body), and the server's log names routes, never values.
 */
export function agentPlugin(options: AgentOptions): FastifyPluginAsync {
  return async (app) => {
    const thumbnails = new Thumbnails();
    await app.register(async (agent) => agentRoutes(agent, options, thumbnails), { prefix: "/agent" });
    app.addHook("onClose", () => thumbnails.close());
  };
}

async function agentRoutes(app: FastifyInstance, options: AgentOptions, thumbnails: Thumbnails): Promise<void> {
  const { archive } = options;
  const ctx = { archive, now: options.now ?? (() => new Date()) };
  const assets = await bundlePage(PAGE_DIR, "main.ts", ["index.html"]);

  servePage(app, assets);
  const requireSession = signedInPage(app, {
    title: "agent view",
    path: "/agent",
    cookie: "omnidoc_agent",
    scope: "archive:read",
    codes: { sessionMissing: "OMD_AGENT_SESSION_MISSING", originForeign: "OMD_AGENT_ORIGIN_FOREIGN" },
  });

  await app.register(
    async (api) => {
      api.addHook("preHandler", requireSession);
      // A customer's data is kept by no cache on the way, the browser's included.
      api.addHook("onSend", async (_req, reply, payload) => {
        reply.header("cache-control", "no-store");
        return payload;
      });

      /** Who is signed in: the name of the key, which the audit trail records against every read. */
      api.get("/session", async (req) => ({ key: req.apiKey?.name ?? "" }));

      /** By customer id or by account number: the number comes in the body, so it reaches no log and no URL. */
      api.post<{ Body: { query: string } }>(
        "/find",
        {
          schema: {
            body: {
              type: "object",
              required: ["query"],
              properties: { query: { type: "string", minLength: 1, maxLength: 64 } },
            },
          },
        },
        async (req) => {
          const query = req.body.query.trim();
          const byId = new RegExp(CUSTOMER_ID_PATTERN).test(query) && (await known(archive, query)) ? [query] : [];
          const byAccount = await archive.customersByAccount(query);
          const customers = [...new Set([...byId, ...byAccount])];
          for (const id of customers) await auditRead(ctx, req, id);
          return { customers };
        },
      );

      api.get<{ Params: { id: string } }>(
        "/customers/:id",
        { schema: { params: { type: "object", required: ["id"], properties: { id: CUSTOMER_ID } } } },
        async (req): Promise<CustomerView> => {
          const id = req.params.id;
          if (!(await known(archive, id)))
            throw HttpProblem.of(
              404,
              "OMD_AGENT_CUSTOMER_UNKNOWN",
              `the archive knows no customer ${id}: no document, profile or interaction`,
              "id",
            );
          await auditRead(ctx, req, id);
          return customerView(archive, id, ctx.now());
        },
      );

      api.get<{ Params: { id: string } }>(
        "/documents/:id/thumbnail.jpg",
        { schema: DOCUMENT_PARAMS },
        async (req, reply) => {
          // The first thumbnail after a pause starts its thread: the server's idle timeout (the API's render
          // timeout + 5 s) would close the socket first.
          req.raw.socket.setTimeout(thumbnails.longestMs);
          const { document, bytes } = await read(ctx, req, "pdf");
          const image = await thumbnails.firstPage(document.sha256, bytes);
          if (!image.ok) throw new HttpProblem(422, image.problems);
          return reply.type("image/jpeg").send(Buffer.from(image.value));
        },
      );
      api.get<{ Params: { id: string } }>("/documents/:id/pdf", { schema: DOCUMENT_PARAMS }, async (req, reply) => {
        const { document, bytes } = await read(ctx, req, "pdf");
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="${document.id}.pdf"`)
          .send(Buffer.from(bytes));
      });
      api.get<{ Params: { id: string } }>("/documents/:id/email", { schema: DOCUMENT_PARAMS }, async (req, reply) => {
        const { bytes } = await read(ctx, req, "email");
        const email = readEmail(bytes);
        // Customer HTML: shown in a sandboxed frame, under a policy that lets it run nothing and fetch nothing.
        securityHeaders(reply, EMAIL_CSP);
        return reply.type("text/html; charset=utf-8").send(email.html ?? "");
      });
    },
    { prefix: "/api" },
  );
}

/** A customer the archive knows anything about: a document, a profile of record or an interaction. */
async function known(archive: Archive, id: string): Promise<boolean> {
  const [documents, interactions] = await Promise.all([
    archive.list(id, { limit: 1 }),
    archive.interactions(id, { limit: 1 }),
  ]);
  return documents.length > 0 || interactions.length > 0 || (await archive.lastProfile(id)) !== undefined;
}

/** An archived document of one channel, its read audited; any other id is a 404 that says nothing more. */
async function read(
  ctx: { archive: Archive; now: () => Date },
  req: FastifyRequest<{ Params: { id: string } }>,
  channel: string,
): Promise<{ document: ArchivedDocument; bytes: Uint8Array }> {
  const found = await ctx.archive.get(req.params.id);
  if (!found || found.document.channel !== channel)
    throw HttpProblem.of(404, "OMD_API_DOCUMENT_NOT_FOUND", `no archived ${channel} document ${req.params.id}`);
  await auditRead(ctx, req, found.document.customerId, found.document.id);
  return found;
}
