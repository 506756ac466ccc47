import type { Archive } from "../archive/index.ts";
import type { World } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import { releaseDesk } from "../releases/desk.ts";
import { RenderPool } from "../server/index.ts";
import type { StudioOptions } from "./plugin.ts";
import { PreviewService, STUDIO_TASK_LIMITS_MS, type StudioTaskLimits } from "./preview.ts";
import { loadSampleSet } from "./samples.ts";
import type { StudioWorkerConfig } from "./worker-protocol.ts";
import { OfferEditor } from "./offers.ts";
import { ReleaseComparer } from "./release-diff.ts";
import { LiveEngine } from "./workspace.ts";

export interface StudioSetup {
  world: World;
  /** The archive the studio keeps releases in (drafts saved from the offer editor); none, and it keeps none. */
  archive?: Archive;
  engine?: EngineOptions;
  /** NDJSON of sample customers; `samples/customers-200.ndjson` by default. */
  samples?: string;
  /** The sample customers' interactions and responses (their history); `samples/interactions.ndjson` and
   * `samples/responses.ndjson` by default. */
  interactions?: string;
  responses?: string;
  template?: string;
  /** Rebuild on changes on disk (default true). */
  watch?: boolean;
  /** Worker threads that compose previews and draw pages (default 1), and previews allowed to wait for one. */
  workers?: number;
  queue?: number;
  /** Time limits of the studio's tasks, in milliseconds (STUDIO_TASK_LIMITS_MS by default). */
  limitsMs?: Partial<StudioTaskLimits>;
  /** How long a worker is kept without work, in milliseconds (STUDIO_IDLE_MS by default). */
  idleMs?: number;
}

/**
 * A studio worker holds its own Engine and page-drawing caches: ~180 MB once warm, ~350 MB more after
 * previews. It starts with the first task (a few seconds to build and warm up, not counted against the
 * task's limit) and stops after this long without one, so a server nobody previews on does not carry it.
 */
export const STUDIO_IDLE_MS = 5 * 60_000;

/**
 * Everything the studio plugin needs: a live engine built once now and rebuilt on every change, the sample
 * customers, and the preview service with its worker pool. The plugin closes both with the server.
 */
export async function prepareStudio(setup: StudioSetup): Promise<StudioOptions> {
  const live = new LiveEngine(setup.world, setup.engine);
  await live.rebuild();
  if (setup.watch !== false) live.watch();
  const config: StudioWorkerConfig = {
    root: setup.world.resolve("."),
    engine: live.options,
    engineVersion: live.current().engineVersion,
  };
  // A task past its limit stops its worker (killAfterMs 0: the limit is the hard one); the next task starts
  // a fresh one.
  const pool = new RenderPool(
    config,
    { workers: setup.workers ?? 1, queue: setup.queue ?? 8, killAfterMs: 0, idleMs: setup.idleMs ?? STUDIO_IDLE_MS },
    new URL("./worker.ts", import.meta.url),
  );
  const samples = loadSampleSet(setup.world, {
    samples: setup.samples,
    interactions: setup.interactions,
    responses: setup.responses,
  });
  return {
    world: setup.world,
    live,
    pool,
    previews: new PreviewService(live, pool, { ...STUDIO_TASK_LIMITS_MS, ...setup.limitsMs }),
    samples,
    offers: new OfferEditor(setup.world, live.options.catalogue),
    ...(setup.archive && {
      releases: {
        releases: releaseDesk(setup.archive, () => setup.world.now()),
        comparer: new ReleaseComparer(setup.archive, samples),
      },
    }),
    template: setup.template,
  };
}
