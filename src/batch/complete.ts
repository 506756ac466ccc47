import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ProblemError } from "../core/index.ts";
import type { CapLedger } from "./caps.ts";
import { writeAtomic } from "./files.ts";
import { printPool } from "./pool.ts";
import { PRINT_DIR, planPrintBatches, printBatchDone } from "./print.ts";
import type { RunSettings } from "./settings.ts";
import { buildSummary } from "./summary.ts";
import type { RunTotals } from "./totals.ts";

export const SUMMARY = "summary.json";

/**
 * Ends a run whose journal is complete, local or distributed alike: merges the print batches (sorted by
 * postcode across the whole run) in threads of their own, then writes `summary.json`. `timings` are the
 * caller's; the print time and the peak memory are added here.
 */
export async function completeRun(
  out: string,
  settings: RunSettings,
  totals: RunTotals,
  ledger: CapLedger,
  threads: number,
  timings: Record<string, number>,
): Promise<ReturnType<typeof buildSummary>> {
  // Print threads load none of the engine's modules (~100 MB a thread less than a composing thread) and hold a
  // print file in memory while they make it: they start once composing is over.
  const printStarted = performance.now();
  const batches = await planPrintBatches(out, settings.printBatchSize);
  mkdirSync(join(out, PRINT_DIR), { recursive: true });
  const printers = printPool({ outDir: out, runDate: settings.runDate }, threads);
  try {
    const stops = await Promise.all(batches.filter((b) => !printBatchDone(out, b)).map((b) => printers.run(b)));
    const stop = stops.find((p) => p !== undefined);
    if (stop) throw new ProblemError([stop]);
  } finally {
    await printers.close();
  }
  const summary = buildSummary(settings, totals, ledger, batches.length, {
    ...timings,
    printMs: Math.round(performance.now() - printStarted),
    /** Peak resident memory of the process, every worker thread included. */
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  // A local run writes its documents without syncing each (the journal's hashes let `--resume` repair what a
  // crash mid-run lost); a run that says it is done has them on disk: one syncfs(2) of the output's file system.
  execFileSync("sync", ["--file-system", out]);
  writeAtomic(join(out, SUMMARY), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
