/**
 * Young-generation sizes of a render thread compared in one process: one thread per size, each with its own
 * all-channel engine, composes the same customers in turn (who goes first rotates), so every size meets the
 * same load at the same moments. Prints the process's CPU a customer while each thread composed (V8's helper
 * threads included) and each thread's peak V8 heap.
 *
 *   npx tsx bench/batch/young-generation.ts [--sizes 16,32,64] [--records 600] [--warm-up 40]
 *
 * The threads are started as the render pools start theirs (src/render-entry.mjs, the old-generation cap and
 * heap growth of src/render-threads.ts); only the young generation differs.
 */
import "../signing-keys.ts";
import { readFileSync } from "node:fs";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { compose } from "../../src/compose.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { type Engine, buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { RENDER_V8_FLAGS, WORKER_RESOURCE_LIMITS, renderThreads } from "../../src/render-threads.ts";
import { ROOT, extract } from "../extract.ts";

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1]!;
}

type Message = "build" | "heap" | string;

async function thread(): Promise<void> {
  const built = await buildEngine(nodeWorld(ROOT), { caches: createRenderCaches() });
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  const engine: Engine = built.value;
  let peak = 0;
  parentPort!.on("message", async (m: Message) => {
    if (m === "heap") return parentPort!.postMessage(Math.round(peak / 1048576));
    const r = await compose(engine, JSON.parse(m), {
      template: "energy-bill",
      channels: ["pdf", "email", "sms"],
      runDate: "2026-11-01",
    });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    peak = Math.max(peak, process.memoryUsage().heapTotal);
    parentPort!.postMessage(0);
  });
  parentPort!.postMessage("ready");
}

async function main(): Promise<void> {
  const sizes = flag("--sizes", "16,32,64").split(",").map(Number);
  const records = Number(flag("--records", "600"));
  const warmUp = Number(flag("--warm-up", "40"));
  const lines = readFileSync(extract(Math.max(records, 2000)), "utf8")
    .split("\n")
    .slice(0, records);
  const { filename, workerData: data } = renderThreads(new URL(import.meta.url), {}, 1);
  const threads = sizes.map(
    (young) =>
      new Worker(filename, {
        workerData: data,
        resourceLimits: { ...WORKER_RESOURCE_LIMITS, maxYoungGenerationSizeMb: young },
      }),
  );
  for (const w of threads)
    w.on("error", (err) => {
      throw err;
    });
  const ask = (w: Worker, m: Message) =>
    new Promise<unknown>((done) => {
      w.once("message", done);
      w.postMessage(m);
    });
  await Promise.all(threads.map((w) => new Promise((ready) => w.once("message", ready))));
  const cpu = sizes.map(() => 0);
  for (const [i, line] of lines.entries())
    for (let k = 0; k < threads.length; k++) {
      const j = (i + k) % threads.length;
      const before = process.cpuUsage();
      await ask(threads[j]!, line);
      const used = process.cpuUsage(before);
      if (i >= warmUp) cpu[j]! += used.user + used.system;
    }
  const heaps = await Promise.all(threads.map((w) => ask(w, "heap")));
  for (const [k, young] of sizes.entries())
    process.stdout.write(
      `young generation ${young} MB: ${(cpu[k]! / 1000 / (lines.length - warmUp)).toFixed(2)} ms CPU a customer, ` +
        `heap peak ${heaps[k]} MB\n`,
    );
  process.stdout.write(`flags ${RENDER_V8_FLAGS.join(" ")}, load ${readFileSync("/proc/loadavg", "utf8")}`);
  await Promise.all(threads.map((w) => w.terminate()));
}

if (isMainThread) await main();
else if (workerData?.module) await thread();
