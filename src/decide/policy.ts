import type { Profile } from "../profile/index.ts";
import type { Facts } from "./functions.ts";
import { channelBit, type PlannedItem, type StaticRule } from "./plan.ts";
import type { ContactPolicy, DecideOptions } from "./types.ts";

/** What the contact policy asks of a customer, read once per decision. */
export interface PolicySubject {
  facts: Facts;
  channelMask: number;
  vulnerable: boolean;
  marketingConsent: boolean;
}

export function policySubject(profile: Profile, facts: Facts): PolicySubject {
  let channelMask = 0;
  for (const c of profile.preferences.channels) channelMask |= channelBit(c);
  return {
    facts,
    channelMask,
    vulnerable: profile.segment === "vulnerable",
    marketingConsent: profile.preferences.marketingConsent === true,
  };
}

/**
 * The contact strategy, before any eligibility is evaluated: the first rule that keeps an item valid on the run
 * date from this customer, or undefined. The order is the order a trace reports: caps, reach, then the
 * protections (vulnerable customers and recent complainers get no sales offers, no marketing without
 * consent), then never selling what the customer already has.
 */
export function excludedBy(
  p: PlannedItem,
  subject: PolicySubject,
  policy: ContactPolicy,
  options: DecideOptions,
): Exclude<StaticRule, "validity"> | undefined {
  const { item } = p;
  if (options.capped?.has(item.id)) return "cap";
  if ((p.channelMask & subject.channelMask) === 0) return "channel";
  if (item.kind === "offer") {
    if (subject.vulnerable) return "vulnerable";
    if (subject.facts.daysSinceComplaint() <= policy.complaintWindowDays) return "recent-complaint";
  }
  if (item.marketing && !subject.marketingConsent) return "consent";
  if (item.product !== undefined && subject.facts.holds(item.product)) return "holds-product";
  return undefined;
}
