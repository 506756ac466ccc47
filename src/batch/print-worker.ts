import { workerData } from "node:worker_threads";
import type { Problem } from "../core/index.ts";
import { diskFullOf } from "./files.ts";
import { type PrintBatch, writePrintBatch } from "./print.ts";
import type { PrintSettings } from "./types.ts";

const { outDir, runDate } = workerData as PrintSettings;

/**
 * Merges one print batch from the statements on disk. A full disk comes back as the problem that stops the
 * run (an error loses its class between threads); nothing comes back when the batch is written.
 */
export default async function printBatch(batch: PrintBatch): Promise<Problem | undefined> {
  try {
    await writePrintBatch(outDir, batch, runDate);
    return undefined;
  } catch (err) {
    const full = diskFullOf(err);
    if (full) return full;
    throw err;
  }
}
