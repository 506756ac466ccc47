/**
 * What render threads cost a process in memory (`bench/threads/memory.ts`, `bench/pdf/run.ts`). A process of its
 * own builds an engine in its main thread, as a billing run's does, then starts render threads as the render
 * pools start theirs (`renderThreads`: the compiled bundle, the heap limits and V8 flags of
 * src/render-threads.ts), and has them compose the same generated customers, as many at once as there are
 * threads. This module is also the threads' own: its default export composes one customer a task.
 */
import "../signing-keys.ts";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from "node:v8";
import { threadId, workerData } from "node:worker_threads";
import { Piscina } from "piscina";
import { compose } from "../../src/compose.ts";
import { createRenderCaches } from "../../src/core/index.ts";
import { type Engine, buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { renderThreads } from "../../src/render-threads.ts";
import { ROOT, extract } from "../extract.ts";

const SELF = new URL(import.meta.url);
export const ALL = ["pdf", "email", "sms"] as const;
export type Channel = (typeof ALL)[number];

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
    // Array buffers live outside the heap's spaces: what a thread keeps of them is what survives the collection.
    const kept = (process.memoryUsage().arrayBuffers / MB).toFixed(1);
    return {
      ...usage(),
      spaces: `at the end: ${before}\n    after a full collection: ${spaces()}, array buffers ${kept}`,
    };
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

/** What one process measured. */
export interface Measured {
  threads: number;
  peakRss: number;
  readyRss?: number;
  cpuMsPerCustomer?: number;
  perThread?: { heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }[];
  spaces?: string[];
}

/** One process's measurement: `threads` render threads compose `records` customers. */
export interface Measurement {
  threads: number;
  records: number;
  /** Customers composed before the CPU is counted. */
  warmUp: number;
  channels: Channel[];
  /** V8 flags on top of the render threads' own, space-separated. */
  flags: string;
  /** A folder for each thread's heap snapshot after the last customer. */
  snapshot?: string;
}

/** Measures in this process: call it in a process of its own (`measureInProcess`), peak RSS is the process's. */
export async function measure({ threads, records, warmUp, channels, flags, snapshot }: Measurement): Promise<Measured> {
  const lines = readFileSync(extract(Math.max(records, 2000)), "utf8")
    .split("\n")
    .slice(0, records);
  // The main thread builds its engine first, as a billing run's does (to decide and check the templates).
  const main = await buildEngine(nodeWorld(ROOT), { channels });
  if (!main.ok) throw new Error(JSON.stringify(main.problems));
  if (threads === 0) return { threads, peakRss: rssMb("VmHWM") };
  const options = renderThreads(SELF, { channels } satisfies ThreadSettings, threads);
  // On top of the render threads' own flags, before the threads start.
  for (const flag of flags.split(" ").filter(Boolean)) setFlagsFromString(flag);
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

/**
 * Measures in a process of its own, started as the command line starts (plain Node, the compiled sources), so
 * that its peak RSS is the measurement's alone.
 */
export function measureInProcess(m: Measurement): Measured {
  const compiled = fileURLToPath(new URL("../../src/compiled.mjs", import.meta.url));
  const main = `const { importCompiled } = await import(${JSON.stringify(compiled)});
    const { measure } = await importCompiled(new URL(${JSON.stringify(SELF.href)}));
    console.log(JSON.stringify(await measure(JSON.parse(process.argv[1]))));`;
  const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", main, JSON.stringify(m)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${m.threads} threads failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}
