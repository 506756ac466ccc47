import type { FastifyInstance, FastifyRequest } from "fastify";
import { simpleParser } from "mailparser";
import { type Problem, ProblemError } from "../core/index.ts";
import type { ReleaseDesk } from "../releases/desk.ts";
import { readProposal } from "../releases/proposal.ts";
import { RELEASE_STATES, type ReleaseState } from "../releases/types.ts";
import { HttpProblem, releaseAnswer } from "../server/index.ts";
import { PREVIEW_DPI, type PreviewService, pdfUrls } from "./preview.ts";
import type { ReleaseComparer } from "./release-diff.ts";
import type { LiveEngine } from "./workspace.ts";

export interface ReleaseRouteOptions {
  releases: ReleaseDesk;
  /** Compares a release's documents with the released version's. */
  comparer: ReleaseComparer;
  previews: PreviewService;
  live: LiveEngine;
  /** The project folder the engine's paths are relative to: what proposing reads. */
  root: string;
}

const ID = { type: "string", pattern: "^[0-9a-f]{8,64}$" } as const;
const TEMPLATE = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } as const;
const COMMENT = { type: "string", minLength: 1, maxLength: 2000 } as const;
const PARAMS = { type: "object", properties: { id: ID } } as const;

/** The moves a reviewer makes, each with the scope its key needs, as on `/v1/releases`. */
const MOVES = {
  approve: {
    scope: "templates:approve",
    body: { type: "object", required: ["seen"], properties: { seen: { type: "string" }, comment: COMMENT } },
  },
  reject: {
    scope: "templates:approve",
    body: { type: "object", required: ["comment"], properties: { comment: COMMENT } },
  },
  publish: { scope: "templates:approve", body: { type: "object", properties: { comment: COMMENT } } },
  retire: { scope: "templates:approve", body: { type: "object", properties: { comment: COMMENT } } },
} as const;

/** The session's person, if its key has `scope`; else a 403 that says which scope is missing. */
function personOf(req: FastifyRequest, scope: string): string {
  const key = req.apiKey;
  if (!key || !(key.scopes as string[]).includes(scope))
    throw HttpProblem.of(
      403,
      "OMD_API_SCOPE_MISSING",
      `this needs the ${scope} scope; the key you signed in with has ${key?.scopes.join(", ") || "none"}`,
      undefined,
      "sign in with a key that has it",
    );
  return key.name;
}

/**
 * The studio's release pages, over the same release desk as `/v1/releases` and with the same scopes, for the
 * person signed in to the studio: the template's releases with who moved them, a release's proof set shown
 * document by document, and proposing, approving (naming the proof set's hash as shown), rejecting, publishing.
 */
