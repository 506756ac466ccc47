import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { Deflater } from "../../../src/core/index.ts";
import { PdfSyntax, pdfObject } from "../../../src/channels/pdf/paint/pdf-objects.ts";
import { pdfkitDocument, writeObjectsAt } from "../../../src/channels/pdf/paint/pdfkit-internals.ts";

/** What pdfkit's own `PDFReference` writes for an object whose dictionary holds `value` under /V. */
function pdfkitWrites(value: unknown): string {
  const doc = new PDFDocument({ autoFirstPage: false });
  const pdf = pdfkitDocument(doc);
  const lines: string[] = [];
  pdf._write = (data) => {
    if (typeof data === "string") lines.push(data);
  };
  pdf.ref({ V: value }).end();
  return lines[1];
}

describe("a value in PDF syntax", () => {
  const doc = new PDFDocument({ autoFirstPage: false });
  const reference = doc.ref({ S: "P" });
  const tree = (doc as unknown as { getStructParentTree(): unknown }).getStructParentTree();
  const values: [string, unknown][] = [
    ["a name", "Span"],
    ["whole and fractional numbers", [0, -0, 12, -3.5, 1 / 3, 1e-7, 123456.0000004, -0.0000005]],
    ["a text string", new String("Invoice 2026-11")],
    ["a text string with delimiters, a backslash and controls", new String("a (b) c\\d\ne\rf\tg\bh\fi")],
    ["a Unicode text string", new String("Łódź (Żółć) — 12,50 €")],
    ["a text string outside the BMP", new String("𝄞 and \\")],
    ["bytes", new Uint8Array([0, 15, 16, 255])],
    ["a date", new Date(Date.UTC(2026, 11, 6, 9, 5, 7))],
    ["a reference", reference],
    ["a number tree", tree],
    ["booleans and null", [true, false, null, undefined]],
    ["nested arrays and dictionaries", { K: [{ Type: "MCR", MCID: 3 }, [1, [2, {}]]], Skip: undefined, Pg: reference }],
    ["an empty dictionary", {}],
    ["a dictionary without a prototype", Object.assign(Object.create(null), { A: 1 })],
  ];

  it.each(values)("%s is written as pdfkit writes it", (_, value) => {
    expect(pdfObject({ V: value })).toBe(pdfkitWrites(value));
  });

  it("writes a value already in PDF syntax as it is, as pdfkit writes the value it stands for", () => {
    const widths = [3, [600, 611.816406], 17, [317.871094]];
    expect(pdfObject({ W: new PdfSyntax("[3 [600 611.816406] 17 [317.871094]]") })).toBe(pdfObject({ W: widths }));
  });

  it("refuses numbers pdfkit refuses", () => {
    expect(() => pdfObject(1e21)).toThrow("unsupported number: 1e+21");
    expect(() => pdfObject(Number.NaN)).toThrow("unsupported number");
  });
});

describe("objects written by writeObjectsAt", () => {
  /** A small tagged document with a stream pdfkit compresses, an uncompressed stream and an empty one. */
  function file(own: boolean): Promise<Buffer> {
    const doc = new PDFDocument({
      info: { CreationDate: new Date(Date.UTC(2026, 0, 1)) },
      compress: true,
      tagged: true,
      lang: "fr-FR",
    });
    const chunks: Uint8Array[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    if (own) writeObjectsAt(doc, new Deflater({ level: 6 }));
    const root = doc.struct("Document");
    doc.addStructure(root);
    const p = doc.struct("P", { alt: "Łódź (texte)" }, () => doc.text("Łódź, 12,50 €", 72, 72));
    root.add(p);
    const pdf = pdfkitDocument(doc);
    const raw = pdf.ref({ Filter: "FlateDecode" });
    raw.end(Buffer.from([1, 2, 3]));
    pdf.ref({ Empty: true }).end();
    pdf.ref({ Filter: "FlateDecode" }).end(Buffer.alloc(0));
    root.end();
    doc.end();
    return new Promise((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  }

  it("make the same file as pdfkit's own objects at zlib's default level", async () => {
    const own = await file(true);
    expect(own.toString("latin1")).toContain("/StructTreeRoot");
    expect(own.equals(await file(false))).toBe(true);
  });
});
