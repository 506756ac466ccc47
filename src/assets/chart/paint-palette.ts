import { type ChartPen, chartFont, drawUsageChartMarks, type TextAlignment } from "./draw.ts";
import { type ChartSize, layoutUsageChart, type PlacedText, type Rect, type Segment } from "./layout.ts";
import type { PaletteCanvas, Rgba } from "./palette-canvas.ts";
import type { UsageChartSpec } from "./spec.ts";
import type { TextMasks } from "./text-masks.ts";

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

/** A segment stroked `width` wide with butt caps: the rectangle it covers. */
const stroked = (s: Segment, width: number): Box => [s.x1, s.y - width / 2, s.x2, s.y + width / 2];

/** A segment's dashes (on, off) from its start, stroked `width` wide with butt caps. */
function dashes(s: Segment, width: number, [on, off]: readonly number[]): Box[] {
  const boxes: Box[] = [];
  for (let x = s.x1; x < s.x2; x += on + off) boxes.push(stroked({ x1: x, x2: Math.min(x + on, s.x2), y: s.y }, width));
  return boxes;
}

/**
 * The chart's pen on a palette canvas `scale` times the chart's size, drawing what a 2D context draws: every
 * mark but the texts is axis-aligned rectangles (bars, swatch, strokes with butt caps, a dashed stroke's dashes)
 * filled as one path with Skia's coverage (`fillPath`); texts are stamped from the masks Skia drew them into
 * (`TextMasks`, in the font it was last given), found by the width the layout measured them at.
 */
export class PaletteChartPen implements ChartPen {
  /** Each text measured once a chart: the layout measures it, and its mask is found by its width. */
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly canvas: PaletteCanvas,
    private readonly scale: number,
    private readonly masks: TextMasks,
  ) {}

  /** A text's width, CSS pixels: the measure the layout is made with. */
  readonly measure = (text: string): number => {
    let width = this.widths.get(text);
    if (width === undefined) {
      width = this.masks.measure(text);
      this.widths.set(text, width);
    }
    return width;
  };

  background(colour: string): void {
    this.canvas.clear(this.masks.colour(colour));
  }

  strokes(colour: string, width: number, segments: readonly Segment[], dash?: readonly number[]): void {
    const boxes = dash ? segments.flatMap((s) => dashes(s, width, dash)) : segments.map((s) => stroked(s, width));
    fillPath(this.canvas, boxes, this.scale, this.masks.colour(colour));
  }

  texts(colour: string, align: TextAlignment, texts: readonly PlacedText[]): void {
    const { canvas, scale, masks } = this;
    const rgba = masks.colour(colour);
    for (const t of texts) {
      const x = t.x * scale;
      const y = t.y * scale;
      const mask = masks.mask(t.text, this.measure(t.text), colour, align, scale, x, y);
      canvas.stamp(mask.spots, Math.floor(x) + mask.left, Math.floor(y) + mask.top, rgba);
    }
  }

  rects(colour: string, rects: readonly Rect[]): void {
    const rgba = this.masks.colour(colour);
    for (const r of rects) fillPath(this.canvas, [[r.x, r.y, r.x + r.width, r.y + r.height]], this.scale, rgba);
  }
}

/**
 * Paints onto a palette canvas what `drawUsageChart` draws onto a 2D context `scale` times the chart's `size`:
 * the same marks (`drawUsageChartMarks`), laid out with Skia's measure of the texts, drawn with a
 * `PaletteChartPen`.
 */
export function paintUsageChart(
  canvas: PaletteCanvas,
  spec: UsageChartSpec,
  size: ChartSize,
  scale: number,
  masks: TextMasks,
): void {
  masks.useFont(chartFont(spec));
  const pen = new PaletteChartPen(canvas, scale, masks);
  drawUsageChartMarks(pen, spec, layoutUsageChart(spec, size, pen.measure, scale), size);
}