export function releaseRoutes(
  api: FastifyInstance,
  { releases, comparer, previews, live, root }: ReleaseRouteOptions,
): void {
  api.get<{ Querystring: { template?: string; state?: ReleaseState } }>(
    "/releases",
    {
      schema: {
        querystring: { type: "object", properties: { template: TEMPLATE, state: { enum: [...RELEASE_STATES] } } },
      },
    },
    async (req) => ({ releases: await releases.list(req.query) }),
  );

  api.get<{ Params: { id: string } }>("/releases/:id", { schema: { params: PARAMS } }, async (req) => {
    const release = releaseAnswer(await releases.find(req.params.id));
    const found = release.proofHash ? await releases.proof(release.id) : undefined;
    const proof = found?.ok ? found.value.proof : undefined;
    return {
      release,
      proof: proof && {
        hash: proof.hash,
        runDate: proof.runDate,
        problems: proof.problems,
        documents: proof.documents.map(({ bytes: _, ...d }) => d),
      },
    };
  });

  /** One document of the proof set, as the page shows it: PDF pages drawn, the email's HTML, the SMS text. */
  api.get<{ Params: { id: string }; Querystring: { path: string } }>(
    "/releases/:id/document",
    {
      schema: {
        params: PARAMS,
        querystring: { type: "object", required: ["path"], properties: { path: { type: "string", maxLength: 200 } } },
      },
    },
    async (req) => {
      const { proof } = releaseAnswer(await releases.proof(req.params.id));
      const doc = proof.documents.find((d) => d.path === req.query.path);
      if (!doc)
        throw HttpProblem.of(
          404,
          "OMD_RELEASE_UNKNOWN",
          `the proof set has no document ${req.query.path}`,
          req.query.path,
        );
      const base = { path: doc.path, channel: doc.channel, label: doc.label, sha256: doc.sha256 };
      if (doc.channel === "pdf") {
        const { id } = previews.keepPdf(doc.bytes, doc.pages ?? 1, PREVIEW_DPI);
        return { ...base, pdf: pdfUrls(id, doc.pages ?? 1) };
      }
      if (doc.channel === "email") {
        const mail = await simpleParser(Buffer.from(doc.bytes));
        return {
          ...base,
          email: { subject: mail.subject ?? "", htmlUrl: previews.keepEmail(mail.html || "").htmlUrl, text: mail.text },
        };
      }
      return { ...base, text: Buffer.from(doc.bytes).toString("utf8") };
    },
  );

  /** The release's documents against the released version's, over the curated sample customers. */
  api.get<{ Params: { id: string }; Querystring: { runDate: string } }>(
    "/releases/:id/diff",
    {
      schema: {
        params: PARAMS,
        querystring: {
          type: "object",
          required: ["runDate"],
          properties: { runDate: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" } },
        },
      },
    },
    async (req) => {
      const release = releaseAnswer(await releases.find(req.params.id));
      return comparer.compare(release, await releases.released(release.template), req.query.runDate).catch((err) => {
        throw err instanceof ProblemError ? new HttpProblem(409, err.problems) : err;
      });
    },
  );
  api.get<{ Params: { id: string } }>(
    "/diff-images/:id.png",
    { schema: { params: { type: "object", properties: { id: { type: "string", pattern: "^[0-9a-f]{24}$" } } } } },
    async (req, reply) => {
      const png = comparer.image(req.params.id);
      if (!png) return reply.code(404).send({ error: "image not found; compare again" });
      return reply.type("image/png").header("cache-control", "no-store").send(Buffer.from(png));
    },
  );

  /** Proposes the template as the project's files are now, with its proof set rendered on `runDate`. */
  api.post<{ Body: { template: string; runDate: string; comment?: string } }>(
    "/releases",
    {
      schema: {
        body: {
          type: "object",
          required: ["template", "runDate"],
          properties: {
            template: TEMPLATE,
            runDate: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
            comment: COMMENT,
          },
        },
      },
    },
    async (req) => {
      const name = personOf(req, "templates:write");
      const { content, proof } = await readProposal(root, live.options, req.body.template, req.body.runDate).catch(
        (err) => {
          throw err instanceof ProblemError ? new HttpProblem(400, err.problems as Problem[]) : err;
        },
      );
      return { release: releaseAnswer(await releases.propose(content, proof, { name, comment: req.body.comment })) };
    },
  );

  for (const [action, { scope, body }] of Object.entries(MOVES) as [
    keyof typeof MOVES,
    (typeof MOVES)[keyof typeof MOVES],
  ][]) {
    api.post<{ Params: { id: string }; Body: { seen?: string; comment?: string } }>(
      `/releases/:id/${action}`,
      { schema: { params: PARAMS, body } },
      async (req) => {
        const name = personOf(req, scope);
        const { id } = req.params;
        const { seen, comment } = req.body ?? {};
        if (action === "approve")
          return { release: releaseAnswer(await releases.approve(id, { name, seen: seen!, comment })) };
        if (action === "reject")
          return { release: releaseAnswer(await releases.reject(id, { name, comment: comment! })) };
        if (action === "publish") return releaseAnswer(await releases.publish(id, { name, comment }));
        return { release: releaseAnswer(await releases.retire(id, { name, comment })) };
      },
    );
  }
}
