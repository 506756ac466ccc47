import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { openPdf } from "../../../src/channels/pdf/paint/document.ts";
import { gatherOutput, pdfkitDocument } from "../../../src/channels/pdf/paint/pdfkit-internals.ts";
import { compiledTemplate } from "../../support/pdf-render.ts";

/** A small document with text, a second page and a compressed stream, in pdfkit's own font. */
function pdfkitFile(gather: boolean): Promise<Buffer> {
  const doc = new PDFDocument({ info: { CreationDate: new Date(Date.UTC(2026, 0, 1)) }, compress: true });
  const chunks: Uint8Array[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const written = gather ? gatherOutput(doc) : () => new Uint8Array(0);
  doc.text("Łódź, 12,50 € (a name with parentheses)", 72, 72);
  doc.addPage();
  doc.rect(10, 10, 100, 20).fill("#336699");
  doc.text("second page", 72, 72);
  doc.end();
  return new Promise((resolve) => doc.on("end", () => resolve(Buffer.concat([...chunks, written()]))));
}

/** A TJ operand as pdfkit writes it from its encode: a segment ends after each kerned glyph and after the last. */
function pdfkitTextArray(glyphs: string[], positions: { xAdvance: number; advanceWidth: number }[]): string {
  const num = (n: number) => Math.round(n * 1e6) / 1e6;
  const parts: string[] = [];
  let segment = "";
  positions.forEach((p, i) => {
    segment += glyphs[i];
    if (p.xAdvance === p.advanceWidth && i < positions.length - 1) return;
    parts.push(`<${segment}> ${num(-(p.xAdvance - p.advanceWidth))}`);
    segment = "";
  });
  return parts.join(" ");
}

describe("a document's bytes", () => {
  it("are the same gathered as strings as pushed line by line through pdfkit's stream", async () => {
    const own = await pdfkitFile(false);
    const gathered = await pdfkitFile(true);
    expect(gathered.toString("latin1")).toContain("startxref");
    expect(gathered.equals(own)).toBe(true);
  });
});

describe("a text run's TJ operand", () => {
  it("is what pdfkit writes from the face's encoding, kerning and words included", async () => {
    const { fonts, deflater } = await compiledTemplate("templates/energy-bill");
    const meta = { title: "t", author: "a", subject: "s", lang: "en", runDate: "2026-01-01", id: "0".repeat(32) };
    const pdf = openPdf({ ...meta, pdfa: false, tagged: false }, fonts, deflater);
    const face = pdfkitDocument(pdf.doc)._fontFamilies.body;
    const texts = ["AV Wa To. Ta", "Tyre LTA AWAY", "1,234.56 €", "one", "two  words\tand a tab ", "Ÿ. Ta"];
    let kerned = 0;
    for (const text of texts) {
      const [glyphs, positions] = face.encode(text);
      kerned += positions.filter((p) => p.xAdvance !== p.advanceWidth).length;
      expect(face.textArray(text), text).toBe(pdfkitTextArray(glyphs, positions));
    }
    expect(kerned).toBeGreaterThan(3);
    expect(face.textArray("")).toBe("");
    // A combining mark placed over its letter: pdfkit's text() writes it, with a position a glyph.
    const [, marked] = face.encode("x\u0301");
    expect(marked.some((p) => p.xOffset !== 0 || p.yOffset !== 0)).toBe(true);
    expect(face.textArray("x\u0301")).toBeUndefined();
  });
});
