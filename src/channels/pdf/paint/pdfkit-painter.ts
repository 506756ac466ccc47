import SVGtoPDF from "svg-to-pdfkit";
import type {
  BoxPaint,
  FontMetrics,
  Grid,
  LinkTarget,
  Painter,
  Rect,
  TagOptions,
  TagRole,
  TextStyle,
} from "../../../layout/index.ts";
import type { ChartPen, ChartSize } from "../../../assets/chart/index.ts";
import type { Problem } from "../../../core/index.ts";
import { ColourOperators } from "./colour-operators.ts";
import { HeadingLevels } from "./heading-levels.ts";
import { PdfChartPen } from "./chart-pen.ts";
import { pdfkitDocument, setTableAttributes, taggedLink } from "./pdfkit-internals.ts";
import { writeTextRun } from "./text-run.ts";

type StructElement = PDFKit.PDFStructureElement;

/** Roles whose element holds painted content directly; the others hold further roles. */
const LEAF_ROLES = new Set<TagRole>(["H1", "H2", "H3", "P", "Lbl", "LBody", "TH", "TD", "Figure"]);

/** A leaf structure element being painted, and whether its marked content is open in the content stream. */
interface OpenLeaf {
  el: StructElement;
  role: TagRole;
  marked: boolean;
}

/** A link being painted: one Link element, its text's boxes (one annotation a line) given at its end. */
interface OpenLink {
  target: LinkTarget;
  el: StructElement;
  boxes: Rect[];
}

/**
 * The layout's Painter on a pdfkit document. Faces are registered on the document under their face names
 * (`body`, `bold`, …) before painting, so `doc.font(name)` is a cache hit and SVG text can use them too.
 * With `tagged`, every tag becomes a structure element and content is marked for screen readers. A link's
 * runs, over as many lines as it wraps to, make one Link element inside their paragraph, holding the link's
 * text and one annotation a line, each with the link's text as its description (PDF/UA 7.18.5).
 */
export class PdfkitPainter implements Painter {
  private readonly stack: StructElement[] = [];
  private readonly keyed = new WeakMap<object, StructElement>();
  /** The leaf being painted, whose content is marked as it comes, around the links it holds. */
  private leaf?: OpenLeaf;
  private link?: OpenLink;
  /** Inside an artifact, where nothing may be marked as content. */
  private inArtifact = false;
  private readonly headings: HeadingLevels;
  private face = "";
  private size = 0;
  private fill = "";
  private readonly colours = new ColourOperators();

