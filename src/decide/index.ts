export { Audience, type AudienceCondition, type AudienceVerdict, compileAudience } from "./audience.ts";
export { decide } from "./decide.ts";
export { describeEvent, explainDecision } from "./explain.ts";
export { FUNCTION_DOCS } from "./functions.ts";
export { loadCatalogue, parseCatalogue } from "./load.ts";
export * from "./types.ts";
export type { CustomerHistory, HistoryInteraction, OfferResponse, OptOut, PastOffer, ResponseKind } from "./history.ts";
export { NO_HISTORY } from "./history.ts";
export { CONSENT_TOPIC } from "./history-rules.ts";
