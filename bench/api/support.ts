/**
 * What the API benchmarks share: quantiles, `omnidoc serve` started for a bench, a /healthz probe in a process
 * of its own, waiting for readiness.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { ApiKey } from "../../src/server/index.ts";

export const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Measures /healthz from a process of its own, so the load generator's busy event loop does not count. */
const PROBE = `
const times = []; let failed = 0; let on = true;
process.on("SIGTERM", () => { on = false; });
(async () => {
  while (on) {
    const t = performance.now();
    try { const r = await fetch(process.argv[1] + "/healthz"); await r.arrayBuffer(); r.ok ? times.push(performance.now() - t) : failed++; }
    catch { failed++; }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  process.stdout.write(JSON.stringify({ times, failed }));
})();`;

/** /healthz latency, one probe every 50 ms, until stopped. */
export function probeHealth(base: string) {
  const child = spawn(process.execPath, ["-e", PROBE, base], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => {
    out += c;
  });
  const exited = new Promise((ok) => child.once("exit", ok));
  return {
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      const { times, failed } = JSON.parse(out) as { times: number[]; failed: number };
      return {
        p50: quantile(times, 0.5),
        p99: quantile(times, 0.99),
        max: Math.max(...times),
        n: times.length,
        failed,
      };
    },
  };
}

export async function waitReady(child: ReturnType<typeof spawn>, base: string): Promise<void> {
  for (let t = 0; t < 240; t++) {
    if (child.exitCode !== null) throw new Error(`omnidoc serve exited with ${child.exitCode}`);
    const r = await fetch(`${base}/readyz`).catch(() => undefined);
    if (r?.ok) return;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error("omnidoc serve did not become ready");
}

/**
 * `omnidoc serve` on `port` over the archive at `archive`, through the same entry the executable calls, with
 * the given API keys and `flags` after the common ones (a later flag wins: `--log-level info` over `warn`).
 */
export function startServe(
  port: number,
  archive: string,
  keys: readonly ApiKey[],
  flags: readonly string[],
  stdout: "inherit" | "pipe" = "inherit",
): ChildProcess {
  const serve = join(import.meta.dirname, "serve.ts");
  const args = ["--import", "tsx", serve, "serve", "--port", String(port), "--archive", archive, "--log-level", "warn"];
  return spawn(process.execPath, [...args, ...flags], {
    cwd: join(import.meta.dirname, "../.."),
    env: { ...process.env, OMNIDOC_API_KEYS: JSON.stringify(keys) },
    stdio: ["ignore", stdout, "inherit"],
  });
}
