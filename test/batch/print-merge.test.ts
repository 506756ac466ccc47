import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFRef, PDFString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { type PrintBatch, writePrintBatch } from "../../src/batch/print.ts";
import { pdfObjects } from "../support/pdf-objects.ts";

/**
 * The print file's byte copy, on statements laid out as the writer lays them out (classic cross-reference
 * table, a structure tree, pages sharing resources), read back with pdf-lib, qpdf and poppler.
 */

type Source = string | { dict: string; data: string };

/** A PDF of `objects` (number → value), in the writer's shape: one cross-reference table, numbers from 0. */
function writerPdf(objects: Record<number, Source>, trailer: string): Buffer {
  let out = "%PDF-1.7\n%\xff\xff\xff\xff\n";
  const offsets = new Map<number, number>();
  for (const [n, o] of Object.entries(objects)) {
    offsets.set(Number(n), out.length);
    const body = typeof o === "string" ? o : `${o.dict}\nstream\n${o.data}\nendstream`;
    out += `${n} 0 obj\n${body}\nendobj\n`;
  }
  const size = Math.max(...offsets.keys()) + 1;
  const xref = out.length;
  out += `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) {
    const at = offsets.get(n);
    out += at === undefined ? "0000000000 00001 f \n" : `${String(at).padStart(10, "0")} 00000 n \n`;
  }
  out += `trailer\n<<\n/Size ${size}\n${trailer}\n>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** What a page's content says, with a reference's text in it that is stream data, not a reference. */
const content = (label: string, page: number) => `BT /F1 12 Tf 20 100 Td (${label} page ${page} 4 0 R) Tj ET`;

/** A two-page statement: both pages share one resources dictionary and font; a tag tree nothing copies. */
const statement = (label: string) =>
  writerPdf(
    {
      1: "<<\n/Type /Pages\n/Count 2\n/Kids [11 0 R 12 0 R]\n>>",
      3: "<<\n/Type /Catalog\n/Pages 1 0 R\n/StructTreeRoot 6 0 R\n/MarkInfo << /Marked true >>\n>>",
      6: "<<\n/Type /StructTreeRoot\n/K [7 0 R]\n>>",
      7: "<<\n/S /P\n/P 6 0 R\n/Pg 11 0 R\n/K [0]\n>>",
      9: { dict: `<<\n/Length ${content(label, 1).length}\n>>`, data: content(label, 1) },
      10: "<<\n/ProcSet [/PDF /Text]\n/Font <<\n/F1 15 0 R\n>>\n>>",
      11: "<<\n/Type /Page\n/Parent 1 0 R\n/MediaBox [0 0 200 200]\n/Contents 9 0 R\n/Resources 10 0 R\n/StructParents 0\n/Annots [13 0 R]\n>>",
      12: "<<\n/Type /Page\n/Parent 1 0 R\n/MediaBox [0 0 200 200]\n/Contents 14 0 R\n/Resources 10 0 R\n>>",
      13: `<<\n/Type /Annot\n/Subtype /Link\n/Rect [0 0 10 10]\n/A << /S /URI /URI (https://example.com/${label}/9 0 R\\)\\() >>\n/Contents <FEFF0031>\n>>`,
      14: { dict: "<<\n/Length 16 0 R\n>>", data: content(label, 2) },
      15: "<<\n/Type /Font\n/Subtype /Type1\n/BaseFont /Helvetica\n>>",
      16: String(content(label, 2).length),
      17: "<<\n/Title (a statement)\n>>",
    },
    "/Root 3 0 R\n/Info 17 0 R",
  );

/** A run folder holding `files` (name → bytes) under pdf/, and the batch of them in that order. */
function folder(files: Record<string, Uint8Array>): { dir: string; batch: PrintBatch } {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-print-merge-"));
  for (const sub of ["pdf", "print"]) mkdirSync(join(dir, sub));
  const statements = Object.entries(files).map(([id, bytes], i) => {
    writeFileSync(join(dir, "pdf", `${id}.pdf`), bytes);
    return { id, line: i + 1, postcode: "", path: `pdf/${id}.pdf`, pages: 0 };
  });
  return { dir, batch: { number: 7, statements } };
}

async function merged(files: Record<string, Uint8Array>) {
  const { dir, batch } = folder(files);
  const pages = await writePrintBatch(dir, batch, "2026-11-01");
  const file = join(dir, "print/batch-0007.pdf");
  const index = JSON.parse(readFileSync(join(dir, "print/batch-0007.json"), "utf8"));
  return { file, pages, index, doc: await PDFDocument.load(readFileSync(file), { updateMetadata: false }) };
}

const pageTexts = (file: string, pages: number) =>
  Array.from({ length: pages }, (_, i) =>
    execFileSync("pdftotext", ["-f", String(i + 1), "-l", String(i + 1), file, "-"], { encoding: "utf8" }).trim(),
  );

const qpdfCheck = (file: string) => execFileSync("qpdf", ["--check", file], { encoding: "utf8" });

describe("the print file's byte copy", () => {
  it("renumbers references in dictionaries, never in strings or stream data, and copies streams as stored", async () => {
    const { file, pages, doc } = await merged({ A: statement("A"), B: statement("B") });
    expect(qpdfCheck(file)).toContain("No syntax or stream encoding errors");
    expect(pages).toBe(4);
    // Both statements number their objects alike: each page must still reach its own statement's content.
    expect(pageTexts(file, 4)).toEqual(["A page 1 4 0 R", "A page 2 4 0 R", "B page 1 4 0 R", "B page 2 4 0 R"]);
    const contents = (i: number) => doc.getPage(i).node.lookup(PDFName.of("Contents")) as PDFRawStream;
    doc.getPages().forEach((_, i) => {
      const stream = contents(i);
      const label = i < 2 ? "A" : "B";
      expect(Buffer.from(stream.getContents()).toString("latin1")).toBe(content(label, (i % 2) + 1));
    });
    const annot = doc.getPage(2).node.lookup(PDFName.of("Annots"), PDFArray).lookup(0, PDFDict);
    const uri = annot.lookup(PDFName.of("A"), PDFDict).lookup(PDFName.of("URI"), PDFString);
    expect(uri.asString()).toBe("https://example.com/B/9 0 R\\)\\(");
    // An indirect /Length comes along with its stream.
    expect(contents(1).dict.get(PDFName.of("Length"))).toBeInstanceOf(PDFRef);
  });

  it("copies an object a statement's pages share once, and what no page refers to not at all", async () => {
    const { file, doc } = await merged({ A: statement("A"), B: statement("B") });
    const resources = doc.getPages().map((p) => p.node.get(PDFName.of("Resources")) as PDFRef);
    expect(resources[0]).toBe(resources[1]);
    expect(resources[2]).toBe(resources[3]);
    expect(resources[0]).not.toBe(resources[2]);
    const { values } = pdfObjects(file);
    const of = (key: string, value: string) =>
      [...values.values()].filter((v) => (v as Record<string, unknown>)?.[key] === value).length;
    expect(of("/Type", "/Font")).toBe(2);
    // The tag tree, catalogs and Info of the statements stay behind, as with pdf-lib's page copy.
    expect([of("/Type", "/StructTreeRoot"), of("/S", "/P"), of("/Type", "/Catalog"), of("/Type", "/Pages")]).toEqual([
      0, 0, 1, 1,
    ]);
    expect(of("/Title", "a statement")).toBe(0);
  });

  it("writes its own page tree, catalog and Info, and the index of where each statement starts", async () => {
    const { file, doc, index } = await merged({ A: statement("A"), B: statement("B") });
    const root = doc.catalog.get(PDFName.of("Pages"));
    expect(doc.getPages().map((p) => p.node.get(PDFName.of("Parent")))).toEqual([root, root, root, root]);
    expect(doc.getTitle()).toBe("Print batch 7");
    expect(doc.getProducer()).toBe("omnidoc");
    expect(doc.getCreationDate()?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(doc.getModificationDate()?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(execFileSync("pdfinfo", [file], { encoding: "utf8" })).toMatch(/Pages:\s+4\n/);
    expect(index).toEqual({
      batch: 7,
      pages: 4,
      statements: [
        { id: "A", line: 1, postcode: "", path: "pdf/A.pdf", pages: 2, firstPage: 1 },
        { id: "B", line: 2, postcode: "", path: "pdf/B.pdf", pages: 2, firstPage: 3 },
      ],
    });
  });

  it("has pdf-lib copy the pages of a PDF not in the writer's shape, in the same batch", async () => {
    // pdf-lib's own saving: object streams and a cross-reference stream.
    const other = await PDFDocument.create();
    other.addPage([200, 200]).drawText("from elsewhere", { x: 20, y: 100 });
    // An incremental update: the page's content replaced after the statement was written.
    const base = statement("U");
    const update = `10 0 obj\n<<\n/ProcSet [/PDF /Text]\n/Font <<\n/F1 15 0 R\n>>\n>>\nendobj\n`;
    const data = "BT /F1 12 Tf 20 100 Td (updated) Tj ET";
    const stream = `9 0 obj\n<<\n/Length ${data.length}\n>>\nstream\n${data}\nendstream\nendobj\n`;
    const prev = /startxref\n(\d+)/.exec(base.toString("latin1"))![1];
    const at = base.length;
    const xref = at + stream.length + update.length;
    const updated = Buffer.concat([
      base,
      Buffer.from(
        `${stream}${update}xref\n9 2\n${String(at).padStart(10, "0")} 00000 n \n${String(at + stream.length).padStart(10, "0")} 00000 n \n` +
          `trailer\n<<\n/Size 18\n/Root 3 0 R\n/Prev ${prev}\n>>\nstartxref\n${xref}\n%%EOF\n`,
        "latin1",
      ),
    ]);
    const { file, pages, index } = await merged({
      A: statement("A"),
      O: await other.save(),
      U: updated,
    });
    expect(qpdfCheck(file)).toContain("No syntax or stream encoding errors");
    expect(pages).toBe(5);
    expect(pageTexts(file, 5)).toEqual([
      "A page 1 4 0 R",
      "A page 2 4 0 R",
      "from elsewhere",
      "updated",
      "U page 2 4 0 R",
    ]);
    expect(index.statements.map((s: { firstPage: number }) => s.firstPage)).toEqual([1, 3, 4]);
  });

  it("stops on a statement whose parts do not hold together, naming its file and what is wrong", async () => {
    const good = statement("A");
    const cut = good.subarray(0, good.length - 200);
    const { dir, batch } = folder({ A: good, C: cut });
    await expect(writePrintBatch(dir, batch, "2026-11-01")).rejects.toThrow(
      `${join(dir, "pdf/C.pdf")}: has no startxref and %%EOF at its end: the file is cut short`,
    );
    // A cross-reference table that puts an object where there is none.
    const moved = Buffer.from(
      good
        .toString("latin1")
        .replace(/\n(\d{10}) 00000 n \n/, (_, at) => `\n${String(Number(at) + 3).padStart(10, "0")} 00000 n \n`),
      "latin1",
    );
    const second = folder({ M: moved });
    await expect(writePrintBatch(second.dir, second.batch, "2026-11-01")).rejects.toThrow(
      new RegExp(`^${join(second.dir, "pdf/M.pdf")}: object 1 is not where its cross-reference table says`),
    );
  });
});
