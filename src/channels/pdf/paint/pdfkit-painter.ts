import SVGtoPDF from "svg-to-pdfkit";
import type { BoxPaint, FontMetrics, Painter, Rect, TagOptions, TagRole, TextStyle } from "../../../layout/index.ts";
import { PdfCanvas } from "./pdf-canvas.ts";
import { writeTextRun } from "./text-run.ts";

type StructElement = PDFKit.PDFStructureElement;

/** Roles whose element holds painted content directly; the others hold further roles. */
const LEAF_ROLES = new Set<TagRole>(["H1", "H2", "H3", "P", "Lbl", "LBody", "TH", "TD", "Figure"]);

/**
 * The layout's Painter on a pdfkit document. Faces are registered on the document under their face names
 * (`body`, `bold`, …) before painting, so `doc.font(name)` is a cache hit and SVG text can use them too.
 * With `tagged`, every tag becomes a structure element and content is marked for screen readers.
 */
export class PdfkitPainter implements Painter {
  private readonly stack: StructElement[] = [];
  private readonly keyed = new WeakMap<object, StructElement>();
  /** Inside marked content (a leaf's content or an artifact), where nothing else may be marked. */
  private inLeaf = false;
  private face = "";
  private size = 0;
  private fill = "";

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    root: StructElement | undefined,
    private readonly metrics: FontMetrics,
  ) {
    if (root) this.stack.push(root);
  }

  private useText(style: TextStyle): void {
    if (style.font !== this.face) {
      this.doc.font(style.font);
      this.face = style.font;
    }
    if (style.size !== this.size) {
      this.doc.fontSize(style.size);
      this.size = style.size;
    }
    this.useFill(style.color);
  }

  private useFill(colour: string): void {
    if (colour !== this.fill) {
      this.doc.fillColor(colour);
      this.fill = colour;
    }
  }

  text(text: string, x: number, baseline: number, width: number, style: TextStyle, link?: string): void {
    this.useText(style);
    writeTextRun(this.doc, text, x, baseline);
    if (link || style.underline) {
      // Drawn here rather than by pdfkit, whose underline and link box assume a top-aligned line.
      const under = baseline + style.size * 0.14;
      this.doc.rect(x, under, width, Math.max(0.4, style.size * 0.045)).fill();
      if (link) this.doc.link(x, baseline - style.size * 0.9, width, style.size * 1.2, link);
    }
  }

  // Colours and line widths are set before a path is begun: PDF allows none of them between a path and the
  // operator that paints it (pdfkit's own fill(colour) writes the colour after the path).
  rect(r: Rect, paint: BoxPaint): void {
    const d = this.doc;
    if (paint.fill) this.useFill(paint.fill);
    if (paint.stroke) d.strokeColor(paint.stroke).lineWidth(paint.lineWidth ?? 0.75);
    if (paint.radius) d.roundedRect(r.x, r.y, r.width, r.height, paint.radius);
    else d.rect(r.x, r.y, r.width, r.height);
    if (paint.fill && paint.stroke) d.fillAndStroke();
    else if (paint.fill) d.fill();
    else if (paint.stroke) d.stroke();
  }

  rects(rs: readonly Rect[], fill: string): void {
    if (rs.length === 0) return;
    this.useFill(fill);
    for (const r of rs) this.doc.rect(r.x, r.y, r.width, r.height);
    this.doc.fill();
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number): void {
    this.doc.strokeColor(stroke).lineWidth(width).moveTo(x1, y1).lineTo(x2, y2).stroke();
  }

  image(bytes: Uint8Array, r: Rect): void {
    this.doc.image(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), r.x, r.y, {
      fit: [r.width, r.height],
      align: "center",
      valign: "center",
    });
  }

  svg(svg: string, r: Rect): void {
    SVGtoPDF(this.doc, svg, r.x, r.y, {
      width: r.width,
      height: r.height,
      assumePt: true,
      preserveAspectRatio: "xMidYMid meet",
      fontCallback: (_family, bold, italic) => (bold ? (italic ? "boldItalic" : "bold") : italic ? "italic" : "body"),
    });
    // The SVG painter changed font and colours behind our back.
    this.face = "";
    this.size = 0;
    this.fill = "";
  }

  canvas(r: Rect, size: { width: number; height: number }, draw: (ctx: CanvasRenderingContext2D) => void): void {
    const scale = Math.min(r.width / size.width, r.height / size.height);
    const d = this.doc;
    d.save();
    d.translate(r.x + (r.width - size.width * scale) / 2, r.y + (r.height - size.height * scale) / 2);
    d.scale(scale);
    draw(new PdfCanvas(d, this.metrics, size.width, size.height) as unknown as CanvasRenderingContext2D);
    d.restore();
    this.face = "";
    this.size = 0;
    this.fill = "";
  }

  tag(role: TagRole, options: TagOptions, paint: () => void): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent || this.inLeaf) {
      paint();
      return;
    }
    let el = options.key ? this.keyed.get(options.key) : undefined;
    if (!el) {
      el = this.doc.struct(role, options.alt ? { alt: options.alt } : {});
      parent.add(el);
      if (options.key) this.keyed.set(options.key, el);
    }
    if (LEAF_ROLES.has(role)) {
      this.inLeaf = true;
      try {
        el.add(paint);
      } finally {
        this.inLeaf = false;
      }
      return;
    }
    this.stack.push(el);
    try {
      paint();
    } finally {
      this.stack.pop();
    }
  }

  artifact(paint: () => void): void {
    if (this.stack.length === 0 || this.inLeaf) {
      paint();
      return;
    }
    this.doc.markContent("Artifact");
    this.inLeaf = true;
    try {
      paint();
    } finally {
      this.inLeaf = false;
      this.doc.endMarkedContent();
    }
  }

  /** A new page starts with pdfkit's defaults: forget what was set on the last one. */
  pageStarted(): void {
    this.face = "";
    this.size = 0;
    this.fill = "";
  }
}
