/**
 * What a render thread costs a process in memory: for each count of threads, a process of its own builds an
 * engine in its main thread, as a billing run's does, starts that many render threads as the render pools
 * start theirs (the compiled bundle, the heap limits and V8 flags of src/render-threads.ts) and has them
 * compose the same generated customers, as many at once as there are threads (`measure.ts`). RSS per render
 * thread is (peak RSS at N threads - peak RSS at 0) / N.
 *
 *   npx tsx bench/threads/memory.ts [--threads 0,1,2] [--records 300] [--warm-up 30] [--channels pdf|all]
 *     [--rounds 1] [--v8 "FLAGS;FLAGS"] [--snapshot DIR]
 *
 * Prints, per count, the process's peak RSS and its RSS once every thread had built its engine (before the
 * first customer), the CPU a customer of the whole process (every thread, V8's helpers included) after the
 * warm-up, and each thread's peak V8 heap (total and used), external memory and array buffers, with its heap
 * spaces at the end and after a full collection (what it keeps alive). `--v8` weighs V8 flags on top of the
 * render threads' own: each variant (`;`-separated, an empty one for the flags as shipped) runs each count in
 * turn. `--rounds` repeats it all and prints the medians (the load swings between runs).
 * `--snapshot DIR` writes each thread's heap snapshot after the last customer.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ALL, type Channel, type Measured, measureInProcess } from "./measure.ts";

const fmt = (n: number, d = 0) => n.toFixed(d);
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: "0,1,2" },
    records: { type: "string", default: "300" },
    "warm-up": { type: "string", default: "30" },
    channels: { type: "string", default: "pdf" },
    rounds: { type: "string", default: "1" },
    v8: { type: "string", default: "" },
    snapshot: { type: "string" },
  },
});
const channels: Channel[] = args.channels === "all" ? [...ALL] : (args.channels!.split(",") as Channel[]);
const counts = args.threads!.split(",").map(Number);
const variants = args.v8!.split(";").map((v) => v.trim());
const seen = new Map<string, Measured[]>();
const name = (flags: string) => flags || "as shipped";
for (let round = 1; round <= Number(args.rounds); round++)
  for (const threads of counts)
    for (const flags of variants) {
      const before = load();
      const r = measureInProcess({
        threads,
        records: Number(args.records),
        warmUp: Number(args["warm-up"]),
        channels,
        flags,
        snapshot: args.snapshot,
      });
      const key = `${flags}|${threads}`;
      seen.set(key, [...(seen.get(key) ?? []), r]);
      const base = seen.get(`${flags}|0`)?.at(-1);
      const perThread = threads > 0 && base ? `, ${fmt((r.peakRss - base.peakRss) / threads)} MB a thread over 0` : "";
      console.log(
        `round ${round}, ${threads} thread(s), ${args.channels}, ${name(flags)}: peak RSS ${fmt(r.peakRss)} MB${perThread}` +
          (threads > 0 ? `, ${fmt(r.readyRss!)} MB when ready, CPU ${fmt(r.cpuMsPerCustomer!, 2)} ms a customer` : "") +
          ` (load ${before} -> ${load()})`,
      );
      for (const t of r.perThread ?? [])
        console.log(
          `  thread: heap ${fmt(t.heapTotal)} MB (used ${fmt(t.heapUsed)}), external ${fmt(t.external)} MB (array buffers ${fmt(t.arrayBuffers)})`,
        );
      for (const sp of r.spaces ?? []) console.log(`    ${sp}`);
    }
if (Number(args.rounds) > 1) {
  console.log("medians:");
  for (const flags of variants)
    for (const threads of counts) {
      const runs = seen.get(`${flags}|${threads}`)!;
      const rss = median(runs.map((r) => r.peakRss));
      const base = seen.get(`${flags}|0`);
      const perThread =
        threads > 0 && base ? `, ${fmt((rss - median(base.map((r) => r.peakRss))) / threads)} MB a thread` : "";
      const cpu = threads > 0 ? `, CPU ${fmt(median(runs.map((r) => r.cpuMsPerCustomer!)), 2)} ms a customer` : "";
      console.log(`  ${name(flags)}, ${threads} thread(s): peak RSS ${fmt(rss)} MB${perThread}${cpu}`);
    }
}
