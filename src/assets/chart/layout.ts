import type { UsageChartSpec } from "./spec.ts";
import { tickLabel } from "./numbers.ts";
import { type ValueAxis, valueAxis } from "./ticks.ts";

export interface ChartSize {
  /** CSS pixels (or PDF points: the SVG carries a viewBox and scales to any box). */
  width: number;
  height: number;
}

/** A text's width in the chart's font. */
export type MeasureText = (text: string) => number;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Segment {
  x1: number;
  x2: number;
  y: number;
}

export interface PlacedText {
  text: string;
  x: number;
  y: number;
}

/**
 * Where every part of the usage chart goes, in CSS pixels of a `width`×`height` canvas: the geometry, tick
 * values and labels Chart.js 4 gives the chart the spec used to configure (bars at 80% of a month's slot and
 * 90% of that, the value axis on the left with ≤ 6 ticks, month labels below, the legend centred at the bottom,
 * 4 px around it all), computed in one pass instead of Chart.js's option resolution and box fitting.
 * Horizontal lines are placed on device pixels as Chart.js places them, so they stay sharp at the drawing's
 * `ratio`. Text positions are for `textBaseline = "middle"`.
 */
export interface UsageChartLayout {
  /** The plot area: bars, grid and line inside it. */
  area: { left: number; top: number; right: number; bottom: number };
  /** Grid lines across the plot area, and their tick marks left of it, one per value tick. */
  grid: Segment[];
  tickMarks: Segment[];
  /** The month axis's line along the bottom of the plot area. */
  axisLine: Segment;
  /** Value labels, right-aligned. */
  valueLabels: PlacedText[];
  /** Month labels, centred: all of them, or every 2nd, 3rd… counted back from the latest when they would touch. */
  monthLabels: PlacedText[];
  bars: Rect[];
  /** The peer average across the months, dashed; absent with fewer than two months. */
  peerLine: Segment | undefined;
  /** The legend's bar swatch, line sample and texts (left-aligned), usage first. */
  legend: { swatch: Rect; sample: Segment; texts: [PlacedText, PlacedText] };
}

/** Around the whole chart (Chart.js `layout.padding`). */
const PADDING = 4;
/** Tick marks' length and the space between them and their labels (Chart.js's defaults). */
const TICK_LENGTH = 8;
const TICK_PADDING = 3;
/** Space between legend items and around them (Chart.js's legend `labels.padding`). */
const LEGEND_PADDING = 10;
/** The legend's swatch and line sample are this wide (`pointStyleWidth`), a font size high. */
const LEGEND_SAMPLE_WIDTH = 18;
/** Least space between two month labels, in chart pixels: over half a space at 11 px, 1.6 pt in print. */
const LABEL_GAP = 2;
/** At most this many value ticks (`maxTicksLimit`). */
const MAX_TICKS = 6;
const CATEGORY_PERCENTAGE = 0.8;
const BAR_PERCENTAGE = 0.9;

/** A position on the device pixel grid for a line `width` wide (Chart.js's `_alignPixel`). */
function alignPixel(pixel: number, width: number, ratio: number): number {
  const half = width !== 0 ? Math.max(width / 2, 0.5) : 0;
  return Math.round((pixel - half) * ratio) / ratio + half;
}

/** Value labels need their line height and this much more each, or every second (third…) one is left out. */
const AUTO_SKIP_PADDING = 3;

interface FittedValueAxis {
  axis: ValueAxis;
  /** Every how many ticks a label is shown. */
  every: number;
  shown: { value: number; label: string }[];
  width: number;
}

/**
 * The value axis fitted to `height` (`outerHeight` with the room above and below it): its ticks, the labels
 * shown (each tick's, unless a short axis has no room for them all: then every 2nd, 3rd… from the lowest, as
 * Chart.js's autoSkip leaves them) and the width they take. The labels and width of `before`, a fit to another
 * height, are taken again when it has the same ticks and shows the same of them: formatting and measuring the
 * labels is most of a fit.
 */
function fitValueAxis(
  values: readonly number[],
  height: number,
  outerHeight: number,
  lineHeight: number,
  spec: UsageChartSpec,
  measure: MeasureText,
  maxWidth: number,
  before?: FittedValueAxis,
): FittedValueAxis {
  const axis = valueAxis(values, Math.min(MAX_TICKS, Math.ceil(height / Math.min(40, lineHeight))));
  const labelHeight = lineHeight + AUTO_SKIP_PADDING;
  const room = Math.floor(Math.min(height / labelHeight + 1, outerHeight / labelHeight));
  const every = Math.ceil(Math.max(axis.ticks.length / Math.min(MAX_TICKS, room), 1));
  if (before && before.every === every && sameTicks(before.axis, axis)) return { ...before, axis };
  const shown: { value: number; label: string }[] = [];
  for (let i = 0; i < axis.ticks.length; i += every)
    shown.push({ value: axis.ticks[i], label: tickLabel(axis.ticks[i], axis.ticks, spec.locale) });
  let widest = 0;
  for (const t of shown) widest = Math.max(widest, measure(t.label));
  const width = Math.min(maxWidth, TICK_LENGTH + widest + 2 * TICK_PADDING);
  return { axis, every, shown, width };
}

