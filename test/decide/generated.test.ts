import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { type Catalogue, type DecideOptions, decide, parseCatalogue } from "../../src/decide/index.ts";
import type { DirectNode } from "../../src/decide/expression-direct.ts";
import { generateDecision } from "../../src/decide/generate.ts";
import { interpretPlan } from "../../src/decide/interpret.ts";
import { type PlanData, type PlanDecision, planOf } from "../../src/decide/plan.ts";
import type { Profile } from "../../src/profile/index.ts";
import { SAMPLE_PROFILES } from "./fixtures.ts";
import { catalogue, relationship, scenario } from "./scenarios.ts";

const withHistory = scenario.chain((s) => relationship(s.runDate).map((history) => ({ ...s, history })));

/**
 * The sample catalogue with eligibility the generated code must leave to the library or report as the library
 * does: values of another type compared or computed, a function given the wrong type, a shape the direct reader
 * does not handle, arithmetic, negation and a number too long for a double; and calls the generated code must
 * write as calls: a computed argument, and a product code the facts gave no bit (`holds (` escapes the loader's
 * search for codes, and no item sells GAS-STD).
 */
const SAMPLE_TEXT = readFileSync(new URL("../../samples/catalogue.yaml", import.meta.url), "utf8");
const EDGES: Record<string, string> = {
  "tenureMonths >= 120": "tenureMonths >= 120 or segment > 3",
  "tenureMonths >= 3": "holds(tenureMonths)",
  'segment == "small-business" and tenureMonths >= 12':
    '-tenureMonths < -12 and segment in ("small-business", "residential")',
  "not preferences.paperless and exists(contact.email)": "not contact.email or usageTotal() / count(products) > 300",
  "usageTotal() > 0": "usageTotal() + 1 > 1 and 99999999999999999999999999999999999999 > tenureMonths",
  'holds("SMART-METER") and segment == "residential"': "account.balanceDue * 2 >= 100 and not account.directDebit",
  "complainedWithin(30)": "complainedWithin(tenureMonths / 4)",
  'holds("GAS-STD") and not account.inArrears': 'holds ("GAS-STD") and not account.inArrears',
};
const edges: Catalogue = (() => {
  let text = SAMPLE_TEXT;
  for (const [from, to] of Object.entries(EDGES)) {
    if (!text.includes(`eligibility: ${from}\n`)) throw new Error(`the sample catalogue no longer says ${from}`);
    text = text.replace(`eligibility: ${from}\n`, `eligibility: ${JSON.stringify(to)}\n`);
  }
  const loaded = parseCatalogue("edges.yaml", text);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  return loaded.value;
})();

/** The sample catalogue's items copied (ids, groups and experiments renamed) up to `count` items. */
function larger(count: number): Catalogue {
  const source = YAML.parse(SAMPLE_TEXT);
  const items = Array.from({ length: count }, (_, n) => {
    const item = source.items[n % source.items.length];
    const copy = Math.floor(n / source.items.length);
    return {
      ...item,
      id: `${item.id}-${copy}`,
      ...(item.group ? { group: `${item.group}-${copy}` } : {}),
      ...(item.experiment ? { experiment: { ...item.experiment, id: `${item.experiment.id}-${copy}` } } : {}),
    };
  });
  const loaded = parseCatalogue(
    "larger.yaml",
    YAML.stringify({ ...source, policy: { ...source.policy, spacing: [] }, items }),
  );
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  return loaded.value;
}

/** A decision as bytes, traced and not: what the generated code must give exactly as the interpreter does. */
function bytes(run: PlanDecision, profile: Profile, options: DecideOptions): string {
  return JSON.stringify([run(profile, options), run(profile, { ...options, trace: false })]);
}

function interpreter(plan: PlanData): PlanDecision {
  return (profile, options) => interpretPlan(plan, profile, options);
}

function generated(plan: PlanData): PlanDecision {
  const run = generateDecision(plan);
  if (run === undefined) throw new Error("the catalogue was not generated");
  return run;
}

/** Every comparison `>=` of the plan's expressions read as `>`: a mistake the comparison must catch. */
function mutated(plan: PlanData): PlanData {
  const strict = (n: DirectNode): DirectNode => {
    switch (n.kind) {
      case "compare":
        return { ...n, op: n.op === ">=" ? ">" : n.op, left: strict(n.left), right: strict(n.right) };
      case "and":
      case "or":
      case "arithmetic":
        return { ...n, left: strict(n.left), right: strict(n.right) };
      case "not":
      case "negate":
        return { ...n, operand: strict(n.operand) };
      case "call":
        return { ...n, args: n.args.map(strict) };
      default:
        return n;
    }
  };
  return { ...plan, items: plan.items.map((p) => (p.node === undefined ? p : { ...p, node: strict(p.node) })) };
}

