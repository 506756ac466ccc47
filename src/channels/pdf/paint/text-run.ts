/**
 * One run of text on one line, written as a single PDF text object in the document's current face, size and
 * fill. The layout has already broken lines and measured them, so this skips pdfkit's `text()`, which
 * measures and wraps the run again and writes every operator separately, in a graphics state of its own.
 * Kerning goes into the TJ array exactly as pdfkit writes it (the face's `textArray`, face-encoding.ts). A run
 * with positioned marks (stacked diacritics) needs a text matrix a glyph: that rare case goes to pdfkit's own
 * `text()`.
 */

import { pdfkitDocument } from "./pdfkit-internals.ts";

/** pdfkit's number format: at most six decimals. */
const num = (n: number): number => Math.round(n * 1e6) / 1e6;

export function writeTextRun(doc: PDFKit.PDFDocument, text: string, x: number, baseline: number): void {
  const pdf = pdfkitDocument(doc);
  const font = pdf._font;
  const tj = font.textArray(text);
  if (tj === "") return;
  if (tj === undefined) {
    doc.text(text, x, baseline, { lineBreak: false, baseline: "alphabetic" });
    return;
  }
  pdf.page.fonts[font.id] ??= font.ref();
  // pdfkit's user space runs top-down: a text matrix flipped the same way sets the glyphs upright.
  pdf.addContent(`BT\n1 0 0 -1 ${num(x)} ${num(baseline)} Tm\n/${font.id} ${num(pdf._fontSize)} Tf\n[${tj}] TJ\nET`);
}
