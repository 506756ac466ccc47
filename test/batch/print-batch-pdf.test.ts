import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../../src/batch/index.ts";
import { StatementPdf } from "../../src/batch/print-source.ts";
import { planPrintBatches, writePrintBatch } from "../../src/batch/print.ts";
import { generateLines } from "../support/customers.ts";
import { embeddedPrograms, pdfObjects } from "../support/pdf-objects.ts";

/**
 * The print files of a real billing run over generated customers of every market (names in Latin, Greek,
 * Cyrillic and Vietnamese scripts, so statements embed many different subsets), read back with qpdf and
 * poppler.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "omnidoc-print-pdf-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const out = join(work, "run");
const RUN_DATE = "2026-11-01";

interface BatchIndex {
  pages: number;
  statements: { id: string; path: string; firstPage: number; pages: number }[];
}

const batchFiles = () =>
  readdirSync(join(out, "print"))
    .filter((f) => f.endsWith(".pdf"))
    .map((f) => join(out, "print", f));
const indexOf = (file: string): BatchIndex => JSON.parse(readFileSync(file.replace(/\.pdf$/, ".json"), "utf8"));

/** Name → the programs it labels, and program → the names it goes by. */
function namesAndPrograms(files: string[]) {
  const programsOf = new Map<string, Set<string>>();
  const namesOf = new Map<string, Set<string>>();
  for (const file of files)
    for (const { name, program } of embeddedPrograms(file)) {
      programsOf.set(name, (programsOf.get(name) ?? new Set()).add(program));
      namesOf.set(program, (namesOf.get(program) ?? new Set()).add(name));
    }
  return { programsOf, namesOf };
}

const several = (m: Map<string, Set<string>>) => [...m].filter(([, s]) => s.size > 1).map(([k, s]) => [k, [...s]]);

beforeAll(async () => {
  const input = join(work, "customers.ndjson");
  writeFileSync(input, `${generateLines(60, "--seed", "15").join("\n")}\n`);
  const settings = {
    template: "energy-bill",
    input,
    format: "ndjson" as const,
    runDate: RUN_DATE,
    channels: ["pdf" as const],
    printBatchSize: 20,
    archive: false,
  };
  await runBatch({ out, workers: 1, resume: false, settings, root: ROOT });
}, 180_000);

describe("print batches a print house's RIP accepts", () => {
  it("gives distinct font programs distinct subset names, and one program one name (ISO 32000-1 §9.6.4)", () => {
    const batches = batchFiles();
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      const { programsOf, namesOf } = namesAndPrograms([batch]);
      expect(several(programsOf), `${batch}: names labelling several programs`).toEqual([]);
      expect(several(namesOf), `${batch}: programs under several names`).toEqual([]);
    }
    // Across the whole run, statements and batches alike: a name always means the same program.
    const statements = readdirSync(join(out, "pdf")).map((f) => join(out, "pdf", f));
    const { programsOf, namesOf } = namesAndPrograms([...statements, ...batches]);
    expect(several(programsOf)).toEqual([]);
    expect(several(namesOf)).toEqual([]);
    for (const name of programsOf.keys()) expect(name).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold)?$/);
    // The customers are varied enough for the check to mean something: many subsets of each face.
    expect(programsOf.size).toBeGreaterThanOrEqual(6);
  });

  it("holds no stream twice but a font's: statements share no content, so copying each statement's own is all a merge needs", () => {
    for (const batch of batchFiles()) {
      const { values, streams } = pdfObjects(batch);
      // Two statements painting the same glyphs of a face embed the same subset (its codes are the glyph ids).
      const fontStreams = new Set<string>();
      for (const value of values.values()) {
        const o = value as Record<string, unknown>;
        for (const key of ["/FontFile2", "/ToUnicode", "/CIDToGIDMap"]) if (o?.[key]) fontStreams.add(String(o[key]));
      }
      const seen = new Map<string, string>();
      for (const s of streams.values()) {
        if (fontStreams.has(s.ref)) continue;
        const key = `${JSON.stringify(s.dict)}\n${s.data.toString("base64")}`;
        expect(seen.get(key), `${batch}: ${s.ref} repeats ${seen.get(key)}`).toBeUndefined();
        seen.set(key, s.ref);
      }
      // Two faces a statement, each subset exactly its statement's glyphs: a program of its own.
      expect(embeddedPrograms(batch).length).toBe(2 * indexOf(batch).statements.length);
    }
  });

  it("prints the pages and text of the statements it merges, passes qpdf --check, the same bytes again", async () => {
    for (const batch of batchFiles()) {
      const index = indexOf(batch);
      expect(execFileSync("qpdf", ["--check", batch], { encoding: "utf8" })).toContain(
        "No syntax or stream encoding errors",
      );
      const text = (file: string) => execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
      expect(text(batch)).toBe(index.statements.map((s) => text(join(out, s.path))).join(""));

      const pngs = (file: string, name: string) => {
        const prefix = join(work, name);
        execFileSync("pdftoppm", ["-r", "30", "-png", file, prefix]);
        return readdirSync(work)
          .filter((f) => f.startsWith(`${name}-`) && f.endsWith(".png"))
          .sort()
          .map((f) => readFileSync(join(work, f)));
      };
      const merged = pngs(batch, `merged${index.statements[0].id}`);
      expect(merged).toHaveLength(index.pages);
      for (const s of index.statements)
        pngs(join(out, s.path), `one${s.id}`).forEach((png, i) => {
          expect(png.equals(merged[s.firstPage - 1 + i]), `${s.id} page ${i + 1}`).toBe(true);
        });
    }
    const [first] = await planPrintBatches(out, 20);
    const written = readFileSync(batchFiles()[0]);
    await writePrintBatch(out, first, RUN_DATE);
    expect(readFileSync(batchFiles()[0]).equals(written)).toBe(true);
  });

  it("copies the writer's statements byte for byte: none needs pdf-lib to copy its pages first", () => {
    const statements = readdirSync(join(out, "pdf"));
    expect(statements.length).toBeGreaterThan(20);
    for (const name of statements) {
      const read = StatementPdf.read(readFileSync(join(out, "pdf", name)), name);
      expect(typeof read === "string" ? `${name}: ${read}` : read.pages.length).toBeTypeOf("number");
    }
  });

  it("embeds every font, and pdf-lib and pdf.js read each page's links and text", async () => {
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    for (const batch of batchFiles()) {
      const index = indexOf(batch);
      const fonts = execFileSync("pdffonts", [batch], { encoding: "utf8" }).trim().split("\n").slice(2);
      expect(fonts).toHaveLength(2 * index.statements.length);
      for (const font of fonts) expect(font).toMatch(/ CID TrueType +Identity-H +yes +yes +yes /);
      expect((await PDFDocument.load(readFileSync(batch))).getPageCount()).toBe(index.pages);
      const pdfjs = async (file: string) => {
        const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
        const pages = [];
        for (let n = 1; n <= doc.numPages; n++) {
          const page = await doc.getPage(n);
          const text = (await page.getTextContent()).items.map((i) => ("str" in i ? i.str : "")).join("");
          const links = (await page.getAnnotations()).map((a: { url?: string }) => a.url);
          pages.push({ text, links });
        }
        return pages;
      };
      const merged = await pdfjs(batch);
      expect(merged).toHaveLength(index.pages);
      for (const s of index.statements)
        expect(merged.slice(s.firstPage - 1, s.firstPage - 1 + s.pages), s.id).toEqual(await pdfjs(join(out, s.path)));
    }
  });
});
