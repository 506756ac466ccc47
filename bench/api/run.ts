/**
 * API load test: `omnidoc serve` on loopback, autocannon against it. Measures req/s and p50/p99 for a PDF
 * statement and for a decision at 8 and 64 connections, and /healthz latency while PDFs load it at 64.
 * Baselines from the same run: composing one PDF in-process (no HTTP, no pool), and /healthz on an idle server.
 *
 *   npx tsx bench/api/run.ts [--duration 10]
 */
import "../signing-keys.ts";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { compose } from "../../src/compose.ts";
import { buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import type { Profile } from "../../src/profile/index.ts";
import { newKey } from "../../src/server/index.ts";
import { probeHealth, quantile, startServe, waitReady } from "./support.ts";

const ROOT = join(import.meta.dirname, "../..");
const duration = Number(process.argv[process.argv.indexOf("--duration") + 1]) || 10;
const port = 18_000 + (process.pid % 1000);
const base = `http://127.0.0.1:${port}`;
const profiles = readFileSync(join(ROOT, "samples/customers-200.ndjson"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Profile);
const runDate = "2026-11-01";

async function baselineCompose(): Promise<number> {
  const engine = await buildEngine(nodeWorld(ROOT));
  if (!engine.ok) throw new Error("engine did not build");
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await compose(engine.value, profiles[i % profiles.length], { template: "energy-bill", channels: ["pdf"], runDate });
    if (i >= 10) times.push(performance.now() - t);
  }
  return quantile(times, 0.5);
}

/** Requests abandoned by the last run may still sit in the queue: wait until the pool is idle. */
async function drained(): Promise<void> {
  for (let t = 0; t < 600; t++) {
    const r = await (await fetch(`${base}/readyz`)).json();
    if (r.queueDepth === 0) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  refused503: number;
  otherErrors: number;
}

async function load(
  name: string,
  path: string,
  connections: number,
  body: (i: number) => object,
  key: string,
): Promise<Row> {
  await drained();
  let i = 0;
  const result = await autocannon({
    url: `${base}${path}`,
    connections,
    duration,
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(body(i++)) }) }],
  });
  const codes = result.statusCodeStats as Record<string, { count: number }>;
  const count = (c: string) => codes[c]?.count ?? 0;
  const ok = count("200");
  const refused503 = count("503");
  const otherErrors =
    Object.entries(codes).reduce((n, [c, s]) => (c === "200" || c === "503" ? n : n + s.count), 0) +
    result.errors +
    result.timeouts;
  return {
    name,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    refused503,
    otherErrors,
  };
}

const loadBefore = loadavg()[0];
const compose1 = await baselineCompose();
const dir = mkdtempSync(join(tmpdir(), "omnidoc-bench-api-"));
const { key, entry } = newKey("bench", ["render"]);
const child = startServe(
  port,
  `sqlite:${join(dir, "archive.db")}`,
  [entry],
  [
    // One key drives the whole load here: its request budget would answer 429 instead of measuring renders.
    "--rate-limit",
    "0",
  ],
);
try {
  await waitReady(child, base);
  const idle = probeHealth(base);
  await new Promise((ok) => setTimeout(ok, 2000));
  const healthIdle = await idle.stop();

  const pdf = (i: number) => ({
    template: "energy-bill",
    channel: "pdf",
    runDate,
    profile: profiles[i % profiles.length],
  });
  const decision = (i: number) => ({ runDate, profile: profiles[i % profiles.length] });
  await load("warm-up", "/v1/documents", 4, pdf, key);
  const rows: Row[] = [];
  rows.push(await load("PDF statement", "/v1/documents", 8, pdf, key));
  const probe = probeHealth(base);
  rows.push(await load("PDF statement", "/v1/documents", 64, pdf, key));
  const healthLoaded = await probe.stop();
  rows.push(await load("decision", "/v1/decisions", 8, decision, key));
  rows.push(await load("decision", "/v1/decisions", 64, decision, key));

  const f = (n: number) => n.toFixed(1);
  const table = [
    "| request | connections | req/s | p50 ms | p99 ms | 200 | 503 (queue full) | other errors |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${f(r.rps)} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.refused503} | ${r.otherErrors} |`,
    ),
  ];
  const pdf8 = rows[0];
  const lines = [
    ...table,
    "",
    `- Baseline, same run: composing one PDF in-process (no HTTP, no pool) takes ${f(compose1)} ms (p50);` +
      ` the API's PDF p50 at 8 connections is ${f(pdf8.p50 / compose1)}× that.`,
    `- /healthz idle: p50 ${f(healthIdle.p50)} ms, p99 ${f(healthIdle.p99)} ms (${healthIdle.n} probes);` +
      ` while PDFs load it at 64 connections: p50 ${f(healthLoaded.p50)} ms, p99 ${f(healthLoaded.p99)} ms,` +
      ` max ${f(healthLoaded.max)} ms (${healthLoaded.n} probes, ${healthLoaded.failed} failed), ${f(healthLoaded.p99 / healthIdle.p99)}× idle p99.`,
    `- Targets: PDF p99 at 8 connections ${pdf8.p99} ms (< 250: ${pdf8.p99 < 250 ? "met" : "NOT met"});` +
      ` /healthz p99 under load ${f(healthLoaded.p99)} ms (< 50: ${healthLoaded.p99 < 50 ? "met" : "NOT met"});` +
      ` errors other than 503: ${rows.reduce((n, r) => n + r.otherErrors, 0)}.`,
    `- ${duration} s per row; server: ${availableParallelism()} cores, default workers (one per core) and queue (8 per worker); autocannon runs on the same machine;` +
      ` load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after (other work shares these cores).`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  mkdirSync(join(ROOT, "bench/.data"), { recursive: true });
  writeFileSync(
    join(ROOT, "bench/.data/api.json"),
    `${JSON.stringify({ duration, loadBefore, loadAfter: loadavg()[0], compose1, healthIdle, healthLoaded, rows }, null, 2)}\n`,
  );
} finally {
  child.kill("SIGTERM");
  await new Promise((ok) => child.once("exit", ok));
  rmSync(dir, { recursive: true, force: true });
}
