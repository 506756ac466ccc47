import { type Canvas, createCanvas } from "@napi-rs/canvas";
import sharp from "sharp";
import { type RenderCaches, cachePart } from "../../core/index.ts";
import { UsageChartCanvas } from "./draw.ts";
import type { UsageChartSpec } from "./spec.ts";
import type { ChartSize } from "./to-svg.ts";

export interface PngOptions extends ChartSize {
  /** Device pixels per CSS pixel; 2 gives a sharp image on high-density screens and paper. */
  scale?: number;
}

/** A canvas with the chart kept for it, drawn again for each PNG of its size and scale. */
interface PngChart {
  canvas: Canvas;
  chart: UsageChartCanvas;
}

/**
 * Charts kept between PNGs, by size and scale, as many as were ever in flight at once with one caches object.
 * Each keeps its canvas and its Chart.js chart: a fresh canvas per PNG made native memory that V8 only accounts
 * for grow until a full collection, which V8 then forced every few charts, and a fresh chart is a fifth of the
 * drawing's CPU (see `UsageChartCanvas`).
 */
const IDLE_CHARTS = cachePart("chart canvases by size", () => new Map<string, PngChart[]>());

/**
 * zlib's level 3, not libvips' 6: the same pixels in 40% less CPU (2.3 against 4.0 ms for the email's 1104×520
 * chart) for a file 5% larger (32.4 against 30.8 KiB); level 1 saves little more and nearly doubles the file.
 */
const PNG_DEFLATE_LEVEL = 3;

function pngChart(width: number, height: number, scale: number): PngChart {
  const canvas = createCanvas(width, height);
  // Chart.js sizes the chart from the canvas and enlarges the canvas by the scale itself.
  const chart = new UsageChartCanvas(canvas.getContext("2d") as unknown as CanvasRenderingContext2D, scale);
  return { canvas, chart };
}

/**
 * The chart as PNG bytes, `width·scale`×`height·scale` pixels. Skia draws; libvips (sharp) encodes the
 * raw pixels, a quarter of the CPU of Skia's own PNG encoder (which tries every row filter) for a file
 * of the same size. The canvas is opaque (the spec paints its background), so its premultiplied pixels
 * are the straight ones PNG stores. Async: encoding runs off the calling thread. The canvas and its chart
 * come from `caches` when one of this size is idle there.
 */
export async function toPng(spec: UsageChartSpec, options: PngOptions, caches: RenderCaches): Promise<Uint8Array> {
  const { width, height } = options;
  const scale = options.scale ?? 2;
  const key = `${width}x${height}@${scale}`;
  const idle = caches.get(IDLE_CHARTS);
  const kept = idle.get(key) ?? [];
  idle.set(key, kept);
  const png = kept.pop() ?? pngChart(width, height, scale);
  png.chart.draw(spec);
  const { canvas } = png;
  const raw = { width: canvas.width, height: canvas.height, channels: 4 as const };
  try {
    // `data()` is the canvas's own memory: the canvas goes back only once it is encoded.
    return await sharp(canvas.data(), { raw }).png({ compressionLevel: PNG_DEFLATE_LEVEL }).toBuffer();
  } finally {
    kept.push(png);
  }
}
