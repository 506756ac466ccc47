import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
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

/**
 * The documents of the given sub-folders (pdf, email, print) as `sub/name` → sha256: equal for two runs when both
 * hold the same files with the same bytes, and a failure names the files that differ.
 */
export function documentHashes(dir: string, subs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of subs) {
    if (!existsSync(join(dir, sub))) continue;
    for (const name of readdirSync(join(dir, sub)).sort())
      out[`${sub}/${name}`] = createHash("sha256")
        .update(readFileSync(join(dir, sub, name)))
        .digest("hex");
  }
  return out;
}
