import type { Profile } from "../profile/index.ts";
import { planOf } from "./plan.ts";
import type { Catalogue, DecideOptions, Decision, SlotDecision } from "./types.ts";

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
 * the chosen items per slot), so the only objects it creates are the ones it returns. The catalogue's decision
 * is generated as JavaScript when it is loaded (`generate.ts`), the interpreter (`interpret.ts`) is its reference.
 */
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions & { trace: false }): SlotDecision;
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions): Decision;
export function decide(catalogue: Catalogue, profile: Profile, options: DecideOptions): Decision | SlotDecision {
  return planOf(catalogue).decide(profile, options);
}
