import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from "fastify";
import type { World } from "../core/index.ts";
import { NO_HISTORY } from "../decide/index.ts";
import type { Profile } from "../profile/index.ts";
import { type PreviewService, readProfileText } from "./preview.ts";
import { MAX_PROOF_CUSTOMERS, proofCard } from "./proof.ts";
import { offerRoutes } from "./offer-routes.ts";
import { releaseRoutes } from "./release-routes.ts";
import type { ReleaseDesk } from "../releases/desk.ts";
import type { ReleaseComparer } from "./release-diff.ts";
import type { OfferEditor } from "./offers.ts";
import type { SampleSet } from "./samples.ts";
import {
  EMAIL_CSP,
  HttpProblem,
  type RenderPool,
  bundlePage,
  securityHeaders,
  servePage,
  signedInPage,
} from "../server/index.ts";
import type { EngineState, LiveEngine } from "./workspace.ts";

export interface StudioOptions {
  world: World;
  live: LiveEngine;
  previews: PreviewService;
  /** The studio's worker threads, closed with the server. */
  pool: RenderPool;
  samples: SampleSet;
  /** The offer editor over the catalogue the live engine reads. */
  offers: OfferEditor;
  /**
   * The release desk over the server's archive (saving an offer keeps a draft release; the release pages), and
   * the comparison of a release's documents with the released version's.
   */
  releases?: { releases: ReleaseDesk; comparer: ReleaseComparer };
  /** Template shown first; the first loaded one when absent. */
  template?: string;
}

const RUN_DATE = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" } as const;
const ID = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } as const;
const PROOF_QUERY = {
  type: "object",
  required: ["template", "runDate"],
  properties: { template: ID, runDate: RUN_DATE, set: { enum: ["curated", "all"] } },
} as const;

type ProofQuery = { template: string; runDate: string; set?: "curated" | "all" };

/**
 * The studio, for `buildServer({ plugins: [studioPlugin(options)] })`: the page (public, it holds no data) at
 * `/studio/`, and its endpoints under `/studio/api/`. Signing in (`POST /studio/api/session`) goes through the
 * API's own key check with the read-only `preview` scope; every other endpoint needs the session it opens.
 */
/** The studio's front end (Preact + TypeScript): `studio/` at the top of the repository. */
const FRONT_END_DIR = fileURLToPath(new URL("../../studio/", import.meta.url));

/** What a studio request allows for the studio's worker to start and build its engine before its task counts. */
const STUDIO_WARM_UP_MS = 60_000;

export function studioPlugin(options: StudioOptions): FastifyPluginAsync {
  return async (app) => {
    await app.register(async (studio) => studioRoutes(studio, options), { prefix: "/studio" });
    app.addHook("onClose", async () => {
      options.live.close();
      options.releases?.comparer.close();
      await options.pool.close();
    });
  };
}

