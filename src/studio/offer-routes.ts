import type { FastifyInstance } from "fastify";
import { ProblemError, ok } from "../core/index.ts";
import { NO_HISTORY } from "../decide/index.ts";
import type { Engine } from "../engine.ts";
import { type DecisionImpact, decisionImpact } from "../releases/index.ts";
import { readReleaseContent } from "../releases/content.ts";
import type { ReleaseDesk } from "../releases/desk.ts";
import { HttpProblem } from "../server/index.ts";
import type { OfferFields } from "./offer-yaml.ts";
import { type OfferDraft, type OfferEditor, draftEngine } from "./offers.ts";
import type { Preview, PreviewService } from "./preview.ts";
import type { SampleSet } from "./samples.ts";
import type { LiveEngine } from "./workspace.ts";

const ID = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } as const;
const RUN_DATE = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" } as const;
/** The form's fields: text by field path, and the channels ticked. */
const FIELDS = {
  values: {
    type: "object",
    maxProperties: 64,
    propertyNames: { pattern: "^[a-z]+(\\.[a-z]+){0,3}$" },
    additionalProperties: { type: "string", maxLength: 4000 },
  },
  channels: { type: "array", maxItems: 3, items: { type: "string", maxLength: 16 } },
} as const;
const PARAMS = { type: "object", properties: { id: ID } } as const;
/** An edit of an item, as the check and the save take it. */
const OFFER_BODY = {
  type: "object",
  required: ["values", "channels", "template", "runDate"],
  properties: { ...FIELDS, template: ID, runDate: RUN_DATE },
} as const;

type OfferBody = OfferFields & { template: string; runDate: string };

export interface OfferRouteOptions {
  offers: OfferEditor;
  live: LiveEngine;
  previews: PreviewService;
  samples: SampleSet;
  /** Where a save keeps the template's new version as a draft release; none, and a save only writes the file. */
  releases?: ReleaseDesk;
}

/** The scope a key needs to save: saving writes the catalogue file and keeps a draft release. */
const SAVE_SCOPE = "templates:write";

/**
 * The offer editor's endpoints: the catalogue's items, one item's fields, an edit checked by the catalogue
 * loader (problems placed at the field and character), the preview of a sample customer with the edit, and
 * saving it to the catalogue file.
 */
export function offerRoutes(
  api: FastifyInstance,
  { offers, live, previews, samples, releases }: OfferRouteOptions,
): void {
  /** Every sample customer decided with the engine on disk and with the draft: who moves from which offer. */
  const impactOf = (engine: Engine, draft: OfferDraft, template: string, runDate: string): Promise<DecisionImpact> =>
    decisionImpact(
      engine,
      draftEngine(engine, draft.catalogue!),
      template,
      [...samples.all.values()].map((profile, i) => ({ line: i + 1, profile: ok(profile) })),
      { runDate, histories: samples.histories },
    );

  const draftOf = (id: string, fields: OfferFields): OfferDraft => {
    const draft = offers.draft(id, fields);
    if (!draft) throw HttpProblem.of(404, "OMD_STUDIO_OFFER_UNKNOWN", `the catalogue has no item "${id}"`, offers.file);
    return draft;
  };

  api.get("/offers", async () => ({ file: offers.file, items: offers.list() }));

  api.get<{ Params: { id: string } }>("/offers/:id", { schema: { params: PARAMS } }, async (req) => {
    const form = offers.read(req.params.id);
    if (!form)
      throw HttpProblem.of(
        404,
        "OMD_STUDIO_OFFER_UNKNOWN",
        `the catalogue has no item "${req.params.id}"`,
        offers.file,
      );
    return form;
  });

  api.post<{ Params: { id: string }; Body: OfferBody }>(
    "/offers/:id/check",
    {
      schema: { params: PARAMS, body: OFFER_BODY },
    },
    async (req) => {
      const draft = draftOf(req.params.id, req.body);
      const engine = live.current().engine;
      const { problems, changedLines } = draft;
      if (!draft.catalogue || !engine?.templates.has(req.body.template)) return { problems, changedLines };
      return { problems, changedLines, impact: await impactOf(engine, draft, req.body.template, req.body.runDate) };
    },
  );

  api.post<{ Params: { id: string }; Body: OfferFields & { template: string; runDate: string; profileText: string } }>(
    "/offers/:id/preview",
    {
      schema: {
        params: PARAMS,
        body: {
          type: "object",
          required: ["values", "channels", "template", "runDate", "profileText"],
          properties: {
            ...FIELDS,
            template: ID,
            runDate: RUN_DATE,
            profileText: { type: "string", maxLength: 1_000_000 },
          },
        },
      },
    },
    async (req): Promise<Preview> => {
      const draft = draftOf(req.params.id, req.body);
      const state = live.current();
      // A draft that does not load composes nothing: the page keeps showing the last one that did.
      if (!draft.catalogue)
        return {
          engineVersion: state.version,
          engineProblems: state.problems,
          profileProblems: [],
          draftProblems: draft.problems,
          problems: [],
          warnings: [],
          timings: { composeMs: 0, pdfTextMs: 0 },
        };
      const preview = await previews.preview(req.body, (id) => samples.histories.get(id) ?? NO_HISTORY, {
        file: draft.file,
        text: draft.text,
      });
      return { ...preview, draftProblems: [] };
    },
  );

  api.post<{ Params: { id: string }; Body: OfferBody }>(
    "/offers/:id/save",
    {
      schema: { params: PARAMS, body: OFFER_BODY },
    },
    async (req) => {
      const key = req.apiKey;
      if (!key || !(key.scopes as string[]).includes(SAVE_SCOPE))
        throw HttpProblem.of(
          403,
          "OMD_API_SCOPE_MISSING",
          `saving an offer needs the ${SAVE_SCOPE} scope; this session's key has ${key?.scopes.join(", ") || "none"}`,
          undefined,
          "sign in with a key that may change templates",
        );
      const draft = draftOf(req.params.id, req.body);
      if (!draft.catalogue) throw new HttpProblem(400, draft.problems);
      offers.save(draft);
      // Built now rather than when the watcher notices, so the answer tells of the engine that has the edit.
      const state = await live.rebuild([draft.file]);
      const saved = {
        saved: draft.file,
        changedLines: draft.changedLines,
        engine: { version: state.version, ok: state.problems.length === 0 },
      };
      if (!releases) return saved;
      // What a developer's save would make: the template's files as they now are on disk, kept as a draft.
      const content = await readReleaseContent(offers.root, live.options, req.body.template).catch((err) => {
        throw err instanceof ProblemError ? new HttpProblem(400, err.problems) : err;
      });
      const kept = await releases.save(content, {
        name: key.name,
        comment: `offer ${req.params.id} edited in the studio`,
      });
      if (!kept.ok) throw new HttpProblem(409, kept.problems);
      return { ...saved, release: { id: kept.value.release.id, state: kept.value.release.state } };
    },
  );
}