  /** `warn` hears of headings tagged at another level than written (see HeadingLevels). */
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    root: StructElement | undefined,
    private readonly metrics: FontMetrics,
    warn: (p: Problem) => void,
  ) {
    if (root) this.stack.push(root);
    this.headings = new HeadingLevels(warn);
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
      this.setColour(colour, false);
      this.fill = colour;
    }
  }

  private setColour(colour: string, stroke: boolean): void {
    const ops = this.colours.get(colour, stroke);
    if (ops) pdfkitDocument(this.doc).addContent(ops);
    else if (stroke) this.doc.strokeColor(colour);
    else this.doc.fillColor(colour);
  }

  text(text: string, x: number, baseline: number, width: number, style: TextStyle, link?: LinkTarget): void {
    if (link && this.leaf) this.linkContent(link);
    else this.content();
    this.useText(style);
    writeTextRun(this.doc, text, x, baseline);
    if (link || style.underline) {
      // Drawn here rather than by pdfkit, whose underline and link box assume a top-aligned line.
      const under = baseline + style.size * 0.14;
      this.doc.rect(x, under, width, Math.max(0.4, style.size * 0.045)).fill();
    }
    if (!link) return;
    const box = { x, y: baseline - style.size * 0.9, width, height: style.size * 1.2 };
    if (this.link) this.link.boxes.push(box);
    else if (this.inArtifact) this.artifactLink(box, link);
    else this.doc.link(box.x, box.y, box.width, box.height, link.href, { Contents: new String(link.text) as string });
  }

  /**
   * A link in a running header or footer: its text is decoration, but PDF/UA wants every link annotation in
   * a Link element, so it gets one of its own beside the content.
   */
  private artifactLink(box: Rect, target: LinkTarget): void {
    const el = this.doc.struct("Link");
    this.stack[this.stack.length - 1].add(el);
    taggedLink(this.doc, box, target.href, target.text, el);
    el.end();
  }

  /** Inside a leaf, what is drawn goes into the leaf's marked content, opened again after a link. */
  private content(): void {
    const leaf = this.leaf;
    if (!leaf) return;
    this.closeLink();
    if (leaf.marked) return;
    leaf.el.add(this.doc.markStructureContent(leaf.role));
    leaf.marked = true;
  }

  /** Text of `target`: the open Link element goes on, or the leaf's content pauses for a new one. */
  private linkContent(target: LinkTarget): void {
    const leaf = this.leaf;
    if (!leaf || this.link?.target === target) return;
    this.closeLink();
    if (leaf.marked) {
      this.doc.endMarkedContent();
      leaf.marked = false;
    }
    const el = this.doc.struct("Link");
    leaf.el.add(el);
    el.add(this.doc.markStructureContent("Link"));
    this.link = { target, el, boxes: [] };
  }

  /** Ends the open link's content, gives it its annotations and ends its element on the page it is on. */
  private closeLink(): void {
    const link = this.link;
    if (!link) return;
    this.link = undefined;
    this.doc.endMarkedContent();
    for (const box of lineBoxes(link.boxes)) taggedLink(this.doc, box, link.target.href, link.target.text, link.el);
    link.el.end();
  }

  // Colours and line widths are set before a path is begun: PDF allows none of them between a path and the
  // operator that paints it (pdfkit's own fill(colour) writes the colour after the path).
  rect(r: Rect, paint: BoxPaint): void {
    const d = this.doc;
    this.content();
    if (paint.fill) this.useFill(paint.fill);
    if (paint.stroke) {
      this.setColour(paint.stroke, true);
      d.lineWidth(paint.lineWidth ?? 0.75);
    }
    if (paint.radius) d.roundedRect(r.x, r.y, r.width, r.height, paint.radius);
    else d.rect(r.x, r.y, r.width, r.height);
    if (paint.fill && paint.stroke) d.fillAndStroke();
    else if (paint.fill) d.fill();
    else if (paint.stroke) d.stroke();
  }

  rects(grid: Grid, rs: readonly Rect[], fill: string): void {
    if (rs.length === 0) return;
    const d = this.doc;
    this.content();
    this.useFill(fill);
    // Drawn in a coordinate system scaled to the grid: each rectangle is four whole numbers (short to write
    // and to compress, quick to format) instead of four fractions, the same shapes on the page. The fill
    // colour, set before the state is saved, outlasts its restoring.
    d.save();
    d.transform(grid.unit, 0, 0, grid.unit, grid.x, grid.y);
    for (const r of rs) d.rect(r.x, r.y, r.width, r.height);
    d.fill();
    d.restore();
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number): void {
    this.content();
    this.setColour(stroke, true);
    this.doc.lineWidth(width).moveTo(x1, y1).lineTo(x2, y2).stroke();
  }

  image(bytes: Uint8Array, r: Rect): void {
    this.content();
    this.doc.image(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), r.x, r.y, {
      fit: [r.width, r.height],
      align: "center",
      valign: "center",
    });
  }

  svg(svg: string, r: Rect): void {
    this.content();
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

  chart(
    r: Rect,
    size: ChartSize,
    text: { face: string; size: number },
    draw: (pen: ChartPen, measure: (text: string) => number) => void,
  ): void {
    this.content();
    const scale = Math.min(r.width / size.width, r.height / size.height);
    const d = this.doc;
    d.save();
    d.translate(r.x + (r.width - size.width * scale) / 2, r.y + (r.height - size.height * scale) / 2);
    d.scale(scale);
    const pen = new PdfChartPen(d, this.metrics, text.face, text.size, this.colours);
    draw(pen, pen.measure);
    d.restore();
    this.face = "";
    this.size = 0;
    this.fill = "";
  }

  tag(role: TagRole, options: TagOptions, paint: () => void): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent || this.leaf || this.inArtifact) {
      paint();
      return;
    }
    let el = options.key ? this.keyed.get(options.key) : undefined;
    if (!el) {
      const heading = /^H(\d)$/.exec(role);
      const tagged = heading ? `H${this.headings.level(Number(heading[1]), options.at)}` : role;
      el = this.doc.struct(tagged, options.alt ? { alt: options.alt } : {});
      if (options.scope || options.colSpan)
        setTableAttributes(el, {
          ...(options.scope ? { Scope: options.scope } : {}),
          ...(options.colSpan ? { ColSpan: options.colSpan } : {}),
        });
      parent.add(el);
      if (options.key) this.keyed.set(options.key, el);
    }
    if (LEAF_ROLES.has(role)) {
      const leaf: OpenLeaf = { el, role, marked: false };
      this.leaf = leaf;
      try {
        paint();
      } finally {
        this.closeLink();
        if (leaf.marked) this.doc.endMarkedContent();
        this.leaf = undefined;
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
    if (this.stack.length === 0 || this.inArtifact) {
      paint();
      return;
    }
    // Decoration painted inside a leaf is part of the leaf's content: content inside content is not marked.
    if (this.leaf) {
      this.content();
      paint();
      return;
    }
    this.doc.markContent("Artifact");
    this.inArtifact = true;
    try {
      paint();
    } finally {
      this.inArtifact = false;
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

/** A link's boxes, the pieces on one line (a bold word inside the link) joined into one. */
function lineBoxes(boxes: readonly Rect[]): Rect[] {
  const out: Rect[] = [];
  for (const b of boxes) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.y - b.y) < 0.01 && Math.abs(last.height - b.height) < 0.01 && b.x >= last.x - 0.01)
      out[out.length - 1] = { ...last, width: Math.max(last.width, b.x + b.width - last.x) };
    else out.push({ ...b });
  }
  return out;
}