function sameTicks(a: ValueAxis, b: ValueAxis): boolean {
  return a.ticks.length === b.ticks.length && a.ticks.every((t, i) => t === b.ticks[i]);
}

/** Indices of the month labels shown: every `step`th from the latest, `step` the least that keeps them apart. */
function monthsShown(widths: number[], slot: number): number[] {
  const n = widths.length;
  const apart = (step: number) =>
    widths.every((w, i) => i < step || (w + widths[i - step]) / 2 + LABEL_GAP <= step * slot);
  let step = 1;
  while (step < n && !apart(step)) step++;
  const shown: number[] = [];
  for (let i = n - 1; i >= 0; i -= step) shown.unshift(i);
  return shown;
}

/**
 * The chart's layout, as Chart.js's box layout arrives at it for this chart: the legend takes its rows at the
 * bottom, the value axis its labels' width, the month axis a line of text; the value axis is fitted again to
 * the height left, and the plot area moves in where the labels at its corners need room.
 */
export function layoutUsageChart(
  spec: UsageChartSpec,
  size: ChartSize,
  measure: MeasureText,
  ratio: number,
): UsageChartLayout {
  const { width: W, height: H } = size;
  const f = spec.fontSize;
  const lineHeight = f * 1.2;
  const n = spec.months.length;
  const values = n > 0 ? [...spec.values, spec.peerAverage] : [];
  const availableWidth = Math.max(W - 2 * PADDING, 0);
  const availableHeight = Math.max(H - 2 * PADDING, 0);

  // The legend: items as wide as sample, half a font size and text; rows as wide as the chart allows.
  const legendTexts = [spec.legend.usage, spec.legend.peerAverage];
  const itemWidths = legendTexts.map((t) => LEGEND_SAMPLE_WIDTH + f / 2 + measure(t));
  const rowWidths = [0];
  itemWidths.forEach((w, i) => {
    if (i > 0 && rowWidths[rowWidths.length - 1] + w + 2 * LEGEND_PADDING > availableWidth) rowWidths.push(0);
    rowWidths[rowWidths.length - 1] += w + LEGEND_PADDING;
  });
  // Each row a font size and its padding high, 10 px more below them all; at most half the chart.
  const legendHeight = Math.min(rowWidths.length * (f + LEGEND_PADDING) + 10, availableHeight / 2);

  // The plot area's edges, and the least room its corners' labels need (Chart.js's chartArea and maxPadding).
  const edge = { top: PADDING, left: PADDING, right: PADDING, bottom: PADDING + legendHeight };
  const least = { top: PADDING, left: PADDING, right: PADDING, bottom: PADDING };
  const plotWidth = () => Math.max(0, W - Math.max(least.left, edge.left) - Math.max(least.right, edge.right));
  const plotHeight = () => Math.max(0, H - Math.max(least.top, edge.top) - Math.max(least.bottom, edge.bottom));

  // The value axis, fitted to the height the legend leaves; its end labels stand half a line over the area.
  const valueAxisHeights = () => {
    const h = plotHeight();
    return [h, h + Math.max(least.top, edge.top) + Math.max(least.bottom, edge.bottom)] as const;
  };
  let y = fitValueAxis(values, ...valueAxisHeights(), lineHeight, spec, measure, availableWidth / 2);
  edge.left += y.width;
  least.top = Math.max(least.top, lineHeight / 2 + TICK_PADDING);
  least.bottom = Math.max(least.bottom, lineHeight / 2 + TICK_PADDING);

  // The month axis: a line of labels under tick-mark room; the first and last label may need room at the sides.
  const widths = spec.months.map(measure);
  const xHeight = n > 0 ? Math.min(availableHeight / 2, TICK_LENGTH + lineHeight + 2 * TICK_PADDING) : TICK_LENGTH;
  let padLeft = 0;
  let padRight = 0;
  const fitWidth = plotWidth();
  if (n > 0) {
    const offset = fitWidth / n / 2;
    padLeft = Math.max(((widths[0] / 2 - offset + TICK_PADDING) * fitWidth) / (fitWidth - offset), 0);
    padRight = Math.max(((widths[n - 1] / 2 - offset + TICK_PADDING) * fitWidth) / (fitWidth - offset), 0);
  }
  edge.bottom += xHeight;
  least.left = Math.max(least.left, padLeft);
  least.right = Math.max(least.right, padRight);

  // The value axis again, for the height now left; its ends still take in the ticks of the first fit.
  edge.left -= y.width;
  const first = y.axis;
  y = fitValueAxis(values, ...valueAxisHeights(), lineHeight, spec, measure, availableWidth / 2, y);
  edge.left += y.width;

  const top = Math.max(least.top, edge.top);
  const left = Math.max(least.left, edge.left);
  const area = { left, top, right: left + plotWidth(), bottom: top + plotHeight() };
  const areaWidth = area.right - area.left;
  const areaHeight = area.bottom - area.top;

  const min = Math.min(first.min, y.axis.min);
  const max = Math.max(first.max, y.axis.max);
  const yPixel = (v: number) => area.top + (1 - (v - min) / (max - min)) * areaHeight;
  const xPixel = (i: number) => area.left + ((i + 0.5) / Math.max(n, 1)) * areaWidth;

  // Grid lines and tick marks: the value axis has no line of its own, so they meet at its right edge.
  const border = alignPixel(left, 0, ratio);
  const grid: Segment[] = [];
  const tickMarks: Segment[] = [];
  const valueLabels: PlacedText[] = [];
  const step = Math.max(1, Math.ceil(y.shown.length / MAX_TICKS));
  y.shown.forEach((t, i) => {
    const p = yPixel(t.value);
    if (i % step === 0) {
      const at = alignPixel(p, 1, ratio);
      grid.push({ x1: border, x2: area.right, y: at });
      tickMarks.push({ x1: left - TICK_LENGTH, x2: border, y: at });
    }
    valueLabels.push({ text: t.label, x: left - TICK_LENGTH - TICK_PADDING, y: p });
  });
  const axisLine = {
    x1: alignPixel(area.left, 1, ratio) - 0.5,
    x2: alignPixel(area.right, 1, ratio) + 0.5,
    y: alignPixel(area.bottom, 1, ratio),
  };

  const shown = n < 2 ? spec.months.map((_, i) => i) : monthsShown(widths, areaWidth / n);
  const labelY = area.bottom + TICK_LENGTH + TICK_PADDING + lineHeight / 2;
  const monthLabels = shown.map((i) => ({ text: spec.months[i], x: xPixel(i), y: labelY }));

  // Bars: 90% of 80% of the narrowest slot, from half a grid line above the zero line (Chart.js's bar controller).
  let slot = areaWidth;
  for (let i = 1; i < n; i++) slot = Math.min(slot, Math.abs(xPixel(i) - xPixel(i - 1)) || slot);
  const category = slot * CATEGORY_PERCENTAGE;
  const barWidth = category * BAR_PERCENTAGE;
  const zero = yPixel(0);
  const zeroLine = y.shown.some((t) => t.value === 0) ? 1 : 0;
  const bars: Rect[] = [];
  spec.values.forEach((v, i) => {
    const head = yPixel(v);
    const base = zero + (Math.sign(head - zero) * zeroLine) / 2;
    const start = xPixel(i) - category / 2;
    const centre = start + category / 2;
    const barTop = Math.min(head, base);
    bars.push({ x: centre - barWidth / 2, y: barTop, width: barWidth, height: Math.max(head, base) - barTop });
  });
  const peer = yPixel(spec.peerAverage);
  const peerLine = n > 1 ? { x1: xPixel(0), x2: xPixel(n - 1), y: peer } : undefined;

  // The legend under the month axis: rows centred, each item its sample and its text half a font size on.
  const legendTop = area.bottom + xHeight;
  const legendRight = W - PADDING;
  const rowStart = (row: number) => (PADDING + LEGEND_PADDING + legendRight - rowWidths[row]) / 2;
  let row = 0;
  let x = rowStart(0);
  let itemTop = legendTop + LEGEND_PADDING;
  const at = itemWidths.map((w, i) => {
    if (i > 0 && x + w + LEGEND_PADDING > legendRight) {
      itemTop += f + LEGEND_PADDING;
      x = rowStart(++row);
    }
    const placed = { x, y: itemTop + f / 2 };
    x += w + LEGEND_PADDING;
    return placed;
  });
  const half = Math.SQRT1_2 * ((f * Math.SQRT2) / 2);
  const sampleCentre = (i: number) => at[i].x + LEGEND_SAMPLE_WIDTH / 2;
  const legend = {
    swatch: {
      x: sampleCentre(0) - LEGEND_SAMPLE_WIDTH / 2,
      y: at[0].y - half,
      width: LEGEND_SAMPLE_WIDTH,
      height: 2 * half,
    },
    sample: {
      x1: sampleCentre(1) - LEGEND_SAMPLE_WIDTH / 2,
      x2: sampleCentre(1) + LEGEND_SAMPLE_WIDTH / 2,
      y: at[1].y,
    },
    texts: legendTexts.map((text, i) => ({ text, x: at[i].x + LEGEND_SAMPLE_WIDTH + f / 2, y: at[i].y })) as [
      PlacedText,
      PlacedText,
    ],
  };
  return { area, grid, tickMarks, axisLine, valueLabels, monthLabels, bars, peerLine, legend };
}
