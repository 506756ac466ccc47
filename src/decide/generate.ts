import type { CallNode } from "./expression-direct.ts";
import type { Facts } from "./functions.ts";
import { historyVerdicts } from "./history-rules.ts";
import { RUNTIME, expressionSource, literal } from "./expression-source.ts";
import { interpretPlan } from "./interpret.ts";
import { languageIndex, type PlanData, type PlanDecision, type PlannedItem } from "./plan.ts";
import { complaintEntry, complaintWords, copyOut, expressionError, variantOf } from "./plan-steps.ts";

/**
 * A catalogue's decision written as one JavaScript function when the catalogue is loaded, so that V8 compiles
 * each item's rules and eligibility where they stand: every check the plan makes of an item is written with
 * the item's own values (its channels' bits, its product's bit, its slot and group), checks that cannot apply
 * to it are left out, and its eligibility is written inline from the expression's parse tree
 * (`expression-source.ts`). The interpreter (`interpret.ts`) runs the same plan item by item through shared
 * call sites, which see every item's closure and inline none.
 *
 * Nothing the catalogue says becomes code: ids and product codes are JSON string literals, numbers are written
 * from the parsed values, and every other name in the code is one this module makes up. The decision's
 * objects (trace entries, chosen items, variants) are the plan's, reached through the item's planned entry.
 */

/**
 * The longest generated function (in characters of source) V8 still optimises: past 60 KB of bytecode it
 * leaves a function to its interpreter, slower than the plan's interpreter. Measured on copies of the sample
 * catalogue's items: the traced decision of 72 items (70,700 characters) was optimised and ran 2.5x faster
 * than the interpreter, that of 76 items 1.5x slower; the decision without trace, shorter per item, was
 * optimised up to 128 items (77,200 characters).
 */
const LONGEST_SOURCE = 70_000;

/** The catalogue's decision: its generated code, or the interpreter where that code would be too long. */
export function decisionOf(plan: PlanData): PlanDecision {
  return generateDecision(plan) ?? ((profile, options) => interpretPlan(plan, profile, options));
}

/**
 * The generated decision, traced and not, each left to the interpreter when its source is longer than
 * LONGEST_SOURCE; undefined when both are.
 */
export function generateDecision(plan: PlanData): PlanDecision | undefined {
  const fns: ((...args: unknown[]) => unknown)[] = [];
  const callee = (fn: (...args: unknown[]) => unknown): string => {
    const at = fns.indexOf(fn);
    return `f${at >= 0 ? at : fns.push(fn) - 1}`;
  };
  const [traced, untraced] = [decisionSource(plan, true, callee), decisionSource(plan, false, callee)].map((source) =>
    source.length <= LONGEST_SOURCE ? source : undefined,
  );
  if (traced === undefined && untraced === undefined) return undefined;
  const interpreted = "(profile, options) => interpretPlan(plan, profile, options)";
  const source = [
    // No two loads give V8 the same text: V8 hands what it compiled from a text to the next function made from the
    // same text, and a catalogue loaded three or four times in a process (releases with the same catalogue, an
    // editor's reloads) then decided 15-20% slower than its first load. The comment changes no decision.
    `// decision ${crypto.randomUUID()}`,
    ...fns.map((_, i) => `const f${i} = fns[${i}];`),
    ...plan.items.map((_, i) => `const P${i} = items[${i}], L${i} = P${i}.library;`),
    "const [C0, C1, C2] = chosen;",
    `const traced = ${traced ?? interpreted};`,
    `const untraced = ${untraced ?? interpreted};`,
    "return (profile, options) => options.trace === false ? untraced(profile, options) : traced(profile, options);",
  ].join("\n");
  const scope = {
    plan,
    interpretPlan,
    fns,
    items: plan.items,
    chosen: plan.chosen,
    facts: plan.facts,
    subject: plan.subject,
    policy: plan.policy,
    validOn: plan.validOn,
    historyVerdicts,
    languageIndex,
    variantOf,
    complaintWords,
    complaintEntry,
    expressionError,
    copyOut,
    ...RUNTIME,
  };
  return new Function(...Object.keys(scope), source)(...Object.values(scope));
}

