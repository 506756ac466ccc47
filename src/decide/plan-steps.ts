import { problem, unitInterval } from "../core/index.ts";
import type { PlannedItem } from "./plan.ts";
import type { ChosenItem, TraceEntry, TraceEvent } from "./types.ts";

/** The steps of a decision that the interpreter and the generated code share: they run once per decision or less. */

/** The first `n` items of a slot's scratch as an array of their own: literals for the usual few. */
export function copyOut(list: readonly ChosenItem[], n: number): ChosenItem[] {
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
export function variantOf(p: PlannedItem, customerId: string): number {
  if (p.variants.length === 1 || p.splitKey === "") return 0;
  const u = unitInterval(p.splitKey, customerId);
  let v = 0;
  while (v < p.variants.length - 1 && u >= p.variants[v].upTo) v++;
  return v;
}

export interface ComplaintWords {
  reason: string;
  event: TraceEvent;
}

/** The complaint rule names the complaint, from the extract or the history: written only when it fires. */
export function complaintWords(event: TraceEvent | undefined, windowDays: number): ComplaintWords | null {
  if (!event) return null;
  const where = event.source === "extract" ? "in the extract" : `reported by ${event.source}`;
  const reason = `the customer complained on ${event.at.slice(0, 10)} (${event.channel}, ${where}): no sales offers within ${windowDays} days`;
  return { reason, event };
}

export function complaintEntry(p: PlannedItem, { reason, event }: ComplaintWords): TraceEntry {
  return { id: p.id, slot: p.item.slot, chosen: false, rule: "recent-complaint", reason, event };
}

export function expressionError(p: PlannedItem, verdict: unknown): TraceEntry {
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
