import type { DOCUMENT_CHANNELS, REPORTED_RESPONSES } from "./schema.ts";

export type ReportedResponse = (typeof REPORTED_RESPONSES)[number];
export type DocumentChannel = (typeof DOCUMENT_CHANNELS)[number];

/**
 * What a customer did about an offer, as another system (the call centre, the web shop, a store) reports it.
 * `source` and `sourceId` name it there: the same pair is the same response.
 */
export interface OfferResponseReport {
  source: string;
  sourceId: string;
  /** When the customer answered: an ISO 8601 date-time with its offset; kept normalised to UTC. */
  at: string;
  offerId: string;
  response: ReportedResponse;
  channel?: DocumentChannel;
  /** Free text: personal data, never logged. */
  note?: string;
}
