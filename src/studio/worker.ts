import { parentPort, threadId, workerData } from "node:worker_threads";
import { compose } from "../compose.ts";
import { type Result, createRenderCaches, fail, problem } from "../core/index.ts";
import type { Catalogue } from "../decide/index.ts";
import { parseCatalogue } from "../decide/index.ts";
import { type Engine, buildEngine } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";
import { warmUp } from "../server/index.ts";
import { proofPdf } from "./proof.ts";
import { readPdf } from "./raster.ts";
import { draftEngine } from "./offers.ts";
import type {
  ComposeReply,
  DraftCatalogue,
  ProofReply,
  ReadReply,
  StudioTask,
  StudioWorkerConfig,
} from "./worker-protocol.ts";

/**
 * A studio worker: composes previews and proofs and draws PDF pages off the server's event loop. It builds
 * the live engine's templates from disk itself, again whenever the studio's engine has been rebuilt since.
 */
const config = workerData as StudioWorkerConfig;

/** This thread's Engine, built again from disk when the studio's live engine has a newer build. */
class ThreadEngine {
  private version = -1;
  private engine?: Engine;
  private readonly world = nodeWorld(config.root);
  /** The thread's render caches, kept across rebuilds: they never change what is printed. */
  private readonly caches = createRenderCaches();

  async at(version: number): Promise<Engine | undefined> {
    if (this.version !== version) {
      const built = await buildEngine(this.world, { ...config.engine, caches: this.caches });
      this.version = version;
      this.engine = built.ok ? built.value : undefined;
    }
    return this.engine;
  }

  /** The last draft catalogue, loaded once: a person typing previews the same draft with several customers. */
  private draft?: { text: string; catalogue: Result<Catalogue> };

  /** The engine with a draft catalogue in place of its own. */
  withDraft(engine: Engine, draft: DraftCatalogue): Result<Engine> {
    if (this.draft?.text !== draft.text)
      this.draft = { text: draft.text, catalogue: parseCatalogue(draft.file, draft.text) };
    const c = this.draft.catalogue;
    return c.ok ? { ok: true, value: draftEngine(engine, c.value) } : c;
  }
}
const engines = new ThreadEngine();

const changed = problem(
  "OMD_TEMPLATE_SYNTAX",
  "the templates changed on disk and no longer build",
  undefined,
  "fix them; the preview follows the next build that succeeds",
);

const first = await engines.at(config.engineVersion);
if (first) await warmUp(first);
parentPort?.postMessage({ warmed: threadId });

export default async function run(task: StudioTask): Promise<ComposeReply | ReadReply | ProofReply> {
  switch (task.kind) {
    case "compose": {
      const built = await engines.at(task.engineVersion);
      if (!built) return fail(changed);
      const engine = task.catalogue ? engines.withDraft(built, task.catalogue) : { ok: true as const, value: built };
      if (!engine.ok) return engine;
      return compose(engine.value, task.profile, {
        template: task.template,
        runDate: task.runDate,
        channels: task.channels,
        history: task.history,
      });
    }
    case "read": {
      const reading = readPdf(task.pdf, task);
      return { images: await reading.images, texts: await reading.texts };
    }
    case "proof": {
      const engine = await engines.at(task.engineVersion);
      if (!engine) return { bytes: new Uint8Array(), problems: [changed] };
      return proofPdf(engine, task.template, task.runDate, task.customers);
    }
  }
}
