import { workerData } from "node:worker_threads";
import { type PrintBatch, writePrintBatch } from "./print.ts";
import type { PrintSettings } from "./types.ts";

const { outDir, runDate } = workerData as PrintSettings;

/** Merges one print batch from the statements on disk; resolves to its page count. */
export default function printBatch(batch: PrintBatch): Promise<number> {
  return writePrintBatch(outDir, batch, runDate);
}
