import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * A billing run's main thread keeps its heap for the whole run: the emails' MJML is compiled in a thread that
 * ends, and the compose threads receive it compiled. The main thread never loads MJML's compiler, and every
 * email is the one an engine that compiled its MJML itself makes.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "omnidoc-main-mjml-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** In a fresh process: a 2-worker run of 6 customers' emails, then one of them composed by the process itself. */
const SCRIPT = `
  import { createRequire } from "node:module";
  import { readFileSync, writeFileSync } from "node:fs";
  import { join } from "node:path";
  const { runBatch } = await import(${JSON.stringify(`${ROOT}/src/batch/index.ts`)});
  const { buildEngine, compose, nodeWorld, parseProfileLine } = await import(${JSON.stringify(`${ROOT}/src/index.ts`)});
  const { sampleLines } = await import(${JSON.stringify(`${ROOT}/src/sample/index.ts`)});
  const mjmlLoaded = () =>
    Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes("/node_modules/mjml-core/"));
  const lines = [...sampleLines({ count: 6, seed: 5 })];
  const input = join(${JSON.stringify(work)}, "input.ndjson");
  writeFileSync(input, lines.join("\\n") + "\\n");
  const out = join(${JSON.stringify(work)}, "run");
  const settings = { template: "energy-bill", input, format: "ndjson", runDate: "2026-11-01", channels: ["email"], archive: false };
  await runBatch({ out, workers: 2, resume: false, settings, root: ${JSON.stringify(ROOT)} });
  const mainLoadedMjml = mjmlLoaded();
  // Without World.sharedText the engine compiles the MJML itself, whatever the run kept.
  const built = await buildEngine({ ...nodeWorld(${JSON.stringify(ROOT)}), sharedText: undefined });
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  const same = [];
  for (const [i, line] of lines.entries()) {
    const p = parseProfileLine(line, i + 1);
    if (!p.ok) continue;
    const c = await compose(built.value, p.value, { template: "energy-bill", channels: ["email"], runDate: "2026-11-01" });
    if (!c.ok || !c.value.email) continue;
    same.push(readFileSync(join(out, "email", p.value.id + ".eml")).equals(Buffer.from(c.value.email.eml)));
  }
  console.log(JSON.stringify({ mainLoadedMjml, selfLoadedMjml: mjmlLoaded(), same }));
`;

describe("a billing run's main thread", () => {
  it("never loads MJML, and the run's emails are those of an engine that compiled the MJML itself", () => {
    // A file, not --eval: the run's threads inherit the process's options, and --input-type is for --eval alone.
    const script = join(work, "run.mjs");
    writeFileSync(script, SCRIPT);
    const r = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const { mainLoadedMjml, selfLoadedMjml, same } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(mainLoadedMjml).toBe(false);
    // The same check sees MJML once the process compiles the emails itself.
    expect(selfLoadedMjml).toBe(true);
    expect(same.length).toBeGreaterThan(0);
    expect(same.every(Boolean)).toBe(true);
  }, 600_000);
});
