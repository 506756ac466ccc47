import type {
  ArchivedDocument,
  CustomerResponse,
  DecisionOfRecord,
  Delivery,
  DeliveryChannel,
  DeliveryState,
  DeliveryStep,
} from "../archive/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import type { ResponseKind } from "../decide/index.ts";
import type { OffersNow, WithdrawnOffer } from "../offers/index.ts";

/**
 * One timeline of a customer's relationship across channels, newest first, as the agent's view shows it: every
 * document sent (with what a person needs to see it), every offer with where it stands, every interaction any
 * system reported, every delivery the outbox made with where it stands. Built from what the archive holds; no I/O here.
 */
export type TimelineEntry = DocumentEntry | OfferEntry | InteractionEntry | DeliveryEntry;

export interface DocumentEntry {
  kind: "document";
  /** When it was made (UTC). */
  at: string;
  id: string;
  channel: string;
  template: string;
  templateVersion: string;
  runId: string;
  offerIds: string[];
  /** An email's subject, as sent. */
  subject?: string;
  /** An SMS's text, as sent. */
  text?: string;
}

/** Where an offer stands, from what the customer did and what withdrew it. */
export type OfferState = "sent" | "clicked" | "accepted" | "declined" | "withdrawn";

export interface OfferEvent {
  at: string;
  state: OfferState;
  /** The channels it went out on (sent), or the channel a response came by. */
  channels: string[];
  /** Who reported a response (`link`, `call-centre`…). */
  source?: string;
  /** Why it was withdrawn, in words for an agent. */
  explanation?: string;
}

export interface OfferEntry {
  kind: "offer";
  /** When it reached its state. */
  at: string;
  offerId: string;
  state: OfferState;
  /** Everything that happened to it, oldest first. */
  events: OfferEvent[];
}

export interface InteractionEntry extends Omit<CustomerInteraction, "customerId"> {
  kind: "interaction";
}

/** States an agent must notice: the message did not reach the customer, or may not have, by this channel. */
const PROBLEMS: ReadonlySet<DeliveryState> = new Set(["bounced", "failed", "uncertain", "fallen-back"]);

/** One message the outbox sent, or is to send, by one channel, with every step it took. */
export interface DeliveryEntry {
  kind: "delivery";
  /** When it reached its state. */
  at: string;
  id: string;
  channel: DeliveryChannel;
  state: DeliveryState;
  /** Whether it did not (or may not have) reached the customer by its channel. */
  problem: boolean;
  /** What it delivers: `event:<id>` for a triggered message, `document:<id>` for a document. */
  subject: string;
  /** When the outbox took it on. */
  claimed: string;
  /** The email address or mobile number it went to; none for a letter. */
  address?: string;
  documentId?: string;
  /** Not handed over before this (quiet hours, a retry's back-off). */
  notBefore?: string;
  attempts: number;
  gateway?: string;
  /** The last thing the gateway or the network said. */
  detail?: string;
  /** The delivery this one stands in for, when it is a fallback. */
  fallbackOf?: string;
  /** The delivery that stands in for this one, when it fell back. */
  fallback?: string;
  /** Oldest first. */
  steps: { at: string; state: DeliveryState; detail?: string }[];
}

export interface TimelineSources {
  documents: readonly (ArchivedDocument & { subject?: string; text?: string })[];
  interactions: readonly CustomerInteraction[];
  decisions: readonly DecisionOfRecord[];
  responses: readonly CustomerResponse[];
  offersNow: OffersNow;
  deliveries: readonly (Delivery & { steps: readonly DeliveryStep[] })[];
}

export function timeline(s: TimelineSources): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...s.documents.map(
      (d): DocumentEntry => ({
        kind: "document",
        at: d.created,
        id: d.id,
        channel: d.channel,
        template: d.template,
        templateVersion: d.templateVersion,
        runId: d.runId,
        offerIds: d.offerIds,
        ...(d.subject !== undefined && { subject: d.subject }),
        ...(d.text !== undefined && { text: d.text }),
      }),
    ),
    ...offerEntries(s.decisions, s.responses, s.offersNow.withdrawn),
    ...s.interactions.map(({ customerId: _, ...i }): InteractionEntry => ({ kind: "interaction", ...i })),
    ...deliveryEntries(s.deliveries),
  ];
  // Newest first; at the same instant, in the order above (a document before the offer it carried).
  return entries
    .map((entry, order) => ({ entry, order, time: Date.parse(entry.at) }))
    .sort((a, b) => b.time - a.time || a.order - b.order)
    .map(({ entry }) => entry);
}

/** Answers that are an offer's state in themselves; a "not now" withdraws it like any other closing event. */
const SETTLING: Partial<Record<ResponseKind, OfferState>> = {
  accepted: "accepted",
  declined: "declined",
};

/**
 * Each offer of record once: sent with every decision that made it, then each response, then its withdrawal
 * (expiry, a complaint, an opt-out, a newer decision, a "not now"), unless the customer accepted or declined it,
 * which the answer already says. Messages (service and regulatory notices) are in their documents.
 */
function offerEntries(
  decisions: readonly DecisionOfRecord[],
  responses: readonly CustomerResponse[],
  withdrawn: readonly WithdrawnOffer[],
): OfferEntry[] {
  const events = new Map<string, OfferEvent[]>();
  const add = (offerId: string, event: OfferEvent) => events.set(offerId, [...(events.get(offerId) ?? []), event]);
  for (const d of decisions)
    for (const item of d.items)
      if (item.kind === "offer") add(item.offerId, { at: d.created, state: "sent", channels: item.channels });
  for (const r of responses) {
    if (r.offerId === undefined || !events.has(r.offerId)) continue;
    const state = r.response === "clicked" ? "clicked" : SETTLING[r.response as ResponseKind];
    if (state) add(r.offerId, { at: r.at, state, channels: r.channel ? [r.channel] : [], source: r.source });
  }
  for (const w of withdrawn)
    if (events.has(w.offerId) && !(w.reason === "response" && SETTLING[w.event.response as ResponseKind]))
      add(w.offerId, { at: w.event.at, state: "withdrawn", channels: [], explanation: w.explanation });
  return [...events].map(([offerId, list]) => {
    const ordered = list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const last = ordered[ordered.length - 1];
    return { kind: "offer", at: last.at, offerId, state: last.state, events: ordered };
  });
}

/** Each delivery at its latest state, linked both ways to the fallback that stands in for it. */
function deliveryEntries(deliveries: TimelineSources["deliveries"]): DeliveryEntry[] {
  const fallbacks = new Map(deliveries.flatMap((d) => (d.fallbackOf ? [[d.fallbackOf, d.id] as const] : [])));
  return deliveries.map((d) => {
    const fallback = fallbacks.get(d.id);
    return {
      kind: "delivery",
      at: d.updated,
      id: d.id,
      channel: d.channel,
      state: d.state,
      problem: PROBLEMS.has(d.state),
      subject: d.subject,
      claimed: d.at,
      ...(d.address !== undefined && { address: d.address }),
      ...(d.documentId !== undefined && { documentId: d.documentId }),
      ...(d.notBefore !== undefined && { notBefore: d.notBefore }),
      attempts: d.attempts,
      ...(d.gateway !== undefined && { gateway: d.gateway }),
      ...(d.detail !== undefined && { detail: d.detail }),
      ...(d.fallbackOf !== undefined && { fallbackOf: d.fallbackOf }),
      ...(fallback !== undefined && { fallback }),
      steps: d.steps.map(({ at, state, detail }) => ({ at, state, ...(detail !== undefined && { detail }) })),
    };
  });
}
