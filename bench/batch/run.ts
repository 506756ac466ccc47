/**
 * The billing run's figures: a generated extract composed end to end by the real command line
 * (`omnidoc run`, a child process per run), at 1 and 2 workers: statements per second, the scaling ratio
 * against one worker measured in the same session, and the child's peak RSS; optionally the
 * 100,000-customer extract end to end, and a CPU profile of where one statement's time goes.
 *
 *   npx tsx bench/batch/run.ts                       # 10,000 customers, all channels, 1 and 2 workers
 *   npx tsx bench/batch/run.ts --records 2000        # smaller, for a quick look
 *   npx tsx bench/batch/run.ts --big                 # and 100,000 customers at 2 workers
 *   npx tsx bench/batch/run.ts --side-by-side        # and two 1-worker runs at once: the machine's ceiling
 *   npx tsx bench/batch/run.ts --profile             # where a statement's time goes (--cpu-prof, 1 worker)
 *   npx tsx bench/batch/run.ts --workers 2,2,2 --baseline DIR   # each run also by another checkout, first
 *   options: --workers 1,2  --channels all|preferred|sms  --big-channels preferred
 *
 * Archiving is off (--no-archive) so the figures are composition's; data lives in bench/.data (ignored).
 */
import "../signing-keys.ts";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { DATA, ROOT, extract } from "../extract.ts";
import { selfTimeByPlace } from "./profile.ts";
import { type ThreadCpu, threadCpuOf, watchThreads } from "./threads.ts";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}
const has = (name: string) => process.argv.includes(name);

interface Measured {
  records: number;
  workers: number;
  channels: string;
  composed: number;
  wallS: number;
  /** Records per second while composing (first record journaled to last). */
  steady: number;
  /** Records per second over the whole command, start-up and print batches included. */
  endToEnd: number;
  startupS: number;
  printS: number;
  peakRssMb: number;
  /** CPU seconds (user + system, every thread) per record: what a statement costs, whatever the neighbours do. */
  cpuPerRecord: number;
  pages: number;
  /** CPU of each thread over the run, from /proc: where a record's CPU goes. */
  threads: ThreadCpu;
  /** Load averages (1, 5, 15 min) when the run started and when it ended. */
  load: [string, string];
}

/**
 * One real run as a child process, under /usr/bin/time for the peak RSS of the whole process. `extra` goes to
 * node, `copy` names a second folder (runs side by side, the baseline's), `root` is the checkout whose
 * command line runs.
 */
