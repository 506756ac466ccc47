import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { renderPdf } from "../../support/pdf-render.ts";
import { pdfView, sampleProfile, withCharges } from "../../support/pdf-views.ts";

// ISO 32000-1, 8.2 and Figure 9: a path object is path construction operators and then one painting operator,
// with a clipping operator allowed just before it. Colour, line width or any other operator in between is an error.
const CONSTRUCTION = new Set(["m", "l", "c", "v", "y", "h", "re"]);
const PAINTING = new Set(["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"]);
const CLIPPING = new Set(["W", "W*"]);

/** The operators of a content stream, in order, operands skipped. */
function operators(content: string): string[] {
  const ops: string[] = [];
  let i = 0;
  while (i < content.length) {
    const ch = content[i];
    if (/\s/.test(ch)) i++;
    else if (ch === "%") while (i < content.length && content[i] !== "\n") i++;
    else if (ch === "(") {
      let depth = 0;
      for (; i < content.length; i++) {
        if (content[i] === "\\") i++;
        else if (content[i] === "(") depth++;
        else if (content[i] === ")" && --depth === 0) break;
      }
      i++;
    } else if (content.startsWith("<<", i) || content.startsWith(">>", i)) i += 2;
    else if (ch === "<") i = content.indexOf(">", i) + 1;
    else if (ch === "[" || ch === "]" || ch === "{" || ch === "}") i++;
    else {
      const token = /^[^\s()<>[\]{}/%]+|^\/[^\s()<>[\]{}/%]*/.exec(content.slice(i, i + 256))![0];
      i += token.length;
      if (!token.startsWith("/") && !/^[-+.\d]/.test(token)) ops.push(token);
    }
  }
  return ops;
}

/** Operators that sit inside a path object, where the standard allows none: `op after path`. */
function misplaced(ops: string[]): string[] {
  const found: string[] = [];
  let inPath = false;
  for (const [k, op] of ops.entries()) {
    if (CONSTRUCTION.has(op)) inPath = true;
    else if (PAINTING.has(op)) inPath = false;
    else if (inPath && !(CLIPPING.has(op) && PAINTING.has(ops[k + 1]))) found.push(`${op} after ${ops[k - 1]}`);
  }
  return found;
}

async function pageOperators(bytes: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    const text = streams
      .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
      .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString("latin1"))
      .join("\n");
    return operators(text);
  });
}

describe("the PDF content streams", () => {
  it("finds an operator inside a path object, the rule this suite holds statements to", () => {
    expect(misplaced(operators("10 20 30 4 re /DeviceRGB cs 1 0 0 scn f"))).toEqual(["cs after re", "scn after cs"]);
    expect(misplaced(operators("1 w 0 0 1 SCN 10 20 30 4 re S 0 0 m 5 5 l W n"))).toEqual([]);
  });

  it.each([
    ["a statement with its chart, QR code, boxes, links and a table over pages", "energy-bill", 40],
    ["a payment reminder", "payment-reminder", 0],
  ])("hold no operator inside a path object: %s", async (_case, template, charges) => {
    const profile = withCharges(sampleProfile("C0000001"), charges);
    const r = await renderPdf(pdfView(profile, {}, template), `templates/${template}`);
    const pages = await pageOperators(r.bytes);
    expect(pages.length).toBeGreaterThan(template === "energy-bill" ? 1 : 0);
    for (const [n, ops] of pages.entries()) {
      expect(ops.length).toBeGreaterThan(20);
      expect(misplaced(ops), `page ${n + 1}`).toEqual([]);
    }
  });
});
