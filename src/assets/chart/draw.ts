import { Chart, type ChartConfiguration, type FontSpec, type Plugin, animator } from "chart.js";
import { toFont } from "chart.js/helpers";
import type { UsageChartSpec } from "./spec.ts";

type UsageChartConfig = ChartConfiguration<"bar" | "line", number[], string>;

/** Where a Chart.js scale keeps the label widths it measured (chart.js 4's `Scale`). */
interface ScaleTextWidths {
  _longestTextCache: Record<string, unknown>;
}

/**
 * Paints the spec's background first: canvases and SVG start transparent, and a canvas drawn again still
 * shows the chart before. The colour is a plugin option, so one chart keeps this plugin for every spec.
 */
const background: Plugin<"bar" | "line", { colour: string }> = {
  id: "omnidocBackground",
  beforeDraw(chart, _args, options) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = options.colour;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

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
 * The spec's configuration for Chart.js: a clone, because Chart.js writes into the objects it gets (it patches
 * the data arrays and merges defaults into the options), and a spec renders many times the same.
 */
function chartConfig(spec: UsageChartSpec, ratio: number): UsageChartConfig {
  const config = structuredClone(spec.config) as UsageChartConfig;
  const options = config.options ?? {};
  const plugins = { ...options.plugins, omnidocBackground: { colour: spec.background } };
  config.options = { ...options, devicePixelRatio: ratio, plugins } as UsageChartConfig["options"];
  config.plugins = [background, monthLabelsApart];
  return config;
}

/**
 * Draws the spec once onto the canvas behind `ctx` (Skia's for SVG, where a second draw would append to the
 * document), which must be `width`×`height` CSS pixels: Chart.js (no DOM, so its basic platform) sizes the
 * chart from the canvas and, for `ratio` > 1, enlarges the canvas itself. With animation off the constructor
 * draws synchronously. Call the returned `release` after reading the canvas: it unregisters the chart and
 * clears the canvas. Chart.js must know the chart's parts first (`registerChartGlobals`).
 */
export function drawChart(ctx: CanvasRenderingContext2D, spec: UsageChartSpec, ratio: number): () => void {
  const chart = new Chart(ctx, chartConfig(spec, ratio));
  return () => chart.destroy();
}

/**
 * One Chart.js chart kept for one context and drawn again for each spec, as `drawChart` would draw it on a
 * fresh canvas of the same size: making a chart (its configuration merged with the defaults, its scales,
 * controllers and elements, the canvas sized) is a fifth of drawing one, and a canvas resized is a new
 * surface for V8 to account for. The context must be the `width`×`height` CSS-pixel canvas the first draw
 * finds; Chart.js clears it before each draw. Whoever makes one owns it, and drops it when done.
 */
export class UsageChartCanvas {
  private chart: Chart<"bar" | "line", number[], string> | undefined;

  constructor(
    private readonly ctx: CanvasRenderingContext2D,
    private readonly ratio: number,
  ) {}

  draw(spec: UsageChartSpec): void {
    const config = chartConfig(spec, this.ratio);
    if (!this.chart) this.chart = new Chart(this.ctx, config);
    else {
      this.chart.data = config.data;
      this.chart.options = config.options ?? {};
      this.forgetTextWidths(this.chart);
      this.chart.update("none");
    }
    this.unlist(this.chart);
  }

  /**
   * Chart.js lists every chart it draws, in its registry and its animator, until the chart is destroyed; a kept
   * chart is its owner's alone, so that it goes with its owner (a thread's render caches, dropped with an engine
   * the studio rebuilt) rather than staying listed with its canvas for the life of the process.
   */
  private unlist(chart: Chart<"bar" | "line", number[], string>): void {
    delete (Chart.instances as Record<string, Chart>)[chart.id];
    animator.remove(chart as unknown as Parameters<typeof animator.remove>[0]);
  }

  /**
   * Chart.js's scales remember each label's width by font name, for as long as they live; the font behind the
   * name can change between two draws (the chart font re-pointed to another theme's file, another document's
   * font metrics behind a lent context), so every draw measures its labels again, as a fresh chart would.
   */
  private forgetTextWidths(chart: Chart<"bar" | "line", number[], string>): void {
    for (const scale of Object.values(chart.scales)) (scale as unknown as ScaleTextWidths)._longestTextCache = {};
  }
}
