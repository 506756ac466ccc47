import { CUSTOMER_ID_PATTERN, PLAIN_TEXT_PATTERN } from "../profile/index.ts";

/** How a customer reached us, or we them: every system's channel maps to one of these. */
export const INTERACTION_CHANNELS = [
  "call-centre",
  "chat",
  "email",
  "sms",
  "letter",
  "social",
  "web",
  "mobile-app",
  "store",
  "event",
] as const;

export const INTERACTION_LIMITS = {
  sourceLength: 64,
  sourceIdLength: 128,
  topicLength: 100,
  outcomeLength: 64,
  noteLength: 2000,
  /** Interactions one API request may carry; an import file has no limit, it is loaded in batches. */
  perRequest: 1000,
} as const;

/** One line of visible text (no controls or bidi overrides: it is printed in a terminal and in the view). */
const text = (maxLength: number, description: string) =>
  ({ type: "string", minLength: 1, maxLength, pattern: PLAIN_TEXT_PATTERN, description }) as const;

/** One interaction, as the API takes it and the OpenAPI document shows it. */
export const interactionSchema = {
  type: "object",
  additionalProperties: false,
  required: ["source", "sourceId", "at", "channel", "topic"],
  properties: {
    source: text(INTERACTION_LIMITS.sourceLength, "the system it comes from, e.g. genesys, zendesk, store-pos"),
    sourceId: text(
      INTERACTION_LIMITS.sourceIdLength,
      "its id in that system: the same source and sourceId are the same interaction, recorded once",
    ),
    at: { type: "string", format: "date-time", description: "when it happened, ISO 8601 with an offset" },
    channel: { type: "string", enum: INTERACTION_CHANNELS },
    topic: text(INTERACTION_LIMITS.topicLength, "what it was about, e.g. billing, moving-home"),
    outcome: text(INTERACTION_LIMITS.outcomeLength, "how it ended, e.g. resolved, follow-up, escalated"),
    note: {
      type: "string",
      maxLength: INTERACTION_LIMITS.noteLength,
      description: "the agent's free text; personal data, never logged",
    },
  },
} as const;

/** One line of an import file: an interaction and the customer it belongs to. */
export const customerInteractionSchema = {
  ...interactionSchema,
  required: [...interactionSchema.required, "customerId"],
  properties: {
    ...interactionSchema.properties,
    customerId: { type: "string", pattern: CUSTOMER_ID_PATTERN, description: "a customer id, e.g. C0000001" },
  },
} as const;
