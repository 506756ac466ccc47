import type { Problem } from "../core/index.ts";
import { type EngineOptions, buildEngine } from "../engine.ts";
import { nodeWorld } from "../node-world.ts";

/** A text the engine's email channel made once for the process (`World.sharedText`), with what it was made from. */
export interface SharedText {
  slot: string;
  input: string;
  text: string;
}

/**
 * A thread that compiles the emails of the templates under `root` and hands back the MJML's HTML, or the
 * templates' problems. It ends once done, and MJML's compiler (~20 MB of heap, held for the thread's life once
 * loaded) goes with it: the main thread, which keeps its heap for the whole run, never loads it.
 */
export default async function compileEmails(source: {
  root: string;
  engine: EngineOptions;
}): Promise<{ texts: SharedText[] } | { problems: Problem[] }> {
  const texts: SharedText[] = [];
  const world = {
    ...nodeWorld(source.root),
    async sharedText(slot: string, input: string, make: (input: string) => Promise<string>) {
      const text = await make(input);
      texts.push({ slot, input, text });
      return text;
    },
  };
  const built = await buildEngine(world, { ...source.engine, channels: ["email"] });
  return built.ok ? { texts } : { problems: built.problems };
}