/** The source of one decision function, traced or not. */
function decisionSource(
  plan: PlanData,
  traced: boolean,
  callee: (fn: (...args: unknown[]) => unknown) => string,
): string {
  const { items, policy } = plan;
  const groups = Math.max(-1, ...items.map((p) => p.group)) + 1;
  const lines = [
    "(profile, options) => {",
    "const runDate = options.runDate, capped = options.capped, history = options.history;",
    "facts.reset(profile, runDate, history);",
    "facts.readAtOnce();",
    "subject.read(profile);",
    "const verdicts = historyVerdicts(history, runDate, policy);",
    "const language = profile.preferences.language;",
    "const copyIndex = languageIndex(language);",
    "const valid = validOn(runDate);",
    "const channels = facts.channelMask, vulnerable = subject.vulnerable, consent = subject.marketingConsent;",
    "const complaintDays = facts.daysSinceComplaint(), held = facts.heldBits();",
    "let n0 = 0, n1 = 0, n2 = 0;",
    ...Array.from({ length: groups }, (_, g) => `let g${g} = -1;`),
  ];
  if (traced) lines.push("let complaint;", `let ${items.map((_, i) => `r${i}`).join(", ")};`);
  const window = literal(policy.complaintWindowDays);
  for (const [i, p] of items.entries()) {
    const eligible = eligibility(p, i, plan.facts, callee);
    lines.push(traced ? tracedItem(p, i, window, eligible) : untracedItem(p, i, window, eligible));
  }
  lines.push(
    "const slots = { hero: copyOut(C0, n0), secondary: copyOut(C1, n1), notice: copyOut(C2, n2) };",
    traced
      ? `return { customerId: profile.id, runDate, language, slots, trace: [${items.map((_, i) => `r${i}`).join(", ")}] };`
      : "return { customerId: profile.id, runDate, language, slots };",
    "}",
  );
  return lines.join("\n");
}

/** One contact-policy rule as a condition that holds when it excludes the item, as `excludedBy` reads it. */
interface Rule {
  name: string;
  when: string;
}

/** The rules that can exclude the item, in the order a trace reports them, before its eligibility. */
function rulesOf(p: PlannedItem, i: number, window: string): Rule[] {
  const rules: Rule[] = [];
  if (p.item.valid.from !== undefined || p.item.valid.to !== undefined)
    rules.push({ name: "validity", when: `valid[${i}] === 0` });
  rules.push({ name: "cap", when: `capped?.has(${JSON.stringify(p.id)})` });
  rules.push({ name: "channel", when: `(channels & ${p.channelMask}) === 0` });
  if (p.offer) {
    rules.push({ name: "vulnerable", when: "vulnerable" });
    rules.push({ name: "recent-complaint", when: `complaintDays <= ${window}` });
  }
  if (p.marketing) rules.push({ name: "consent", when: "!consent" });
  if (p.product !== undefined)
    rules.push({
      name: "holds-product",
      when: p.productBit !== 0 ? `(held & ${p.productBit}) !== 0` : `facts.holds(${JSON.stringify(p.product)})`,
    });
  rules.push({ name: "history", when: `verdicts !== undefined && verdicts.blocks(P${i}.item)` });
  return rules;
}

/** Statements that set `v` to the item's eligibility: inline, with the library deciding whatever it bails out of. */
function eligibility(
  p: PlannedItem,
  i: number,
  facts: Facts,
  callee: (fn: (...args: unknown[]) => unknown) => string,
): string {
  if (p.node === undefined) return `v = L${i}(profile);`;
  const temps: string[] = [];
  const code = expressionSource(p.node, {
    data: "profile",
    callee,
    temp: () => `t${temps.push(`t${temps.length}`) - 1}`,
    call: (n) => knownCall(n, facts),
  });
  const declare = temps.length > 0 ? `let ${temps.join(", ")}; ` : "";
  return `try { ${declare}v = ${code}; } catch { v = L${i}(profile); }`;
}

