import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A billing run's output folder, read as its tests compare it. */

export const outputText = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

/** An NDJSON output (manifest, rejects, sms) as its parsed lines. */
export const outputLines = (dir: string, name: string) =>
  outputText(dir, name)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** summary.json without its timings, which differ from run to run while everything else must not. */
export const summarySansTimings = (dir: string) => ({
  ...JSON.parse(outputText(dir, "summary.json")),
  timings: undefined,
});
