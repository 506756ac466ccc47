/**
 * Decisions per second over generated profiles (parsed and validated, as callers pass them) with the sample
 * catalogue, with the trace and without (`trace: false`), against json-rules-engine evaluating the same
 * eligibility rules in the same run. Each round times all three in turn; the figures are the median of the
 * rounds with the slowest and fastest beside it, and the load average before and after. Usage:
 * npx tsx bench/decide/run.ts [N=100000] [--rounds 5] [--baseline 10000]
 */
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Engine } from "json-rules-engine";
import { type DecideOptions, decide, loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import { type Profile, parseProfileLine } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { DYNAMIC_FACTS, rules } from "./jre-rules.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: "string", default: "5" }, baseline: { type: "string", default: "10000" } },
});
const N = Number(positionals[0] ?? 100000);
const ROUNDS = Number(values.rounds);
/** json-rules-engine is about a hundred times slower: it gets the first profiles only, its rate is per run. */
const BASELINE_N = Math.min(N, Number(values.baseline));
/** The same customers decided again and again (release impact): a set small enough to stay in the CPU's caches. */
const REPEAT_N = Math.min(N, 1000);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN_DATE = "2026-11-01";
const WARM_UP = Math.min(2000, N);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const loadBefore = load();

const loaded = loadCatalogue(nodeWorld(ROOT), "samples/catalogue.yaml");
if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
const catalogue = loaded.value;
process.stdout.write(`generating ${N} profiles… `);
// Parsed and validated, as callers (compose, the billing run, the API) hand profiles to decide.
const profiles = Array.from(sampleLines({ count: N }), (line, i) => {
  const parsed = parseProfileLine(line, i + 1);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join("\n"));
  return parsed.value;
});
process.stdout.write(`done (${catalogue.items.length} catalogue items)\n`);

const TRACED: DecideOptions = { runDate: RUN_DATE };
const UNTRACED = { runDate: RUN_DATE, trace: false } as const;

// json-rules-engine: eligibility only (less work than a decision), engine built once.
const engine = new Engine(rules(), { allowUndefinedFacts: true });
engine.addOperator("present", (value: unknown, wanted: unknown) => (value !== undefined && value !== null) === wanted);
for (const [name, fn] of Object.entries(DYNAMIC_FACTS)) engine.addFact(name, fn as never);
const eligible = async (p: Profile) =>
  new Set((await engine.run({ profile: p, runDate: RUN_DATE })).events.map((e) => e.type));

/** CPU time of this process in ms (all its threads: the collector's helpers too). */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Rate {
  /** Per second of wall-clock time. */
  wall: number;
  /** Per second of the process's CPU time: what one core gives when others' work takes turns on it. */
  cpu: number;
}

/** Runs `pass` and gives its count per second, by the clock and by CPU time. */
async function rate(count: number, pass: () => unknown): Promise<Rate> {
  const [w0, c0] = [performance.now(), cpuMs()];
  await pass();
  const [w1, c1] = [performance.now(), cpuMs()];
  return { wall: (count / (w1 - w0)) * 1000, cpu: (count / (c1 - c0)) * 1000 };
}

/** One pass deciding `count` profiles, `times` over. */
function decideAll(options: DecideOptions, count = N, times = 1): void {
  let chosen = 0;
  for (let t = 0; t < times; t++)
    for (let n = 0; n < count; n++) chosen += decide(catalogue, profiles[n], options).slots.hero.length;
  if (chosen === 0) throw new Error("no decision chose a hero item");
}

async function baselineAll(): Promise<void> {
  for (let n = 0; n < BASELINE_N; n++) await eligible(profiles[n]);
}

// Same warm-up for all: the JIT settles before the first timed round.
for (let i = 0; i < WARM_UP; i++) {
  decide(catalogue, profiles[i], TRACED);
  decide(catalogue, profiles[i], UNTRACED);
  await eligible(profiles[i]);
}

const REPEATS = Math.max(1, Math.round(N / REPEAT_N));
const rates = { traced: [] as Rate[], untraced: [] as Rate[], repeated: [] as Rate[], baseline: [] as Rate[] };
for (let r = 0; r < ROUNDS; r++) {
  rates.traced.push(await rate(N, () => decideAll(TRACED)));
  rates.untraced.push(await rate(N, () => decideAll(UNTRACED)));
  rates.repeated.push(await rate(REPEAT_N * REPEATS, () => decideAll(UNTRACED, REPEAT_N, REPEATS)));
  rates.baseline.push(await rate(BASELINE_N, baselineAll));
  process.stdout.write(`round ${r + 1}/${ROUNDS} done\n`);
}

// Both engines must agree wherever the decision evaluated eligibility (not stopped earlier by the policy), and
// the decision without its trace must choose what the traced one chose.
let compared = 0;
let mismatches = 0;
let slotMismatches = 0;
for (const p of profiles.slice(0, 5000)) {
  const baseline = await eligible(p);
  const traced = decide(catalogue, p, TRACED);
  for (const t of traced.trace) {
    const known =
      t.rule === "eligibility" ? false : ["chosen", "exclusion-group", "slot-full"].includes(t.rule) ? true : undefined;
    if (known === undefined) continue;
    compared++;
    if (known !== baseline.has(t.id)) mismatches++;
  }
  const untraced = decide(catalogue, p, UNTRACED);
  if (JSON.stringify(untraced.slots) !== JSON.stringify(traced.slots)) slotMismatches++;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perSecond = (x: number) => `${Math.round(x).toLocaleString("en-GB")}/s`;
const figure = (xs: number[]) =>
  `${perSecond(median(xs)).padStart(12)} (${perSecond(Math.min(...xs))} – ${perSecond(Math.max(...xs))})`;
const row = (name: string, rs: Rate[], note: string) =>
  console.log(
    `${name.padEnd(28)}${figure(rs.map((r) => r.wall)).padEnd(40)}${figure(rs.map((r) => r.cpu)).padEnd(40)}${note}`,
  );
const ratio = (a: Rate[], b: Rate[], of: keyof Rate) =>
  `${(median(a.map((r) => r[of])) / median(b.map((r) => r[of]))).toFixed(1)}x`;

console.log(`profiles                    ${N.toLocaleString("en-GB")}; ${ROUNDS} rounds, median (slowest – fastest)`);
console.log(`load average                ${loadBefore} before, ${load()} after (1, 5, 15 min)`);
console.log(`${"".padEnd(28)}${"per second of the clock".padEnd(40)}${"per CPU-second of the process".padEnd(40)}`);
row("decide, traced", rates.traced, "target ≥ 500,000/s");
row("decide, trace: false", rates.untraced, "target ≥ 2,000,000/s");
row(
  "decide, trace: false, same",
  rates.repeated,
  `the first ${REPEAT_N.toLocaleString("en-GB")} customers ${REPEATS} times`,
);
row("json-rules-engine", rates.baseline, `eligibility only, first ${BASELINE_N.toLocaleString("en-GB")} profiles`);
console.log(
  `ratio to json-rules-engine  traced ${ratio(rates.traced, rates.baseline, "wall")}, trace: false ${ratio(rates.untraced, rates.baseline, "wall")} by the clock (target ≥ 20x); ${ratio(rates.traced, rates.baseline, "cpu")} and ${ratio(rates.untraced, rates.baseline, "cpu")} by CPU time`,
);
console.log(`agreement                   ${compared} eligibility outcomes compared, ${mismatches} mismatches`);
console.log(
  `trace: false              5000 decisions compared with the traced ones, ${slotMismatches} differ in their slots`,
);
