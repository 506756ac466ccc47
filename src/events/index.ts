/** Events from other systems, and what they start: intake, the event queue's worker, triggered messages. */
export { EVENT_LIMITS, EVENT_TYPE_PATTERN, eventSchema } from "./schema.ts";
export type { CustomerEvent } from "./types.ts";
export { EVENT_SOURCE, eventInteraction, validateEvents } from "./validate.ts";
