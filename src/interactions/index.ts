/**
 * Interactions: every contact a customer had with us, from every system (call centre, chat, social, web, store,
 * email replies), kept with their documents in the archive as one relationship.
 *
 *   const r = validateInteractions(body);             // Result<Interaction[]>: problems at /1/at
 *   const line = parseInteractionLine(text, 12);      // Result<CustomerInteraction>: problems at "line 12 /at"
 */
export {
  INTERACTION_CHANNELS,
  INTERACTION_LIMITS,
  customerInteractionSchema,
  interactionSchema,
} from "./schema.ts";
export type { CustomerInteraction, Interaction, InteractionChannel } from "./types.ts";
export { parseInteractionLine, validateInteractions } from "./validate.ts";
