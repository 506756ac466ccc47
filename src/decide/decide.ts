import { problem, unitInterval } from "../core/index.ts";
import type { Profile } from "../profile/index.ts";
import { historyVerdicts } from "./history-rules.ts";
import { LANGUAGE_INDEX, type PlannedItem, planOf } from "./plan.ts";
import { excludedBy, policySubject } from "./policy.ts";
import {
  type Catalogue,
  type ChosenItem,
  type DecideOptions,
  type Decision,
  SLOT_CAPACITY,
  type TraceEntry,
} from "./types.ts";

/**
 * The decision for one customer: items are considered in arbitration order (regulatory first, so they
 * always win their slot, then priority) and each passes the contact policy, its eligibility, its
 * exclusion group and its slot's capacity, or is traced with the first rule that excluded it. Pure: no clock, no randomness, and the
 * same profile, history, catalogue and run date give the same decision. The history is an input the caller read
 * (decide never reads the archive); the rules over it add a trace entry naming the event that fired them.
 */
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions): Decision {
  const plan = planOf(catalogue);
  const { facts, items } = plan;
  facts.reset(profile, options.runDate, options.history);
  const verdicts = historyVerdicts(options.history, options.runDate, plan.policy);
  const language = profile.preferences.language;
  const languageIndex = LANGUAGE_INDEX[language] ?? 0;
  const subject = policySubject(profile, facts);
  const groupWinner: number[] = plan.groupCount === 0 ? [] : new Array(plan.groupCount).fill(-1);
  const slots: Decision["slots"] = { hero: [], secondary: [], notice: [] };
  const trace: TraceEntry[] = new Array(items.length);

  for (let i = 0; i < items.length; i++) {
    const p = items[i];
    const { item } = p;
    const rule = excludedBy(p, subject, plan.policy, options);
    if (rule !== undefined) {
      trace[i] =
        rule === "recent-complaint"
          ? complaintEntry(p, facts.complaintEvent(), plan.policy.complaintWindowDays)
          : p.excluded[rule];
      continue;
    }
    const fromHistory = verdicts?.against(item);
    if (fromHistory !== undefined) {
      trace[i] = fromHistory;
      continue;
    }
    const verdict = p.test(profile);
    if (verdict !== true) {
      trace[i] = verdict === false ? p.excluded.eligibility : expressionError(p, verdict);
      continue;
    }
    if (p.group >= 0 && groupWinner[p.group] >= 0) {
      trace[i] = p.lostGroupTo.get(groupWinner[p.group]) as TraceEntry;
      continue;
    }
    const slot = slots[item.slot];
    if (slot.length >= SLOT_CAPACITY[item.slot]) {
      trace[i] = p.excluded["slot-full"];
      continue;
    }
    const chosen = p.variants[variantOf(p, profile.id)].chosen[languageIndex];
    slot.push(chosen.item as ChosenItem);
    trace[i] = chosen.trace;
    if (p.group >= 0) groupWinner[p.group] = i;
  }
  return { customerId: profile.id, runDate: options.runDate, language, slots, trace };
}

/** Deterministic A/B split: a hash of experiment and customer, placed on the variants' weights. */
function variantOf(p: PlannedItem, customerId: string): number {
  if (p.variants.length === 1 || !p.item.experiment) return 0;
  const u = unitInterval(`${p.item.experiment.id}:${customerId}`);
  let v = 0;
  while (v < p.variants.length - 1 && u >= p.variants[v].upTo) v++;
  return v;
}

/** The complaint rule names the complaint, from the extract or the history: built only when it fires. */
function complaintEntry(p: PlannedItem, event: TraceEntry["event"], windowDays: number): TraceEntry {
  const fixed = p.excluded["recent-complaint"];
  if (!event) return fixed;
  const where = event.source === "extract" ? "in the extract" : `reported by ${event.source}`;
  const reason = `the customer complained on ${event.at.slice(0, 10)} (${event.channel}, ${where}): no sales offers within ${windowDays} days`;
  return { ...fixed, reason, event };
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
