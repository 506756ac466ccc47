import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Result } from "../../core/index.ts";
import type { Person } from "../../releases/desk.ts";
import { RELEASE_PROBLEM_STATUS, RELEASE_STATES, type ReleaseState } from "../../releases/types.ts";
import type { ServerContext } from "../context.ts";
import type { Scope } from "../keys.ts";
import { HttpProblem } from "../problems.ts";
import { TEMPLATE_ID, idempotencyHeader, problemResponse, problems } from "../schemas.ts";
import type { ProposalReply } from "../worker-protocol.ts";

/**
 * A proposal reads the template's files, builds an engine from them and renders every channel of every sample
 * customer on a render thread: tens of seconds, not the API's usual few.
 */
const PROPOSAL_TIMEOUT_MS = 180_000;

/** Who may look at releases: those who propose, those who review, and the studio's users. */
const READERS: readonly Scope[] = ["templates:write", "templates:approve", "preview"];

const HASH = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;
const RELEASE_ID = {
  type: "string",
  pattern: "^[0-9a-fA-F]{8,64}$",
  description: "a release's id (its content hash), or a unique prefix of 8 or more hex digits",
} as const;
const COMMENT = { type: "string", maxLength: 4000 } as const;

const step = {
  type: "object",
  required: ["action", "from", "to", "by", "at"],
  properties: {
    action: { type: "string", enum: ["save", "propose", "approve", "reject", "publish", "retire"] },
    from: { type: ["string", "null"], description: "the state it left; null for the first step" },
    to: { type: "string", enum: RELEASE_STATES },
    by: { type: "string", description: "the person: the API key's name, or --as on the command line" },
    at: { type: "string", format: "date-time" },
    comment: { type: "string", description: "a reviewer's comments (always with reject), or a note" },
    seen: { ...HASH, description: "on approve: the proof set hash the approver saw" },
  },
} as const;

const release = {
  type: "object",
  required: ["id", "template", "templateVersion", "state", "steps"],
  properties: {
    id: { ...HASH, description: "the SHA-256 of the template package, catalogue and theme it was proofed with" },
    template: { type: "string" },
    templateVersion: { type: "string", description: "the package's own version, from template.yaml" },
    state: { type: "string", enum: RELEASE_STATES },
    proofHash: { ...HASH, description: "the hash of the proof set frozen when it was proposed" },
    steps: { type: "array", items: step, description: "every move, oldest first" },
  },
} as const;

const proofDocument = {
  type: "object",
  required: ["customerId", "label", "channel", "path", "contentType", "sha256", "size", "url"],
  properties: {
    customerId: { type: "string" },
    label: { type: "string", description: "why the sample customer is in the set, e.g. Cyrillic name" },
    channel: { type: "string", enum: ["pdf", "email", "sms"] },
    path: { type: "string", description: "its place in the proof folder: <customerId>/<channel>.<pdf|eml|txt>" },
    contentType: { type: "string" },
    sha256: HASH,
    size: { type: "integer" },
    pages: { type: "integer", description: "a PDF's page count" },
    url: { type: "string", description: "where GET answers its bytes" },
  },
} as const;

const byId = { type: "object", required: ["id"], properties: { id: RELEASE_ID } } as const;

/** The desk's answer, or its problems with the status each release problem answers with (API and studio). */
export function releaseAnswer<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  const code = r.problems[0].code as keyof typeof RELEASE_PROBLEM_STATUS;
  throw new HttpProblem(RELEASE_PROBLEM_STATUS[code] ?? 400, r.problems);
}

/** The person is the API key: its name is what every step records. */
const person = (request: FastifyRequest, comment?: string): Person => ({
  name: request.apiKey?.name ?? "",
  ...(comment !== undefined && { comment }),
});

/**
 * `/v1/releases`: a template's versions from proposal to release, with four eyes between. Proposing needs
 * templates:write; approving, rejecting, publishing and retiring templates:approve; reading any of them (or
 * preview). Every move is recorded with the key's name and the server's time; that record is the audit.
 */
