import { CUSTOMER_ID_PATTERN, PLAIN_TEXT_PATTERN } from "../profile/index.ts";

/** Dotted lower-case words, at least two: `payment.missed`, `direct-debit.failed`. */
export const EVENT_TYPE_PATTERN = "^[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+$";

export const EVENT_LIMITS = {
  idLength: 128,
  typeLength: 100,
  /** What the reporting system adds, as JSON: an amount and a reference, not a document. */
  dataBytes: 16 * 1024,
  /** Events one API request may carry. */
  perRequest: 1000,
} as const;

/** One event, as the API takes it and the OpenAPI document shows it. */
export const eventSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id", "type", "customerId", "at"],
  properties: {
    id: {
      type: "string",
      minLength: 1,
      maxLength: EVENT_LIMITS.idLength,
      pattern: PLAIN_TEXT_PATTERN,
      description:
        "the reporting system's id for it, unique across systems: the same id is the same event, acted on once",
    },
    type: {
      type: "string",
      maxLength: EVENT_LIMITS.typeLength,
      pattern: EVENT_TYPE_PATTERN,
      description: "dotted lower-case words, e.g. payment.missed",
    },
    customerId: { type: "string", pattern: CUSTOMER_ID_PATTERN, description: "a customer id, e.g. C0000001" },
    at: { type: "string", format: "date-time", description: "when it happened, ISO 8601 with an offset" },
    data: {
      type: "object",
      description: `what the reporting system adds (amount, reference), at most ${EVENT_LIMITS.dataBytes} bytes as JSON; never logged`,
    },
  },
} as const;
