/**
 * What the email's benches share: for the paired ones, the options that name the older checkout and how much to
 * run, and each checkout's engine and code loaded from its own source (its own copy of each library), so that
 * both run in one process and meet the same load at the same moment; for all, CPU time and the load average.
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type * as Chart from "../../src/assets/chart/index.ts";
import type * as Email from "../../src/channels/email/index.ts";
import type { compose as Compose } from "../../src/compose.ts";
import type { Engine } from "../../src/engine.ts";

export interface Checkout {
  engine: Engine;
  compose: typeof Compose;
  chart: typeof Chart;
  email: typeof Email;
}

async function checkout(root: string): Promise<Checkout> {
  const { buildEngine } = await import(`${root}/src/engine.ts`);
  const { nodeWorld } = await import(`${root}/src/node-world.ts`);
  const { compose } = await import(`${root}/src/compose.ts`);
  const chart = await import(`${root}/src/assets/chart/index.ts`);
  const email = await import(`${root}/src/channels/email/index.ts`);
  const engine = await buildEngine(nodeWorld(root));
  if (!engine.ok) throw new Error(`${root}: ${engine.problems[0].message}`);
  return { engine: engine.value, compose, chart, email };
}

/** `--base DIR [--count N] [--rounds N] [--warm-up N]`: the older checkout and this one, in that order. */
export async function pairedCheckouts(defaults: { count: number; rounds: number; warmUp: number }) {
  const { values: args } = parseArgs({
    options: {
      base: { type: "string" },
      count: { type: "string", default: String(defaults.count) },
      rounds: { type: "string", default: String(defaults.rounds) },
      "warm-up": { type: "string", default: String(defaults.warmUp) },
    },
  });
  if (!args.base) throw new Error("--base names the checkout to compare with");
  const here = fileURLToPath(new URL("../..", import.meta.url));
  return {
    sides: [await checkout(resolve(args.base)), await checkout(here)],
    count: Number(args.count),
    rounds: Number(args.rounds),
    warmUp: Number(args["warm-up"]),
  };
}

/** This process's CPU time, ms: user and system, every thread (V8's collector and compilers included). */
export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
export const f = (x: number, d = 3) => x.toFixed(d);
export const load = () =>
  loadavg()
    .map((l) => f(l, 1))
    .join(" ");
