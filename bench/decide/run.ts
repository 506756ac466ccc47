/**
 * Decisions per second over generated profiles with the sample catalogue, against json-rules-engine
 * evaluating the same eligibility rules in the same run. Usage: npx tsx bench/decide/run.ts [N=100000]
 */
import { fileURLToPath } from "node:url";
import { Engine } from "json-rules-engine";
import { decide, loadCatalogue } from "../../src/decide/index.ts";
import { nodeWorld } from "../../src/node-world.ts";
import type { Profile } from "../../src/profile/index.ts";
import { sampleLines } from "../../src/sample/index.ts";
import { DYNAMIC_FACTS, rules } from "./jre-rules.ts";

const N = Number(process.argv[2] ?? 100000);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN_DATE = "2026-11-01";
const WARM_UP = Math.min(2000, N);

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString("en-GB")}/s`;
}

const catalogue = loadCatalogue(nodeWorld(ROOT), "samples/catalogue.yaml");
if (!catalogue.ok) throw new Error(catalogue.problems.map((p) => p.message).join("\n"));
process.stdout.write(`generating ${N} profiles… `);
const profiles = Array.from(sampleLines({ count: N }), (line) => JSON.parse(line) as Profile);
process.stdout.write(`done (${catalogue.value.items.length} catalogue items)\n`);

// omnidoc: full decisions (contact policy, eligibility, groups, slots, A/B, trace), catalogue compiled once.
for (let i = 0; i < WARM_UP; i++) decide(catalogue.value, profiles[i], { runDate: RUN_DATE });
let chosen = 0;
let t0 = performance.now();
for (const p of profiles) chosen += decide(catalogue.value, p, { runDate: RUN_DATE }).slots.hero.length;
const oursMs = performance.now() - t0;

// json-rules-engine: eligibility only (less work than a decision), engine built once.
const engine = new Engine(rules(), { allowUndefinedFacts: true });
engine.addOperator("present", (value: unknown, wanted: unknown) => (value !== undefined && value !== null) === wanted);
for (const [name, fn] of Object.entries(DYNAMIC_FACTS)) engine.addFact(name, fn as never);
const eligible = async (p: Profile) =>
  new Set((await engine.run({ profile: p, runDate: RUN_DATE })).events.map((e) => e.type));
for (let i = 0; i < WARM_UP; i++) await eligible(profiles[i]);
let events = 0;
t0 = performance.now();
for (const p of profiles) events += (await eligible(p)).size;
const jreMs = performance.now() - t0;

// Both engines must agree wherever the decision evaluated eligibility (not stopped earlier by the policy).
let compared = 0;
let mismatches = 0;
for (const p of profiles.slice(0, 5000)) {
  const baseline = await eligible(p);
  for (const t of decide(catalogue.value, p, { runDate: RUN_DATE }).trace) {
    const known =
      t.rule === "eligibility" ? false : ["chosen", "exclusion-group", "slot-full"].includes(t.rule) ? true : undefined;
    if (known === undefined) continue;
    compared++;
    if (known !== baseline.has(t.id)) mismatches++;
  }
}

console.log(`profiles          ${N.toLocaleString("en-GB")} (hero chosen ${chosen}, rule events ${events})`);
console.log(`omnidoc decide    ${rate(N, oursMs)}  (${oursMs.toFixed(0)} ms, full decision with trace)`);
console.log(`json-rules-engine ${rate(N, jreMs)}  (${jreMs.toFixed(0)} ms, eligibility rules only)`);
console.log(`ratio             ${(jreMs / oursMs).toFixed(1)}x  (target ≥ 20x)`);
console.log(`agreement         ${compared} eligibility outcomes compared, ${mismatches} mismatches`);
