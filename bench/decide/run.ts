/**
 * Decisions per second over generated profiles (parsed and validated, as callers pass them) with the sample
 * catalogue, with the trace and without (`trace: false`): over N customers held in memory, over the same 1,000
 * again and again, and as release impact decides each record as it reads it; against json-rules-engine
 * evaluating the same eligibility rules in the same run. Each round times them all in turn; the figures are the
 * median of the rounds with the slowest and fastest beside it, and the load average before and after. Usage:
 * npx tsx bench/decide/run.ts [N=100000] [--rounds 5] [--baseline 10000]
 */
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Engine } from "json-rules-engine";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DecideOptions, decide, loadCatalogue, parseCatalogue } from "../../src/decide/index.ts";
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
/** Records the release-impact row reads and decides each round: their lines kept as text, parsed afresh each time. */
const IMPACT_N = Math.min(N, 20000);
/** Records per block of the release-impact row: blocks with and without the decisions alternate. */
const IMPACT_BLOCK = 250;
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
// The catalogue a release proposes, as `bench/releases/impact.ts` changes it: the loyalty thanks after five years.
const text = readFileSync(join(ROOT, "samples/catalogue.yaml"), "utf8");
const changed = parseCatalogue("proposed", text.replace("tenureMonths >= 120", "tenureMonths >= 60"));
if (!changed.ok) throw new Error(changed.problems.map((p) => p.message).join("\n"));
const proposed = changed.value;
process.stdout.write(`generating ${N} profiles… `);
const lines = [...sampleLines({ count: N })];
/** A record read as release impact, compose, the billing run and the API read it: parsed and validated. */
const read = (line: string, n: number): Profile => {
  const parsed = parseProfileLine(line, n + 1);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join("\n"));
  return parsed.value;
};
const profiles = lines.map(read);
lines.length = IMPACT_N;
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

/** A window of the clock longer than this was interrupted (by the scheduler or the collector): it is left out. */
const INTERRUPTED_MS = 0.02;

interface ImpactRate {
  /** Decisions per second of their windows, less what the same window costs without them. */
  rate: number;
  /** What a window costs without decisions (ns): the clock's own reads. */
  emptyNs: number;
  /** The share of the windows left out as interrupted. */
  leftOut: number;
}

/**
 * Decisions as release impact makes them: each record read (parsed and validated) and decided at once without
 * its trace by both catalogues, the released and the proposed, while its profile is still in the CPU's caches.
 * Each record's two decisions are timed by the clock; blocks of records so decided alternate with blocks whose
 * windows hold no decision (which block does which alternates by round), and their mean, the clock's own cost, is
 * taken from each deciding window. Reading a record costs twenty times its decisions, so the CPU time of blocks
 * with and without decisions differs by less than it varies on a shared machine; a window of a microsecond
 * is rarely interrupted, and one that was is left out.
 */
function impactRate(round: number): ImpactRate {
  const deciding = { ms: 0, decisions: 0 };
  const empty = { ms: 0, windows: 0 };
  let windows = 0;
  let chosen = 0;
  for (let b = 0; b < IMPACT_N; b += IMPACT_BLOCK) {
    const decides = (b / IMPACT_BLOCK + round) % 2 === 0;
    for (let n = b; n < Math.min(IMPACT_N, b + IMPACT_BLOCK); n++) {
      const profile = read(lines[n], n);
      const t0 = performance.now();
      chosen += decides ? impactDecisions(profile) : profile.tenureMonths > 0 ? 1 : 0;
      const t = performance.now() - t0;
      windows++;
      if (t > INTERRUPTED_MS) continue;
      if (decides) {
        deciding.ms += t;
        deciding.decisions += 2;
      } else {
        empty.ms += t;
        empty.windows++;
      }
    }
  }
  if (chosen === 0) throw new Error("no decision chose a hero item");
  const emptyMs = empty.ms / empty.windows;
  return {
    rate: (deciding.decisions / (deciding.ms - (emptyMs * deciding.decisions) / 2)) * 1000,
    emptyNs: emptyMs * 1e6,
    leftOut: 1 - (deciding.decisions / 2 + empty.windows) / windows,
  };
}

/** The customer decided by the released catalogue and the proposed one; how many hero items they chose. */
function impactDecisions(profile: Profile): number {
  return decide(catalogue, profile, UNTRACED).slots.hero.length + decide(proposed, profile, UNTRACED).slots.hero.length;
}

async function baselineAll(): Promise<void> {
  for (let n = 0; n < BASELINE_N; n++) await eligible(profiles[n]);
}

// Same warm-up for all: the JIT settles before the first timed round.
for (let i = 0; i < WARM_UP; i++) {
  decide(catalogue, profiles[i], TRACED);
  decide(catalogue, profiles[i], UNTRACED);
  impactDecisions(profiles[i]);
  await eligible(profiles[i]);
}

const REPEATS = Math.max(1, Math.round(N / REPEAT_N));
const rates = {
  traced: [] as Rate[],
  untraced: [] as Rate[],
  repeated: [] as Rate[],
  impact: [] as ImpactRate[],
  baseline: [] as Rate[],
};
for (let r = 0; r < ROUNDS; r++) {
  rates.traced.push(await rate(N, () => decideAll(TRACED)));
  rates.untraced.push(await rate(N, () => decideAll(UNTRACED)));
  rates.repeated.push(await rate(REPEAT_N * REPEATS, () => decideAll(UNTRACED, REPEAT_N, REPEATS)));
  rates.impact.push(impactRate(r));
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
const impact = rates.impact.map((r) => r.rate);
console.log(
  `${"decide, as release impact".padEnd(28)}${figure(impact).padEnd(40)}${"".padEnd(40)}trace: false, 2 catalogues, each of ${IMPACT_N.toLocaleString("en-GB")} records decided as it is read`,
);
console.log(
  `${"".padEnd(28)}per second of the decisions' windows of the clock (empty window ${median(rates.impact.map((r) => r.emptyNs)).toFixed(0)} ns, ${(100 * median(rates.impact.map((r) => r.leftOut))).toFixed(2)}% left out as interrupted)`,
);
row("json-rules-engine", rates.baseline, `eligibility only, first ${BASELINE_N.toLocaleString("en-GB")} profiles`);
console.log(
  `ratio to json-rules-engine  traced ${ratio(rates.traced, rates.baseline, "wall")}, trace: false ${ratio(rates.untraced, rates.baseline, "wall")} by the clock (target ≥ 20x); ${ratio(rates.traced, rates.baseline, "cpu")} and ${ratio(rates.untraced, rates.baseline, "cpu")} by CPU time`,
);
console.log(`agreement                   ${compared} eligibility outcomes compared, ${mismatches} mismatches`);
console.log(
  `trace: false              5000 decisions compared with the traced ones, ${slotMismatches} differ in their slots`,
);
