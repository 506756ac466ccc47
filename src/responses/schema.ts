import { PLAIN_TEXT_PATTERN } from "../profile/index.ts";

/** What a system may report a customer did about an offer; clicks come from tracked links, opt-outs from unsubscribing. */
export const REPORTED_RESPONSES = ["accepted", "declined", "not-now"] as const;

/** The channels of the documents an offer went out in: a response may say which one it answers. */
export const DOCUMENT_CHANNELS = ["pdf", "email", "sms"] as const;

export const RESPONSE_LIMITS = {
  sourceLength: 64,
  sourceIdLength: 128,
  noteLength: 2000,
  /** Responses one API request may carry. */
  perRequest: 1000,
} as const;

/** A catalogue item's id, as the catalogue's schema writes it. */
export const OFFER_ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$";

const text = (maxLength: number, description: string) =>
  ({ type: "string", minLength: 1, maxLength, pattern: PLAIN_TEXT_PATTERN, description }) as const;

/** One response, as `POST /v1/customers/{id}/responses` takes it and the OpenAPI document shows it. */
export const responseSchema = {
  type: "object",
  additionalProperties: false,
  required: ["source", "sourceId", "at", "offerId", "response"],
  properties: {
    source: text(RESPONSE_LIMITS.sourceLength, "the system it comes from, e.g. genesys, web-shop, store-pos"),
    sourceId: text(
      RESPONSE_LIMITS.sourceIdLength,
      "its id in that system: the same source and sourceId are the same response, recorded once",
    ),
    at: { type: "string", format: "date-time", description: "when the customer answered, ISO 8601 with an offset" },
    offerId: { type: "string", pattern: OFFER_ID_PATTERN, description: "the catalogue item answered, e.g. ev-tariff" },
    response: {
      type: "string",
      enum: REPORTED_RESPONSES,
      description: "accepted, declined or not-now: each closes the offer for the offers-now view",
    },
    channel: {
      type: "string",
      enum: DOCUMENT_CHANNELS,
      description: "the channel of the document whose offer this answers, when known",
    },
    note: {
      type: "string",
      maxLength: RESPONSE_LIMITS.noteLength,
      description: "free text from the reporting system; personal data, never logged",
    },
  },
} as const;
