import { GlobalFonts } from "@napi-rs/canvas";
import type { World } from "../../core/index.ts";

/**
 * The family name the chart's text is drawn in. SVG output names this family, so a PDF painter that
 * registers the same font file under this exact name keeps the chart's text selectable.
 */
export const CHART_FONT_FAMILY = "OmnidocChart";

let registeredFrom: string | undefined;

/**
 * Registers the theme's body font (a TTF path relative to the project) for chart text. Once per process:
 * a second call with the same file does nothing; a different file replaces the family's source.
 * Returns false when the font file cannot be used.
 */
export function registerChartFont(world: World, fontPath: string): boolean {
  if (registeredFrom === fontPath) return true;
  const key = GlobalFonts.register(Buffer.from(world.readBytes(fontPath)), CHART_FONT_FAMILY);
  if (key === null) return false;
  registeredFrom = fontPath;
  return true;
}
