import type { World } from "../core/index.ts";
import type { EngineOptions } from "../engine.ts";
import type { StudioOptions } from "./plugin.ts";
import { PreviewService } from "./preview.ts";
import { loadSamples } from "./samples.ts";
import { LiveEngine } from "./workspace.ts";

export interface StudioSetup {
  world: World;
  engine?: EngineOptions;
  /** NDJSON of sample customers; `samples/customers-200.ndjson` by default. */
  samples?: string;
  template?: string;
  /** Rebuild on changes on disk (default true). */
  watch?: boolean;
}

/**
 * Everything the studio plugin needs: a live engine built once now and rebuilt on
 * every change, the sample customers and the preview service. Close it with `live.close()`.
 */
export async function prepareStudio(setup: StudioSetup): Promise<StudioOptions> {
  const live = new LiveEngine(setup.world, setup.engine);
  await live.rebuild();
  if (setup.watch !== false) live.watch();
  return {
    world: setup.world,
    live,
    previews: new PreviewService(live),
    samples: loadSamples(setup.world, setup.samples ?? "samples/customers-200.ndjson"),
    template: setup.template,
  };
}
