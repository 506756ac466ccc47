import { Chart, type ChartConfiguration, type FontSpec, type Plugin } from "chart.js";
import { toFont } from "chart.js/helpers";
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

/** Least space between two month labels, in chart pixels: over half a space at 11 px, 1.6 pt in print. */
const LABEL_GAP = 2;

/**
 * Month labels that never touch, in any language: the labels are measured in the axis's own font on the
 * context that draws them, and where two neighbours would come closer than LABEL_GAP (`févr.` beside `mars`
 * in 104 mm), only every 2nd, 3rd… month is labelled, counted back from the latest so the month a statement
 * is about always is. Chart.js's own autoSkip sizes every label as the widest plus padding and counts from
 * the oldest, so it would drop labels that fit and leave the latest bare.
 */
const monthLabelsApart: Plugin<"bar" | "line"> = {
  id: "omnidocMonthLabelsApart",
  afterUpdate(chart) {
    const scale = chart.scales.x;
    const labels = (chart.data.labels ?? []) as string[];
    if (!scale || labels.length < 2) return;
    chart.ctx.save();
    chart.ctx.font = toFont((scale.options as unknown as { ticks: { font: Partial<FontSpec> } }).ticks.font).string;
    const widths = labels.map((l) => chart.ctx.measureText(l).width);
    chart.ctx.restore();
    const slot = scale.width / labels.length;
    const apart = (step: number) =>
      widths.every((w, i) => i < step || (w + widths[i - step]) / 2 + LABEL_GAP <= step * slot);
    let step = 1;
    while (step < labels.length && !apart(step)) step++;
    if (step === 1) return;
    const kept = [];
    for (let i = labels.length - 1; i >= 0; i -= step) kept.unshift({ value: i, label: labels[i] });
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
  config.plugins = [backgroundPlugin(spec.background), monthLabelsApart];
  const chart = new Chart(ctx, config);
  return () => chart.destroy();
}
