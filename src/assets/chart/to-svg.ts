import { createCanvas, SvgExportFlag } from "@napi-rs/canvas";
import { drawUsageChart } from "./draw.ts";
import { CHART_FONT_FAMILY } from "./font.ts";
import type { ChartSize } from "./layout.ts";
import type { UsageChartSpec } from "./spec.ts";

/**
 * The chart as an SVG document with real `<text>` elements in `CHART_FONT_FAMILY`, so text stays selectable
 * when a PDF painter draws it as vectors. The root has a viewBox and no width/height: SVG-to-PDF painters
 * let root dimensions override the box they are asked to fill.
 *
 * Async on purpose: it yields to the event loop after drawing, because @napi-rs/canvas frees native
 * memory only when the loop turns. Callers rendering many charts must await each one.
 */
export async function toSvg(spec: UsageChartSpec, size: ChartSize): Promise<string> {
  const canvas = createCanvas(size.width, size.height, SvgExportFlag.NoPrettyXML);
  drawUsageChart(canvas.getContext("2d") as unknown as CanvasRenderingContext2D, spec, size, 1);
  const svg = normalise(canvas.getContent().toString("utf8"), size);
  await turnOfTheLoop();
  return svg;
}

/**
 * Makes the SVG easy to place: the text's font named `CHART_FONT_FAMILY` (Skia writes the typeface's own family
 * name, painters map this one name to one file), and the root's width/height replaced by a viewBox.
 */
function normalise(svg: string, size: ChartSize): string {
  return svg
    .replace(/font-family="[^"]*"/g, `font-family="${CHART_FONT_FAMILY}"`)
    .replace(/<svg\b([^>]*)>/, (_root, attrs: string) => {
      const rest = attrs.replace(/\s(?:width|height|viewBox)="[^"]*"/g, "");
      return `<svg${rest} viewBox="0 0 ${size.width} ${size.height}">`;
    });
}

export const turnOfTheLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
