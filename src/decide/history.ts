/**
 * What the relationship remembers of one customer: the input through which the contact policy reads the whole
 * history while `decide` stays pure. The outer ring reads it from the archive (the API per request, a billing
 * run in bulk, the studio from its sample set) and hands it in. Times are ISO 8601 timestamps in UTC; a rule
 * counts only events on or before the run date. Every list is newest first.
 */
export interface CustomerHistory {
  /** Contacts reported by any system (call centre, chat, social, web, store, email replies). */
  interactions: readonly HistoryInteraction[];
  /** What the customer did about an offer, from a tracked link or any system. */
  responses: readonly OfferResponse[];
  /** Offers of record that earlier decisions made to the customer. */
  offers: readonly PastOffer[];
  /** Marketing opt-outs: a one-click unsubscribe, or a system reporting one. */
  optOuts: readonly OptOut[];
}

export interface HistoryInteraction {
  at: string;
  source: string;
  sourceId: string;
  channel: string;
  topic: string;
  outcome?: string;
}

export type ResponseKind = "clicked" | "accepted" | "declined" | "not-now";

export interface OfferResponse {
  at: string;
  offerId: string;
  response: ResponseKind;
  /** The channel of the document it answers, when known (a tracked link knows it). */
  channel?: string;
  /** Who reported it (`link`, `call-centre`, `web`…) and its id there: the same pair is the same response. */
  source: string;
  sourceId: string;
}

export interface PastOffer {
  /** The decision's run date, as a timestamp at midnight UTC. */
  at: string;
  offerId: string;
  marketing: boolean;
  /** The channels whose documents carried it. */
  channels: readonly string[];
}

export interface OptOut {
  at: string;
  source: string;
  sourceId: string;
}

/** A customer the archive knows nothing of yet. */
export const NO_HISTORY: CustomerHistory = Object.freeze({
  interactions: Object.freeze([]),
  responses: Object.freeze([]),
  offers: Object.freeze([]),
  optOuts: Object.freeze([]),
});
