/**
 * Where a run's CPU goes, thread by thread: the /proc counters of every thread of the run's process, sampled
 * while it runs, then cut into the run's phases (start-up, composing, print batches) by the timings its
 * summary reports.
 */
import { readFileSync, readdirSync } from "node:fs";

/** Clock ticks a second in /proc's counters (USER_HZ). */
const TICKS = 100;

interface Sample {
  /** performance.now() of the sample. */
  at: number;
  /** CPU seconds (user + system) of each thread so far, by thread id, ended threads included. */
  cpu: Map<number, number>;
}

export interface ThreadTimeline {
  /** The node process (the child of /usr/bin/time), once seen. */
  pid?: number;
  samples: Sample[];
  stop(): void;
}

/** Samples the threads of `timePid`'s child (the node process under /usr/bin/time) until stopped. */
export function watchThreads(timePid: number, everyMs = 200): ThreadTimeline {
  const timeline: ThreadTimeline = { samples: [], stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    try {
      timeline.pid ??= Number(readFileSync(`/proc/${timePid}/task/${timePid}/children`, "utf8").trim()) || undefined;
      if (timeline.pid === undefined) return;
      // A thread that has ended keeps its last count: what it did stays in the phase it did it in.
      const cpu = new Map(timeline.samples.at(-1)?.cpu);
      for (const tid of readdirSync(`/proc/${timeline.pid}/task`)) {
        // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        const stat = readFileSync(`/proc/${timeline.pid}/task/${tid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        cpu.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / TICKS);
      }
      timeline.samples.push({ at: performance.now(), cpu });
    } catch {} // a thread or the process ended between listing and reading: the next sample has it
  }, everyMs);
  return timeline;
}

/** Milliseconds of CPU a record (a print statement for `print`) in each part of the run. */
export interface ThreadCpu {
  /** While composing (first record journaled to last): the main thread (reading, deciding, journaling). */
  main: number;
  /** The compose threads (the `workers` busiest threads besides the main one). */
  compose: number;
  /** Every other thread: V8's helpers (garbage collection, compilation), libuv's pool (zlib, file writes). */
  other: number;
  /** The print batches, every thread, a print statement. */
  print: number;
  /** CPU seconds before the first record was journaled: modules, engines, threads started. */
  startupS: number;
}

/**
 * Splits the sampled CPU by phase. The summary's timings end where the print batches end, just before the
 * process exits: the phases are laid back from the last sample.
 */
export function threadCpuOf(
  timeline: ThreadTimeline,
  timings: { composeMs: number; printMs: number },
  workers: number,
  records: number,
  printStatements: number,
): ThreadCpu {
  const { samples, pid } = timeline;
  const end = samples.at(-1)!.at;
  const printStart = end - timings.printMs;
  const composeStart = printStart - timings.composeMs;
  const at = (t: number) => (samples.findLast((s) => s.at <= t) ?? samples[0]!).cpu;
  const between = (from: Map<number, number>, to: Map<number, number>) =>
    [...to].map(([tid, cpu]) => [tid, cpu - (from.get(tid) ?? 0)] as const);
  const sum = (xs: readonly (readonly [number, number])[]) => xs.reduce((t, [, cpu]) => t + cpu, 0);

  const composing = between(at(composeStart), at(printStart)).sort((a, b) => b[1] - a[1]);
  const main = composing.filter(([tid]) => tid === pid);
  const threads = composing.filter(([tid]) => tid !== pid);
  const perRecord = (s: number) => (1000 * s) / Math.max(1, records - 1);
  return {
    main: perRecord(sum(main)),
    compose: perRecord(sum(threads.slice(0, workers))),
    other: perRecord(sum(threads.slice(workers))),
    print: (1000 * sum(between(at(printStart), at(end)))) / Math.max(1, printStatements),
    startupS: sum([...at(composeStart)]),
  };
}
