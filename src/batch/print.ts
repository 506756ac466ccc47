import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeAtomic } from "./files.ts";
import { PrintFile } from "./print-merge.ts";
import { StatementPdf } from "./print-source.ts";
import { readManifest } from "./journal.ts";

export const PRINT_DIR = "print";

/** One statement in a print batch, in the order the print house receives it. */
export interface PrintStatement {
  id: string;
  line: number;
  postcode: string;
  /** The statement's PDF, relative to the run directory. */
  path: string;
  pages: number;
}

export interface PrintBatch {
  /** 1-based: `print/batch-0001.pdf`. */
  number: number;
  statements: PrintStatement[];
}

export const batchName = (n: number) => `batch-${String(n).padStart(4, "0")}`;

/** Postal sort key: the postcode as the post office reads it, case and spaces aside. */
export const sortKey = (postcode: string) => postcode.toUpperCase().replace(/\s+/g, "");

/**
 * The print batches of a finished run, planned from its manifest alone: every print statement, sorted by
 * postcode (then id, so equal postcodes keep one order), cut into files of at most `size` statements.
 */
export async function planPrintBatches(dir: string, size: number): Promise<PrintBatch[]> {
  const statements: (PrintStatement & { key: string })[] = [];
  for await (const e of readManifest(dir)) {
    const pdf = e.files.find((f) => f.path.startsWith("pdf/"));
    if (e.status !== "composed" || !e.print || !pdf || e.id === undefined) continue;
    const postcode = e.postcode ?? "";
    statements.push({ id: e.id, line: e.line, postcode, path: pdf.path, pages: e.pages, key: sortKey(postcode) });
  }
  statements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const batches: PrintBatch[] = [];
  for (let i = 0; i < statements.length; i += size)
    batches.push({
      number: batches.length + 1,
      statements: statements.slice(i, i + size).map(({ key, ...s }) => s),
    });
  return batches;
}

/** True when a batch was already written whole (its index is written last): resume leaves it be. */
export function printBatchDone(dir: string, batch: PrintBatch): boolean {
  return existsSync(join(dir, PRINT_DIR, `${batchName(batch.number)}.json`));
}

/**
 * Merges one batch's statements into one PDF for the print house, with an index of where each statement
 * starts. The statements omnidoc's writer saved are copied byte for byte (`PrintFile`): each keeps its own
 * streams, a statement embedding subsets of exactly its own glyphs, so two statements seldom hold the same
 * stream and looking for shared ones would cost more than the merge for next to no byte saved. Dates come from
 * the run, so the same run writes the same bytes.
 */
export async function writePrintBatch(dir: string, batch: PrintBatch, runDate: string): Promise<number> {
  const sources = batch.statements.map((s) => {
    const file = join(dir, s.path);
    return { s, file, bytes: readFileSync(file) };
  });
  const merged = new PrintFile(sources.reduce((n, { bytes }) => n + bytes.length, 0));
  const index = [];
  for (const { s, file, bytes } of sources) {
    const firstPage = merged.pageCount + 1;
    const pages = merged.add(await statementPdf(bytes, file));
    index.push({ ...s, pages, firstPage });
  }
  const name = batchName(batch.number);
  const pdf = merged.finish({
    title: `Print batch ${batch.number}`,
    producer: "omnidoc",
    date: new Date(`${runDate}T00:00:00Z`),
  });
  writeAtomic(join(dir, PRINT_DIR, `${name}.pdf`), pdf);
  const pages = merged.pageCount;
  writeAtomic(
    join(dir, PRINT_DIR, `${name}.json`),
    `${JSON.stringify({ batch: batch.number, pages, statements: index }, null, 1)}\n`,
  );
  return pages;
}

/**
 * The statement in `bytes`, read for the byte copy. A PDF not in the writer's shape (from another producer:
 * object or cross-reference streams, encrypted, updated incrementally, pages inheriting from their tree) has
 * its pages copied by pdf-lib into a document of their own first, saved in that shape: the merge then copies
 * that document's objects as it does a statement's.
 */
async function statementPdf(bytes: Uint8Array, file: string): Promise<StatementPdf> {
  const read = StatementPdf.read(bytes, file);
  if (typeof read !== "string") return read;
  let copied: Uint8Array;
  try {
    // Loaded only here: importing pdf-lib costs a print thread ~250 ms of CPU, what merging ~800 statements costs.
    const { PDFDocument, ParseSpeeds } = await import("pdf-lib");
    const source = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
    const copy = await PDFDocument.create({ updateMetadata: false });
    for (const page of await copy.copyPages(source, source.getPageIndices())) copy.addPage(page);
    // pdf-lib otherwise waits for a timer (1 ms at least) every 50 objects it writes.
    copied = await copy.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY });
  } catch (err) {
    throw new Error(`${file}: cannot be read as a PDF (${read}): ${(err as Error).message}`);
  }
  const again = StatementPdf.read(copied, `${file} as pdf-lib copied it`);
  if (typeof again === "string") throw new Error(`${file}: pdf-lib's copy of its pages cannot be merged: ${again}`);
  return again;
}
