/**
 * Overload, previews and memory: `omnidoc serve` at info level on loopback, autocannon against it.
 *  - PDF renders admitted per second at 8 and at 64 connections (the ratio is the figure: flat is 1.0), with
 *    /healthz p99 at 64, and the bytes the server logged per refused request;
 *  - /healthz p99 while 4 studio clients preview and load every page image, against idle in the same run;
 *  - the server's RSS before the load, after it, and after 10 s idle;
 *  - 15 PDFs one after another on a fresh server started with --timeout 300 (cold workers used to time out).
 *
 *   npx tsx bench/api/overload.ts [--duration 10]
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import type { Profile } from "../../src/profile/index.ts";
import { newKey } from "../../src/server/index.ts";
import { probeHealth, startServe, waitReady } from "./support.ts";

const ROOT = join(import.meta.dirname, "../..");
const duration = Number(process.argv[process.argv.indexOf("--duration") + 1]) || 10;
const runDate = "2026-11-01";
const profiles = readFileSync(join(ROOT, "samples/customers-200.ndjson"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Profile);
const renderKey = newKey("bench", ["render"]);
const previewKey = newKey("bench-studio", ["preview"]);
const pdf = (i: number) => ({ template: "energy-bill", channel: "pdf", runDate, profile: profiles[i % 200] });
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

interface Server {
  base: string;
  child: ChildProcess;
  /** Bytes the server has written to standard output (its log) so far. */
  logBytes(): number;
  rssMb(): number;
  /** CPU seconds of the server's main thread and of the whole process (render threads included). */
  cpu(): { main: number; all: number };
  stop(): Promise<void>;
}

async function serve(port: number, flags: string[]): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "omnidoc-bench-overload-"));
  const archive = `sqlite:${join(dir, "archive.db")}`;
  const child = startServe(port, archive, [renderKey.entry, previewKey.entry], flags, "pipe");
  let bytes = 0;
  child.stdout?.on("data", (c: Buffer) => {
    bytes += c.length;
  });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(child, base);
  return {
    base,
    child,
    logBytes: () => bytes,
    cpu: () => ({ main: ticks(`/proc/${child.pid}/task/${child.pid}/stat`), all: ticks(`/proc/${child.pid}/stat`) }),
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]) / 1024,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((ok) => child.once("exit", ok));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a /proc stat file, in seconds (100 ticks a second on Linux). */
function ticks(path: string): number {
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function renders(s: Server, connections: number) {
  let i = 0;
  const before = s.logBytes();
  const cpuBefore = s.cpu();
  const clientBefore = process.cpuUsage();
  const r = await autocannon({
    url: `${s.base}/v1/documents`,
    connections,
    duration,
    method: "POST",
    headers: { authorization: `Bearer ${renderKey.key}`, "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(pdf(i++)) }) }],
  });
  const codes = r.statusCodeStats as Record<string, { count: number }>;
  const ok = codes["200"]?.count ?? 0;
  const refused = (codes["503"]?.count ?? 0) + (codes["429"]?.count ?? 0);
  const logged = s.logBytes() - before;
  const cpu = s.cpu();
  const client = process.cpuUsage(clientBefore);
  const cpuS = {
    serverMain: cpu.main - cpuBefore.main,
    serverAll: cpu.all - cpuBefore.all,
    loadGenerator: (client.user + client.system) / 1e6,
  };
  return { connections, admittedPerS: ok / duration, ok, refused, statuses: codes, logBytes: logged, cpuS };
}

/** Four people previewing: each posts a preview and fetches every page image, over and over. */
async function previews(s: Server, people: number): Promise<{ previews: number; failed: number }> {
  const session = await fetch(`${s.base}/studio/api/session`, {
    method: "POST",
    headers: { authorization: `Bearer ${previewKey.key}`, "content-type": "application/json" },
    body: "{}",
  });
  const cookie = session.headers.get("set-cookie")?.split(";")[0] ?? "";
  const until = performance.now() + duration * 1000;
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: people }, async (_, person) => {
      for (let n = 0; performance.now() < until; n++) {
        const profile = { ...profiles[(person * 50 + n) % 200], tenureMonths: n + 1 };
        const r = await fetch(`${s.base}/studio/api/preview`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify({ template: "energy-bill", runDate, profileText: JSON.stringify(profile) }),
        });
        const p = await r.json();
        if (!r.ok || !p.pdf) {
          failed++;
          continue;
        }
        const pages = await Promise.all(
          p.pdf.pageUrls.map((u: string) => fetch(`${s.base}/studio/${u}`, { headers: { cookie } })),
        );
        for (const page of pages) await page.arrayBuffer();
        pages.every((page) => page.ok) ? done++ : failed++;
      }
    }),
  );
  return { previews: done, failed };
}

const port = 19_000 + (process.pid % 1000);
const loadBefore = loadavg();
const s = await serve(port, ["--log-level", "info", "--rate-limit", "0"]);
const figures: Record<string, unknown> = {};
try {
  const idle = probeHealth(s.base);
  await sleep(3000);
  figures.healthIdle = await idle.stop();
  figures.rssStartMb = s.rssMb();
  await renders(s, 4);
  figures.at8 = await renders(s, 8);
  const probe64 = probeHealth(s.base);
  figures.at64 = await renders(s, 64);
  figures.health64 = await probe64.stop();
  const probePreviews = probeHealth(s.base);
  figures.previews = await previews(s, 4);
  figures.healthPreviews = await probePreviews.stop();
  figures.rssAfterLoadMb = s.rssMb();
  await sleep(10_000);
  figures.rssIdleMb = s.rssMb();
} finally {
  await s.stop();
}

const cold = await serve(port + 1, ["--log-level", "warn", "--timeout", "300"]);
try {
  const statuses: number[] = [];
  for (let i = 0; i < 15; i++) {
    const r = await fetch(`${cold.base}/v1/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${renderKey.key}`, "content-type": "application/json" },
      body: JSON.stringify({ ...pdf(i), archive: false }),
    });
    await r.arrayBuffer();
    statuses.push(r.status);
  }
  const counts: Record<number, number> = {};
  for (const c of statuses) counts[c] = (counts[c] ?? 0) + 1;
  figures.coldTimeout300 = counts;
} finally {
  await cold.stop();
}
const at8 = figures.at8 as { admittedPerS: number };
const at64 = figures.at64 as { admittedPerS: number; refused: number; logBytes: number };
figures.admittedRatio64to8 = at64.admittedPerS / at8.admittedPerS;
figures.logBytesPerRequestAt64 = at64.logBytes / Math.max(1, at64.refused);
figures.load = { before: loadBefore, after: loadavg() };
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
