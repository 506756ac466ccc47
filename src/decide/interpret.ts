import type { Profile } from "../profile/index.ts";
import { historyVerdicts } from "./history-rules.ts";
import { languageIndex, type PlanData } from "./plan.ts";
import {
  type ComplaintWords,
  complaintEntry,
  complaintWords,
  copyOut,
  expressionError,
  variantOf,
} from "./plan-steps.ts";
import { excludedBy } from "./policy.ts";
import type { DecideOptions, Decision, SlotDecision, TraceEntry } from "./types.ts";

/**
 * A plan's decision run item by item over the plan's tables: the reference that the generated code
 * (`generate.ts`) is tested against, and what decides where that code would be too long for V8 to optimise.
 * `decide` describes the decision.
 */
export function interpretPlan(plan: PlanData, profile: Profile, options: DecideOptions): Decision | SlotDecision {
  const { facts, items, subject, chosen, filled, groupWinner, policy } = plan;
  const { runDate, capped } = options;
  facts.reset(profile, runDate, options.history);
  facts.readAtOnce();
  subject.read(profile);
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
