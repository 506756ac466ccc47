import type { INTERACTION_CHANNELS } from "./schema.ts";

export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

/**
 * One contact with a customer, as the system that had it (the call centre, chat, social, the web, a store,
 * email replies) reports it. `source` and `sourceId` name it in that system: the same pair is the same contact.
 */
export interface Interaction {
  source: string;
  sourceId: string;
  /** When it happened: an ISO 8601 date-time with its offset; kept normalised to UTC. */
  at: string;
  channel: InteractionChannel;
  topic: string;
  outcome?: string;
  /** Free text an agent wrote: personal data, never logged. */
  note?: string;
}

/** An interaction and whose it is: a line of an import file, a row of the archive. */
export interface CustomerInteraction extends Interaction {
  customerId: string;
}
