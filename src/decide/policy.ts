import type { Profile } from "../profile/index.ts";
import type { Facts } from "./functions.ts";
import type { ContactPolicy } from "./types.ts";

/** The rules of the contact policy, in the order a trace reports them. */
export type PolicyRule = "cap" | "channel" | "vulnerable" | "recent-complaint" | "consent" | "holds-product";

/** What the contact policy reads of an item, planned once per catalogue. */
export interface PolicyTarget {
  /** The item's id, as caps name it. */
  id: string;
  /** Its channels' bits (channelBit). */
  channelMask: number;
  /** A sales offer: kept from vulnerable customers and recent complainers. */
  offer: boolean;
  marketing: boolean;
  product: string | undefined;
  /** The product's bit in the facts (Facts.productBit), 0 without one. */
  productBit: number;
}

/**
 * What the contact policy asks of a customer, read once per decision. A catalogue's plan owns one and points it
 * at each customer in turn, as it does its facts, so a decision allocates nothing for it.
 */
export class PolicySubject {
  vulnerable = false;
  marketingConsent = false;

  constructor(readonly facts: Facts) {}

  /** The channels it receives are read with the facts (Facts.readAtOnce), with the other lists of the profile. */
  read(profile: Profile): void {
    this.vulnerable = profile.segment === "vulnerable";
    this.marketingConsent = profile.preferences.marketingConsent === true;
  }
}

/**
 * The contact strategy, before any eligibility is evaluated: the first rule that keeps an item valid on the run
 * date from this customer, or undefined. The order is the order a trace reports: caps, reach, then the
 * protections (vulnerable customers and recent complainers get no sales offers, no marketing without
 * consent), then never selling what the customer already has.
 */
export function excludedBy(
  item: PolicyTarget,
  subject: PolicySubject,
  policy: ContactPolicy,
  capped: ReadonlySet<string> | undefined,
): PolicyRule | undefined {
  if (capped?.has(item.id)) return "cap";
  if ((item.channelMask & subject.facts.channelMask) === 0) return "channel";
  if (item.offer) {
    if (subject.vulnerable) return "vulnerable";
    if (subject.facts.daysSinceComplaint() <= policy.complaintWindowDays) return "recent-complaint";
  }
  if (item.marketing && !subject.marketingConsent) return "consent";
  if (
    item.product !== undefined &&
    (item.productBit !== 0 ? subject.facts.holdsBit(item.productBit) : subject.facts.holds(item.product))
  )
    return "holds-product";
  return undefined;
}
