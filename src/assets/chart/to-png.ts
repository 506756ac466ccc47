import { Deflater, type RenderCaches, cachePart } from "../../core/index.ts";
import { indexedPng, PNG_DEFLATE } from "./indexed-png.ts";
import type { ChartSize } from "./layout.ts";
import { paintUsageChart } from "./paint-palette.ts";
import { blendTables, PaletteCanvas } from "./palette-canvas.ts";
import type { UsageChartSpec } from "./spec.ts";
import { TextMasks } from "./text-masks.ts";
import { turnOfTheLoop } from "./to-svg.ts";

export interface PngOptions extends ChartSize {
  /** Device pixels per CSS pixel; 2 gives a sharp image on high-density screens and paper. */
  scale?: number;
}

/** A chart's palette indices and the bytes of its PNG's rows, kept for one size and scale. */
interface PngBuffers {
  pixels: Uint8Array;
  blends: Int16Array;
  rows: Uint8Array;
}

/** The chart paints in 7 colours (background, grid, axis line, 2 of text, bars, line). */
const CHART_COLOURS = 8;

/**
 * The buffers kept for each size and scale, used again by the next PNG of that size: ~0.9 MB made afresh per
 * PNG is memory outside V8's heap that makes V8 collect its whole heap every few charts. A PNG is made before
 * `toPng` yields, so one set a size is all a thread ever uses.
 */
const BUFFERS = cachePart("chart PNG buffers by size", () => new Map<string, PngBuffers>());
const TEXT_MASKS = cachePart("chart text masks", () => new TextMasks());
/**
 * The thread's zlib stream for PNG rows, reset between PNGs: a zlib stream made and closed per PNG is ~4% of an
 * email's CPU, and native memory with a handle for the collector to finalize.
 */
const PNG_DEFLATER = cachePart("chart PNG zlib stream", () => new Deflater(PNG_DEFLATE));

/**
 * The chart as PNG bytes, `width·scale`×`height·scale` pixels: painted straight into palette indices
 * (`paintUsageChart`, its texts drawn by Skia once a thread) and written as an 8-bit palette PNG (`indexedPng`).
 * It yields once, after, so that @napi-rs/canvas frees the native memory of the texts it drew (it does when the
 * event loop turns).
 */
export async function toPng(spec: UsageChartSpec, options: PngOptions, caches: RenderCaches): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  const width = Math.round(options.width * scale);
  const height = Math.round(options.height * scale);
  const stride = Math.ceil(width / 4) * 4;
  const key = `${width}x${height}`;
  const buffers = caches.get(BUFFERS);
  let kept = buffers.get(key);
  if (!kept) {
    kept = {
      pixels: new Uint8Array(stride * height),
      blends: blendTables(CHART_COLOURS),
      rows: new Uint8Array((width + 1) * height),
    };
    buffers.set(key, kept);
  }
  const canvas = new PaletteCanvas(kept.pixels, width, height, stride, kept.blends);
  paintUsageChart(canvas, spec, options, scale, caches.get(TEXT_MASKS));
  const png = indexedPng(canvas, kept.rows, caches.get(PNG_DEFLATER));
  await turnOfTheLoop();
  return png;
}
