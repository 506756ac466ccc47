import { CHART_FONT_FAMILY } from "./font.ts";
import { type ChartSize, layoutUsageChart, type PlacedText } from "./layout.ts";
import type { UsageChartSpec } from "./spec.ts";

/** The month axis's line: Chart.js's default border colour, a tenth of black over the grid's zero line. */
export const AXIS_LINE_COLOUR = "rgba(0,0,0,0.1)";
export const PEER_DASH = [6, 4];
export const PEER_LINE_WIDTH = 2;

/** The font the chart's texts are drawn in, a CSS `font`. */
export const chartFont = (spec: UsageChartSpec) => `${spec.fontSize}px ${CHART_FONT_FAMILY}`;

function fillTexts(ctx: CanvasRenderingContext2D, texts: readonly PlacedText[]): void {
  for (const t of texts) ctx.fillText(t.text, t.x, t.y);
}

/**
 * Draws the spec onto `ctx`, a `size` canvas in CSS pixels (the caller scales a larger one), laid out by
 * `layoutUsageChart` with the context's own text measure, so the PDF's canvas lays the chart out in the
 * document's font metrics. Each colour, font and line style is set once: the grid and tick marks are one path,
 * the texts are grouped by colour and alignment, nothing is saved and restored. `ratio` is the device pixels
 * per CSS pixel the lines are aligned to. Leaves the context's line dash empty, as it finds it.
 */
export function drawUsageChart(
  ctx: CanvasRenderingContext2D,
  spec: UsageChartSpec,
  size: ChartSize,
  ratio: number,
): void {
  const c = spec.colours;
  ctx.font = chartFont(spec);
  const layout = layoutUsageChart(spec, size, (text) => ctx.measureText(text).width, ratio);

  ctx.fillStyle = c.background;
  ctx.fillRect(0, 0, size.width, size.height);

  ctx.lineWidth = 1;
  ctx.strokeStyle = c.border;
  ctx.beginPath();
  for (const s of [...layout.grid, ...layout.tickMarks]) {
    ctx.moveTo(s.x1, s.y);
    ctx.lineTo(s.x2, s.y);
  }
  ctx.stroke();
  ctx.strokeStyle = AXIS_LINE_COLOUR;
  ctx.beginPath();
  ctx.moveTo(layout.axisLine.x1, layout.axisLine.y);
  ctx.lineTo(layout.axisLine.x2, layout.axisLine.y);
  ctx.stroke();

  ctx.textBaseline = "middle";
  ctx.fillStyle = c.text;
  ctx.textAlign = "center";
  fillTexts(ctx, layout.monthLabels);
  ctx.textAlign = "left";
  fillTexts(ctx, layout.legend.texts);
  ctx.fillStyle = c.muted;
  ctx.textAlign = "right";
  fillTexts(ctx, layout.valueLabels);

  // A path each: PDF viewers snap a lone rectangle to whole device pixels, as they did each bar before.
  ctx.fillStyle = c.secondary;
  for (const b of [...layout.bars, layout.legend.swatch]) {
    ctx.beginPath();
    ctx.rect(b.x, b.y, b.width, b.height);
    ctx.fill();
  }

  ctx.strokeStyle = c.primary;
  ctx.lineWidth = PEER_LINE_WIDTH;
  if (layout.peerLine) {
    ctx.setLineDash(PEER_DASH);
    ctx.beginPath();
    ctx.moveTo(layout.peerLine.x1, layout.peerLine.y);
    ctx.lineTo(layout.peerLine.x2, layout.peerLine.y);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.beginPath();
  ctx.moveTo(layout.legend.sample.x1, layout.legend.sample.y);
  ctx.lineTo(layout.legend.sample.x2, layout.legend.sample.y);
  ctx.stroke();
}
