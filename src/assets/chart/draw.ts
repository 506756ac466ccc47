import type { SKRSContext2D } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type Plugin } from "chart.js";
import type { UsageChartSpec } from "./spec.ts";

/** Paints the spec's background first: canvases and SVG start transparent. */
function backgroundPlugin(colour: string): Plugin<"bar" | "line"> {
  return {
    id: "omnidocBackground",
    beforeDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = colour;
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };
}

/**
 * Draws the spec once onto the canvas behind `ctx`, which must be `width`×`height` CSS pixels: Chart.js
 * (no DOM, so its basic platform) sizes the chart from the canvas and, for `ratio` > 1, enlarges the canvas
 * itself. The config is cloned because Chart.js writes into the objects it gets. With animation off the
 * constructor draws synchronously; any further draw would append to an SVG canvas, so there is none.
 * Call the returned `release` after reading the canvas: it unregisters the chart and clears the canvas.
 * Chart.js must know the chart's parts first (`registerChartGlobals`).
 */
export function drawChart(ctx: SKRSContext2D, spec: UsageChartSpec, ratio: number): () => void {
  const config = structuredClone(spec.config) as ChartConfiguration<"bar" | "line", number[], string>;
  config.options = { ...config.options, devicePixelRatio: ratio };
  config.plugins = [backgroundPlugin(spec.background)];
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, config);
  return () => chart.destroy();
}