describe("a catalogue's generated decision", () => {
  for (const [name, c] of [
    ["sample", catalogue],
    ["edge-case", edges],
  ] as const) {
    it(`decides and traces as the interpreter does, byte for byte (${name} catalogue, generated scenarios with history)`, () => {
      const plan = planOf(c);
      const [expected, actual] = [interpreter(plan), generated(plan)];
      fc.assert(
        fc.property(withHistory, ({ profile, runDate, capped, history }) => {
          const options = { runDate, capped, history };
          expect(bytes(actual, profile, options)).toBe(bytes(expected, profile, options));
        }),
        { numRuns: 1500 },
      );
    }, 120_000); // thousands of decisions: minutes on a loaded machine

    it(`decides the sample profiles as the interpreter does on every run date (${name} catalogue)`, () => {
      const plan = planOf(c);
      const [expected, actual] = [interpreter(plan), generated(plan)];
      for (const runDate of ["2026-09-15", "2026-11-01", "2026-12-20", "2027-04-01"])
        for (const profile of SAMPLE_PROFILES)
          expect(bytes(actual, profile, { runDate }), profile.id).toBe(bytes(expected, profile, { runDate }));
    });
  }

  it("compiles each load of a catalogue apart, even of the same text", () => {
    // V8 hands the code compiled from a text to the next function made from the same text; shared, the later
    // load's decisions were slower. Every source given to the Function constructor while loading is seen here.
    const sources: string[] = [];
    const original = globalThis.Function;
    globalThis.Function = new Proxy(original, {
      construct(target, args, newTarget) {
        sources.push(String(args.at(-1)));
        return Reflect.construct(target, args, newTarget);
      },
    });
    try {
      for (let n = 0; n < 2; n++) expect(parseCatalogue("same.yaml", SAMPLE_TEXT).ok).toBe(true);
    } finally {
      globalThis.Function = original;
    }
    const decisions = sources.filter((source) => source.includes("const untraced = "));
    expect(decisions).toHaveLength(2);
    expect(decisions[0]).not.toBe(decisions[1]);
  });

  it("is what decide() runs for a loaded catalogue", () => {
    const plan = planOf(catalogue);
    const actual = generated(plan);
    for (const profile of SAMPLE_PROFILES.slice(0, 10))
      expect(JSON.stringify(decide(catalogue, profile, { runDate: "2026-11-01" }))).toBe(
        JSON.stringify(actual(profile, { runDate: "2026-11-01" })),
      );
  });

  it("takes the edge cases to the library and to expression errors, as the interpreter does", () => {
    const rules = new Set<string>();
    for (const profile of SAMPLE_PROFILES)
      for (const t of decide(edges, profile, { runDate: "2026-11-01" }).trace) rules.add(t.rule);
    expect(rules).toContain("expression-error");
    expect(rules).toContain("eligibility");
    expect(rules).toContain("chosen");
  });

  it("leaves the traced decision of a longer catalogue to the interpreter, then the whole decision", () => {
    // 80 items: the traced function would be too long for V8 to optimise, the untraced one is not.
    const plan = planOf(larger(80));
    const [expected, actual] = [interpreter(plan), generated(plan)];
    for (const profile of SAMPLE_PROFILES.slice(0, 20))
      expect(bytes(actual, profile, { runDate: "2026-11-01" })).toBe(
        bytes(expected, profile, { runDate: "2026-11-01" }),
      );
    const longest = larger(140);
    expect(generateDecision(planOf(longest))).toBeUndefined();
    for (const profile of SAMPLE_PROFILES.slice(0, 20))
      expect(bytes((p, o) => decide(longest, p, o), profile, { runDate: "2026-11-01" })).toBe(
        bytes(interpreter(planOf(longest)), profile, { runDate: "2026-11-01" }),
      );
  });

  it("differs from the interpreter when one comparison is generated wrong: the comparison above can fail", () => {
    const plan = planOf(catalogue);
    const [expected, wrong] = [interpreter(plan), generated(mutated(plan))];
    const differing = fc
      .sample(withHistory, { numRuns: 1000, seed: 21 })
      .filter(({ profile, runDate, capped, history }) => {
        const options = { runDate, capped, history };
        return bytes(wrong, profile, options) !== bytes(expected, profile, options);
      });
    expect(differing.length).toBeGreaterThan(0);
  });
});
