/**
 * What a render thread costs a process in memory: for each count of threads, a process of its own starts that
 * many render threads as the render pools start theirs (`renderThreads`: the compiled bundle, the heap limits
 * and V8 flags of src/render-threads.ts) and has them compose the same generated customers, as many at once as
 * there are threads. RSS per render thread is (peak RSS at N threads - peak RSS at 0) / N; the process at 0
 * threads reads the extract and starts nothing.
 *
 *   npx tsx bench/threads/memory.ts [--threads 0,1,2] [--records 300] [--warm-up 30] [--channels pdf|all]
 *     [--rounds 1] [--snapshot DIR]
 *
 * Prints, per count, the process's peak RSS and its RSS once every thread had built its engine (before the
 * first customer), the CPU a customer of the whole process (every thread, V8's helpers included) after the
 * warm-up, and each thread's peak V8 heap (total and used), external memory and array buffers, with its heap
 * spaces at the end and after a full collection (what it keeps alive). `--rounds` runs the counts in turn that
 * many times (A/B against the load). `--snapshot DIR` writes each thread's heap snapshot after the last customer.
 */
import "../signing-keys.ts";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { isMainThread, threadId, workerData } from "node:worker_threads";
import { Piscina } from "piscina";
import { compose } from "../../src/compose.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { type Engine, buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { renderThreads } from "../../src/render-threads.ts";
import { ROOT, extract } from "../extract.ts";

const SELF = new URL(import.meta.url);
const ALL = ["pdf", "email", "sms"] as const;
type Channel = (typeof ALL)[number];

interface ThreadSettings {
  channels: Channel[];
}

type Task = { customer: string } | { snapshot: string } | { collect: true };

