import type { Channel, Language } from "../profile/index.ts";

export type ItemKind = "offer" | "service" | "regulatory";
export type SlotName = "hero" | "secondary" | "notice";

/** How many items each slot holds. */
export const SLOT_CAPACITY: Record<SlotName, number> = { hero: 1, secondary: 2, notice: Number.POSITIVE_INFINITY };

/** An item's words for one language; every channel takes what it needs. */
export interface Copy {
  headline: string;
  body: string;
  /** Short text for SMS; an item without one never goes by SMS. */
  sms?: string;
  cta?: { label: string; url: string };
}

/** One item the decision chose, with its copy resolved for the customer's language (and A/B variant). */
export interface ChosenItem {
  id: string;
  kind: ItemKind;
  slot: SlotName;
  priority: number;
  /** Channels it may appear in. */
  channels: Channel[];
  /** Needs marketing consent: marketing texts carry an opt-out and an unsubscribe link. */
  marketing: boolean;
  /** A/B experiment and variant, when the item has variants. */
  experiment?: { id: string; variant: string };
  copy: Copy;
}

export interface TraceEntry {
  id: string;
  slot: SlotName;
  chosen: boolean;
  /** The first rule that excluded it (e.g. `eligibility`, `consent`, `vulnerable`, `holds-product`,
   * `validity`, `exclusion-group`, `slot-full`, `cap`), or `chosen`. */
  rule: string;
  /** Words for a person: why. */
  reason: string;
}

export interface Decision {
  customerId: string;
  runDate: string;
  language: Language;
  slots: Record<SlotName, ChosenItem[]>;
  trace: TraceEntry[];
}
