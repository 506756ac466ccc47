import { compose } from "../compose.ts";
import type { Engine } from "../engine.ts";
import { parseProfileLine } from "../profile/index.ts";
import { sampleLines } from "../sample/index.ts";
import type { ChannelName } from "../templates/index.ts";

/** Generated customers tried before giving up on a template whose audience none of them is in. */
const WARM_UP_CUSTOMERS = 40;
const WARM_UP_DATE = "2026-11-01";

/**
 * Renders one document of every template on every channel it has, so a worker's first real request is not its
 * slowest: a cold worker's first PDF took 528 ms (code compiled, fonts and canvases set up) against ~20 ms
 * warm, so a request timeout below that killed every new worker before its first answer. Customers come from
 * the project's own sample generator; what they render is thrown away.
 */
export async function warmUp(engine: Engine): Promise<void> {
  const pending = new Set(engine.templates.keys());
  for (const [i, line] of [...sampleLines({ count: WARM_UP_CUSTOMERS })].entries()) {
    if (pending.size === 0) return;
    const profile = parseProfileLine(line, i + 1);
    if (!profile.ok) continue;
    for (const template of [...pending]) {
      const channels = Object.keys(engine.templates.get(template)?.pkg.manifest.channels ?? {}) as ChannelName[];
      const r = await compose(engine, profile.value, { template, channels, runDate: WARM_UP_DATE });
      if (r.ok) pending.delete(template);
    }
  }
}
