import type { ChartPen, PlacedText, Rect, Segment, TextAlignment } from "../../../assets/chart/index.ts";
import type { FontMetrics } from "../../../layout/index.ts";
import type { ColourOperators } from "./colour-operators.ts";
import { pdfkitDocument } from "./pdfkit-internals.ts";
import { writeTextRun } from "./text-run.ts";

/** pdfkit's number format: at most six decimals. */
const num = (n: number): number => Math.round(n * 1e6) / 1e6;

const NAMED: Record<string, string> = { black: "#000000", white: "#FFFFFF" };

/** `#rgb`, `#rrggbb`, `rgb()`/`rgba()` to a pdfkit colour and its opacity. */
function cssColour(css: string): [string, number] {
  const c = css.trim();
  if (c === "transparent") return ["#000000", 0];
  const m = /^rgba?\(([^)]+)\)$/.exec(c);
  if (m) {
    const [r, g, b, a] = m[1].split(",").map((s) => Number(s.trim()));
    const hex = `#${[r, g, b].map((n) => Math.round(n).toString(16).padStart(2, "0")).join("")}`;
    return [hex, Number.isFinite(a) ? a : 1];
  }
  return [NAMED[c] ?? c, 1];
}

/**
 * The usage chart's marks written straight as PDF content operators, in the coordinates of the chart's area
 * the painter has mapped onto the page (`PdfkitPainter.chart`). A colour, line width and dash are written when
 * they change, not before every path (the page's own are not assumed: the first mark sets them); texts are text
 * runs in the document's face, as the painter writes them. A translucent colour (the month axis's line, black at
 * a tenth; theme colours are `#rrggbb`) is set by pdfkit, which keeps the document's opacity states, inside a
 * graphics state of its own.
 */
export class PdfChartPen implements ChartPen {
  /** The fill and stroke colours, line width and dash pattern last written; undefined until the pen writes one. */
  private fill?: string;
  private stroke?: string;
  private width?: number;
  private dash?: string;
  private readonly ascent: number;
  private readonly descent: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly metrics: FontMetrics,
    /** The face name and size of the chart's texts. */
    private readonly face: string,
    private readonly size: number,
    /** Colours' operators, made once a thread: the same few theme colours on every statement. */
    private readonly colours: ColourOperators,
  ) {
    this.ascent = metrics.ascent(face, size);
    this.descent = metrics.descent(face, size);
  }

  /** A text's width in the chart's face: the measure the layout is made with. */
  readonly measure = (text: string): number => this.metrics.width(text, this.face, this.size);

  background(colour: string, size: { width: number; height: number }): void {
    this.paint(colour, false, () => this.write(`0 0 ${num(size.width)} ${num(size.height)} re\nf`));
  }

  strokes(colour: string, width: number, segments: readonly Segment[], dash?: readonly number[]): void {
    let ops = "";
    if (width !== this.width) ops += `${num(width)} w\n`;
    const pattern = dash ? `[${dash.map(num).join(" ")}] 0 d` : "[] 0 d";
    if (pattern !== this.dash) ops += `${pattern}\n`;
    this.width = width;
    this.dash = pattern;
    if (ops !== "") this.write(ops.slice(0, -1));
    let path = "";
    for (const s of segments) path += `${num(s.x1)} ${num(s.y)} m\n${num(s.x2)} ${num(s.y)} l\n`;
    this.paint(colour, true, () => this.write(`${path}S`));
  }

  texts(colour: string, align: TextAlignment, texts: readonly PlacedText[]): void {
    this.doc.font(this.face).fontSize(this.size);
    // Placed by their middle, as a canvas's `textBaseline = "middle"` places them.
    const dy = (this.ascent - this.descent) / 2;
    this.paint(colour, false, () => {
      for (const t of texts) {
        const dx = align === "left" ? 0 : align === "center" ? -this.measure(t.text) / 2 : -this.measure(t.text);
        writeTextRun(this.doc, t.text, t.x + dx, t.y + dy);
      }
    });
  }

  rects(colour: string, rects: readonly Rect[]): void {
    let path = "";
    for (const r of rects) path += `${num(r.x)} ${num(r.y)} ${num(r.width)} ${num(r.height)} re\nf\n`;
    this.paint(colour, false, () => this.write(path.slice(0, -1)));
  }

  /** Writes the marks `write` writes in `colour`, as their fill or stroke. */
  private paint(colour: string, stroke: boolean, write: () => void): void {
    const opaque = this.colours.get(colour, stroke);
    if (opaque === undefined) {
      const [rgb, opacity] = cssColour(colour);
      this.write("q");
      if (stroke) this.doc.strokeColor(rgb, opacity);
      else this.doc.fillColor(rgb, opacity);
      write();
      this.write("Q");
      return;
    }
    if (colour !== (stroke ? this.stroke : this.fill)) this.write(opaque);
    if (stroke) this.stroke = colour;
    else this.fill = colour;
    write();
  }

  private write(ops: string): void {
    if (ops !== "") pdfkitDocument(this.doc).addContent(ops);
  }
}
