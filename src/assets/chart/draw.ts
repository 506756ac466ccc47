import { CHART_FONT_FAMILY } from "./font.ts";
import {
  type ChartSize,
  layoutUsageChart,
  type PlacedText,
  type Rect,
  type Segment,
  type UsageChartLayout,
} from "./layout.ts";
import type { UsageChartSpec } from "./spec.ts";

/** The month axis's line: Chart.js's default border colour, a tenth of black over the grid's zero line. */
export const AXIS_LINE_COLOUR = "rgba(0,0,0,0.1)";
export const PEER_DASH = [6, 4];
export const PEER_LINE_WIDTH = 2;

/** The font the chart's texts are drawn in, a CSS `font`. */
export const chartFont = (spec: UsageChartSpec) => `${spec.fontSize}px ${CHART_FONT_FAMILY}`;

export type TextAlignment = "left" | "center" | "right";

/**
 * What the chart's marks are drawn with: a 2D canvas (`drawUsageChart`: the SVG, Skia's reference drawing), the
 * email's palette PNG (`PaletteChartPen`) or a PDF page's content operators. Colours are CSS colours;
 * coordinates are the layout's.
 */
export interface ChartPen {
  /** The whole chart's ground. */
  background(colour: string, size: ChartSize): void;
  /** Segments stroked as one path `width` wide with butt caps, dashed by `dash` (on, off) when given. */
  strokes(colour: string, width: number, segments: readonly Segment[], dash?: readonly number[]): void;
  /** Texts in the chart's font, `y` their middle, `x` their left, centre or right by `align`. */
  texts(colour: string, align: TextAlignment, texts: readonly PlacedText[]): void;
  /** Rectangles filled each as a path of its own: PDF viewers snap a lone rectangle to whole device pixels. */
  rects(colour: string, rects: readonly Rect[]): void;
}

/**
 * The chart's marks, laid out, in the order every renderer paints them: the ground, grid and tick marks, the
 * month axis's line, the texts, the bars and the legend's swatch, the peer line and the legend's sample of it.
 * Each colour and line style is set once (the grid and tick marks are one path, the texts grouped by colour
 * and alignment).
 */
export function drawUsageChartMarks(
  pen: ChartPen,
  spec: UsageChartSpec,
  layout: UsageChartLayout,
  size: ChartSize,
): void {
  const c = spec.colours;
  pen.background(c.background, size);
  pen.strokes(c.border, 1, [...layout.grid, ...layout.tickMarks]);
  pen.strokes(AXIS_LINE_COLOUR, 1, [layout.axisLine]);
  pen.texts(c.text, "center", layout.monthLabels);
  pen.texts(c.text, "left", layout.legend.texts);
  pen.texts(c.muted, "right", layout.valueLabels);
  pen.rects(c.secondary, [...layout.bars, layout.legend.swatch]);
  if (layout.peerLine) pen.strokes(c.primary, PEER_LINE_WIDTH, [layout.peerLine], PEER_DASH);
  pen.strokes(c.primary, PEER_LINE_WIDTH, [layout.legend.sample]);
}

/** The chart's pen on a 2D canvas context. Leaves the context's line dash empty, as it finds it. */
function canvasPen(ctx: CanvasRenderingContext2D): ChartPen {
  return {
    background(colour, size) {
      ctx.fillStyle = colour;
      ctx.fillRect(0, 0, size.width, size.height);
    },
    strokes(colour, width, segments, dash) {
      ctx.lineWidth = width;
      ctx.strokeStyle = colour;
      if (dash) ctx.setLineDash([...dash]);
      ctx.beginPath();
      for (const s of segments) {
        ctx.moveTo(s.x1, s.y);
        ctx.lineTo(s.x2, s.y);
      }
      ctx.stroke();
      if (dash) ctx.setLineDash([]);
    },
    texts(colour, align, texts) {
      ctx.textBaseline = "middle";
      ctx.fillStyle = colour;
      ctx.textAlign = align;
      for (const t of texts) ctx.fillText(t.text, t.x, t.y);
    },
    rects(colour, rects) {
      ctx.fillStyle = colour;
      for (const r of rects) {
        ctx.beginPath();
        ctx.rect(r.x, r.y, r.width, r.height);
        ctx.fill();
      }
    },
  };
}

/**
 * Draws the spec onto `ctx`, a `size` canvas in CSS pixels (the caller scales a larger one), laid out by
 * `layoutUsageChart` with the context's own text measure. `ratio` is the device pixels per CSS pixel the lines
 * are aligned to.
 */
export function drawUsageChart(
  ctx: CanvasRenderingContext2D,
  spec: UsageChartSpec,
  size: ChartSize,
  ratio: number,
): void {
  ctx.font = chartFont(spec);
  const layout = layoutUsageChart(spec, size, (text) => ctx.measureText(text).width, ratio);
  drawUsageChartMarks(canvasPen(ctx), spec, layout, size);
}
