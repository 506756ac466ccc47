import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { MANIFEST } from "../../src/batch/journal.ts";
import { planPrintBatches, printBatchDone, writePrintBatch } from "../../src/batch/print.ts";
import type { ManifestEntry } from "../../src/batch/types.ts";

async function statement(id: string, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < pages; i++) doc.addPage().drawText(`${id} page ${i + 1}`);
  return doc.save();
}

/** A finished run: five print customers in no postcode order, one email-only, one rejected. */
async function finishedRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-print-"));
  mkdirSync(join(dir, "pdf"));
  const customers: [string, string | undefined, number][] = [
    ["C1", "M1 2AB", 1],
    ["C2", "b1 1aa", 3],
    ["C3", undefined, 1],
    ["C4", "M1 2AB", 2],
    ["C5", "Z9 9ZZ", 1],
    ["C6", "A1 1AA", 2],
  ];
  const lines: string[] = [];
  for (const [i, [id, postcode, pages]] of customers.entries()) {
    const bytes = await statement(id, pages);
    writeFileSync(join(dir, `pdf/${id}.pdf`), bytes);
    const entry: ManifestEntry = {
      record: i + 1,
      line: i + 1,
      source: "-",
      id,
      status: "composed",
      channels: ["pdf"],
      print: postcode !== undefined,
      postcode,
      files: [{ path: `pdf/${id}.pdf`, bytes: bytes.length, sha256: "-" }],
      pages,
      offers: [],
      capped: [],
      problems: [],
    };
    lines.push(JSON.stringify(entry));
  }
  lines.push(JSON.stringify({ record: 7, line: 7, status: "rejected", files: [], problems: [] }));
  writeFileSync(join(dir, MANIFEST), `${lines.join("\n")}\n`);
  return dir;
}

describe("print batches", () => {
  it("sorts the print statements by postcode (then id) and cuts them into files of at most N", async () => {
    const dir = await finishedRun();
    const batches = await planPrintBatches(dir, 2);
    expect(batches.map((b) => b.statements.map((s) => s.id))).toEqual([["C6", "C2"], ["C1", "C4"], ["C5"]]);
  });

  it("merges a batch into one PDF with every page, and an index of where each statement starts", async () => {
    const dir = await finishedRun();
    mkdirSync(join(dir, "print"));
    const [first, second] = await planPrintBatches(dir, 2);
    expect(printBatchDone(dir, first)).toBe(false);
    expect(await writePrintBatch(dir, first, "2026-11-01")).toBe(5);
    expect(await writePrintBatch(dir, second, "2026-11-01")).toBe(3);
    expect(printBatchDone(dir, first)).toBe(true);
    const merged = await PDFDocument.load(readFileSync(join(dir, "print/batch-0001.pdf")));
    expect(merged.getPageCount()).toBe(5);
    const index = JSON.parse(readFileSync(join(dir, "print/batch-0002.json"), "utf8"));
    expect(
      index.statements.map((s: { id: string; firstPage: number; pages: number }) => [s.id, s.firstPage, s.pages]),
    ).toEqual([
      ["C1", 1, 1],
      ["C4", 2, 2],
    ]);
  });

  it("writes the same bytes for the same run", async () => {
    const dir = await finishedRun();
    mkdirSync(join(dir, "print"));
    const [batch] = await planPrintBatches(dir, 10);
    await writePrintBatch(dir, batch, "2026-11-01");
    const once = readFileSync(join(dir, "print/batch-0001.pdf"));
    await writePrintBatch(dir, batch, "2026-11-01");
    expect(readFileSync(join(dir, "print/batch-0001.pdf")).equals(once)).toBe(true);
  });
});
