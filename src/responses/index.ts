/**
 * Responses: what a customer did about an offer (accepted, declined, not now), as any system reports it. Kept
 * in the archive beside clicks on tracked links and opt-outs, they close offers and feed offer statistics.
 *
 *   const r = validateResponses(body, (id) => catalogueIds.has(id));   // Result: problems at /1/offerId
 */
export { DOCUMENT_CHANNELS, OFFER_ID_PATTERN, REPORTED_RESPONSES, RESPONSE_LIMITS, responseSchema } from "./schema.ts";
export type { DocumentChannel, OfferResponseReport, ReportedResponse } from "./types.ts";
export { validateResponses } from "./validate.ts";
