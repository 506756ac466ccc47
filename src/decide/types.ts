import type { Problem } from "../core/index.ts";
import type { Channel, Language } from "../profile/index.ts";
import type { CustomerHistory } from "./history.ts";

export type ItemKind = "offer" | "service" | "regulatory";
export type SlotName = "hero" | "secondary" | "notice";

/** How many items each slot holds. */
export const SLOT_CAPACITY: Record<SlotName, number> = { hero: 1, secondary: 2, notice: Number.POSITIVE_INFINITY };

/** Words of an item that one channel says its own way (`Scan the code` on paper only). */
export interface ChannelCopy {
  headline?: string;
  body?: string;
}

/** An item's words for one language; every channel takes what it needs. */
export interface Copy {
  headline: string;
  body: string;
  /** Short text for SMS; an item without one never goes by SMS. */
  sms?: string;
  cta?: { label: string; url: string };
  /** Headline or body for the printed statement only, else `headline` and `body`. */
  print?: ChannelCopy;
  /** Headline or body for the email only, else `headline` and `body`. */
  email?: ChannelCopy;
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
  /** Print draws a QR code to the call-to-action link (e.g. a guide worth opening on a phone). */
  qr?: boolean;
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
  /** Set when the rule is `expression-error`: the item is left out and the outer ring is told. */
  problem?: Problem;
  /** The event of the customer's history that fired the rule (a complaint, a response, a past offer). */
  event?: TraceEvent;
}

/**
 * One event of the relationship, as a trace names it. `source` is the system that reported it (`extract` for
 * the profile's own interactions, `decision` for an offer of record) and `sourceId` its id there, when it has one.
 */
export interface TraceEvent {
  kind: "complaint" | "accepted" | "declined" | "not-now" | "opted-out" | "offer";
  /** ISO date or timestamp, as recorded. */
  at: string;
  source: string;
  sourceId?: string;
  /** The offer the event is about: the one responded to, or the past offer. */
  offerId?: string;
  /** The channel it came from or went out on, when known. */
  channel?: string;
}

export interface Decision {
  customerId: string;
  runDate: string;
  language: Language;
  slots: Record<SlotName, ChosenItem[]>;
  trace: TraceEntry[];
}

/**
 * A decision without its trace (`trace: false`): the same slots, for callers that decide the same customers
 * many times and read only what was chosen.
 */
export type SlotDecision = Omit<Decision, "trace">;

/** A decision can be asked for on any date of a run; dates are ISO `YYYY-MM-DD` and compare as strings. */
export interface DecideOptions {
  runDate: string;
  /** Items whose cap is used up in this run (the batch run counts); they are excluded with rule `cap`. */
  capped?: ReadonlySet<string>;
  /** What the relationship remembers of the customer (the archive's snapshot); NO_HISTORY when omitted. */
  history?: CustomerHistory;
  /** false: a SlotDecision, without the trace and several times faster. Default true. */
  trace?: boolean;
}

/**
 * Contact-strategy settings of a catalogue. A window of N days holds an event on day D when the run date is at
 * most N days after D (a complaint on 2 October blocks a run on 1 November with a 30-day window).
 */
export interface ContactPolicy {
  /** A complaint this recent, in the extract or the history, stops every sales offer. */
  complaintWindowDays: number;
  /** An offer the customer declined this recently is not offered again. */
  declinedWindowDays: number;
  /** An offer answered "not now" stays away this long. */
  notNowDays: number;
  /** At most `max` marketing contacts within `days`, across channels; absent: no limit. */
  contactLimit?: { max: number; days: number };
  /** Offer `offer` is not made within `days` after offer `after` was. */
  spacing: readonly OfferSpacing[];
}

export interface OfferSpacing {
  after: string;
  offer: string;
  days: number;
}

/** One A/B variant: its share of customers and the copy it changes. */
export interface Variant {
  id: string;
  weight: number;
  /** What the variant changes of the item's copy, per language. */
  copy?: Partial<Record<Language, Partial<Copy>>>;
}

/** A catalogue item as the catalogue file states it (copy resolved per language, fallback en). */
export interface CatalogueItem {
  id: string;
  kind: ItemKind;
  slot: SlotName;
  priority: number;
  /** The eligibility expression as written, for traces and explanations. */
  eligibility: string;
  valid: { from?: string; to?: string };
  channels: Channel[];
  marketing: boolean;
  /** The product the offer sells: never offered to a customer who already holds it. */
  product?: string;
  /** Exclusion group: at most one item of a group is chosen, the highest priority wins. */
  group?: string;
  /** Most items of this kind one run may send; the batch run enforces it and passes `capped`. */
  cap?: number;
  qr: boolean;
  experiment?: { id: string; variants: Variant[] };
  /** Copy as written, per language (`en` always); decisions resolve it for the customer. */
  copy: Partial<Record<Language, Copy>>;
}

/**
 * What an event starts: a template composed for the customer and sent on its channels, once per event and channel.
 * Times of day are the customer's local time (`preferences.timeZone`, else the country's zone, else the
 * catalogue's `timeZone`).
 */
export interface Trigger {
  /** The event type that starts it, `payment.missed`. */
  event: string;
  /** The template composed, by id; checked against the loaded templates where they are known. */
  template: string;
  /** Sent now, each where the customer can receive it (has the address, accepts the channel). */
  channels: readonly Channel[];
  /** In order: where the message goes when none of `channels` delivered it (no address, hard bounce, failed SMS). */
  fallback: readonly Channel[];
  /** Another event of the same type for the same customer within this many hours starts nothing. */
  dedupeHours: number;
  /** Local hours when these channels wait (`from` 21:00 to `to` 08:00): a text at 3 a.m. goes at 8. */
  quietHours?: { from: string; to: string; channels: readonly Channel[] };
  /** Where the trigger is written, `catalogue.yaml:12:5`, for problems found after load. */
  at: string;
}

/** A loaded catalogue: validated, every expression compiled, immutable. */
export interface Catalogue {
  /** Where it was loaded from, for messages. */
  file: string;
  policy: ContactPolicy;
  /** What each event type starts; empty when the catalogue names none. */
  triggers: readonly Trigger[];
  /** The IANA zone of customers whose profile and country do not settle one, `Europe/London`. */
  timeZone: string;
  /** In arbitration order: regulatory first, then priority (highest first), then catalogue order. */
  items: readonly CatalogueItem[];
}
