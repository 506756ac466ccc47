import { createCanvas } from "@napi-rs/canvas";
import { PNG } from "pngjs";
import { drawChart } from "./draw.ts";
import type { UsageChartSpec } from "./spec.ts";
import { type ChartSize, turnOfTheLoop } from "./to-svg.ts";

export interface PngOptions extends ChartSize {
  /** Device pixels per CSS pixel; 2 gives a sharp image on high-density screens and paper. */
  scale?: number;
  /**
   * `rgba` (default) is @napi-rs/canvas's own fast encoder; `rgb` re-encodes without the alpha channel,
   * which a PDF embeds ~10–100x faster than an RGBA PNG (the chart is opaque anyway).
   */
  colour?: "rgba" | "rgb";
}

/**
 * The chart as PNG bytes, `width·scale`×`height·scale` pixels. Async, and it yields to the event loop
 * (encoding runs off the main thread): @napi-rs/canvas frees native memory only when the loop turns.
 */
export async function toPng(spec: UsageChartSpec, options: PngOptions): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  // A fresh canvas per chart: Chart.js resizes the canvas it draws on, so a shared one buys nothing.
  const canvas = createCanvas(options.width, options.height);
  const release = drawChart(canvas.getContext("2d"), spec, scale);
  if (options.colour !== "rgb") {
    const bytes = await canvas.encode("png").finally(release);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  release();
  const png = new PNG({ width: canvas.width, height: canvas.height });
  png.data = Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
  const bytes = PNG.sync.write(png, { colorType: 2, inputColorType: 6, inputHasAlpha: true, deflateLevel: 6 });
  await turnOfTheLoop();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