async function studioRoutes(app: FastifyInstance, options: StudioOptions): Promise<void> {
  const { live, previews, samples, world } = options;
  const assets = await bundlePage(FRONT_END_DIR, "src/main.tsx", ["index.html", "favicon.svg"]);
  const streams = new Set<FastifyReply>();

  servePage(app, assets);
  const requireSession = signedInPage(app, {
    title: "studio",
    path: "/studio",
    cookie: "omnidoc_studio",
    scope: "preview",
    codes: { sessionMissing: "OMD_STUDIO_SESSION_MISSING", originForeign: "OMD_STUDIO_ORIGIN_FOREIGN" },
  });
  app.addHook("onClose", async () => {
    for (const r of streams) r.raw.end();
  });

  await app.register(
    async (api) => {
      // A studio task has its own limit, counted once its worker is warm, and the studio's worker starts with
      // its first task: the server's idle timeout (the API's render timeout + 5 s) would close the socket first.
      api.addHook("onRequest", async (req) => {
        req.raw.socket.setTimeout(previews.longestTaskMs + STUDIO_WARM_UP_MS);
      });
      api.addHook("preHandler", requireSession);
      api.addHook("onSend", async (_req, reply, payload) => {
        if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
        return payload;
      });

      api.get("/meta", async () => {
        const state = live.current();
        const templates = [...(state.engine?.templates.values() ?? [])].map(({ pkg }) => ({
          id: pkg.manifest.id,
          name: pkg.manifest.name,
          version: pkg.manifest.version,
          languages: pkg.manifest.languages,
          channels: Object.keys(pkg.manifest.channels),
        }));
        return {
          templates,
          template:
            options.template && templates.some((t) => t.id === options.template) ? options.template : templates[0]?.id,
          samples: samples.curated.map(({ id, label, summary }) => ({ id, label, summary })),
          sampleCount: samples.all.size,
          runDate: world.now().toISOString().slice(0, 10),
          engine: engineSummary(state),
        };
      });

      api.get<{ Params: { id: string } }>(
        "/samples/:id",
        { schema: { params: { type: "object", properties: { id: ID } } } },
        async (req, reply) => {
          const p = samples.all.get(req.params.id);
          return p ? p : reply.code(404).send({ error: `no sample customer ${req.params.id}` });
        },
      );

      api.post<{ Body: { profileText: string } }>(
        "/validate",
        {
          schema: {
            body: {
              type: "object",
              required: ["profileText"],
              properties: { profileText: { type: "string", maxLength: 1_000_000 } },
            },
          },
        },
        async (req) => ({ problems: readProfileText(req.body.profileText).problems }),
      );

      api.post<{ Body: { template: string; runDate: string; profileText: string } }>(
        "/preview",
        {
          schema: {
            body: {
              type: "object",
              required: ["template", "runDate", "profileText"],
              properties: { template: ID, runDate: RUN_DATE, profileText: { type: "string", maxLength: 1_000_000 } },
            },
          },
        },
        async (req) => previews.preview(req.body, (id) => samples.histories.get(id) ?? NO_HISTORY),
      );

      api.get<{ Params: { id: string; dpi: string; page: string } }>("/pdf/:id/:dpi/:page.jpg", async (req, reply) => {
        const image = await previews.pageImage(req.params.id, Number(req.params.dpi), Number(req.params.page));
        if (!image) return reply.code(404).send({ error: "page not found; preview again" });
        if (!image.ok) throw new HttpProblem(400, image.problems);
        // A page of a customer's document: kept by no cache, the browser's included.
        return reply.type("image/jpeg").header("cache-control", "no-store").send(image.value);
      });
      api.get<{ Params: { id: string } }>("/pdf/:id.pdf", async (req, reply) => {
        const pdf = previews.pdfBytes(req.params.id);
        if (!pdf) return reply.code(404).send({ error: "PDF not found; preview again" });
        return reply
          .type("application/pdf")
          .header("content-disposition", `inline; filename="${req.params.id}.pdf"`)
          .send(Buffer.from(pdf));
      });
      api.get<{ Params: { id: string } }>("/email/:id", async (req, reply) => {
        const html = previews.emailHtml(req.params.id);
        if (html === undefined) return reply.code(404).send({ error: "email not found; preview again" });
        securityHeaders(reply, EMAIL_CSP);
        return reply.type("text/html; charset=utf-8").send(html);
      });

      offerRoutes(api, { ...options, releases: options.releases?.releases });
      if (options.releases) releaseRoutes(api, { ...options.releases, previews, live, root: options.offers.root });

      /** Server-sent events: every engine build (after a change on disk) reaches every open page at once. */
      api.get("/events", async (req, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          connection: "keep-alive",
          "x-content-type-options": "nosniff",
        });
        const send = (s: EngineState) =>
          reply.raw.write(`event: engine\ndata: ${JSON.stringify(engineSummary(s))}\n\n`);
        send(live.current());
        const unsubscribe = live.subscribe(send);
        const heartbeat = setInterval(() => reply.raw.write(": keep-alive\n\n"), 20_000);
        streams.add(reply);
        req.raw.on("close", () => {
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(reply);
        });
      });

      api.get<{ Querystring: ProofQuery }>("/proof", { schema: { querystring: PROOF_QUERY } }, async (req) => ({
        customers: proofSet(samples, req.query.set).map(({ profile, label }) => ({ id: profile.id, label })),
      }));
      api.get<{ Querystring: ProofQuery & { customer: string } }>(
        "/proof/card",
        {
          schema: {
            querystring: {
              ...PROOF_QUERY,
              required: [...PROOF_QUERY.required, "customer"],
              properties: { ...PROOF_QUERY.properties, customer: ID },
            },
          },
        },
        async (req, reply) => {
          const engine = live.current().engine;
          const profile = samples.all.get(req.query.customer);
          if (!engine || !profile) return reply.code(404).send({ error: "no engine or no such sample customer" });
          return proofCard(previews, engine, req.query.template, req.query.runDate, profile);
        },
      );
      api.get<{ Querystring: ProofQuery }>(
        "/proof.pdf",
        { schema: { querystring: PROOF_QUERY } },
        async (req, reply) => {
          if (!live.current().engine)
            return reply.code(409).send({ error: "the templates do not build; fix them first" });
          const { template, runDate, set } = req.query;
          const { bytes } = await previews.proof(template, runDate, proofSet(samples, set));
          return reply
            .type("application/pdf")
            .header("content-disposition", `attachment; filename="proof-${template}-${runDate}.pdf"`)
            .send(Buffer.from(bytes));
        },
      );
    },
    { prefix: "/api" },
  );
}

function engineSummary(s: EngineState) {
  return {
    version: s.version,
    ok: s.problems.length === 0,
    problems: s.problems,
    changed: s.changed,
    buildMs: s.buildMs,
  };
}

/** The customers on a proof: the curated cases (labelled), or every sample, as long as they fit on one. */
function proofSet(samples: SampleSet, set: "curated" | "all" = "curated"): { profile: Profile; label: string }[] {
  if (set === "curated") return samples.curated.map((s) => ({ profile: s.profile, label: s.label }));
  if (samples.all.size > MAX_PROOF_CUSTOMERS)
    throw HttpProblem.of(
      400,
      "OMD_API_BODY_INVALID",
      `a proof holds at most ${MAX_PROOF_CUSTOMERS} customers; the sample set has ${samples.all.size}`,
      "set",
      "use set=curated, or start the studio with a smaller --samples file",
    );
  const labels = new Map(samples.curated.map((s) => [s.id, s.label]));
  return [...samples.all.values()].map((p) => ({ profile: p, label: labels.get(p.id) ?? "sample" }));
}