/**
 * A domain function's answer the decision already holds in a local, written instead of the call (undefined for
 * any other call, which is written as a call): `holds("CODE")` of a code with a bit in the facts is a test of
 * `held` (the bits of the products the customer holds), as `Facts.holds` answers it, and `complainedWithin(N)`
 * compares `complaintDays`. The generated function is too long for V8 to inline calls into it, and each such
 * call went through the function table, its type check and the facts: deciding the same 1,000 customers again
 * took about a tenth less time. A catalogue's functions are always the domain functions over the plan's facts
 * (`load.ts`): the table is the catalogue's and nothing renames them.
 */
function knownCall(n: CallNode, facts: Facts): string | undefined {
  const [arg] = n.args;
  if (n.args.length !== 1 || arg.kind !== "literal") return undefined;
  if (n.name === "holds" && typeof arg.value === "string") {
    const bit = facts.productBit(arg.value);
    return bit === 0 ? undefined : `((held & ${bit}) !== 0)`;
  }
  if (n.name === "complainedWithin" && typeof arg.value === "number") return `(complaintDays <= ${literal(arg.value)})`;
  return undefined;
}

/** The item's chosen variant: its only one, or the A/B split's. */
function variant(p: PlannedItem, i: number): string {
  const index = p.variants.length === 1 || p.splitKey === "" ? "0" : `variantOf(P${i}, profile.id)`;
  return `P${i}.variants[${index}].chosen[copyIndex]`;
}

/** What choosing the item does: its place in its slot, its group won. */
function choose(p: PlannedItem, i: number): string[] {
  const s = p.slotIndex;
  return [`C${s}[n${s}++] = c.item;`, ...(p.group >= 0 ? [`g${p.group} = ${i};`] : [])];
}

/** The item's slot is full (never, for a slot of unbounded size). */
function full(p: PlannedItem): string | undefined {
  return p.capacity === Number.POSITIVE_INFINITY ? undefined : `n${p.slotIndex} >= ${p.capacity}`;
}

/** The item's code, with `eligible`: the statements that set `v` to its eligibility. */
function tracedItem(p: PlannedItem, i: number, window: string, eligible: string): string {
  const r = `r${i}`;
  const excluded = (rule: string) => `P${i}.excluded[${JSON.stringify(rule)}]`;
  const out = [`// item ${i}`];
  rulesOf(p, i, window).forEach(({ name, when }, k) => {
    const set =
      name === "history"
        ? `${r} = verdicts.against(P${i}.item);`
        : name === "recent-complaint"
          ? `{ complaint ??= complaintWords(facts.complaintEvent(), ${window}); ${r} = complaint === null ? ${excluded(name)} : complaintEntry(P${i}, complaint); }`
          : `${r} = ${excluded(name)};`;
    out.push(`${k === 0 ? "if" : "else if"} (${when}) ${set}`);
  });
  out.push("else {", "let v;", eligible);
  out.push(`if (v !== true) ${r} = v === false ? ${excluded("eligibility")} : expressionError(P${i}, v);`);
  if (p.group >= 0) out.push(`else if (g${p.group} >= 0) ${r} = P${i}.lostGroupTo.get(g${p.group});`);
  const isFull = full(p);
  if (isFull !== undefined) out.push(`else if (${isFull}) ${r} = ${excluded("slot-full")};`);
  out.push(`else { const c = ${variant(p, i)};`, ...choose(p, i), `${r} = c.trace; }`, "}");
  return out.join("\n");
}

/** Without the trace an item that can no longer be chosen (its slot full, its group won) is passed over first. */
function untracedItem(p: PlannedItem, i: number, window: string, eligible: string): string {
  const open = [full(p), p.group >= 0 ? `g${p.group} >= 0` : undefined].filter((c) => c !== undefined);
  const passes = rulesOf(p, i, window).map(({ when }) => `!(${when})`);
  return [
    `// item ${i}`,
    `if (${open.length > 0 ? `!(${open.join(" || ")}) && ` : ""}${passes.join(" && ")}) {`,
    "let v;",
    eligible,
    `if (v === true) { const c = ${variant(p, i)};`,
    ...choose(p, i),
    "}",
    "}",
  ].join("\n");
}
