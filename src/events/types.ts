/**
 * Something that happened to a customer in another system, as it reports it: a missed payment, a failed Direct
 * Debit, a complaint resolved, an offer discussed in chat. The same id is the same event, acted on once.
 */
export interface CustomerEvent {
  /** The reporting system's id for it: unique across every system that posts events. */
  id: string;
  /** Dotted and lower case, `payment.missed`, `direct-debit.failed`. */
  type: string;
  customerId: string;
  /** When it happened: an ISO 8601 date-time with its offset; kept normalised to UTC. */
  at: string;
  /** What the reporting system adds (amount, reference): kept with the event, never logged. */
  data: Readonly<Record<string, unknown>>;
}
