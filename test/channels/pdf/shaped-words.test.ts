import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import PDFDocument from "pdfkit";
import { describe, expect, it, vi } from "vitest";
import { fontMetrics, shapeText } from "../../../src/channels/pdf/fonts.ts";
import { compiledTemplate, pdfText, renderPdf } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile } from "../../support/pdf-views.ts";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("shaped words shared between documents", () => {
  it("paints a statement from the words its layout shaped: a second rendering shapes nothing", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const view = pdfView(sampleProfile("C0000001"));
    await renderPdf(view);
    const layout = vi.spyOn(fonts.body.font, "layout");
    try {
      await renderPdf(view);
      expect(layout).not.toHaveBeenCalled();
    } finally {
      layout.mockRestore();
    }
  });

  it("keeps at most 10,000 words a face, and a statement rendered after many others is byte for byte the same", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const profile = sampleProfile("C0000001");
    const view = pdfView(profile);
    const first = await renderPdf(view);
    // As a long run does: customers' own words (amounts, account numbers) push older words out.
    const metrics = fontMetrics(fonts);
    for (let i = 0; i < 12_000; i++) metrics.width(`A${i}`, "body", 10);
    expect(fonts.body.words.size).toBeLessThanOrEqual(10_000);
    const later = await renderPdf(view);
    expect(fonts.body.words.size).toBeLessThanOrEqual(10_000);
    expect(same(later.bytes, first.bytes)).toBe(true);
    expect(pdfText(later.file, 1)).toContain(profile.name.last);
  });
});

describe("a shaped word as a face keeps it", () => {
  // Amounts, names, a decomposed letter with its mark placed by the font (Z and a combining dot above).
  const words = ["Total ", "1,234.56 ", "Żaneta", "Z\u0307aneta ", "AVA ", "Wąchock,", "fi ", "\t"];

  it("reads as pdfkit shapes the word itself: glyphs, positions and widths", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const doc = new PDFDocument();
    doc.font(fonts.body.path);
    const own = (doc as unknown as { _font: { layoutRun(t: string): Record<string, unknown> } })._font;
    for (const text of words) {
      const theirs = own.layoutRun(text) as { glyphs: { id: number }[]; positions: object[]; advanceWidth: number };
      const ours = shapeText(fonts.body, text);
      expect(ours.glyphs.map((g) => g.id)).toEqual(theirs.glyphs.map((g) => g.id));
      expect(ours.positions).toEqual(theirs.positions);
      expect(ours.advanceWidth).toBeCloseTo(theirs.advanceWidth, 9);
    }
    expect(shapeText(fonts.body, "Z\u0307").positions.some((p) => p.yOffset !== 0 || p.xOffset !== 0)).toBe(true);
  });

  it("gives its positions to each reader anew, so a reader that changes them changes no other document", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    const word = shapeText(fonts.body, "Total ");
    const first = word.positions;
    first[0].xAdvance += 100;
    expect(word.positions[0].xAdvance).toBe(first[0].xAdvance - 100);
  });

  it("keeps a face's words in a few hundred bytes each, not an object a glyph", async () => {
    const { fonts } = await compiledTemplate("templates/energy-bill");
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const texts = Array.from({ length: 4000 }, (_, i) => `${(i * 7.31).toFixed(2)} Account${i} `.split(" "));
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = texts.map(([amount, name]) => [shapeText(fonts.body, `${amount} `), shapeText(fonts.body, name)]);
    gc();
    const perWord = (process.memoryUsage().heapUsed - before) / (kept.length * 2);
    // Eight glyphs a word on average: pdfkit's form (an object of five boxed numbers a glyph) takes ~1.4 kB.
    expect(perWord).toBeLessThan(500);
  });
});
