import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { ColourOperators } from "../../../src/channels/pdf/paint/colour-operators.ts";
import { pdfkitDocument } from "../../../src/channels/pdf/paint/pdfkit-internals.ts";

/** The operators pdfkit itself writes for a colour, joined as a page's content joins them. */
function pdfkitWrites(colour: string, stroke: boolean): string {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.addPage();
  const written: string[] = [];
  pdfkitDocument(doc).addContent = (data) => written.push(data);
  if (stroke) doc.strokeColor(colour);
  else doc.fillColor(colour);
  return written.join("\n");
}

describe("colour operators made once a document", () => {
  const colours = ["#1a2b3c", "#FFFFFF", "#000000", "#0a5", "#ABC", "#7f7f80", "#e6f0fa"];

  it.each(colours)("%s fills and strokes as pdfkit writes it", (colour) => {
    const made = new ColourOperators();
    expect(made.get(colour, false)).toBe(pdfkitWrites(colour, false));
    expect(made.get(colour, true)).toBe(pdfkitWrites(colour, true));
    expect(made.get(colour, false)).toBe(pdfkitWrites(colour, false));
  });

  it("leaves other colours to pdfkit", () => {
    const made = new ColourOperators();
    for (const colour of ["red", "rgb(1, 2, 3)", "#abcd", "#12345g", ""])
      expect(made.get(colour, false)).toBeUndefined();
  });
});
