import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument, ParseSpeeds } from "pdf-lib";
import { writeAtomic } from "./files.ts";
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
 * starts. Each statement's streams are copied as they are: a statement embeds subsets of exactly its own
 * glyphs, so two statements seldom hold the same stream (a few bold subsets in forty statements, under 1% of
 * the bytes) and looking for shared ones would cost more CPU than the merge itself for next to no byte saved. Dates come from the run, so the same run writes the same bytes.
 */
export async function writePrintBatch(dir: string, batch: PrintBatch, runDate: string): Promise<number> {
  const merged = await PDFDocument.create({ updateMetadata: false });
  const when = new Date(`${runDate}T00:00:00Z`);
  merged.setTitle(`Print batch ${batch.number}`);
  merged.setProducer("omnidoc");
  merged.setCreationDate(when);
  merged.setModificationDate(when);
  const index = [];
  for (const s of batch.statements) {
    const source = await PDFDocument.load(readFileSync(join(dir, s.path)), {
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
    const firstPage = merged.getPageCount() + 1;
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
    index.push({ ...s, pages: source.getPageCount(), firstPage });
  }
  const name = batchName(batch.number);
  // A print thread has nothing else to do: by default pdf-lib waits for a timer (1 ms at least) every 50
  // objects it writes, ~120 waits for a batch of 500 statements.
  const bytes = await merged.save({ objectsPerTick: Number.POSITIVE_INFINITY });
  writeAtomic(join(dir, PRINT_DIR, `${name}.pdf`), bytes);
  const pages = merged.getPageCount();
  writeAtomic(
    join(dir, PRINT_DIR, `${name}.json`),
    `${JSON.stringify({ batch: batch.number, pages, statements: index }, null, 1)}\n`,
  );
  return pages;
}
