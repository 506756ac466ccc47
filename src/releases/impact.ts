import { performance } from "node:perf_hooks";
import { CapLedger, cappedOf, offersOf } from "../batch/index.ts";
import { audienceProblem, audienceVerdict, compose } from "../compose.ts";
import { type Problem, type Result, problem } from "../core/index.ts";
import { type CustomerHistory, type Decision, NO_HISTORY, decide } from "../decide/index.ts";
import type { CompiledTemplate, Engine } from "../engine.ts";
import type { Profile } from "../profile/index.ts";
import type { DecisionImpact, OfferMove } from "./types.ts";

/** One record of the customers an impact is measured over: where it starts in its input, and it read and validated. */
export interface ImpactRecord {
  line: number;
  profile: Result<Profile>;
}

export interface ImpactOptions {
  /** The run date both versions decide on (YYYY-MM-DD). */
  runDate: string;
  /** What the relationship remembers of each customer, by id; nothing when absent. */
  histories?: ReadonlyMap<string, CustomerHistory>;
  /** Compose each customer's PDF with both versions and list page-count changes (seconds per hundred customers). */
  pages?: boolean;
}

/** How many customer ids each move names for a person to look at. */
const EXAMPLES = 3;
const SLOTS = ["hero", "secondary", "notice"] as const;

/** One version's side of the comparison: its engine, its template (absent when the version has none) and its caps. */
interface Version {
  engine: Engine;
  template?: CompiledTemplate;
  ledger: CapLedger;
}

/**
 * What changing from `base` (the released version) to `next` does to decisions: every customer is decided with
 * both versions' catalogues, as a billing run of the template would decide them (its audience, the caps counted
 * in input order, duplicate ids refused), and the customers whose offer changes in a slot are counted per slot
 * and segment. Nothing is rendered unless `pages` asks for page counts. A record that does not read or cannot
 * be decided becomes a problem at its line; the others go on.
 */
export async function decisionImpact(
  base: Engine,
  next: Engine,
  template: string,
  profiles: Iterable<ImpactRecord> | AsyncIterable<ImpactRecord>,
  options: ImpactOptions,
): Promise<DecisionImpact> {
  const started = performance.now();
  const { runDate } = options;
  const impact: DecisionImpact = { runDate, customers: 0, changed: 0, moves: [], problems: [], elapsedMs: 0 };
  if (!next.templates.has(template)) {
    const known = [...next.templates.keys()].join(", ");
    impact.problems.push(
      problem("OMD_TEMPLATE_NOT_FOUND", `the new version has no template "${template}"`, undefined, `it has ${known}`),
    );
    return { ...impact, elapsedMs: performance.now() - started };
  }
  const versions = [version(base, template), version(next, template)] as const;
  const moves = new Map<string, OfferMove>();
  const pageChanges: NonNullable<DecisionImpact["pageChanges"]> = [];
  const seen = new Set<string>();

  for await (const { line, profile: read } of profiles) {
    const at = `line ${line}`;
    if (!read.ok) {
      impact.problems.push(...read.problems.map((p) => ({ ...p, at: p.at?.startsWith(at) ? p.at : at })));
      continue;
    }
    const profile = read.value;
    if (seen.has(profile.id)) {
      impact.problems.push(
        problem("OMD_INPUT_DUPLICATE_ID", `id ${profile.id} was already used by an earlier record`, `${at} /id`),
      );
      continue;
    }
    seen.add(profile.id);
    const history = options.histories?.get(profile.id) ?? NO_HISTORY;
    const [before, after] = versions.map((v) => decideFor(v, profile, runDate, history));
    const undecided = [before, after].filter((d): d is Problem => d !== null && "code" in d);
    if (undecided.length > 0) {
      impact.problems.push(...undecided.map((p) => ({ ...p, at })));
      continue;
    }
    impact.customers++;
    const was = before as Decision | null;
    const is = after as Decision | null;
    if (countMoves(moves, profile, was, is)) impact.changed++;
    if (options.pages) {
      const counts = await Promise.all([
        pageCount(versions[0], profile, runDate, was),
        pageCount(versions[1], profile, runDate, is),
      ]);
      for (const c of counts) if (typeof c !== "number") impact.problems.push(...c.map((p) => ({ ...p, at })));
      const [from, to] = counts;
      if (typeof from === "number" && typeof to === "number" && from !== to)
        pageChanges.push({ customerId: profile.id, from, to });
    }
  }
  impact.moves = [...moves.values()].sort(biggestFirst);
  if (options.pages) impact.pageChanges = pageChanges;
  impact.elapsedMs = performance.now() - started;
  return impact;
}

function version(engine: Engine, template: string): Version {
  return { engine, template: engine.templates.get(template), ledger: new CapLedger(engine.catalogue) };
}

/**
 * The version's decision for the customer, null when it composes nothing for them (outside the template's
 * audience, or a version without the template), or the problem of an audience rule that could not be decided.
 */
function decideFor(v: Version, profile: Profile, runDate: string, history: CustomerHistory): Decision | null | Problem {
  if (!v.template) return null;
  const verdict = audienceVerdict(v.template, profile, runDate);
  if (verdict.status === "outside") return null;
  if (verdict.status === "undecided") return audienceProblem(v.template, profile, verdict);
  const decision = decide(v.engine.catalogue, profile, { runDate, capped: v.ledger.capped, history });
  v.ledger.count(offersOf(decision), cappedOf(decision));
  return decision;
}

/**
 * Counts the customer's moves in every slot and says whether there was any. In a slot of several items, an
 * item both versions chose is no move wherever it stands; the items only one version chose are paired in slot
 * order, and an item without a partner moves from or to an empty place (null).
 */
function countMoves(
  moves: Map<string, OfferMove>,
  profile: Profile,
  was: Decision | null,
  is: Decision | null,
): boolean {
  let moved = false;
  for (const slot of SLOTS) {
    const before = was?.slots[slot].map((i) => i.id) ?? [];
    const after = is?.slots[slot].map((i) => i.id) ?? [];
    const gone = before.filter((id) => !after.includes(id));
    const come = after.filter((id) => !before.includes(id));
    for (let i = 0; i < Math.max(gone.length, come.length); i++) {
      const from = gone[i] ?? null;
      const to = come[i] ?? null;
      const key = JSON.stringify([slot, profile.segment, from, to]);
      const move = moves.get(key) ?? { slot, segment: profile.segment, from, to, customers: 0, examples: [] };
      moves.set(key, move);
      move.customers++;
      if (move.examples.length < EXAMPLES) move.examples.push(profile.id);
      moved = true;
    }
  }
  return moved;
}

/** The statement's page count in this version (0 when it composes none for the customer), or why it failed. */
async function pageCount(
  v: Version,
  profile: Profile,
  runDate: string,
  decision: Decision | null,
): Promise<number | Problem[]> {
  if (!v.template || !decision) return 0;
  const template = v.template.pkg.manifest.id;
  const c = await compose(v.engine, profile, { template, channels: ["pdf"], runDate, decision });
  if (!c.ok) return c.problems;
  return c.value.pdf ? c.value.pdf.pages : c.value.problems;
}

const SLOT_ORDER: Record<string, number> = { hero: 0, secondary: 1, notice: 2 };
const text = (s: string | null) => s ?? "";

function biggestFirst(a: OfferMove, b: OfferMove): number {
  return (
    b.customers - a.customers ||
    SLOT_ORDER[a.slot] - SLOT_ORDER[b.slot] ||
    a.segment.localeCompare(b.segment) ||
    text(a.from).localeCompare(text(b.from)) ||
    text(a.to).localeCompare(text(b.to))
  );
}
