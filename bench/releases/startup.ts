import "../signing-keys.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildEngine } from "../../src/engine.ts";
import { RELEASE_FOLDER_ENGINE } from "../../src/engine-files.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { materialise, readReleaseContent } from "../../src/releases/content.ts";

/**
 * What production mode adds to a run's or a server's start: reading a template's release content (every file
 * the engine reads, hashed) and writing it out, against the baseline of building the engine from the project,
 * which every start does anyway. Median of ROUNDS rounds each, in one process.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const ROUNDS = Number(process.argv[2] ?? 5);
const work = mkdtempSync(join(tmpdir(), "omnidoc-bench-release-"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const build = async (root: string, options = {}) => {
  const built = await buildEngine(nodeWorld(root), options);
  if (!built.ok) throw new Error(built.problems[0].message);
};

const baseline: number[] = [];
const content: number[] = [];
const written: number[] = [];
const fromFolder: number[] = [];
let bytes = 0;
try {
  await build(ROOT); // warm-up: modules, fonts in the page cache
  for (let i = 0; i < ROUNDS; i++) {
    baseline.push(await timed(() => build(ROOT)));
    let release = await readReleaseContent(ROOT, {}, "energy-bill");
    content.push(await timed(async () => (release = await readReleaseContent(ROOT, {}, "energy-bill"))));
    bytes = release.files.reduce((n, f) => n + f.bytes.length, 0);
    const dir = join(work, `r${i}`);
    written.push(await timed(async () => materialise(release, dir)));
    fromFolder.push(await timed(() => build(dir, RELEASE_FOLDER_ENGINE)));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`release content of energy-bill: ${(bytes / 1024 / 1024).toFixed(1)} MB`);
console.log(`baseline: engine built from the project         ${ms(median(baseline))}`);
console.log(
  `release content read and hashed (a build too)  ${ms(median(content))}  ${(median(content) / median(baseline)).toFixed(2)}x`,
);
console.log(
  `written out to a folder                        ${ms(median(written))}  ${(median(written) / median(baseline)).toFixed(2)}x`,
);
console.log(
  `engine built from the folder                   ${ms(median(fromFolder))}  ${(median(fromFolder) / median(baseline)).toFixed(2)}x`,
);
