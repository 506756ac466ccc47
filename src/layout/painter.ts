/**
 * The drawing surface the layout paints on. It knows nothing of any file format: the PDF channel implements
 * it on pdfkit, a test can implement it by recording calls. Coordinates are points from the top-left corner.
 */
import type { ChartPen, ChartSize } from "../assets/chart/index.ts";

export interface TextStyle {
  /** A face name the FontMetrics and the painter both know (`body`, `bold`, `italic`, `boldItalic`). */
  font: string;
  size: number;
  color: string;
  underline?: boolean;
}

export interface BoxPaint {
  fill?: string;
  stroke?: string;
  lineWidth?: number;
  radius?: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Square cells from an origin: cell (x, y) is `unit` points a side, at (x0 + x × unit, y0 + y × unit). */
export interface Grid {
  x: number;
  y: number;
  unit: number;
}

/** Structure roles for accessible (tagged) output; leaf roles hold content, group roles hold other roles. */
export type TagRole =
  | "Document"
  | "Sect"
  | "Div"
  | "H1"
  | "H2"
  | "H3"
  | "P"
  | "L"
  | "LI"
  | "Lbl"
  | "LBody"
  | "Table"
  | "TR"
  | "TH"
  | "TD"
  | "Figure";

export interface TagOptions {
  /** Text alternative, for figures. */
  alt?: string;
  /** Which cells a table header cell heads: those below it (Column) or beside it (Row). */
  scope?: "Column" | "Row";
  /** How many columns a table cell spans, when more than one. */
  colSpan?: number;
  /** Where the element was written, for problems. */
  at?: string;
  /**
   * The same key on fragments painted on different pages makes them one structure element
   * (a table that continues on the next page is still one table).
   */
  key?: object;
}

/** Where text links to. Every run of one link shares the one object: painted in a row, they make one link. */
export interface LinkTarget {
  href: string;
  /** The whole text of the link, which describes it to screen readers. */
  text: string;
}

export interface Painter {
  /** Draws text `width` points wide with its baseline at `baseline`; `link` makes it an underlined link. */
  text(text: string, x: number, baseline: number, width: number, style: TextStyle, link?: LinkTarget): void;
  rect(r: Rect, paint: BoxPaint): void;
  /** Many filled rectangles as one path (a QR code's modules), each given in cells of `grid`. */
  rects(grid: Grid, rs: readonly Rect[], fill: string): void;
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number): void;
  /** A raster image (PNG/JPEG bytes) fitted into the box. */
  image(bytes: Uint8Array, r: Rect): void;
  /** An SVG document drawn as vectors into the box. */
  svg(svg: string, r: Rect): void;
  /**
   * A chart's marks drawn by `draw` with the pen it is handed, on a `size` area in CSS pixels scaled into the box
   * keeping its proportions: texts in `text`'s face and size, measured by `measure`.
   */
  chart(
    r: Rect,
    size: ChartSize,
    text: { face: string; size: number },
    draw: (pen: ChartPen, measure: (text: string) => number) => void,
  ): void;
  /** Paints inside a structure element of `role`. */
  tag(role: TagRole, options: TagOptions, paint: () => void): void;
  /** Paints decoration that is no content (backgrounds, rules, running headers). */
  artifact(paint: () => void): void;
}
