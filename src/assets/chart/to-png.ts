import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { type RenderCaches, cachePart } from "../../core/index.ts";
import { drawUsageChart } from "./draw.ts";
import { indexedPng } from "./indexed-png.ts";
import type { ChartSize } from "./layout.ts";
import type { UsageChartSpec } from "./spec.ts";
import { turnOfTheLoop } from "./to-svg.ts";

export interface PngOptions extends ChartSize {
  /** Device pixels per CSS pixel; 2 gives a sharp image on high-density screens and paper. */
  scale?: number;
}

/** A canvas and the bytes of its palette PNG's rows, kept for one size and scale. */
interface PngCanvas {
  canvas: Canvas;
  rows: Uint8Array;
}

/**
 * A canvas and its rows kept for each size and scale, used again by the next PNG of that size: a fresh canvas
 * per PNG made native memory that V8 only accounts for grow until a full collection, which V8 then forced
 * every few charts. A PNG is made before `toPng` yields, so one canvas a size is all a thread ever uses.
 */
const CANVASES = cachePart("chart canvases by size", () => new Map<string, PngCanvas>());

/**
 * The chart as PNG bytes, `width·scale`×`height·scale` pixels: Skia draws, its pixels are copied out and
 * written as a palette PNG (`indexedPng`). It yields once, after, so that @napi-rs/canvas frees the copy's
 * native memory (it does when the event loop turns).
 */
export async function toPng(spec: UsageChartSpec, options: PngOptions, caches: RenderCaches): Promise<Uint8Array> {
  const { width, height } = options;
  const scale = options.scale ?? 2;
  const key = `${width}x${height}@${scale}`;
  const canvases = caches.get(CANVASES);
  let kept = canvases.get(key);
  if (!kept) {
    const canvas = createCanvas(width * scale, height * scale);
    kept = { canvas, rows: new Uint8Array((canvas.width + 1) * canvas.height) };
    canvases.set(key, kept);
  }
  const { canvas, rows } = kept;
  const ctx = canvas.getContext("2d") as unknown as CanvasRenderingContext2D;
  // A kept canvas still holds the chart before, which an opaque background covers whole. One that is not opaque
  // would show it, so only then is the canvas cleared first: Skia's clearRect of the whole canvas costs ~0.6 ms,
  // as much as drawing the chart. A canvas gives back a colour it was set to as #rrggbb only when it is opaque.
  ctx.fillStyle = spec.colours.background;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (!String(ctx.fillStyle).startsWith("#")) ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  drawUsageChart(ctx, spec, { width, height }, scale);
  const png = indexedPng(canvas.data(), canvas.width, canvas.height, rows);
  await turnOfTheLoop();
  return png;
}
