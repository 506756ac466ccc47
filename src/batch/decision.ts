import type { Decision, SlotDecision } from "../decide/index.ts";

/** The ids a decision chose, in slot order: what the manifest records and the caps count. */
export function offersOf(decision: SlotDecision): string[] {
  const { hero, secondary, notice } = decision.slots;
  return [...hero, ...secondary, ...notice].map((i) => i.id);
}

/** Items a cap kept from this customer. */
export function cappedOf(decision: Decision): string[] {
  return decision.trace.filter((t) => t.rule === "cap").map((t) => t.id);
}
