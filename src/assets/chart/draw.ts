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
 * Where Chart.js's autoSkip keeps every k-th month label counting from the oldest, keeps every k-th counting
 * back from the latest instead: the month a statement is about is always labelled. Same spacing, so labels
 * that did not touch still do not.
 */
const latestMonthLabelled: Plugin<"bar" | "line"> = {
  id: "omnidocLatestLabelled",
  afterUpdate(chart) {
    const scale = chart.scales.x;
    const count = chart.data.labels?.length ?? 0;
    if (!scale || scale.ticks.length < 2 || scale.ticks.length === count) return;
    const step = scale.ticks[1].value - scale.ticks[0].value;
    const kept = [];
    for (let i = count - 1; i >= 0; i -= step) kept.unshift({ value: i, label: chart.data.labels?.[i] as string });
    scale.ticks = kept;
  },
};

/**
 * Draws the spec once onto the canvas behind `ctx` (Skia's for SVG and PNG, the PDF painter's for vectors in
 * the page), which must be `width`×`height` CSS pixels: Chart.js
 * (no DOM, so its basic platform) sizes the chart from the canvas and, for `ratio` > 1, enlarges the canvas
 * itself. The config is cloned because Chart.js writes into the objects it gets. With animation off the
 * constructor draws synchronously; any further draw would append to an SVG canvas, so there is none.
 * Call the returned `release` after reading the canvas: it unregisters the chart and clears the canvas.
 * Chart.js must know the chart's parts first (`registerChartGlobals`).
 */
export function drawChart(ctx: CanvasRenderingContext2D, spec: UsageChartSpec, ratio: number): () => void {
  const config = structuredClone(spec.config) as ChartConfiguration<"bar" | "line", number[], string>;
  config.options = { ...config.options, devicePixelRatio: ratio };
  config.plugins = [backgroundPlugin(spec.background), latestMonthLabelled];
  const chart = new Chart(ctx, config);
  return () => chart.destroy();
}
