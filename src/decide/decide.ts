import { problem, unitInterval } from "../core/index.ts";
import type { Profile } from "../profile/index.ts";
import { historyVerdicts } from "./history-rules.ts";
import { languageIndex, type PlannedItem, planOf } from "./plan.ts";
import { excludedBy } from "./policy.ts";
import type { Catalogue, ChosenItem, DecideOptions, Decision, SlotDecision, TraceEntry, TraceEvent } from "./types.ts";

/**
 * The decision for one customer: items are considered in arbitration order (regulatory first, so they
 * always win their slot, then priority) and each passes the contact policy, its eligibility, its
 * exclusion group and its slot's capacity, or is traced with the first rule that excluded it. Pure: no clock, no randomness, and the
 * same profile, history, catalogue and run date give the same decision. The history is an input the caller read
 * (decide never reads the archive); the rules over it add a trace entry naming the event that fired them.
 *
 * With `trace: false` the decision has the same slots and no trace: an item that can no longer be chosen (its
 * slot full, its group won) is passed over before its rules are read, and once every slot of bounded size is
 * full and no item for an unbounded one is left, the rest is not considered at all.
 *
 * What a decision reads and chooses goes to the plan's scratch (the facts, the policy's reading of the customer,
 * the chosen items per slot), so the only objects it creates are the ones it returns.
 */
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions & { trace: false }): SlotDecision;
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions): Decision;
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions): Decision | SlotDecision {
  const plan = planOf(catalogue);
  const { facts, items, subject, chosen, filled, groupWinner, policy } = plan;
  const { runDate, capped } = options;
  facts.reset(profile, runDate, options.history);
  subject.read(profile);
  facts.readAtOnce();
  const verdicts = historyVerdicts(options.history, runDate, policy);
  const language = profile.preferences.language;
  const copyIndex = languageIndex(language);
  const valid = plan.validOn(runDate);
  for (let g = 0; g < groupWinner.length; g++) groupWinner[g] = -1;
  filled[0] = filled[1] = filled[2] = 0;
  const trace: TraceEntry[] | undefined = options.trace === false ? undefined : new Array(items.length);
  let boundedRoom = plan.boundedRoom;
  /** What a trace says of the latest complaint, written once per decision when the rule first fires (null: none). */
  let complaint: ComplaintWords | null | undefined;

  for (let i = 0; i < items.length; i++) {
    const p = items[i];
    const slot = p.slotIndex;
    if (trace === undefined) {
      if (boundedRoom === 0 && i > plan.lastUnbounded) break;
      if ((p.group >= 0 && groupWinner[p.group] >= 0) || filled[slot] >= p.capacity) continue;
    }
    const rule = valid[i] === 0 ? "validity" : excludedBy(p, subject, policy, capped);
    if (rule !== undefined) {
      if (trace === undefined) continue;
      if (rule === "recent-complaint") {
        complaint ??= complaintWords(facts.complaintEvent(), policy.complaintWindowDays);
        trace[i] = complaint === null ? p.excluded[rule] : complaintEntry(p, complaint);
      } else trace[i] = p.excluded[rule];
      continue;
    }
    if (verdicts?.blocks(p.item)) {
      if (trace) trace[i] = verdicts.against(p.item) as TraceEntry;
      continue;
    }
    const verdict = p.test(profile);
    if (verdict !== true) {
      if (trace) trace[i] = verdict === false ? p.excluded.eligibility : expressionError(p, verdict);
      continue;
    }
    if (p.group >= 0 && groupWinner[p.group] >= 0) {
      if (trace) trace[i] = p.lostGroupTo.get(groupWinner[p.group]) as TraceEntry;
      continue;
    }
    if (filled[slot] >= p.capacity) {
      if (trace) trace[i] = p.excluded["slot-full"];
      continue;
    }
    const variant = p.variants[variantOf(p, profile.id)].chosen[copyIndex];
    chosen[slot][filled[slot]++] = variant.item;
    if (trace) trace[i] = variant.trace;
    if (p.group >= 0) groupWinner[p.group] = i;
    if (p.capacity !== Number.POSITIVE_INFINITY) boundedRoom--;
  }
  const slots: Decision["slots"] = {
    hero: copyOut(chosen[0], filled[0]),
    secondary: copyOut(chosen[1], filled[1]),
    notice: copyOut(chosen[2], filled[2]),
  };
  return trace === undefined
    ? { customerId: profile.id, runDate, language, slots }
    : { customerId: profile.id, runDate, language, slots, trace };
}

/** The first `n` items of a slot's scratch as an array of their own: literals for the usual few. */
function copyOut(list: readonly ChosenItem[], n: number): ChosenItem[] {
  switch (n) {
    case 0:
      return [];
    case 1:
      return [list[0]];
    case 2:
      return [list[0], list[1]];
    default:
      return list.slice(0, n);
  }
}

/** Deterministic A/B split: a hash of experiment and customer, placed on the variants' weights. */
function variantOf(p: PlannedItem, customerId: string): number {
  if (p.variants.length === 1 || p.splitKey === "") return 0;
  const u = unitInterval(p.splitKey, customerId);
  let v = 0;
  while (v < p.variants.length - 1 && u >= p.variants[v].upTo) v++;
  return v;
}

interface ComplaintWords {
  reason: string;
  event: TraceEvent;
}

/** The complaint rule names the complaint, from the extract or the history: written only when it fires. */
function complaintWords(event: TraceEvent | undefined, windowDays: number): ComplaintWords | null {
  if (!event) return null;
  const where = event.source === "extract" ? "in the extract" : `reported by ${event.source}`;
  const reason = `the customer complained on ${event.at.slice(0, 10)} (${event.channel}, ${where}): no sales offers within ${windowDays} days`;
  return { reason, event };
}

function complaintEntry(p: PlannedItem, { reason, event }: ComplaintWords): TraceEntry {
  return { id: p.id, slot: p.item.slot, chosen: false, rule: "recent-complaint", reason, event };
}

function expressionError(p: PlannedItem, verdict: unknown): TraceEntry {
  const why =
    verdict instanceof Error
      ? verdict.message
      : `it gave ${JSON.stringify(verdict) ?? String(verdict)}, not true or false`;
  const reason = `eligibility could not be decided (${why}): ${p.item.eligibility.trim()}`;
  return {
    id: p.item.id,
    slot: p.item.slot,
    chosen: false,
    rule: "expression-error",
    reason,
    problem: problem("OMD_DECIDE_EXPRESSION_FAILED", `item "${p.item.id}": ${reason}`),
  };
}