async function run(
  input: string,
  records: number,
  workers: number,
  channels: string,
  { extra = [], copy = "", root = ROOT }: { extra?: string[]; copy?: string; root?: string } = {},
): Promise<Measured> {
  const out = join(DATA, `run-${records}-${workers}w-${channels.replace(/,/g, "+")}${copy}`);
  // Each run starts afresh (repeated worker counts reuse the folder): the figures are a new run's.
  rmSync(out, { recursive: true, force: true });
  const timeFile = `${out}.time`;
  const args = ["-f", "%M %e %U %S", "-o", timeFile, process.execPath, ...extra, join(root, "bin/omnidoc.mjs"), "run"];
  args.push("--template", "energy-bill", "--input", input, "--out", out, "--date", "2026-11-01");
  args.push("--channels", channels, "--workers", String(workers), "--no-archive");
  const loadBefore = loadNow();
  const child = spawn("/usr/bin/time", args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const timeline = watchThreads(child.pid!);
  const status = await new Promise<number | null>((done) => child.on("close", done));
  timeline.stop();
  if (status !== 0 && status !== 1) throw new Error(`run failed with ${status}`);
  const [rssKb, wall, user, system] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  const t = s.timings;
  return {
    records,
    workers,
    channels,
    composed: s.records.composed,
    wallS: wall,
    steady: ((s.records.read - 1) * 1000) / Math.max(1, t.composeMs),
    endToEnd: s.records.read / wall,
    startupS: t.startupMs / 1000,
    printS: t.printMs / 1000,
    peakRssMb: Math.round(rssKb / 1024),
    cpuPerRecord: (user + system) / s.records.read,
    pages: s.pages,
    threads: threadCpuOf(timeline, t, workers, s.records.read, s.print.statements),
    load: [loadBefore, loadNow()],
  };
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function show(m: Measured, label = ""): void {
  process.stdout.write(
    `${label}${String(m.records).padStart(7)} records  ${m.workers} worker(s)  ${m.channels.padEnd(9)}` +
      `  ${m.steady.toFixed(1).padStart(6)}/s steady  ${m.endToEnd.toFixed(1).padStart(6)}/s end to end` +
      `  wall ${m.wallS.toFixed(0)} s (start-up ${m.startupS.toFixed(1)} s, print ${m.printS.toFixed(1)} s)` +
      `  peak RSS ${m.peakRssMb} MB  ${(m.cpuPerRecord * 1000).toFixed(1)} ms CPU a record  ${m.pages} pages` +
      `  load ${m.load[0]} -> ${m.load[1]}\n` +
      `        CPU a record while composing: main thread ${m.threads.main.toFixed(2)} ms, compose threads ` +
      `${m.threads.compose.toFixed(1)} ms, other threads ${m.threads.other.toFixed(1)} ms; print ` +
      `${m.threads.print.toFixed(1)} ms a print statement; start-up ${m.threads.startupS.toFixed(1)} s CPU\n`,
  );
}

/** A 1-worker run under --cpu-prof; prints where the worker thread's time goes. */
async function profile(channels: string): Promise<void> {
  const records = 300;
  const dir = join(DATA, "cpu-prof");
  rmSync(dir, { recursive: true, force: true });
  await run(extract(records), records, 1, channels, { extra: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  // The busiest profile is the worker's (the main thread only reads, decides and journals).
  const profiles = readdirSync(dir).map((f) => join(dir, f));
  const measured = profiles.map((f) => ({ f, ...selfTimeByPlace(f) }));
  const busy = (m: (typeof measured)[number]) => m.total - (m.places.find(([p]) => p === "(idle)")?.[1] ?? 0);
  measured.sort((a, b) => busy(b) - busy(a));
  const [worker, main] = measured;
  for (const [name, m] of [
    ["worker", worker],
    ["main", main],
  ] as const) {
    process.stdout.write(
      `\n${name} thread: ${busy(m).toFixed(0)} ms busy of ${m.total.toFixed(0)} ms (${statSync(m.f).size} bytes of profile)\n`,
    );
    for (const [p, t] of m.places.filter(([p]) => p !== "(idle)").slice(0, 16))
      process.stdout.write(
        `  ${((100 * t) / busy(m)).toFixed(1).padStart(5)}%  ${t.toFixed(0).padStart(7)} ms  ${p}\n`,
      );
  }
}

const records = Number(flag("--records") ?? 10_000);
const channels = flag("--channels") ?? "all";
const workers = (flag("--workers") ?? "1,2").split(",").map(Number);
/** Another checkout of omnidoc: each run is made with its command line first, then with this one. */
const baseline = flag("--baseline");

if (has("--profile")) {
  await profile(channels);
} else {
  const input = extract(records);
  const results: Measured[] = [];
  const baselines: Measured[] = [];
  for (const w of workers) {
    if (baseline) {
      const b = await run(input, records, w, channels, { copy: "-baseline", root: baseline });
      show(b, "baseline ");
      baselines.push(b);
    }
    const m = await run(input, records, w, channels);
    show(m);
    results.push(m);
  }
  if (baseline)
    for (const w of new Set(workers)) {
      const median = (of: Measured[], pick: (m: Measured) => number) => {
        const xs = of.filter((m) => m.workers === w).map(pick);
        xs.sort((a, b) => a - b);
        return (xs[(xs.length - 1) >> 1]! + xs[xs.length >> 1]!) / 2;
      };
      const line = (name: string, pick: (m: Measured) => number, digits: number) => {
        const [ours, theirs] = [median(results, pick), median(baselines, pick)];
        return `${name} ${ours.toFixed(digits)} against ${theirs.toFixed(digits)} (${(ours / theirs).toFixed(3)})`;
      };
      process.stdout.write(
        `${w} worker(s), medians of ${results.filter((m) => m.workers === w).length} runs, this checkout against the baseline: ` +
          `${line("CPU a record ms", (m) => m.cpuPerRecord * 1000, 1)}, ${line("steady /s", (m) => m.steady, 1)}, ` +
          `${line("end to end /s", (m) => m.endToEnd, 1)}, ${line("print ms a statement", (m) => m.threads.print, 1)}, ` +
          `${line("main thread ms a record", (m) => m.threads.main, 2)}, ${line("compose threads ms a record", (m) => m.threads.compose, 1)}\n`,
      );
    }
  // Repeated worker counts (--workers 1,2,1,2) alternate, so a busy neighbour weighs on both alike.
  const mean = (w: number, pick: (m: Measured) => number) => {
    const runs = results.filter((m) => m.workers === w);
    return runs.reduce((t, m) => t + pick(m), 0) / runs.length;
  };
  if (workers.includes(1))
    for (const w of [...new Set(workers)].filter((n) => n !== 1))
      process.stdout.write(
        `scaling ${w} workers / 1: ${(mean(w, (m) => m.steady) / mean(1, (m) => m.steady)).toFixed(2)}x steady, ` +
          `${(mean(w, (m) => m.endToEnd) / mean(1, (m) => m.endToEnd)).toFixed(2)}x end to end (target >= 1.7x)\n`,
      );
  if (has("--side-by-side") && workers.includes(1)) {
    // Two whole 1-worker runs at once share nothing but the machine: what it gives a second copy of the work
    // bounds any 2-worker ratio, and a pool that reaches it adds no serialisation of its own.
    const pair = await Promise.all([
      run(input, records, 1, channels, { copy: "-a" }),
      run(input, records, 1, channels, { copy: "-b" }),
    ]);
    for (const m of pair) show(m);
    const together = pair[0].steady + pair[1].steady;
    process.stdout.write(
      `two 1-worker runs side by side: ${together.toFixed(1)}/s together, ` +
        `${(together / mean(1, (m) => m.steady)).toFixed(2)}x one run alone (the machine's ceiling for 2 workers)\n`,
    );
    if (workers.includes(2))
      process.stdout.write(`2 workers / side by side: ${(mean(2, (m) => m.steady) / together).toFixed(2)}\n`);
  }
  if (has("--big")) {
    const bigChannels = flag("--big-channels") ?? channels;
    const most = Math.max(...workers);
    const big = await run(extract(100_000), 100_000, most, bigChannels);
    show(big);
    const same =
      results.find((m) => m.workers === most && m.channels === bigChannels) ??
      (await run(input, records, most, bigChannels));
    if (!results.includes(same)) show(same);
    process.stdout.write(
      `peak RSS 100,000 / ${records}: ${(big.peakRssMb / same.peakRssMb).toFixed(3)} (target <= 1.10)\n`,
    );
  }
}
