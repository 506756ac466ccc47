import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The reference extract generator that ships beside the project (see DATA.md). */
export const GENERATOR = fileURLToPath(new URL("../../../shared/data/gen-customers.mjs", import.meta.url));

/** NDJSON lines from the reference generator: deterministic for the same arguments. */
export function generateLines(count: number, ...args: string[]): string[] {
  const out = execFileSync(process.execPath, [GENERATOR, String(count), ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const lines = out.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
