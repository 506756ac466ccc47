import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * A render thread started after its process built an engine finds the email's MJML compiled already and never
 * loads MJML's compiler, which it would otherwise hold for its life (~15 MB of heap a thread).
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Composes one customer with an engine for every channel; says whether MJML was loaded, and the email's HTML. */
const COMPOSE = `
  const { createRequire } = await import("node:module");
  const { buildEngine, compose, nodeWorld, parseProfileLine } = await import(${JSON.stringify(`${ROOT}/src/index.ts`)});
  const { sampleLines } = await import(${JSON.stringify(`${ROOT}/src/sample/index.ts`)});
  const built = await buildEngine(nodeWorld(${JSON.stringify(ROOT)}));
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  const [line] = sampleLines({ count: 1, seed: 3 });
  const p = parseProfileLine(line, 1);
  const c = await compose(built.value, p.value, { template: "energy-bill", channels: ["email"], runDate: "2026-11-01" });
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  return { mjml: loaded.some((f) => f.includes("/node_modules/mjml-core/")), html: c.value.email.html };
`;

/** In a fresh process: the main thread composes first when `mainFirst`, then a worker thread composes. */
function inFreshProcess(mainFirst: boolean) {
  const script = `
    import { Worker } from "node:worker_threads";
    const run = async () => { ${COMPOSE} };
    const main = ${mainFirst} ? await run() : undefined;
    const worker = new Worker(${JSON.stringify(`import { parentPort } from "node:worker_threads";
      import { register } from "tsx/esm/api";
      register();
      parentPort.postMessage(await (async () => { ${COMPOSE} })());`)}, { eval: true });
    const thread = await new Promise((done, fail) => { worker.once("message", done); worker.once("error", fail); });
    await worker.terminate();
    console.log(JSON.stringify({ main, thread }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

describe("a render thread's email", () => {
  it("is compiled from the MJML its process compiled, without loading MJML in the thread", () => {
    const { main, thread } = inFreshProcess(true);
    expect(main.mjml).toBe(true);
    expect(thread.mjml).toBe(false);
    expect(thread.html).toBe(main.html);
    // The same check sees MJML loaded in a thread that compiles it itself.
    const alone = inFreshProcess(false).thread;
    expect(alone.mjml).toBe(true);
    expect(alone.html).toBe(main.html);
  }, 180_000);
});
