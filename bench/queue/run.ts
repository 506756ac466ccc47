/**
 * The distributed billing run against the local one, in one session: a generated extract composed by the real
 * command line, (a) `omnidoc run -w 2` alone, and `omnidoc run --queue` with workers on a Redis server of the
 * bench's own: (b) 1 worker of 2 threads, (c) 2 workers of 1 thread, (d) 1 worker of 1 thread. Workers are
 * started and logged "worker ready" before the coordinator starts; the time is the coordinator's (or the local
 * run's) process, from start to exit. Configurations alternate (a b c d a b c d …) so a busy neighbour weighs on
 * all alike. Around every queued run, Redis's command and byte counters are diffed.
 *
 *   npx tsx bench/queue/run.ts                           # 10,000 customers, 3 rounds
 *   npx tsx bench/queue/run.ts --records 300 --repeats 1 # a quick look
 *   options: --shard-size 250  --out bench/queue/results.json
 *   npx tsx bench/queue/run.ts --from bench/queue/results.json  # the figures again, from the full rounds kept
 *
 * Archiving is off (--no-archive), every channel on; data and run folders live in bench/.data (ignored).
 */
import "../signing-keys.ts";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OmnidocProcess } from "../../test/support/omnidoc-process.ts";
import { RedisServer } from "../../test/support/redis-server.ts";
import { DATA, ROOT, extract } from "../extract.ts";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

// --from FILE prints the figures again from a results file, of the rounds it holds in full (a session stopped early).
const from = flag("--from");
const saved = from === undefined ? undefined : JSON.parse(readFileSync(from, "utf8"));
const records: number = saved?.records ?? Number(flag("--records") ?? 10_000);
// Small enough that 2 workers share the run evenly, shard by shard (the run's default is 2000).
const shardSize: number = saved?.shardSize ?? Number(flag("--shard-size") ?? 250);
const resultsFile = flag("--out") ?? from ?? join(ROOT, "bench/queue/results.json");
const RUN_DATE = "2026-11-01";
const TICK_S = 0.01; // /proc times are in clock ticks of 1/100 s on Linux

interface Config {
  key: string;
  label: string;
  /** Threads of each worker process; none for the local run. */
  workers: number[];
}
const CONFIGS: Config[] = [
  { key: "a", label: "local run -w 2", workers: [] },
  { key: "b", label: "queue, 1 worker x 2 threads", workers: [2] },
  { key: "c", label: "queue, 2 workers x 1 thread", workers: [1, 1] },
  { key: "d", label: "queue, 1 worker x 1 thread", workers: [1] },
];

interface Traffic {
  /** Calls per command (commands run by BullMQ's Lua scripts are counted here too, besides the EVALSHA). */
  calls: Record<string, number>;
  commands: number;
  netInputBytes: number;
  netOutputBytes: number;
}

interface Measured {
  config: string;
  round: number;
  wallS: number;
  /** Coordinator (or local run) CPU, every thread, from /usr/bin/time. */
  cpuS: number;
  /** Its main thread's CPU (deciding, planning, journaling), last sampled 100 ms or less before exit. */
  mainThreadCpuS: number;
  /**
   * Main thread's CPU when the first shard's plan appeared and when the last shard's commit did (queued runs):
   * the difference is what deciding, planning and journaling the other records cost, start-up left out.
   */
  mainThreadCpuAtFirstPlanS?: number;
  mainThreadCpuAtLastCommitS?: number;
  loadBefore: string;
  loadAfter: string;
  printMs: number;
  peakRssMb: number;
  composed: number;
  manifestSha: string;
  /** Worker processes' CPU from "worker ready" to the coordinator's exit, and shards each committed. */
  workerCpuS?: number;
  /** The same from each worker's first commit on, and the records they committed after it: composing alone. */
  workerCpuAfterFirstCommitS?: number;
  recordsAfterFirstCommit?: number;
  shardsByWorker?: number[];
  /** First plan written, first shard committed, last, and the coordinator's exit, after its start; seconds. */
  firstPlanS?: number;
  firstCommitS?: number;
  lastCommitS?: number;
  exitS?: number;
  planBytes?: number;
  commitBytes?: number;
  traffic?: Traffic;
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").trim();

/** utime + stime of a process (all its threads) or of one thread, in seconds. */
function cpuOf(statPath: string): number {
  const fields = readFileSync(statPath, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_S;
}

async function snapshot(redis: ReturnType<RedisServer["client"]>): Promise<Traffic> {
  const text = await redis.info("commandstats", "stats");
  const calls: Record<string, number> = {};
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]!] = Number(m[2]);
  const stat = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(text)![1]);
  return {
    calls,
    commands: stat("total_commands_processed"),
    netInputBytes: stat("total_net_input_bytes"),
    netOutputBytes: stat("total_net_output_bytes"),
  };
}

