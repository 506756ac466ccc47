import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
/** Generated extracts and run folders of the benches (ignored by git). */
export const DATA = join(ROOT, "bench/.data");

/** The extract, made once per size by `omnidoc sample` (same arguments, same bytes). */
export function extract(records: number): string {
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, `sample-${records}.ndjson`);
  if (!existsSync(path)) {
    const seed = records >= 100_000 ? ["--seed", "7"] : [];
    // Named once complete, so an interrupted bench never reuses half an extract.
    const part = `${path}.part`;
    execFileSync(process.execPath, [join(ROOT, "bin/omnidoc.mjs"), "sample", String(records), ...seed, "--out", part], {
      stdio: "inherit",
    });
    renameSync(part, path);
  }
  return path;
}
