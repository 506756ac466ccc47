/**
 * What a release's decision impact costs over a whole extract: `decisionImpact` of a catalogue change (the
 * loyalty thanks after five years instead of ten) over N generated customers, against the baseline of reading
 * the same extract and deciding each customer once with the current engine, measured in the same run. Both read
 * the extract from disk as `omnidoc release impact` does. Usage:
 * npx tsx bench/releases/impact.ts [N=100000] [ROUNDS=5]
 */
import "../signing-keys.ts";
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { readRecords } from "../../src/batch/index.ts";
import { decide } from "../../src/decide/index.ts";
import { type Engine, buildEngine } from "../../src/engine.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type ImpactRecord, decisionImpact } from "../../src/releases/index.ts";
import { DATA, ROOT, extract } from "../extract.ts";

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const RUN_DATE = "2026-11-01";
const TEMPLATE = "energy-bill";

const input = extract(N);
const changed = join(DATA, "catalogue-loyalty-five-years.yaml");
const catalogue = readFileSync(join(ROOT, "samples/catalogue.yaml"), "utf8");
writeFileSync(changed, catalogue.replace("eligibility: tenureMonths >= 120", "eligibility: tenureMonths >= 60"));

async function engine(options: { catalogue?: string } = {}): Promise<Engine> {
  const built = await buildEngine(nodeWorld(ROOT), options);
  if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("\n"));
  return built.value;
}
const released = await engine();
const proposed = await engine({ catalogue: changed });

async function* records(): AsyncGenerator<ImpactRecord> {
  for await (const rec of readRecords(createReadStream(input), "ndjson")) yield { line: rec.line, profile: rec.read() };
}

/**
 * The baselines: the extract read and validated, each customer decided once with the released catalogue, as a
 * billing run decides (with the trace) and as fast as decide goes (without it, as the impact decides).
 */
async function decideOnce(trace: boolean): Promise<number> {
  const t0 = performance.now();
  for await (const { profile } of records())
    if (profile.ok)
      if (trace) decide(released.catalogue, profile.value, { runDate: RUN_DATE });
      else decide(released.catalogue, profile.value, { runDate: RUN_DATE, trace: false });
  return performance.now() - t0;
}

/** What reading and validating the extract alone costs, which every figure above includes. */
async function readOnly(): Promise<number> {
  const t0 = performance.now();
  for await (const _ of records());
  return performance.now() - t0;
}

let last = { customers: 0, changed: 0, moves: 0 };
async function impact(): Promise<number> {
  const t0 = performance.now();
  const r = await decisionImpact(released, proposed, TEMPLATE, records(), { runDate: RUN_DATE });
  last = { customers: r.customers, changed: r.changed, moves: r.moves.length };
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await decideOnce(true);
await impact();
const [readMs, tracedMs, onceMs, impactMs] = [[] as number[], [] as number[], [] as number[], [] as number[]];
for (let r = 0; r < ROUNDS; r++) {
  readMs.push(await readOnly());
  tracedMs.push(await decideOnce(true));
  onceMs.push(await decideOnce(false));
  impactMs.push(await impact());
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ms: number[]) => `${(median(impactMs) / median(ms)).toFixed(2)}x`;
console.log(`customers                 ${N.toLocaleString("en-GB")} (${input}), median of ${ROUNDS} rounds each`);
console.log(`read and validate only    ${s(median(readMs))}`);
console.log(`read, decide once (trace) ${s(median(tracedMs))}  (baseline: as a billing run decides)`);
console.log(`read, decide once         ${s(median(onceMs))}  (baseline: without the trace)`);
console.log(
  `impact of the change      ${s(median(impactMs))}  (${last.customers.toLocaleString("en-GB")} decided twice, ${last.changed.toLocaleString("en-GB")} move, ${last.moves} kinds of move)`,
);
console.log(`ratio                     ${ratio(tracedMs)} the run's decisions, ${ratio(onceMs)} one traceless pass`);
console.log(
  `load average              ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
