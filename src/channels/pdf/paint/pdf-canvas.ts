import type { FontMetrics } from "../../../layout/index.ts";
import { PdfChartPen, cssColour } from "./chart-pen.ts";
import type { ColourOperators } from "./colour-operators.ts";
import { writeTextRun } from "./text-run.ts";

/** What the canvas remembers across save()/restore(), as a 2D canvas does. */
interface CanvasState {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  dash: number[];
  globalAlpha: number;
}

/**
 * The part of a 2D canvas context that Chart.js draws with, writing straight into a pdfkit document:
 * vectors stay vectors and text is real text in the document's own fonts, with no SVG in between.
 * Coordinates are CSS pixels of a `width`×`height` canvas mapped onto the box it paints in. The usage chart
 * takes `chartPen` instead, which writes its marks as operators without going through the context's calls.
 */
export class PdfCanvas {
  readonly canvas: { width: number; height: number; style: Record<string, string>; getContext: () => PdfCanvas };
  private state: CanvasState = {
    fillStyle: "#000000",
    strokeStyle: "#000000",
    lineWidth: 1,
    font: "10px sans-serif",
    textAlign: "start",
    textBaseline: "alphabetic",
    dash: [],
    globalAlpha: 1,
  };
  private readonly saved: CanvasState[] = [];
  /** The current path, as the pdfkit calls that trace it. */
  private path: ((doc: PDFKit.PDFDocument) => void)[] = [];
  lineCap = "butt";
  lineJoin = "miter";
  lineDashOffset = 0;
  miterLimit = 10;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly metrics: FontMetrics,
    width: number,
    height: number,
  ) {
    this.canvas = { width, height, style: {}, getContext: () => this };
  }

  /** The usage chart's pen on this canvas, its texts in `face` at `size`, its colours' operators from `colours`. */
  chartPen(face: string, size: number, colours: ColourOperators): PdfChartPen {
    return new PdfChartPen(this.doc, this.metrics, face, size, colours);
  }

  get fillStyle(): string {
    return this.state.fillStyle;
  }
  set fillStyle(v: string) {
    this.state.fillStyle = String(v);
  }
  get strokeStyle(): string {
    return this.state.strokeStyle;
  }
  set strokeStyle(v: string) {
    this.state.strokeStyle = String(v);
  }
  get lineWidth(): number {
    return this.state.lineWidth;
  }
  set lineWidth(v: number) {
    this.state.lineWidth = v;
  }
  get font(): string {
    return this.state.font;
  }
  set font(v: string) {
    this.state.font = v;
  }
  get textAlign(): string {
    return this.state.textAlign;
  }
  set textAlign(v: string) {
    this.state.textAlign = v;
  }
  get textBaseline(): string {
    return this.state.textBaseline;
  }
  set textBaseline(v: string) {
    this.state.textBaseline = v;
  }
  get globalAlpha(): number {
    return this.state.globalAlpha;
  }
  set globalAlpha(v: number) {
    this.state.globalAlpha = v;
  }

  save(): void {
    this.saved.push({ ...this.state, dash: [...this.state.dash] });
    this.doc.save();
  }
  restore(): void {
    const s = this.saved.pop();
    if (!s) return;
    this.state = s;
    this.doc.restore();
  }
  translate(x: number, y: number): void {
    this.doc.translate(x, y);
  }
  rotate(radians: number): void {
    if (radians !== 0) this.doc.rotate((radians * 180) / Math.PI, { origin: [0, 0] });
  }
  scale(x: number, y: number): void {
    this.doc.scale(x, y);
  }
  /** Chart.js sets the device-pixel transform once before drawing; at ratio 1 that is the identity. */
  setTransform(): void {}
  resetTransform(): void {}

  /**
   * A canvas keeps its path until beginPath(), so Chart.js fills a legend box and then strokes the same path;
   * a PDF path ends with the operator that paints it. The path is recorded and traced again for each paint.
   */
  beginPath(): void {
    this.path = [];
  }
  closePath(): void {
    this.path.push((d) => d.closePath());
  }
  moveTo(x: number, y: number): void {
    this.path.push((d) => d.moveTo(x, y));
  }
  lineTo(x: number, y: number): void {
    this.path.push((d) => d.lineTo(x, y));
  }
  bezierCurveTo(a: number, b: number, c: number, e: number, x: number, y: number): void {
    this.path.push((d) => d.bezierCurveTo(a, b, c, e, x, y));
  }
  quadraticCurveTo(a: number, b: number, x: number, y: number): void {
    this.path.push((d) => d.quadraticCurveTo(a, b, x, y));
  }
  rect(x: number, y: number, w: number, h: number): void {
    this.path.push((d) => d.rect(x, y, w, h));
  }
  arc(x: number, y: number, r: number, start: number, end: number): void {
    const steps = Math.max(4, Math.ceil((Math.abs(end - start) / (Math.PI * 2)) * 24));
    for (let i = 0; i <= steps; i++) {
      const a = start + ((end - start) * i) / steps;
      const px = x + r * Math.cos(a);
      const py = y + r * Math.sin(a);
      if (i === 0) this.moveTo(px, py);
      else this.lineTo(px, py);
    }
  }
  fill(): void {
    this.fillWith(() => this.tracePath());
  }
  stroke(): void {
    this.strokeWith(() => this.tracePath());
  }
  clip(): void {
    this.tracePath();
    this.doc.clip();
  }
  /** fillRect and strokeRect paint a rectangle of their own and leave the current path as it is. */
  fillRect(x: number, y: number, w: number, h: number): void {
    this.fillWith(() => this.doc.rect(x, y, w, h));
  }
  strokeRect(x: number, y: number, w: number, h: number): void {
    this.strokeWith(() => this.doc.rect(x, y, w, h));
  }
  private tracePath(): void {
    for (const segment of this.path) segment(this.doc);
  }
  // PDF allows no colour or line-style operator between a path and the operator that paints it: set them first.
  private fillWith(trace: () => void): void {
    const [c, a] = cssColour(this.state.fillStyle);
    this.doc.fillColor(c, a * this.state.globalAlpha);
    trace();
    this.doc.fill();
  }
  private strokeWith(trace: () => void): void {
    const [c, a] = cssColour(this.state.strokeStyle);
    this.doc.lineWidth(this.state.lineWidth);
    if (this.state.dash.length > 0)
      this.doc.dash(this.state.dash[0], { space: this.state.dash[1] ?? this.state.dash[0] });
    else this.doc.undash();
    this.doc.strokeColor(c, a * this.state.globalAlpha);
    trace();
    this.doc.stroke();
  }
  /** A PDF page has nothing to clear: painting starts on the page as it is. */
  clearRect(): void {}
  setLineDash(segments: number[]): void {
    this.state.dash = [...segments];
  }
  getLineDash(): number[] {
    return [...this.state.dash];
  }

  private face(): { font: string; size: number } {
    const m = /(\d+(?:\.\d+)?)px/.exec(this.state.font);
    const bold = /\b(bold|[6-9]00)\b/.test(this.state.font);
    return { font: bold ? "bold" : "body", size: m ? Number(m[1]) : 10 };
  }
  measureText(text: string): { width: number; actualBoundingBoxAscent: number; actualBoundingBoxDescent: number } {
    const { font, size } = this.face();
    return {
      width: this.metrics.width(String(text), font, size),
      actualBoundingBoxAscent: this.metrics.ascent(font, size),
      actualBoundingBoxDescent: this.metrics.descent(font, size),
    };
  }
  fillText(text: string, x: number, y: number): void {
    const s = String(text);
    const { font, size } = this.face();
    const w = this.metrics.width(s, font, size);
    const align = this.state.textAlign;
    const dx = align === "center" ? -w / 2 : align === "right" || align === "end" ? -w : 0;
    const ascent = this.metrics.ascent(font, size);
    const descent = this.metrics.descent(font, size);
    const base = this.state.textBaseline;
    const dy =
      base === "top" || base === "hanging"
        ? ascent
        : base === "middle"
          ? (ascent - descent) / 2
          : base === "bottom"
            ? -descent
            : 0;
    const [c, a] = cssColour(this.state.fillStyle);
    this.doc
      .font(font)
      .fontSize(size)
      .fillColor(c, a * this.state.globalAlpha);
    writeTextRun(this.doc, s, x + dx, y + dy);
  }
}
