import type { ArchivedDocument, CustomerResponse, DecisionOfRecord } from "../archive/index.ts";
import type { CustomerInteraction } from "../interactions/index.ts";
import type { ResponseKind } from "../decide/index.ts";
import type { OffersNow, WithdrawnOffer } from "../offers/index.ts";

/**
 * One timeline of a customer's relationship across channels, newest first, as the agent's view shows it: every
 * document sent (with what a person needs to see it), every offer with where it stands, every interaction any
 * system reported, every delivery problem. Built from what the archive holds; no I/O here.
 */
export type TimelineEntry = DocumentEntry | OfferEntry | InteractionEntry | DeliveryProblemEntry;

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

/**
 * A document that did not reach the customer (a bounce, an undelivered SMS, mail returned). Nothing records
 * them yet: the place is kept so the view shows them once a feed does.
 */
export interface DeliveryProblem {
  at: string;
  channel: string;
  /** The document that failed, when known. */
  documentId?: string;
  /** What went wrong, as the delivering system reports it. */
  reason: string;
}

export interface DeliveryProblemEntry extends DeliveryProblem {
  kind: "delivery-problem";
}

export interface TimelineSources {
  documents: readonly (ArchivedDocument & { subject?: string; text?: string })[];
  interactions: readonly CustomerInteraction[];
  decisions: readonly DecisionOfRecord[];
  responses: readonly CustomerResponse[];
  offersNow: OffersNow;
  deliveryProblems: readonly DeliveryProblem[];
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
    ...s.deliveryProblems.map((p): DeliveryProblemEntry => ({ kind: "delivery-problem", ...p })),
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
