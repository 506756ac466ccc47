import { createCanvas, SvgExportFlag } from "@napi-rs/canvas";
import { drawChart } from "./draw.ts";
import { CHART_FONT_FAMILY } from "./font.ts";
import type { UsageChartSpec } from "./spec.ts";

export interface ChartSize {
  /** CSS pixels (or PDF points: the SVG carries a viewBox and scales to any box). */
  width: number;
  height: number;
}

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
  const release = drawChart(canvas.getContext("2d") as unknown as CanvasRenderingContext2D, spec, 1);
  const svg = normalise(canvas.getContent().toString("utf8"), size);
  release();
  await turnOfTheLoop();
  return svg;
}

/**
 * Makes the SVG a function of the spec alone and easy to place: clip-path ids numbered from 1 (Skia counts
 * them per process), the text's font named `CHART_FONT_FAMILY` (Skia writes the typeface's own family name,
 * painters map this one name to one file), and the root's width/height replaced by a viewBox.
 */
function normalise(svg: string, size: ChartSize): string {
  const clipIds = new Map<string, string>();
  return svg
    .replace(/\bcl_[0-9a-f]+\b/g, (id) => {
      if (!clipIds.has(id)) clipIds.set(id, `clip${clipIds.size + 1}`);
      return clipIds.get(id) as string;
    })
    .replace(/font-family="[^"]*"/g, `font-family="${CHART_FONT_FAMILY}"`)
    .replace(/<svg\b([^>]*)>/, (_root, attrs: string) => {
      const rest = attrs.replace(/\s(?:width|height|viewBox)="[^"]*"/g, "");
      return `<svg${rest} viewBox="0 0 ${size.width} ${size.height}">`;
    });
}

export const turnOfTheLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