export function releaseRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { template?: string; state?: ReleaseState } }>(
    "/v1/releases",
    {
      config: { scope: READERS },
      schema: {
        summary: "List releases",
        description: "Newest first by their last move; filtered by template and state.",
        tags: ["releases"],
        querystring: {
          type: "object",
          properties: { template: TEMPLATE_ID, state: { type: "string", enum: RELEASE_STATES } },
        },
        response: {
          200: { type: "object", required: ["releases"], properties: { releases: { type: "array", items: release } } },
          ...problems(400, 401, 403, 503),
        },
      },
    },
    async (request) => ({ releases: await ctx.releases.list(request.query) }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/releases/:id",
    {
      config: { scope: READERS },
      schema: {
        summary: "One release, with every move it made",
        tags: ["releases"],
        params: byId,
        response: { 200: release, ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (request) => releaseAnswer(await ctx.releases.find(request.params.id)),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/releases/:id/proof",
    {
      config: { scope: READERS },
      schema: {
        summary: "The proof set frozen with a release",
        description:
          "Every channel of every sample customer as rendered when the release was proposed, and the customers " +
          "or channels that could not be (problems). hash is what an approval names as seen.",
        tags: ["releases"],
        params: byId,
        response: {
          200: {
            type: "object",
            required: ["release", "hash", "runDate", "documents", "problems"],
            properties: {
              release: HASH,
              hash: HASH,
              runDate: { type: "string", format: "date" },
              documents: { type: "array", items: proofDocument },
              problems: problemResponse.properties.problems,
            },
          },
          ...problems(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request) => {
      const { release: r, proof } = releaseAnswer(await ctx.releases.proof(request.params.id));
      return {
        release: r.id,
        hash: proof.hash,
        runDate: proof.runDate,
        documents: proof.documents.map(({ bytes, ...d }) => ({
          ...d,
          size: bytes.byteLength,
          url: `/v1/releases/${r.id}/proof/${d.path}`,
        })),
        problems: proof.problems,
      };
    },
  );

  app.get<{ Params: { id: string; "*": string } }>(
    "/v1/releases/:id/proof/*",
    {
      config: { scope: READERS },
      schema: {
        summary: "One document of a release's proof set, as its bytes",
        tags: ["releases"],
        params: {
          type: "object",
          required: ["id", "*"],
          properties: { id: RELEASE_ID, "*": { type: "string", description: "the document's path in the set" } },
        },
        response: { 200: { description: "the document (PDF, .eml or SMS text)" }, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { release: r, proof } = releaseAnswer(await ctx.releases.proof(request.params.id));
      const path = request.params["*"];
      const doc = proof.documents.find((d) => d.path === path);
      if (!doc)
        throw HttpProblem.of(
          404,
          "OMD_RELEASE_UNKNOWN",
          `the proof set of release ${r.id.slice(0, 8)} has no document ${path}`,
          path,
          `GET /v1/releases/${r.id}/proof lists its documents`,
        );
      return reply.type(doc.contentType).send(Buffer.from(doc.bytes));
    },
  );

  app.post<{ Body: { template: string; runDate?: string; comment?: string } }>(
    "/v1/releases",
    {
      config: { scope: "templates:write", idempotent: true },
      schema: {
        summary: "Propose a template's version for release",
        description:
          "Reads the template's package, the catalogue and the theme as the server's project files are now, " +
          "renders every channel of every sample customer from exactly those files (the proof set, frozen with " +
          "the release), and sends the release to review: 201 with the release, or 200 when the same content " +
          "was saved as a draft before. Content a reviewer rejected is refused (409 OMD_RELEASE_REJECTED, with " +
          "their comments); content already proposed answers 409 OMD_RELEASE_STATE. Takes tens of seconds.",
        tags: ["releases"],
        headers: idempotencyHeader,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["template"],
          properties: {
            template: TEMPLATE_ID,
            runDate: {
              type: "string",
              format: "date",
              description: "the run date the proof set is composed for (default: the server's today)",
            },
            comment: { ...COMMENT, description: "what changed, for the reviewer" },
          },
        },
        response: { 200: release, 201: release, ...problems(400, 401, 403, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const { template, comment } = request.body;
      // In production mode the render threads hold the released versions, not the project's files.
      if (ctx.released)
        throw HttpProblem.of(
          409,
          "OMD_RELEASE_STATE",
          "this server composes released versions only (production mode): it has no project files to propose",
          "/template",
          "propose from a server without --require-released, or with omnidoc release propose",
        );
      if (!ctx.templates.has(template))
        throw HttpProblem.of(
          400,
          "OMD_TEMPLATE_NOT_FOUND",
          `no template "${template}" is loaded`,
          "/template",
          `loaded: ${[...ctx.templates.keys()].join(", ")}`,
        );
      // The render thread's work outlasts the connection's idle limit: this request may wait for it.
      request.raw.socket.setTimeout(PROPOSAL_TIMEOUT_MS + 5_000);
      const runDate = request.body.runDate ?? ctx.now().toISOString().slice(0, 10);
      const proposal = await ctx.pool.run<ProposalReply>({ kind: "proposal", template, runDate }, PROPOSAL_TIMEOUT_MS);
      if (!proposal.ok) throw new HttpProblem(422, proposal.problems);
      const proposed = releaseAnswer(
        await ctx.releases.propose(proposal.content, proposal.proof, person(request, comment)),
      );
      return reply.code(proposed.steps.length === 1 ? 201 : 200).send(proposed);
    },
  );

  const move = <B extends { comment?: string }>(
    action: "approve" | "reject" | "publish" | "retire",
    summary: string,
    description: string,
    body: object,
    decide: (id: string, by: Person, body: B) => Promise<Result<unknown>>,
    response: object = release,
  ) =>
    app.post<{ Params: { id: string }; Body: B | undefined }>(
      `/v1/releases/:id/${action}`,
      {
        config: { scope: "templates:approve" },
        schema: {
          summary,
          description,
          tags: ["releases"],
          params: byId,
          body,
          response: { 200: response, ...problems(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request) => {
        const given = (request.body ?? {}) as B;
        return releaseAnswer(await decide(request.params.id, person(request, given.comment), given));
      },
    );

  const note = {
    type: "object",
    additionalProperties: false,
    properties: { comment: { ...COMMENT, description: "a note kept with the step" } },
  } as const;

  move<{ seen: string; comment?: string }>(
    "approve",
    "Approve a release in review",
    "Only by someone other than the person who proposed it (403 OMD_RELEASE_FOUR_EYES, naming them), and only " +
      "naming the hash of the proof set the approver looked at (409 OMD_RELEASE_SEEN when it is not the one frozen).",
    {
      type: "object",
      additionalProperties: false,
      required: ["seen"],
      properties: {
        seen: { ...HASH, description: "the hash of the proof set looked at (GET /v1/releases/:id/proof)" },
        comment: COMMENT,
      },
    },
    (id, by, body) => ctx.releases.approve(id, { ...by, seen: body.seen }),
  );
  move<{ comment?: string }>(
    "reject",
    "Reject a release in review, saying why",
    "Only by someone other than the proposer; the comment is required (400 OMD_RELEASE_COMMENT without one) and " +
      "is what proposing the same content again answers with.",
    {
      type: "object",
      additionalProperties: false,
      properties: { comment: { ...COMMENT, description: "the reviewer's comments: required" } },
    },
    (id, by) => ctx.releases.reject(id, { ...by, comment: by.comment ?? "" }),
  );
  move(
    "publish",
    "Make a release the template's released one",
    "From approved, or from retired (publishing the previous release again is the rollback). The release " +
      "released before is retired in the same transaction and answered as retired.",
    note,
    (id, by) => ctx.releases.publish(id, by),
    { type: "object", required: ["release"], properties: { release, retired: release } },
  );
  move(
    "retire",
    "Retire a released or approved release",
    "A retired release can be published again later (a rollback).",
    note,
    (id, by) => ctx.releases.retire(id, by),
  );
}
