import type { CapLedger } from "./caps.ts";
import type { RunSettings } from "./settings.ts";
import type { RunTotals } from "./totals.ts";

/** `summary.json`: the control totals of the whole run, caps and print batches included, then its timings. */
export function buildSummary(
  settings: RunSettings,
  totals: RunTotals,
  ledger: CapLedger,
  printBatches: number,
  timings: Record<string, number>,
) {
  const t = totals.totals();
  return {
    template: settings.template,
    runDate: settings.runDate,
    input: settings.input,
    channels: settings.channels,
    ...t,
    print: { ...t.print, batches: printBatches, perBatch: settings.printBatchSize },
    caps: ledger.report(),
    /** The only part that differs between two runs of the same input. */
    timings,
  };
}
