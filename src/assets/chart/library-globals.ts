import { GlobalFonts } from "@napi-rs/canvas";
import { type World, sha256Hex } from "../../core/index.ts";
import { CHART_FONT_FAMILY } from "./font.ts";

/**
 * Sets up what the chart's library keeps process-wide, before an engine draws charts: Skia's font collection
 * has one instance a process, so it cannot belong to one engine's caches.
 * Idempotent, with the library as the only record: a font file is registered once under a family of its own
 * (named by its path), and `CHART_FONT_FAMILY` is pointed at the theme's file on every call. Engines of one
 * process whose themes use different chart fonts therefore draw in the font of the last one built.
 * Returns false when the font file cannot be used.
 */
export function registerChartGlobals(world: World, fontPath: string): boolean {
  const family = `${CHART_FONT_FAMILY} ${sha256Hex(world.resolve(fontPath)).slice(0, 16)}`;
  if (!GlobalFonts.has(family) && GlobalFonts.register(Buffer.from(world.readBytes(fontPath)), family) === null)
    return false;
  return GlobalFonts.setAlias(family, CHART_FONT_FAMILY);
}