interface Usage {
  thread: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const MB = 1048576;

function usage(): Usage {
  const m = process.memoryUsage();
  return {
    thread: threadId,
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

/** The V8 heap spaces of this thread, in MB: used of committed. */
function spaces(): string {
  return getHeapSpaceStatistics()
    .filter((s) => s.space_size > 0)
    .map(
      (s) =>
        `${s.space_name.replace("_space", "")} ${(s.space_used_size / MB).toFixed(1)}/${(s.space_size / MB).toFixed(1)}`,
    )
    .join(", ");
}

// A render thread: builds its engine once, then composes one customer a task.
const caches = createRenderCaches();
let engine: Promise<Engine> | undefined;

function engineOnce(channels: Channel[]): Promise<Engine> {
  engine ??= buildEngine(nodeWorld(ROOT), { channels, caches }).then((r) => {
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.value;
  });
  return engine;
}

export default async function renderTask(task: Task | "ready"): Promise<Usage & { spaces?: string }> {
  const { channels } = workerData as ThreadSettings;
  const built = await engineOnce(channels);
  if (task === "ready") return usage();
  if ("snapshot" in task) {
    writeHeapSnapshot(`${task.snapshot}/thread-${threadId}.heapsnapshot`);
    return usage();
  }
  if ("collect" in task) {
    const before = spaces();
    (globalThis as { gc?: () => void }).gc?.();
    return { ...usage(), spaces: `at the end: ${before}\n    after a full collection: ${spaces()}` };
  }
  const r = await compose(built, JSON.parse(task.customer), {
    template: "energy-bill",
    channels,
    runDate: "2026-11-01",
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return usage();
}

function rssMb(field: "VmHWM" | "VmRSS"): number {
  const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return Number(m![1]) / 1024;
}

/** One process's measurement: `threads` render threads compose `records` customers. */
interface Measured {
  threads: number;
  peakRss: number;
  readyRss?: number;
  cpuMsPerCustomer?: number;
  perThread?: { heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }[];
  spaces?: string[];
}

async function measure(
  threads: number,
  records: number,
  warmUp: number,
  channels: Channel[],
  snapshot?: string,
): Promise<Measured> {
  const lines = readFileSync(extract(Math.max(records, 2000)), "utf8")
    .split("\n")
    .slice(0, records);
  // The main thread builds its engine first, as a billing run's does (to decide and check the templates).
  const main = await buildEngine(nodeWorld(ROOT), { channels });
  if (!main.ok) throw new Error(JSON.stringify(main.problems));
  if (threads === 0) return { threads, peakRss: rssMb("VmHWM") };
  const options = renderThreads(SELF, { channels } satisfies ThreadSettings, threads);
  const pool = new Piscina(options);
  // One "ready" task a thread at once: every thread builds its engine before the first customer.
  await Promise.all(Array.from({ length: threads }, () => pool.run("ready")));
  const readyRss = rssMb("VmRSS");
  const peaks = new Map<number, Usage>();
  const keep = (u: Usage) => {
    const p = peaks.get(u.thread);
    if (!p) return peaks.set(u.thread, u);
    for (const k of ["heapTotal", "heapUsed", "external", "arrayBuffers"] as const) p[k] = Math.max(p[k], u[k]);
  };
  let next = 0;
  let cpuStart = process.cpuUsage();
  const one = async (): Promise<void> => {
    while (next < lines.length) {
      const i = next++;
      if (i === warmUp) cpuStart = process.cpuUsage();
      keep(await pool.run({ customer: lines[i]! }));
    }
  };
  await Promise.all(Array.from({ length: threads }, one));
  const cpu = process.cpuUsage(cpuStart);
  const peakRss = rssMb("VmHWM");
  // One task a thread at once, as for "ready": each thread takes one.
  const everyThread = (task: Task) => Promise.all(Array.from({ length: threads }, () => pool.run(task)));
  if (snapshot) await everyThread({ snapshot });
  const collected = await everyThread({ collect: true });
  await pool.destroy();
  return {
    threads,
    peakRss,
    readyRss,
    cpuMsPerCustomer: (cpu.user + cpu.system) / 1000 / (lines.length - warmUp),
    perThread: [...peaks.values()].map((p) => ({
      heapTotal: p.heapTotal / MB,
      heapUsed: p.heapUsed / MB,
      external: p.external / MB,
      arrayBuffers: p.arrayBuffers / MB,
    })),
    spaces: collected.map((c) => (c as { spaces: string }).spaces),
  };
}

/** Runs one count in a process of its own, started as the command line starts (plain Node, compiled sources). */
function child(threads: number, args: Args, settings: string[]): Measured {
  const compiled = fileURLToPath(new URL("../../src/compiled.mjs", import.meta.url));
  const main = `const { importCompiled } = await import(${JSON.stringify(compiled)}); await importCompiled(new URL(${JSON.stringify(SELF.href)}));`;
  const snapshot = args.snapshot && threads > 0 ? ["--snapshot", args.snapshot] : [];
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--input-type=module", "-e", main, "--", "--child", String(threads), ...settings, ...snapshot],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`${threads} threads failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

const fmt = (n: number, d = 0) => n.toFixed(d);
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

function options() {
  return parseArgs({
    options: {
      child: { type: "string" },
      threads: { type: "string", default: "0,1,2" },
      records: { type: "string", default: "300" },
      "warm-up": { type: "string", default: "30" },
      channels: { type: "string", default: "pdf" },
      rounds: { type: "string", default: "1" },
      snapshot: { type: "string" },
    },
  }).values;
}
type Args = ReturnType<typeof options>;

async function main(): Promise<void> {
  const args = options();
  const channels: Channel[] = args.channels === "all" ? [...ALL] : (args.channels!.split(",") as Channel[]);
  if (args.child !== undefined) {
    const r = await measure(Number(args.child), Number(args.records), Number(args["warm-up"]), channels, args.snapshot);
    console.log(JSON.stringify(r));
    return;
  }
  const settings = ["--records", args.records!, "--warm-up", args["warm-up"]!, "--channels", args.channels!];
  const counts = args.threads!.split(",").map(Number);
  const peaks = new Map<number, number[]>();
  for (let round = 1; round <= Number(args.rounds); round++)
    for (const n of counts) {
      const before = load();
      const r = child(n, args, settings);
      peaks.set(n, [...(peaks.get(n) ?? []), r.peakRss]);
      const base = peaks.get(0)?.at(-1);
      const perThread = n > 0 && base !== undefined ? `, ${fmt((r.peakRss - base) / n)} MB a thread over 0` : "";
      console.log(
        `round ${round}, ${n} thread(s), ${args.channels}: peak RSS ${fmt(r.peakRss)} MB${perThread}` +
          (n > 0 ? `, ${fmt(r.readyRss!)} MB when ready, CPU ${fmt(r.cpuMsPerCustomer!, 2)} ms a customer` : "") +
          ` (load ${before} -> ${load()})`,
      );
      for (const t of r.perThread ?? [])
        console.log(
          `  thread: heap ${fmt(t.heapTotal)} MB (used ${fmt(t.heapUsed)}), external ${fmt(t.external)} MB (array buffers ${fmt(t.arrayBuffers)})`,
        );
      for (const s of r.spaces ?? []) console.log(`    ${s}`);
    }
}

// In a render thread only the default export runs.
if (isMainThread) await main();
