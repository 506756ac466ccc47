import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { type RenderCaches, cachePart } from "../../core/index.ts";
import { drawUsageChart } from "./draw.ts";
import { indexedPng } from "./indexed-png.ts";
import type { ChartSize } from "./layout.ts";
import type { UsageChartSpec } from "./spec.ts";

export interface PngOptions extends ChartSize {
  /** Device pixels per CSS pixel; 2 gives a sharp image on high-density screens and paper. */
  scale?: number;
}

/**
 * A canvas kept for each size and scale, drawn on again by the next PNG of that size: a fresh canvas per PNG
 * made native memory that V8 only accounts for grow until a full collection, which V8 then forced every few
 * charts. A PNG reads its pixels back before it yields, so one canvas a size is all a thread ever uses.
 */
const CANVASES = cachePart("chart canvases by size", () => new Map<string, Canvas>());

/**
 * The chart as PNG bytes, `width·scale`×`height·scale` pixels: Skia draws, the pixels are read back straight
 * (not premultiplied) and written as a palette PNG (`indexedPng`), deflated off the calling thread.
 */
export async function toPng(spec: UsageChartSpec, options: PngOptions, caches: RenderCaches): Promise<Uint8Array> {
  const { width, height } = options;
  const scale = options.scale ?? 2;
  const key = `${width}x${height}@${scale}`;
  const canvases = caches.get(CANVASES);
  let canvas = canvases.get(key);
  if (!canvas) {
    canvas = createCanvas(width * scale, height * scale);
    canvases.set(key, canvas);
  }
  const ctx = canvas.getContext("2d") as unknown as CanvasRenderingContext2D;
  // A kept canvas still holds the chart before: a background that is not opaque would show it.
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  drawUsageChart(ctx, spec, { width, height }, scale);
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return indexedPng(data, canvas.width, canvas.height);
}