function diff(after: Traffic, before: Traffic): Traffic {
  const calls: Record<string, number> = {};
  for (const [cmd, n] of Object.entries(after.calls)) {
    const d = n - (before.calls[cmd] ?? 0) - (cmd === "info" ? 1 : 0); // the bench's own INFO
    if (d > 0) calls[cmd] = d;
  }
  return {
    calls,
    commands: after.commands - before.commands - 1,
    netInputBytes: after.netInputBytes - before.netInputBytes,
    netOutputBytes: after.netOutputBytes - before.netOutputBytes,
  };
}

function bytesUnder(dir: string, pick: (name: string) => boolean): number {
  return readdirSync(dir)
    .filter(pick)
    .reduce((t, f) => t + statSync(join(dir, f)).size, 0);
}

/** One run: the workers first (queued configurations), then the timed command under /usr/bin/time. */
async function measure(
  config: Config,
  round: number,
  input: string,
  redisServer: RedisServer,
  redis: ReturnType<RedisServer["client"]>,
): Promise<Measured> {
  const out = join(DATA, `queue-run-${config.key}${round}`);
  rmSync(out, { recursive: true, force: true });
  const loadBefore = loadavg();
  const url = redisServer.url();
  const workers = config.workers.map((threads) =>
    OmnidocProcess.start(["worker", "--queue", url, "--concurrency", String(threads)]),
  );
  await Promise.all(workers.map((w) => w.waitFor("worker ready", 300_000)));
  const workerCpuAtReady = workers.map((w) => cpuOf(`/proc/${w.child.pid}/stat`));
  const before = workers.length > 0 ? await snapshot(redis) : undefined;

  const timeFile = `${out}.time`;
  const args = ["-f", "%e %U %S", "-o", timeFile, process.execPath, join(ROOT, "bin/omnidoc.mjs"), "run"];
  args.push("-t", "energy-bill", "-i", input, "-o", out, "--date", RUN_DATE, "--channels", "all", "--no-archive");
  args.push("-w", "2"); // with --queue: the print threads, as many as the local run's
  if (workers.length > 0) args.push("--queue", url, "--shard-size", String(shardSize));
  const started = Date.now();
  const child = spawn("/usr/bin/time", args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  // The node process is /usr/bin/time's child; its main thread's CPU is sampled until it exits, and each
  // worker's CPU at its first commit.
  let mainThreadCpuS = 0;
  let atFirstPlan: number | undefined;
  let atLastCommit: number | undefined;
  let firstPlanS: number | undefined;
  const lastCommit = join(out, `shards/${String(Math.ceil(records / shardSize)).padStart(6, "0")}.ndjson`);
  const workerCpuAtFirstCommit: (number | undefined)[] = workers.map(() => undefined);
  const sampler = setInterval(() => {
    try {
      const pid = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim();
      if (pid) mainThreadCpuS = cpuOf(`/proc/${pid}/task/${pid}/stat`);
    } catch {} // not started yet, or gone
    if (workers.length === 0) return;
    if (atFirstPlan === undefined && existsSync(join(out, "shards/000001.plan.ndjson"))) {
      atFirstPlan = mainThreadCpuS;
      firstPlanS = (Date.now() - started) / 1000;
    }
    if (atLastCommit === undefined && existsSync(lastCommit)) atLastCommit = mainThreadCpuS;
    workers.forEach((w, i) => {
      if (workerCpuAtFirstCommit[i] === undefined && w.stderr.includes('"shard committed"'))
        workerCpuAtFirstCommit[i] = cpuOf(`/proc/${w.child.pid}/stat`);
    });
  }, 100);
  const status = await new Promise<number | null>((done) => child.on("close", done));
  clearInterval(sampler);
  const ended = Date.now();
  if (status !== 0) throw new Error(`${config.label}: exit ${status}\n${stderr}`);

  const after = workers.length > 0 ? await snapshot(redis) : undefined;
  const workerCpuAtEnd = workers.map((w) => cpuOf(`/proc/${w.child.pid}/stat`));
  const workerCpuS = workerCpuAtEnd.reduce((t, cpu, i) => t + cpu - workerCpuAtReady[i]!, 0);
  await Promise.all(workers.map((w) => w.interrupt()));
  const loadAfter = loadavg();

  const [wallS, user, system] = readFileSync(timeFile, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  const m: Measured = {
    config: config.key,
    round,
    wallS: wallS!,
    cpuS: user! + system!,
    mainThreadCpuS,
    loadBefore,
    loadAfter,
    printMs: summary.timings.printMs,
    peakRssMb: summary.timings.peakRssMb,
    composed: summary.records.composed,
    manifestSha: createHash("sha256")
      .update(readFileSync(join(out, "manifest.ndjson")))
      .digest("hex"),
  };
  if (workers.length > 0) {
    // pino lines: {"time":…,"worker":…,"msg":"shard committed"}
    const commits = workers.map((w) =>
      w.stderr
        .split("\n")
        .filter((l) => l.includes('"shard committed"'))
        .map((l) => JSON.parse(l) as { time: number; composed: number; skipped: number; rejected: number }),
    );
    const times = commits.flat().map((c) => c.time);
    const recordsOf = (c: (typeof commits)[number]) => c.reduce((t, l) => t + l.composed + l.skipped + l.rejected, 0);
    const shards = join(out, "shards");
    Object.assign(m, {
      workerCpuS,
      shardsByWorker: commits.map((c) => c.length),
      workerCpuAfterFirstCommitS: workerCpuAtEnd.reduce((t, cpu, i) => t + cpu - (workerCpuAtFirstCommit[i] ?? cpu), 0),
      recordsAfterFirstCommit: commits.reduce((t, c) => t + recordsOf(c.slice(1)), 0),
      mainThreadCpuAtFirstPlanS: atFirstPlan,
      mainThreadCpuAtLastCommitS: atLastCommit,
      firstPlanS,
      firstCommitS: (Math.min(...times) - started) / 1000,
      lastCommitS: (Math.max(...times) - started) / 1000,
      exitS: (ended - started) / 1000,
      planBytes: bytesUnder(shards, (f) => f.endsWith(".plan.ndjson")),
      commitBytes: bytesUnder(shards, (f) => /^\d+\.ndjson$/.test(f)),
      traffic: diff(after!, before!),
    });
  }
  rmSync(out, { recursive: true, force: true });
  rmSync(timeFile, { force: true });
  return m;
}

const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function show(m: Measured): void {
  const label = CONFIGS.find((c) => c.key === m.config)!.label;
  let line = `round ${m.round} ${m.config} ${label.padEnd(28)} wall ${m.wallS.toFixed(1).padStart(6)} s`;
  line += `  CPU ${m.cpuS.toFixed(1)} s (main thread ${m.mainThreadCpuS.toFixed(1)} s)  print ${(m.printMs / 1000).toFixed(1)} s`;
  if (m.workerCpuS !== undefined)
    line += `  workers' CPU ${m.workerCpuS.toFixed(1)} s, shards ${m.shardsByWorker!.join("+")}, ${m.firstPlanS === undefined ? "" : `first plan ${m.firstPlanS.toFixed(1)} s, `}first commit ${m.firstCommitS!.toFixed(1)} s, last ${m.lastCommitS!.toFixed(1)} s`;
  line += `\n  load before ${m.loadBefore}  after ${m.loadAfter}\n`;
  process.stdout.write(line);
}

const sessionStart = new Date().toISOString();
let repeats = Number(flag("--repeats") ?? 3);
let results: Measured[] = [];
// Every run measured goes to the results file; the figures are the full rounds'.
let runs: Measured[] = results;
if (saved) {
  runs = saved.runs as Measured[];
  const full = (round: number) => CONFIGS.every((c) => runs.some((m) => m.round === round && m.config === c.key));
  results = runs.filter((m) => full(m.round));
  repeats = new Set(results.map((m) => m.round)).size;
  for (const m of results) show(m);
} else {
  const input = extract(records);
  const redisServer = await RedisServer.start();
  const redis = redisServer.client();
  try {
    for (let round = 1; round <= repeats; round++)
      for (const config of CONFIGS) {
        const m = await measure(config, round, input, redisServer, redis);
        show(m);
        results.push(m);
        // Kept after every run: a long session stopped early still leaves what it measured.
        writeFileSync(
          resultsFile,
          `${JSON.stringify({ measured: sessionStart, records, repeats, shardSize, runDate: RUN_DATE, runs: results }, null, 2)}\n`,
        );
      }
  } finally {
    redis.disconnect();
    await redisServer.stop();
  }
}

const per = (key: string) => results.filter((m) => m.config === key);
const wall = (key: string) => median(per(key).map((m) => m.wallS));
process.stdout.write(`\n${records} customers, all channels, shards of ${shardSize}, ${repeats} round(s)\n`);
const byConfig = CONFIGS.map((c) => {
  const walls = per(c.key).map((m) => m.wallS);
  const row = {
    config: c.key,
    label: c.label,
    medianWallS: median(walls),
    minWallS: Math.min(...walls),
    maxWallS: Math.max(...walls),
    medianCpuS: median(per(c.key).map((m) => m.cpuS)),
    medianMainThreadCpuS: median(per(c.key).map((m) => m.mainThreadCpuS)),
    medianWorkerCpuS: c.workers.length > 0 ? median(per(c.key).map((m) => m.workerCpuS!)) : undefined,
  };
  process.stdout.write(
    `${c.key} ${c.label.padEnd(28)} median ${row.medianWallS.toFixed(1)} s (${row.minWallS.toFixed(1)}–${row.maxWallS.toFixed(1)})` +
      `  ${fmt(records / row.medianWallS)}/s\n`,
  );
  return row;
});
const overhead = wall("b") / wall("a") - 1;
const speedUp = wall("d") / wall("c");
process.stdout.write(
  `queue overhead (b)/(a) - 1: ${(overhead * 100).toFixed(1)}% (target <= 5%)\n` +
    `2x1 speed-up (d)/(c): ${speedUp.toFixed(2)}x (target >= 1.7x)\n`,
);
const manifests = new Set(results.map((m) => m.manifestSha));
process.stdout.write(`manifest.ndjson identical in every run: ${manifests.size === 1 ? "yes" : "NO"}\n`);

// Redis traffic a thousand customers, in the first round of each queued configuration.
const firsts = CONFIGS.filter((c) => c.workers.length > 0).map((c) => per(c.key)[0]!);
const k = records / 1000;
const commands = [...new Set(firsts.flatMap((m) => Object.keys(m.traffic!.calls)))].sort(
  (x, y) => (firsts[0]!.traffic!.calls[y] ?? 0) - (firsts[0]!.traffic!.calls[x] ?? 0),
);
process.stdout.write(`\nRedis a 1,000 customers (round 1)   ${firsts.map((m) => m.config.padStart(10)).join("")}\n`);
for (const cmd of commands)
  process.stdout.write(
    `  ${cmd.padEnd(32)} ${firsts.map((m) => fmt((m.traffic!.calls[cmd] ?? 0) / k).padStart(10)).join("")}\n`,
  );
for (const [name, pick] of [
  ["commands processed (clients)", (t: Traffic) => t.commands],
  ["bytes in", (t: Traffic) => t.netInputBytes],
  ["bytes out", (t: Traffic) => t.netOutputBytes],
] as const)
  process.stdout.write(
    `  ${name.padEnd(32)} ${firsts.map((m) => fmt(pick(m.traffic!) / k, 0).padStart(10)).join("")}\n`,
  );

// Paper projection: 10 million customers on 50 machines of 2 cores, from the 2-thread worker's figures.
const b = per("b");
// Steady figures, start-up left out: workers from their first commit on, the coordinator's main thread from its
// first plan to the last shard's commit.
const workerCpuPerRecord = median(b.map((m) => m.workerCpuAfterFirstCommitS! / m.recordsAfterFirstCommit!));
const coordMainPerRecord = median(
  b.map((m) => (m.mainThreadCpuAtLastCommitS! - m.mainThreadCpuAtFirstPlanS!) / (records - shardSize)),
);
const coordCpuPerRecord = median(b.map((m) => m.cpuS)) / records;
const planBytesPerRecord = b[0]!.planBytes! / records;
const commitBytesPerRecord = b[0]!.commitBytes! / records;
const big = 10_000_000;
const cores = 100;
const rate = cores / workerCpuPerRecord; // customers a second, if the workers are the bottleneck
const traffic = b[0]!.traffic!;
const projection = {
  customers: big,
  cores,
  workerCpuPerRecordMs: workerCpuPerRecord * 1000,
  coordinatorCpuPerRecordMs: coordCpuPerRecord * 1000,
  coordinatorMainThreadPerRecordMs: coordMainPerRecord * 1000,
  composeWallS: (big * workerCpuPerRecord) / cores,
  coordinatorMainThreadS: big * coordMainPerRecord,
  ratePerS: rate,
  redisCommandsPerS: (traffic.commands / records) * rate,
  redisBytesInPerS: (traffic.netInputBytes / records) * rate,
  redisBytesOutPerS: (traffic.netOutputBytes / records) * rate,
  planBytesPerRecord,
  commitBytesPerRecord,
  printS: (median(b.map((m) => m.printMs)) / 1000) * (big / records),
};
process.stdout.write(
  `\nprojection, 10,000,000 customers on 50 machines x 2 cores (shards of ${shardSize}):\n` +
    `  workers' CPU a customer ${projection.workerCpuPerRecordMs.toFixed(1)} ms -> composing ${fmt(projection.composeWallS / 3600, 2)} h at ${fmt(rate, 0)}/s\n` +
    `  coordinator CPU a customer ${projection.coordinatorCpuPerRecordMs.toFixed(2)} ms (main thread ${projection.coordinatorMainThreadPerRecordMs.toFixed(2)} ms) -> main thread ${fmt(projection.coordinatorMainThreadS / 3600, 2)} h\n` +
    `  Redis at that rate: ${fmt(projection.redisCommandsPerS, 0)} commands/s, ${fmt(projection.redisBytesInPerS / 1024, 0)} KiB/s in, ${fmt(projection.redisBytesOutPerS / 1024, 0)} KiB/s out\n` +
    `  shared folder: plan ${fmt(planBytesPerRecord, 0)} B a customer, commit ${fmt(commitBytesPerRecord, 0)} B a customer\n` +
    `  print merge on the coordinator, scaled from this run: ${fmt(projection.printS / 3600, 2)} h\n`,
);

writeFileSync(
  resultsFile,
  `${JSON.stringify(
    {
      measured: saved?.measured ?? sessionStart,
      records,
      repeats,
      shardSize,
      runDate: RUN_DATE,
      byConfig,
      queueOverhead: overhead,
      speedUp2x1: speedUp,
      manifestsIdentical: manifests.size === 1,
      projection,
      runs,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`results: ${resultsFile}\n`);
