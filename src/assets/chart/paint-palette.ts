import { AXIS_LINE_COLOUR, chartFont, PEER_DASH, PEER_LINE_WIDTH } from "./draw.ts";
import { type ChartSize, layoutUsageChart, type PlacedText, type Rect, type Segment } from "./layout.ts";
import type { PaletteCanvas, Rgba } from "./palette-canvas.ts";
import type { UsageChartSpec } from "./spec.ts";
import type { TextAlign, TextMasks } from "./text-masks.ts";

/** Skia rasterises a path within this many pixels across, and this many bytes of mask, exactly (below). */
const EXACT_WIDTH = 32;
const EXACT_AREA = 1024;

/** A rectangle by its corners, x0 < x1, y0 < y1. */
type Box = [x0: number, y0: number, x1: number, y1: number];

/**
 * One path of rectangles (CSS pixels), `scale` times, as Skia fills it: a path whose pixels fit a small mask (at
 * most 32 wide, 1,024 bytes with rows of a multiple of 4) with exact-area coverage, a larger one with each top
 * and bottom on the nearest quarter of a pixel (4 sub-scanlines a row), sides exact.
 */
function fillPath(canvas: PaletteCanvas, boxes: readonly Box[], scale: number, rgba: Rgba): void {
  const device = boxes.map((box) => box.map((v) => v * scale) as Box);
  const width = Math.ceil(Math.max(...device.map((b) => b[2]))) - Math.floor(Math.min(...device.map((b) => b[0])));
  const height = Math.ceil(Math.max(...device.map((b) => b[3]))) - Math.floor(Math.min(...device.map((b) => b[1])));
  const small = width <= EXACT_WIDTH && Math.ceil(width / 4) * 4 * height <= EXACT_AREA;
  const row = (y: number) => (small ? y : Math.floor(y * 4 + 0.5) / 4);
  for (const [x0, y0, x1, y1] of device) canvas.fillRect(x0, row(y0), x1, row(y1), rgba);
}

/**
 * Paints onto a palette canvas what `drawUsageChart` draws onto a 2D context `scale` times the chart's `size`,
 * in the same order: every part of the chart but its text is an axis-aligned rectangle (bars, swatch, the grid,
 * tick marks and lines as strokes with butt caps, the peer line's dashes), filled with exact-area coverage;
 * texts are stamped from the masks Skia drew them into (`TextMasks`).
 */
export function paintUsageChart(
  canvas: PaletteCanvas,
  spec: UsageChartSpec,
  size: ChartSize,
  scale: number,
  texts: TextMasks,
): void {
  texts.useFont(chartFont(spec));
  // Each text measured once: the layout measures it, and its mask is found by its width.
  const widths = new Map<string, number>();
  const measure = (text: string) => {
    let width = widths.get(text);
    if (width === undefined) {
      width = texts.measure(text);
      widths.set(text, width);
    }
    return width;
  };
  const layout = layoutUsageChart(spec, size, measure, scale);
  const c = spec.colours;
  const colour = {
    border: texts.colour(c.border),
    axis: texts.colour(AXIS_LINE_COLOUR),
    secondary: texts.colour(c.secondary),
    primary: texts.colour(c.primary),
  };
  const rect = (r: Rect, rgba: Rgba) => fillPath(canvas, [[r.x, r.y, r.x + r.width, r.y + r.height]], scale, rgba);
  const stroke = (s: Segment, width: number): Box => [s.x1, s.y - width / 2, s.x2, s.y + width / 2];
  const line = (s: Segment, width: number, rgba: Rgba) => fillPath(canvas, [stroke(s, width)], scale, rgba);
  const write = (placed: readonly PlacedText[], css: string, align: TextAlign) => {
    const rgba = texts.colour(css);
    for (const t of placed) {
      const x = t.x * scale;
      const y = t.y * scale;
      const mask = texts.mask(t.text, measure(t.text), css, align, scale, x, y);
      canvas.stamp(mask.spots, Math.floor(x) + mask.left, Math.floor(y) + mask.top, rgba);
    }
  };

  canvas.clear(texts.colour(c.background));
  fillPath(
    canvas,
    [...layout.grid, ...layout.tickMarks].map((s) => stroke(s, 1)),
    scale,
    colour.border,
  );
  line(layout.axisLine, 1, colour.axis);
  write(layout.monthLabels, c.text, "center");
  write(layout.legend.texts, c.text, "left");
  write(layout.valueLabels, c.muted, "right");
  for (const b of [...layout.bars, layout.legend.swatch]) rect(b, colour.secondary);
  if (layout.peerLine) {
    // Dashes with butt caps, from the line's start: one path.
    const { x1, x2, y } = layout.peerLine;
    const [on, off] = PEER_DASH;
    const dashes: Box[] = [];
    for (let x = x1; x < x2; x += on + off)
      dashes.push(stroke({ x1: x, x2: Math.min(x + on, x2), y }, PEER_LINE_WIDTH));
    fillPath(canvas, dashes, scale, colour.primary);
  }
  line(layout.legend.sample, PEER_LINE_WIDTH, colour.primary);
}
